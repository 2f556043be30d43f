/**
 * GEMM benchmarks: square C = A B for n = 64 .. 1024, the Gram matrix X^T X of a 20000 x 100 matrix, and the
 * tall-times-small product (20000 x 50)(50 x 1000). Reported as GFLOP/s = 2 m n k / t (median time per call).
 *
 * What is timed:
 *  - "hardlearn matmul" / "hardlearn gram": the public API from Float64Array inputs to a fresh Float64Array result,
 *    i.e. validation, copying the inputs into WASM memory, the kernel (which also checks finiteness while packing)
 *    and copying the result out. The copy-out into a fresh array pays first-touch page faults whenever the
 *    allocator hands out fresh pages (~2 us per 4 KiB page on the dev VM: 0.3 / 1 / 4 ms at n = 256 / 512 / 1024),
 *    which varies from run to run with the allocator's state; "(options.out reused)" rows show the product without it.
 *  - "hardlearn gemm_f64 kernel": the WASM kernel alone, inputs already in WASM memory (shows the copy overhead).
 *  - "hardlearn 2 threads ...": createGemmThreads (src/parallel/gemm-threads.ts), same API and bits, C split by
 *    columns between the caller and one worker on shared WASM memory (target >= 40 GFLOP/s on 2 cores).
 *  - "(options.out reused)": the result written into a preallocated matrix (no fresh 160 MB array per call).
 *  - Peers: data pre-converted to each library's native format before timing (ml-matrix Matrix, numeric's
 *    arrays of arrays, eigen's Matrix inside its worker); only the product is timed, and the result stays in
 *    the peer's format (never converted back). For the Gram matrix the peers get X^T pre-transposed and compute
 *    the full product X^T X; hardlearn's symmetric kernel does about half the multiplications, and its GFLOP/s
 *    is reported with the same 2 m d^2 count (a GEMM-equivalent rate).
 *  - "plain JS (ikj)": a triple loop over Float64Arrays in i-k-j order (the cache-friendly order), no blocking.
 *  - "eigen" (npm "eigen", an emscripten build of Eigen 3): runs in its own worker thread so that its traps
 *    (it hits "memory access out of bounds" on some sizes, e.g. n = 128) cannot kill the run; a trap is reported
 *    as that task's error. A call crosses threads synchronously with Atomics.wait/notify, which adds ~10-30 us per
 *    call (visible only at n = 64). A fresh worker per group, because a trap leaves Eigen's heap corrupted.
 * Targets: >= 20 GFLOP/s single-thread for n = 256..1024, >= 25x ml-matrix and >= 2x eigen.
 * Smoke mode: tiny sizes, every task once.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { Matrix as MlMatrix } from "ml-matrix";
// @ts-expect-error numeric ships no types
import numeric from "numeric";
import type { BenchContext, BenchTask } from "./harness.js";
import { numpyTime } from "./peers/numpy.js";
import { peakOf } from "./peak.js";
import { createEngine, createGemmThreads, type Engine, type GemmThreads } from "../src/index.js";
import type { Matrix } from "../src/types.js";

/** Deterministic inputs in [-1, 1) (LCG; benchmarks need no statistical quality). */
function randMatrix(rows: number, cols: number, seed: number): Matrix {
  const data = new Float64Array(rows * cols);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2147483648 - 1;
  }
  return { rows, cols, data };
}

function toRows(M: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < M.rows; i++) out.push(Array.from(M.data.subarray(i * M.cols, (i + 1) * M.cols)));
  return out;
}

function transpose(M: Matrix): Matrix {
  const T = new Float64Array(M.data.length);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.cols; j++) T[j * M.rows + i] = M.data[i * M.cols + j];
  return { rows: M.cols, cols: M.rows, data: T };
}

/** Plain-JS GEMM, i-k-j loop order over row-major Float64Arrays. */
function plainIkj(A: Matrix, B: Matrix): Float64Array {
  const m = A.rows, k = A.cols, n = B.cols, a = A.data, b = B.data;
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p], bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
    }
  }
  return c;
}

