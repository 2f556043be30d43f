/**
 * `hardlearn halfspaces`: exhaustive check over {0,1}^D that an intersection of integer halfspaces equals
 * 1 - a clipped ReLU network without bias (PAPERS §1.4), on K random instances.
 * JSON contract: { "checked", "mismatches" }.
 */
import type { HalfspaceCheckOptions, HalfspaceCheckResult } from "../../models/targets.js";
import { lookup } from "../../report/api.js";
import * as P from "../args.js";
import { needs } from "./needs.js";
import type { CommandSpec } from "./types.js";
import { toJson } from "../json.js";

export const halfspacesCommand: CommandSpec = {
  name: "halfspaces",
  description: "exhaustive check of the halfspace-intersection encoding (1 - clipped ReLU) over {0,1}^D",
  options: [
    { flags: "--dim <D>", description: "cube dimension D (1..20; exhaustive up to 16)", parse: P.positiveInt, default: 8 },
    { flags: "--instances <K>", description: "random integer instances", parse: P.positiveInt, default: 200 },
    { flags: "--max-k <k>", description: "largest number of halfspaces per instance", parse: P.positiveInt, default: 5 },
    { flags: "--max-weight <w>", description: "largest absolute integer weight", parse: P.positiveInt, default: 3 },
  ],
  examples: ["hardlearn halfspaces --dim 8 --instances 200 --json", "hardlearn halfspaces --dim 10 --instances 1000 --max-k 8"],
  async run(ctx) {
    const engine = await ctx.engine();
    needs(engine, "halfspaces", ["checkHalfspaceEncoding"]);
    const check = lookup<(o: HalfspaceCheckOptions) => HalfspaceCheckResult>(engine, "checkHalfspaceEncoding")!;
    const o = ctx.opts as { dim: number; instances: number; maxK: number; maxWeight: number };
    const res = check({ dim: o.dim, instances: o.instances, seed: ctx.global.seed, maxK: o.maxK, maxWeight: o.maxWeight });
    const json = { ...res, dim: o.dim, instances: o.instances, seed: ctx.global.seed, exhaustive: o.dim <= 16 };
    await ctx.writeOut({ "halfspaces.json": toJson(json, 1) });
    return { json, text: `${res.checked} evaluations over {0,1}^${o.dim} (${o.instances} instances): ${res.mismatches} mismatches; share of label 1: ${res.positiveFraction.toFixed(3)}` };
  },
};
