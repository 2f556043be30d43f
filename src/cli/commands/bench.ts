/**
 * `hardlearn bench`: a small built-in benchmark of the engine's kernels (matmul, svd, normals), timed with performance.now in this process. It needs nothing but the installed package.
 * The full comparison against peers (ml-matrix, numeric, eigen, TF.js, plain JS) is `npm run bench` in a dev checkout.
 */
import * as P from "../args.js";
import type { Engine } from "../../engine.js";
import type { Matrix } from "../../types.js";
import type { CommandSpec } from "./types.js";
import { toJson } from "../json.js";

interface BenchRow { name: string; size: string; seconds: number; rate: number; unit: string }

function lcgMatrix(rows: number, cols: number, seed: number): Matrix {
  // Test input only (not a statistical stream): a 32-bit LCG mapped to [-1, 1).
  let s = seed >>> 0;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2147483648 - 1;
  }
  return { rows, cols, data };
}

/** Median seconds of `reps` timed calls after one warm-up call. */
function time(fn: () => unknown, reps: number): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    t.push((performance.now() - t0) / 1000);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

export async function builtinBench(engine: Engine, sizes: { n: number[]; reps: number }, onStep?: (i: number, n: number) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const total = sizes.n.length + 2;
  let step = 0;
  for (const n of sizes.n) {
    const A = lcgMatrix(n, n, 1), B = lcgMatrix(n, n, 2);
    const s = time(() => engine.matmul(A, B), sizes.reps);
    rows.push({ name: "matmul", size: `${n}x${n}x${n}`, seconds: s, rate: (2 * n * n * n) / s / 1e9, unit: "GFLOP/s" });
    onStep?.(++step, total);
  }
  {
    const A = lcgMatrix(2000, 50, 3);
    const s = time(() => engine.svd(A), sizes.reps);
    rows.push({ name: "svd (thin)", size: "2000x50", seconds: s, rate: 1 / s, unit: "calls/s" });
  }
  onStep?.(++step, total);
  {
    const rng = engine.rng(1);
    const n = 1 << 20;
    const s = time(() => rng.normal(n), sizes.reps);
    rows.push({ name: "normals", size: `${n}`, seconds: s, rate: n / s, unit: "items/s" });
  }
  onStep?.(++step, total);
  return rows;
}

export const benchCommand: CommandSpec = {
  name: "bench",
  description: "built-in micro-benchmark of the kernels (matmul, svd, normals); `npm run bench` in a checkout compares against peers",
  options: [
    { flags: "--quick", description: "small sizes only" },
    { flags: "--reps <n>", description: "timed repetitions per kernel (median reported)", parse: P.positiveInt, default: 5 },
  ],
  outputs: ["bench.json"],
  examples: ["hardlearn bench", "hardlearn bench --quick --json"],
  async run(ctx) {
    const o = ctx.opts as { quick?: boolean; reps: number };
    const engine = await ctx.engine();
    ctx.progress.start("bench", 1);
    const rows = await builtinBench(engine, { n: o.quick ? [64, 128] : [128, 256, 512], reps: o.reps }, (i, n) => ctx.progress.update(i, n));
    ctx.progress.stop();
    const text = ["| kernel | size | median ms | rate |", "|---|---|---|---|",
      ...rows.map((r) => `| ${r.name} | ${r.size} | ${(r.seconds * 1000).toFixed(3)} | ${r.rate.toPrecision(4)} ${r.unit} |`),
      "", "(single process, single thread; timings depend on machine load. `npm run bench` in a checkout runs the full suite with peers.)"].join("\n");
    await ctx.writeOut({ "bench.json": toJson({ rows }, 1) });
    return { json: { rows }, text };
  },
};
