/**
 * `hardlearn networks`: natural-weight networks of Daniely & Vardi (PAPERS §3.2–3.3): sample one network per weight
 * family (and the convolutional one), evaluate it on Gaussian and Boolean-cube inputs, and report label statistics.
 */
import { WEIGHT_FAMILIES, type ReluNet } from "../../models/network.js";
import type { Matrix } from "../../types.js";
import * as P from "../args.js";
import type { CommandSpec } from "./types.js";
import { sq } from "../../math/detmath.js";
import { toJson } from "../json.js";

export const networksCommand: CommandSpec = {
  name: "networks",
  description: "natural-weight networks (paper B): sample each weight family and the convolutional net, label statistics per input law",
  options: [
    { flags: "--dim <n>", description: "input dimension n", parse: P.positiveInt, default: 32 },
    { flags: "--width <m>", description: "hidden width m", parse: P.positiveInt, default: 32 },
    { flags: "--patch <p>", description: "patch size of the convolutional net (divides n)", parse: P.positiveInt, default: 8 },
    { flags: "--samples <k>", description: "inputs per distribution", parse: P.positiveInt, default: 10000 },
  ],
  outputs: ["networks.json"],
  examples: ["hardlearn networks --dim 32 --width 32 --json"],
  async estimate(ctx) {
    const o = ctx.opts as { dim: number; width: number; samples: number };
    // Seven networks (six weight families and the convolutional one) on two input sets of samples x dim.
    const nets = 7, n = o.samples, d = o.dim, k = o.width;
    return {
      cost: { what: "networks", wasmBytes: 8 * (n * d + d * k + n * Math.min(256, k) + 2 * n), jsBytes: 8 * (2 * n * d + 2 * n + nets * d * k), flops: nets * 2 * 2 * n * d * k + 25 * 2 * n * d },
      reduce: "--samples, --dim or --width",
    };
  },
  async run(ctx) {
    const engine = await ctx.engine();
    const families = WEIGHT_FAMILIES;
    const o = ctx.opts as { dim: number; width: number; patch: number; samples: number };
    const seed = ctx.global.seed;
    const rng = engine.rng(seed);
    const inputs: [string, Matrix][] = [
      ["gaussian", { rows: o.samples, cols: o.dim, data: rng.stream(1).normal(o.samples * o.dim) }],
      ["cube01", rng.stream(2).cube01(o.samples, o.dim)],
    ];
    const rows = [];
    const nets: [string, ReluNet][] = [...families.map((f, i) => [f, engine.sampleNetwork({ n: o.dim, width: o.width, family: f, seed: seed + 1 + i })] as [string, ReluNet]),
      ["conv (normal filter)", engine.sampleConvNetwork({ n: o.dim, patch: o.patch, family: "normal", seed: seed + 100 }).dense]];
    for (const [family, net] of nets) {
      let wn = 0;
      for (const v of net.W.data) wn += v * v;
      for (const [input, X] of inputs) {
        const y = engine.reluNet(net, X);
        let mean = 0, zeros = 0;
        for (const v of y) { mean += v; if (v === 0) zeros++; }
        mean /= y.length;
        let v2 = 0;
        for (const v of y) v2 += sq(v - mean);
        rows.push({ family, input, neurons: net.W.cols, frobeniusNorm: Math.sqrt(wn), labelMean: mean, labelVariance: v2 / y.length, zeroShare: zeros / y.length });
      }
    }
    const json = { rows, seed, dim: o.dim, width: o.width, patch: o.patch, samples: o.samples };
    await ctx.writeOut({ "networks.json": toJson(json, 1) });
    const text = ["| family | inputs | neurons | ‖W‖_F | label mean | label variance | share of 0 labels |", "|---|---|---|---|---|---|---|",
      ...rows.map((r) => `| ${r.family} | ${r.input} | ${r.neurons} | ${r.frobeniusNorm.toFixed(3)} | ${r.labelMean.toPrecision(4)} | ${r.labelVariance.toPrecision(4)} | ${r.zeroShare.toFixed(3)} |`)].join("\n");
    return { json, text };
  },
};
