/**
 * `hardlearn halfspaces`: exhaustive check over {0,1}^D that an intersection of integer halfspaces equals
 * 1 - a clipped ReLU network without bias (PAPERS §1.4), on K random instances.
 * JSON contract: { "checked", "mismatches" }.
 */
import * as P from "../args.js";
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
  outputs: ["halfspaces.json"],
  examples: ["hardlearn halfspaces --dim 8 --instances 200 --json", "hardlearn halfspaces --dim 10 --instances 1000 --max-k 8"],
  async estimate(ctx) {
    const o = ctx.opts as { dim: number; instances: number; maxK: number };
    // Exhaustive over {0,1}^D up to D = 16 (sampled beyond): ~1 us per (instance, point) plus O(k D).
    const pts = 2 ** Math.min(o.dim, 16);
    return { cost: { what: "halfspaces", wasmBytes: 8 * pts * (o.dim + 2), jsBytes: 8 * pts * (o.dim + 2), flops: o.instances * pts * (20 * o.maxK * o.dim + 500) }, reduce: "--instances, --dim or --max-k" };
  },
  async run(ctx) {
    const engine = await ctx.engine();
    const o = ctx.opts as { dim: number; instances: number; maxK: number; maxWeight: number };
    const res = engine.checkHalfspaceEncoding({ dim: o.dim, instances: o.instances, seed: ctx.global.seed, maxK: o.maxK, maxWeight: o.maxWeight });
    const json = { ...res, dim: o.dim, instances: o.instances, seed: ctx.global.seed, exhaustive: o.dim <= 16 };
    await ctx.writeOut({ "halfspaces.json": toJson(json, 1) });
    return { json, text: `${res.checked} evaluations over {0,1}^${o.dim} (${o.instances} instances): ${res.mismatches} mismatches; share of label 1: ${res.positiveFraction.toFixed(3)}` };
  },
};
