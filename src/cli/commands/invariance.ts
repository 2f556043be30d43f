/**
 * `hardlearn invariance`: Theorem 1 / Definitions 1–2 — plain GD and whitening + GD trained on X and on X A
 * (A orthogonal, and invertible with the given condition numbers); the largest relative difference of the
 * training-set predictions. JSON contract: { "rows": [ { "learner", "transform", "cond", "maxDiff" } ] }.
 */
import * as P from "../args.js";
import type { CommandSpec } from "./types.js";
import { toJson } from "../json.js";

export const invarianceCommand: CommandSpec = {
  name: "invariance",
  description: "Theorem 1: predictions of plain GD and whitening+GD on X and on X A (orthogonal / ill-conditioned A)",
  options: [
    { flags: "--samples <m>", description: "training samples m", parse: P.positiveInt, default: 200 },
    { flags: "--dim <d>", description: "input dimension d (>= 2)", parse: P.positiveInt, default: 10 },
    { flags: "--width <k>", description: "hidden width of the learners", parse: P.positiveInt, default: 10 },
    { flags: "--steps <n>", description: "full-batch GD steps", parse: P.positiveInt, default: 100 },
    { flags: "--cond <list>", description: "condition numbers of the invertible A (each >= 1)", parse: P.positiveList, default: [1e2, 1e6] },
    { flags: "--lr <eta>", description: "GD learning rate (default 0.5 / width)", parse: P.positiveNumber },
  ],
  outputs: ["invariance.json"],
  examples: ["hardlearn invariance --json", "hardlearn invariance --cond 10,1e4,1e8 --steps 50"],
  async estimate(ctx) {
    const o = ctx.opts as { samples: number; dim: number; width: number; steps: number; cond: number[] };
    // Two learners on X, X Q and X A for each condition number: full-batch GD with a history forward pass per step.
    const runs = 2 * (2 + o.cond.length), m = o.samples, d = o.dim, k = o.width;
    return {
      cost: { what: "invariance", wasmBytes: 8 * (3 * m * d + 3 * d * d + 4 * m * k), jsBytes: 8 * (runs + 4) * (m * d + m + d * d), flops: runs * (o.steps + 1) * 6 * m * d * k + runs * (4 * m * d * d + 40 * d * d * d) },
      reduce: "--samples, --dim, --width, --steps or the number of --cond values",
    };
  },
  async run(ctx) {
    const engine = await ctx.engine();
    const o = ctx.opts as { samples: number; dim: number; width: number; steps: number; cond: number[]; lr?: number };
    ctx.progress.start("invariance", 1);
    const rows = await engine.invarianceExperiment({ m: o.samples, d: o.dim, width: o.width, steps: o.steps, conds: o.cond, seed: ctx.global.seed, lr: o.lr, onProgress: (d, t) => ctx.progress.update(d, t) });
    ctx.progress.stop();
    const json = { rows, seed: ctx.global.seed, m: o.samples, d: o.dim, width: o.width, steps: o.steps };
    await ctx.writeOut({ "invariance.json": toJson(json, 1) });
    const text = ["| learner | transform | cond(A) | max rel. diff | max abs. diff |", "|---|---|---|---|---|",
      ...rows.map((r) => `| ${r.learner} | ${r.transform} | ${r.cond.toExponential(1)} | ${r.maxDiff.toExponential(3)} | ${r.maxAbsDiff.toExponential(3)} |`)].join("\n");
    return { json, text };
  },
};
