/**
 * `hardlearn gradvar`: Var_w ∇F_w(θ) for the cos family p_θ(x) = cos<θ,x>, target cos<w,x>, x ~ N(0, I_d),
 * w uniform on the sphere of radius r (Shamir Thm 3; PAPERS §4.3–4.5). Exact value always; with --directions,
 * also the Monte-Carlo estimate (unbiased for the population variance), its standard error and the resolution floor.
 * JSON contract: { "rows": [ { "dim", "radius", "thetaNorm", "exact", "estimate", "stderr", "floor" } ] }.
 */
import * as P from "../args.js";
import { CliError } from "../io.js";
import { gradvarRows } from "../../report/compute.js";
import type { CommandContext, CommandSpec } from "./types.js";
import { toJson } from "../json.js";
import { estimateGradVariance } from "../../gradvar/estimator.js";
import type { GradVarianceOptions } from "../../gradvar/estimator.js";
import { sequence } from "../../cost.js";

type Opts = { dim: number[]; thetaNorm: number; radius: number[]; directions?: number; samples: number };

function checkCounts(o: Opts): void {
  if (o.directions !== undefined && o.directions < 2) throw new CliError("option '--directions <J>' argument must be >= 2", 2);
  if (o.samples < 2) throw new CliError("option '--samples <N>' argument must be >= 2", 2);
}

/** The options of one Monte-Carlo row (theta = |theta| e_1, as gradvarRows uses). */
function rowOptions(ctx: CommandContext, o: Opts, dim: number, radius: number, directions: number, samples: number): GradVarianceOptions {
  const theta = new Float64Array(dim);
  theta[0] = o.thetaNorm;
  return { dim, radius, theta, directions, samples, seed: ctx.global.seed, workers: ctx.global.threads };
}

export const gradvarCommand: CommandSpec = {
  name: "gradvar",
  description: "variance over the target direction of the loss gradient (Thm 3), cos family under N(0, I): exact and Monte Carlo",
  options: [
    { flags: "--dim <D>", description: "input dimension d (or a comma-separated list)", parse: P.positiveIntList, required: true },
    { flags: "--theta-norm <T>", description: "|θ|, the predictor's parameter norm", parse: P.nonNegativeNumber, default: 1 },
    { flags: "--radius <list>", description: "radii r = |w| (comma-separated, each > 0)", parse: P.positiveList, required: true },
    { flags: "--directions <J>", description: "Monte Carlo: number of directions w (>= 2); without it only the exact value is computed", parse: P.positiveInt },
    { flags: "--samples <N>", description: "Monte Carlo: input samples x per run (>= 2)", parse: P.positiveInt, default: 20000 },
  ],
  outputs: ["gradvar.json"],
  examples: [
    "hardlearn gradvar --dim 10 --theta-norm 1 --radius 1,2,4,8 --json",
    "hardlearn gradvar --dim 10 --theta-norm 1 --radius 1,2 --directions 1000 --samples 20000 --threads 2",
  ],
  async estimate(ctx) {
    const o = ctx.opts as Opts;
    checkCounts(o);
    if (o.directions === undefined) return undefined; // exact values only: closed forms, instant
    const J = o.directions;
    const rows = o.dim.flatMap((d) => o.radius.map((r) => estimateGradVariance(rowOptions(ctx, o, d, r, J, o.samples))));
    return {
      cost: sequence("gradvar", rows),
      reduce: "--directions or --samples (or the number of --dim / --radius values)",
      threads: ctx.global.threads,
      // A small run of the same estimator at the largest dimension (X at most ~32 MB), timed after a warm-up.
      probe: async () => {
        const engine = await ctx.engine();
        const d = Math.max(...o.dim);
        const po = { ...rowOptions(ctx, o, d, o.radius[0], Math.min(J, 64), Math.min(o.samples, Math.max(64, Math.floor(4e6 / d)))), workers: 1 };
        await engine.gradVariance(po);
        const t = performance.now();
        await engine.gradVariance(po);
        return { flops: estimateGradVariance(po).flops, seconds: (performance.now() - t) / 1000 };
      },
    };
  },
  async run(ctx) {
    const engine = await ctx.engine();
    const o = ctx.opts as Opts;
    checkCounts(o);
    ctx.progress.start("gradvar", o.dim.length * o.radius.length);
    const rows = await gradvarRows(engine, {
      dims: o.dim, radii: o.radius, thetaNorm: o.thetaNorm, directions: o.directions, samples: o.samples,
      seed: ctx.global.seed, workers: ctx.global.threads, signal: ctx.redrawSignal, onRow: (_r, done, total) => ctx.progress.update(done, total),
    });
    ctx.progress.stop();
    // Contract fields are always present; Monte-Carlo ones are null when only the exact value was computed.
    const json = { rows: rows.map((r) => ({ ...r, estimate: r.estimate ?? null, stderr: r.stderr ?? null, floor: r.floor ?? null })), seed: ctx.global.seed, family: "cos predictor, cos target, x ~ N(0, I_d), theta = |theta| e_1" };
    await ctx.writeOut({ "gradvar.json": toJson(json, 1) });
    const g = (x: number | undefined) => (x === undefined ? "-" : x.toExponential(4));
    const text = ["| d | r | |θ| | exact | estimate | SE | floor | z |", "|---|---|---|---|---|---|---|---|",
      ...rows.map((r) => `| ${r.dim} | ${r.radius} | ${r.thetaNorm} | ${g(r.exact)} | ${g(r.estimate)} | ${g(r.stderr)} | ${g(r.floor)} | ${r.z === undefined ? "-" : r.z.toFixed(2)} |`)].join("\n");
    return { json, text };
  },
};