// ------------------------------------------------------------------ eigen, isolated in a worker thread

const EIGEN_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const ctrl = new Int32Array(workerData.sab);
function rows(d, r, c) { const o = []; for (let i = 0; i < r; i++) o.push(Array.from(d.subarray(i * c, (i + 1) * c))); return o; }
(async () => {
  let eig, A, B;
  try {
    eig = require(workerData.eigenPath);
    await eig.ready;
    A = new eig.Matrix(rows(workerData.a, workerData.m, workerData.k));
    B = new eig.Matrix(rows(workerData.b, workerData.k, workerData.n));
    eig.GC.pushException(A, B);
  } catch (e) { parentPort.postMessage({ error: "eigen setup failed: " + String(e && e.message || e) }); return; }
  const once = () => { const C = A.matMul(B); const v = C.get(0, 0); C.delete(); return v; };
  parentPort.once("message", () => {
    try { once(); } catch (e) { parentPort.postMessage({ error: "eigen trapped: " + String(e && e.message || e) }); return; }
    parentPort.postMessage({ ok: true });
    // Synchronous service loop: ctrl[0] = command (1 = multiply, 2 = quit), ctrl[1] = status (1 done, 2 error).
    for (;;) {
      Atomics.wait(ctrl, 0, 0);
      const cmd = Atomics.load(ctrl, 0);
      if (cmd === 2) break;
      let status = 1;
      try { once(); } catch (e) { status = 2; }
      Atomics.store(ctrl, 0, 0);
      Atomics.store(ctrl, 1, status);
      Atomics.notify(ctrl, 1);
    }
  });
  parentPort.postMessage({ ready: true });
})();
`;

class IsolatedEigen {
  private worker?: Worker;
  private ctrl = new Int32Array(new SharedArrayBuffer(8));
  private broken = "";

  constructor(private A: Matrix, private B: Matrix) {}

  /** Start the worker, convert the operands, run one product; rejects with the trap message if Eigen traps. */
  async start(): Promise<void> {
    const eigenPath = createRequire(import.meta.url).resolve("eigen");
    const w = new Worker(EIGEN_WORKER, {
      eval: true,
      workerData: { sab: this.ctrl.buffer, eigenPath, a: this.A.data, b: this.B.data, m: this.A.rows, k: this.A.cols, n: this.B.cols },
    });
    this.worker = w;
    const next = () => new Promise<{ ready?: boolean; ok?: boolean; error?: string }>((resolve) => {
      const onMsg = (msg: { error?: string }) => { cleanup(); resolve(msg); };
      const onErr = (e: Error) => { cleanup(); resolve({ error: `eigen worker error: ${e.message}` }); };
      const onExit = (code: number) => { cleanup(); resolve({ error: `eigen worker exited with code ${code}` }); };
      const cleanup = () => { w.off("message", onMsg); w.off("error", onErr); w.off("exit", onExit); };
      w.on("message", onMsg); w.on("error", onErr); w.on("exit", onExit);
    });
    let msg = await next();
    if (msg.error) throw new Error(msg.error);
    w.postMessage("probe");
    msg = await next();
    if (msg.error) throw new Error(msg.error);
  }

  /** One product in the worker, synchronously (the caller thread blocks on Atomics.wait). */
  run(): number {
    if (this.broken) throw new Error(this.broken);
    Atomics.store(this.ctrl, 1, 0);
    Atomics.store(this.ctrl, 0, 1);
    Atomics.notify(this.ctrl, 0);
    const r = Atomics.wait(this.ctrl, 1, 0, 600_000);
    if (r === "timed-out") this.broken = "eigen worker did not answer within 600 s";
    else if (Atomics.load(this.ctrl, 1) === 2) this.broken = "eigen trapped during the timed run";
    if (this.broken) throw new Error(this.broken);
    return 1;
  }

  async close(): Promise<void> {
    Atomics.store(this.ctrl, 0, 2);
    Atomics.notify(this.ctrl, 0);
    await this.worker?.terminate();
  }
}

// ------------------------------------------------------------------ groups

/** numpy (OpenBLAS where installed) with 1 and 2 BLAS threads, timed in a child python3 right after the group. */
function numpyTasks(spec: Record<string, unknown>): BenchTask[] {
  return [1, 2].map((threads) => ({
    name: `numpy ${threads} thread${threads > 1 ? "s" : ""}`,
    fn: () => 0,
    external: () => numpyTime(spec, threads).seconds,
  }));
}

/** The FMA-mode engine (createEngine({ fma: true })); its rows appear only where the host runs relaxed SIMD. */
let fmaEngine: Engine | undefined;

function fmaTasks(A: Matrix, B: Matrix): BenchTask[] {
  const f = fmaEngine;
  if (!f?.fma.active) return [];
  return [{ name: `hardlearn matmul, FMA mode (${f.fma.fused ? "fused" : "not fused"})`, peak: "madd", fn: () => f.matmul(A, B) }];
}

interface ProductCase {
  title: string;
  A: Matrix;
  B: Matrix;
  /** Peers multiply these (e.g. X^T pre-transposed); hardlearn gets A, B and `self`. */
  peerA: Matrix;
  self: BenchTask;
  /** More hardlearn variants (kernel only, two threads, reused output). */
  extra: BenchTask[];
  plainJs: boolean;
}

async function productGroup(ctx: BenchContext, c: ProductCase): Promise<void> {
  const m = c.peerA.rows, k = c.peerA.cols, n = c.B.cols;
  let mlA: MlMatrix | undefined, mlB: MlMatrix | undefined;
  let nA: number[][] | undefined, nB: number[][] | undefined;
  const eigen = new IsolatedEigen(c.peerA, c.B);
  const tasks: BenchTask[] = [c.self, ...c.extra];
  if (c.plainJs) tasks.push({ name: "plain JS (ikj)", fn: () => plainIkj(c.peerA, c.B) });
  tasks.push(
    {
      name: "ml-matrix",
      setup: () => { mlA = new MlMatrix(toRows(c.peerA)); mlB = new MlMatrix(toRows(c.B)); },
      fn: () => mlA!.mmul(mlB!).get(0, 0),
    },
    {
      name: "numeric",
      setup: () => { nA = toRows(c.peerA); nB = toRows(c.B); },
      fn: () => (numeric.dot(nA, nB) as number[][])[0][0],
    },
    { name: "eigen (worker)", setup: () => eigen.start(), fn: () => eigen.run() },
  );
  try {
    await ctx.group({ title: c.title, flops: 2 * m * n * k, tasks });
  } finally {
    await eigen.close();
  }
}

/** hardlearn's kernel alone on operands already in WASM memory (arena held for the whole group). */
function kernelTask(e: Engine, A: Matrix, B: Matrix): BenchTask & { release: () => void } {
  const ar = e.core.arena;
  let mark = -1, pA = 0, pB = 0, pC = 0;
  return {
    name: "hardlearn gemm_f64 kernel (data already in WASM)",
    setup: () => { mark = ar.mark(); pC = ar.allocF64(A.rows * B.cols); pA = ar.put(A.data); pB = ar.put(B.data); },
    fn: () => { e.core.x.gemm_f64(0, 0, A.rows, B.cols, A.cols, 1, pA, A.cols, pB, B.cols, 0, pC, B.cols); return pC; },
    release: () => { if (mark >= 0) ar.release(mark); mark = -1; },
  };
}

export default async function gemmBench(ctx: BenchContext): Promise<void> {
  const e = await createEngine();
  fmaEngine = await createEngine({ fma: true });
  const t2: GemmThreads = await createGemmThreads(e);
  const threadsName = `hardlearn 2 threads${t2.threads === 2 ? "" : ` (fallback: ${t2.fallbackReason})`}`;
  try {
    if (!ctx.filter || "GEMM fraction of the in-process peak".includes(ctx.filter)) peakFractions(ctx, e, fmaEngine, t2);
    await suites(ctx, e, t2, threadsName);
  } finally {
    await t2.close();
  }
}

async function suites(ctx: BenchContext, e: Engine, t2: GemmThreads, threadsName: string): Promise<void> {
  const sizes = ctx.smoke ? [8, 33] : [64, 128, 256, 512, 1024];
  for (const n of sizes) {
    const A = randMatrix(n, n, 1), B = randMatrix(n, n, 2);
    const kernel = kernelTask(e, A, B);
    try {
      await productGroup(ctx, {
        title: `GEMM ${n}x${n}x${n} (C = A B)`, A, B, peerA: A, plainJs: true,
        self: { name: "hardlearn matmul", self: true, fn: () => e.matmul(A, B) },
        extra: [kernel, ...fmaTasks(A, B), { name: `${threadsName} matmul`, fn: () => t2.matmul(A, B) },
          ...numpyTasks({ op: "matmul", n })],
      });
    } finally {
      kernel.release();
    }
  }

  // Gram X^T X of a tall matrix (samples as rows).
  const [gm, gd] = ctx.smoke ? [200, 10] : [20000, 100];
  const X = randMatrix(gm, gd, 3);
  const XT = transpose(X);
  await productGroup(ctx, {
    title: `Gram X^T X, X ${gm}x${gd} (GEMM-equivalent 2 m d^2 flops)`, A: X, B: X, peerA: XT, plainJs: true,
    self: { name: "hardlearn gram", self: true, fn: () => e.gram(X) },
    extra: [{ name: `${threadsName} gram`, fn: () => t2.gram(X) }, ...numpyTasks({ op: "gram", m: gm, d: gd })],
  });

  // Tall times small: (m x k)(k x n) with small k, e.g. features times weights.
  const [tm, tk, tn] = ctx.smoke ? [200, 5, 10] : [20000, 50, 1000];
  const T = randMatrix(tm, tk, 4), W = randMatrix(tk, tn, 5);
  const tallKernel = kernelTask(e, T, W);
  // A fresh 20000 x 1000 result costs ~75 ms of first-touch page faults alone; options.out reuses one.
  const out = { rows: tm, cols: tn, data: new Float64Array(tm * tn) };
  try {
    await productGroup(ctx, {
      title: `tall x small (${tm}x${tk})(${tk}x${tn})`, A: T, B: W, peerA: T, plainJs: true,
      self: { name: "hardlearn matmul", self: true, fn: () => e.matmul(T, W) },
      extra: [
        tallKernel,
        { name: "hardlearn matmul (options.out reused)", fn: () => e.matmul(T, W, { out }) },
        { name: `${threadsName} matmul (options.out reused)`, fn: () => t2.matmul(T, W, { out }) },
        ...numpyTasks({ op: "tall", m: tm, k: tk, n: tn }),
      ],
    });
  } finally {
    tallKernel.release();
  }
}

/**
 * The GEMM targets as fractions of the in-process peak, measured interleaved in one process (peak, matmul, kernel,
 * FMA peak, FMA matmul, FMA kernel, 2 threads, repeated; best of the rounds), so load from other processes hits
 * numerator and denominator alike. Single-thread rows use process CPU time; the 2-thread row uses wall time against
 * twice the single-thread peak. "matmul" is the public call from Float64Arrays to a fresh result (copy in, kernel,
 * overflow scan, copy out with the fresh array's first-touch page faults), "out reused" the same with options.out (no
 * fresh array: shows what the page faults cost); "kernel" is gemm_f64 on operands already
 * in WASM memory (packing included). Each engine calibrates its kernel on its first product (printed).
 */
function peakFractions(ctx: BenchContext, e: Engine, f: Engine | undefined, t2: GemmThreads): void {
  const sizes = ctx.smoke ? [64] : [256, 512, 1024];
  const rounds = ctx.smoke ? 1 : 5;
  const peakMs = ctx.smoke ? 4 : 25;
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  const fma = f?.fma.active ? f : undefined;
  const engines: Array<[string, Engine]> = [["default", e], ...(fma ? [["FMA", fma] as [string, Engine]] : [])];
  // Trigger each engine's one-time calibration (first product >= 256^3) before timing.
  for (const [, g] of engines) g.matmul(randMatrix(256, 256, 7), randMatrix(256, 256, 8));
  console.log(`\n## GEMM fraction of the in-process peak (interleaved, best of ${rounds}; node ${process.version})\n`);
  for (const [name, g] of engines) {
    console.log(`- ${name} engine: kernel ${g.gemmTuning.kernel}, mc ${g.gemmTuning.mc} (${g.gemmTuning.source}${g.gemmTuning.calibrationMs ? `, ${g.gemmTuning.calibrationMs.toFixed(0)} ms` : ""})`);
  }
  console.log("\n| n | peak mul+add | matmul | matmul, out reused | kernel | 2 threads (of 2x peak) |" +
    (fma ? " peak relaxed_madd | FMA matmul | FMA matmul, out reused | FMA kernel |" : ""));
  console.log("|---|---|---|---|---|---|" + (fma ? "---|---|---|---|" : ""));
  for (const n of sizes) {
    const A = randMatrix(n, n, 1), B = randMatrix(n, n, 2);
    const out = { rows: n, cols: n, data: new Float64Array(n * n) };
    const flops = 2 * n * n * n;
    const reps = Math.max(1, Math.round((ctx.smoke ? 1e6 : 1.5e8) / flops));
    const best = new Map<string, number>();
    const time = (key: string, fn: () => unknown, wall = false): void => {
      fn();
      const now = wall ? () => performance.now() / 1000 : cpu;
      const t0 = now();
      for (let r = 0; r < reps; r++) fn();
      const dt = now() - t0;
      if (dt > 0) best.set(key, Math.max(best.get(key) ?? 0, (flops * reps) / dt / 1e9));
    };
    const mem = engines.map(([, g]) => {
      const ar = g.core.arena, mark = ar.mark();
      const pC = ar.allocF64(n * n), pA = ar.put(A.data), pB = ar.put(B.data);
      return { g, ar, mark, pA, pB, pC };
    });
    try {
      for (let r = 0; r < rounds; r++) {
        engines.forEach(([name, g], i) => {
          const { pA, pB, pC } = mem[i];
          best.set(`${name} peak`, Math.max(best.get(`${name} peak`) ?? 0, peakOf(g, peakMs)));
          time(`${name} matmul`, () => g.matmul(A, B));
          time(`${name} out`, () => g.matmul(A, B, { out }));
          time(`${name} kernel`, () => g.core.x.gemm_f64(0, 0, n, n, n, 1, pA, n, pB, n, 0, pC, n));
        });
        time("threads", () => t2.matmul(A, B), true);
      }
    } finally {
      for (const m of mem) m.ar.release(m.mark);
    }
    const fr = (k: string, p: string, scale = 1) => `${(best.get(k)! / (scale * best.get(p)!)).toFixed(3)} (${best.get(k)!.toFixed(1)})`;
    let line = `| ${n} | ${best.get("default peak")!.toFixed(2)} | ${fr("default matmul", "default peak")} | ${fr("default out", "default peak")} | ${fr("default kernel", "default peak")} | ${fr("threads", "default peak", 2)} |`;
    if (fma) line += ` ${best.get("FMA peak")!.toFixed(2)} | ${fr("FMA matmul", "FMA peak")} | ${fr("FMA out", "FMA peak")} | ${fr("FMA kernel", "FMA peak")} |`;
    console.log(line);
  }
  console.log("\nfraction (GFLOP/s); target for matmul: >= 0.88 of the matching peak\n");
}
