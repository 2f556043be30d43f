/**
 * `hardlearn oracle`: Theorem 4 — gradient descent fed by a delta-approximate oracle for several targets w*
 * uniform on the sphere of radius r, against exact-gradient GD from the same start (cos family, N(0, I)).
 */
import * as P from "../args.js";
import type { CommandSpec } from "./types.js";
import { toJson } from "../json.js";

export const oracleCommand: CommandSpec = {
  name: "oracle",
  description: "Theorem 4: gradient descent with a delta-approximate oracle for several targets w* (trajectories coincide)",
  options: [
    { flags: "--dim <d>", description: "dimension d", parse: P.positiveInt, default: 20 },
    { flags: "--radius <r>", description: "|w*| = r > 0", parse: P.positiveNumber, default: 5 },
    { flags: "--targets <n>", description: "number of targets w* (>= 2)", parse: P.positiveInt, default: 5 },
    { flags: "--steps <p>", description: "iterations p", parse: P.positiveInt, default: 150 },
    { flags: "--lr <eta>", description: "step size", parse: P.positiveNumber, default: 0.5 },
    { flags: "--theta-norm <t>", description: "|θ0| (θ0 = t e_1)", parse: P.positiveNumber, default: 1 },
    { flags: "--delta <delta>", description: "oracle tolerance (default: cube root of the largest variance along the path)", parse: P.positiveNumber },
  ],
  outputs: ["oracle.json"],
  examples: ["hardlearn oracle --dim 20 --radius 5 --targets 5 --steps 150 --json"],
  async estimate(ctx) {
    const o = ctx.opts as { dim: number; targets: number; steps: number };
    // Exact gradients and variances in closed form per (target, step): ~100 us + O(d).
    return { cost: { what: "oracle", wasmBytes: 0, jsBytes: 16 * o.targets * o.steps * o.dim, flops: o.targets * o.steps * (2e5 + 2e3 * o.dim) }, reduce: "--targets, --steps or --dim" };
  },
  async run(ctx) {
    const engine = await ctx.engine();
    const o = ctx.opts as { dim: number; radius: number; targets: number; steps: number; lr: number; thetaNorm: number; delta?: number };
    const theta0 = new Float64Array(o.dim);
    theta0[0] = o.thetaNorm;
    ctx.progress.start("oracle", o.steps);
    const res = await engine.oracleSimulation({ dim: o.dim, radius: o.radius, theta0, targets: o.targets, seed: ctx.global.seed, steps: o.steps, learningRate: o.lr, delta: o.delta, onProgress: (d, t) => ctx.progress.update(d, t) });
    ctx.progress.stop();
    await ctx.writeOut({ "oracle.json": toJson(res, 1) });
    const text = [
      `d = ${res.dim}, r = ${res.radius}, ${res.rows.length} targets, ${res.steps} steps, step size ${res.learningRate}`,
      `max Var_w grad F_w(theta_t) = ${res.maxVariance.toExponential(3)}, delta = ${res.delta.toExponential(3)}, bound p*delta = ${res.failureBound.toExponential(3)}`,
      `oracle failures: ${(100 * res.failureRate).toFixed(2)}% of queries; trajectories coincide: ${res.trajectoriesCoincide}`,
      `spread of final theta: ${res.oracleSpread.toExponential(3)} (oracle) vs ${res.exactSpread.toExponential(3)} (exact gradients)`,
    ].join("\n");
    return { json: res, text };
  },
};
