/**
 * Two-thread GEMM and Gram on WebAssembly shared memory (optional fast path).
 *
 * build/threads.wasm (asconfig target "threads": the GEMM kernels alone, compiled with --importMemory
 * --sharedMemory) is instantiated twice on ONE shared WebAssembly.Memory: in the calling thread and in one worker
 * (Node worker_threads, or a Web Worker in browsers). A product with m >= 32 rows is split by rows of C (the
 * caller computes rows [0, i), the worker [i, m), with the copies into and out of WASM memory overlapped with
 * the worker's compute; see matmulRows), a wide-and-short one by columns (caller [0, j), worker [j, n)); the Gram
 * matrix by columns. Each thread has its own packing workspace. Every entry of C is computed by exactly the same
 * arithmetic as in the single-thread kernel (the summation order depends only on k, never on the row or column
 * range; see assembly/gemm/gemm_f64_blocked.ts), so results are bit-identical to engine.matmul / engine.gram for
 * any split: determinism does not depend on the number of threads.
 *
 * The caller blocks in Atomics.wait until the worker is done, so the API stays synchronous like engine.matmul.
 * Fallback (threads = 1, `fallbackReason` says why): no SharedArrayBuffer (browsers without cross-origin isolation),
 * no shared WebAssembly.Memory, Atomics.wait not allowed (browser main thread), or the worker failed to start.
 * The fallback runs the engine's own single-thread kernels and gives the same bits.
 */
import { Core } from "../core/core.js";
import { compileCore, type WasmSource } from "../core/loader.js";
import type { CoreExports } from "../core/exports.js";
import type { Engine } from "../engine.js";
import type { Matrix } from "../types.js";
import { InternalError, InvalidArgumentError } from "../errors.js";
import { withWorkerExecArgv } from "./node-flags.js";
import { assertInteger, assertOptions, snapshot, def } from "../validate.js";
import {
  matmulWith, matmulPlanned, planMatmul, gramWith, planGram, putFinite, throwFirstNonFinite, type MatmulOptions, type MatmulPlan,
  rescueMatmul, rescueGram, productCannotOverflow, mayHaveOverflowed, gramMayHaveOverflowed,
} from "../linalg/matmul.js";
import { gramF32With, isMatrix32, matmulF32With, type Matrix32, type MatmulOptions32 } from "../linalg/matmul_f32.js";

export interface GemmThreadsOptions {
  /** Where build/threads.wasm comes from (URL, bytes or Module). Default: next to the release binary. */
  wasm?: WasmSource;
  /** Largest shared scratch memory, bytes. Default: the engine's memory limit. */
  memoryLimit?: number;
}

/** Products below this many flops run in the calling thread only (a round trip costs ~10-50 us). */
const MIN_PARALLEL_FLOPS = 4e6;
/** Column splits are rounded to the register tile width (cosmetic: any split gives the same bits). */
const NR = 4;
/** Row splits are rounded to the register tile height (cosmetic as well). */
const MR = 4;
/**
 * Cost model of the row split (only speed depends on it, never the bits), per row of C: compute 2 n k flops at
 * ~20 GFLOP/s per thread; after posting the worker's job the caller alone also copies its rows of A in
 * (~8 GB/s) and its rows of C out (~2 GB/s: first-touch page faults of the fresh result dominate). Measured on
 * the 2-core dev machine (n = 512, 1024): the optimum split gives the caller ~47.5-49% of the rows.
 */
const FLOP_RATE = 20e9, COPY_IN_RATE = 8e9, COPY_OUT_RATE = 2e9, POST_LATENCY = 30e-6;
/** Copy-out rate into a caller's options.out (pages already mapped: no first-touch faults). */
const COPY_OUT_MAPPED_RATE = 6e9;

interface ThreadsExports {
  memory?: WebAssembly.Memory;
  heap_base(): number;
  gemm_f64_cols(transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: number, lda: number,
    b: number, ldb: number, beta: number, c: number, ldc: number, ws: number, j0: number, j1: number): number;
  gemm_f64_ws_bytes(): number;
  gemm_f64_kc(): number;
  gram_f64_cols(m: number, d: number, alpha: number, x: number, ldx: number, c: number, ldc: number, ws: number, j0: number, j1: number): number;
  gram_f64_cols_beta(m: number, d: number, alpha: number, x: number, ldx: number, beta: number, c: number, ldc: number, ws: number, j0: number, j1: number): number;
  gemm_f64_mirror_upper(d: number, c: number, ldc: number): void;
  find_nonfinite_f64(p: number, n: number): number;
  gemm_f32_cols(transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: number, lda: number,
    b: number, ldb: number, beta: number, c: number, ldc: number, ws: number, j0: number, j1: number): number;
  gemm_f32_ws_bytes(): number;
  gram_f32_cols(m: number, d: number, alpha: number, x: number, ldx: number, c: number, ldc: number, ws: number, j0: number, j1: number): number;
  sgemm_mirror_upper(d: number, c: number, ldc: number): void;
  find_nonfinite_f32(p: number, n: number): number;
  max_abs_f64(p: number, n: number): number;
}

// Worker: instantiate the module on the shared memory, then serve jobs forever.
// ctrl[0] = job sequence number (or -1 = quit), ctrl[1] = last finished job, ctrl[2] = status (1 ok, 2 trapped),
// ctrl[3] = the kernel's non-finite input flag (1 if it packed a NaN/Infinity),
// ctrl[4] = rows of op(B) the caller has copied in so far (op 3 only).
// args = [op, ...kernel arguments]; op 1 = gemm_f64_cols, op 2 = gram_f64_cols, op 5 = gemm_f32_cols,
// op 6 = gram_f32_cols.
const WORKER_SOURCE = `
function serve(d, post) {
  const ctrl = new Int32Array(d.ctrl), args = new Float64Array(d.args);
  WebAssembly.instantiate(d.module, { env: { memory: d.memory, abort: function () { throw new Error("abort"); } } }).then(function (inst) {
    const x = inst.exports;
    post({ ready: true });
    let seen = 0;
    for (;;) {
      Atomics.wait(ctrl, 0, seen);
      const seq = Atomics.load(ctrl, 0);
      if (seq < 0) return;
      seen = seq;
      let status = 1, bad = 0;
      try {
        const a = args;
        if (a[0] === 1) bad = x.gemm_f64_cols(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16]);
        else if (a[0] === 2) bad = x.gram_f64_cols(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]);
        else if (a[0] === 5) bad = x.gemm_f32_cols(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16]);
        else if (a[0] === 6) bad = x.gram_f32_cols(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]);
        else if (a[0] === 3) {
          // gemm_f64_cols over k ranges [pc, pc + kc), kc = a[15] (a multiple of GEMM_KC: same bits as one call),
          // each started once ctrl[4] says rows [0, pc + kc) of op(B) (= rows of B, transB = 0) are in memory.
          const k = a[5], kc = a[15];
          for (let pc = 0; pc < k; pc += kc) {
            const kk = Math.min(kc, k - pc);
            for (let v, spins = 0; (v = Atomics.load(ctrl, 4)) < pc + kk && spins < 600000; spins++) Atomics.wait(ctrl, 4, v, 1);
            bad |= x.gemm_f64_cols(a[1], a[2], a[3], a[4], kk, a[6], a[7] + 8 * (a[1] ? pc * a[8] : pc), a[8], a[9] + 8 * (a[2] ? pc : pc * a[10]), a[10],
              pc === 0 ? a[11] : 1, a[12], a[13], a[14], 0, a[4]);
          }
        } else if (a[0] === 4) {
          // gram_f64_cols over row ranges [pc, pc + kc) of X (kc = a[11], a multiple of GEMM_KC: same bits),
          // each started once ctrl[4] says rows [0, pc + kc) of X are in memory. [4, m, d, alpha, x, ldx, c, ldc, ws, j0, j1, kc]
          const m = a[1], kc = a[11];
          for (let pc = 0; pc < m; pc += kc) {
            const kk = Math.min(kc, m - pc);
            for (let v, spins = 0; (v = Atomics.load(ctrl, 4)) < pc + kk && spins < 600000; spins++) Atomics.wait(ctrl, 4, v, 1);
            bad |= x.gram_f64_cols_beta(kk, a[2], a[3], a[4] + 8 * pc * a[5], a[5], pc === 0 ? 0 : 1, a[6], a[7], a[8], a[9], a[10]);
          }
        }
        else status = 2;
      } catch (e) { status = 2; }
      Atomics.store(ctrl, 3, bad);
      Atomics.store(ctrl, 2, status);
      Atomics.store(ctrl, 1, seq);
      Atomics.notify(ctrl, 1);
    }
  }, function (e) { post({ error: String(e && e.message || e) }); });
}
if (typeof self === "undefined" || typeof self.postMessage !== "function" || typeof require === "function") {
  const wt = require("node:worker_threads");
  serve(wt.workerData, function (m) { wt.parentPort.postMessage(m); });
} else {
  self.onmessage = function (ev) { serve(ev.data, function (m) { self.postMessage(m); }); };
}
`;

interface WorkerHandle {
  terminate(): Promise<unknown> | void;
}

function isNode(): boolean {
  return typeof process !== "undefined" && !!process.versions?.node;
}

async function startWorker(init: { module: WebAssembly.Module; memory: WebAssembly.Memory; ctrl: SharedArrayBuffer; args: SharedArrayBuffer }): Promise<WorkerHandle> {
  if (isNode()) {
    const wtSpec = "node:worker_threads"; // in a variable: browser bundlers must not try to resolve it
    const wt: typeof import("node:worker_threads") = await import(/* @vite-ignore */ /* webpackIgnore: true */ wtSpec);
    // Only the flags a worker can take (a parent's --input-type=module would make this CommonJS source fail).
    const w = withWorkerExecArgv((execArgv) => new wt.Worker(WORKER_SOURCE, { eval: true, workerData: init, execArgv }));
    await new Promise<void>((resolve, reject) => {
      w.once("message", (m: { ready?: boolean; error?: string }) => (m.ready ? resolve() : reject(new Error(m.error))));
      w.once("error", reject);
      w.once("exit", (code) => reject(new Error(`worker exited with code ${code}`)));
    });
    w.removeAllListeners("exit");
    w.unref(); // an idle worker (blocked in Atomics.wait) must not keep the process alive
    return w;
  }
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
  const w = new Worker(url);
  await new Promise<void>((resolve, reject) => {
    w.onmessage = (ev: MessageEvent) => (ev.data?.ready ? resolve() : reject(new Error(ev.data?.error)));
    w.onerror = (ev) => reject(new Error(ev.message));
    w.postMessage(init);
  });
  URL.revokeObjectURL(url);
  return w;
}

/** A 2-thread GEMM/Gram context. Create with createGemmThreads(engine); call close() when done. */
export class GemmThreads {
  /** 2 when the shared-memory path is active, 1 in fallback mode. */
  readonly threads: 1 | 2;
  /** Why the 2-thread path is not active (undefined when it is). */
  readonly fallbackReason: string | undefined;
  private readonly engine: Engine;
  private readonly core?: Core;
  private readonly tx?: ThreadsExports;
  private readonly worker?: WorkerHandle;
  private readonly ctrl?: Int32Array;
  private readonly args?: Float64Array;
  private readonly ws0: number;
  private readonly ws1: number;
  /** GEMM_KC of threads.wasm (k ranges of the worker's job start at its multiples). */
  private readonly kc: number;
  private seq = 0;
  private closed = false;

  /** @internal use createGemmThreads */
  constructor(engine: Engine, parts?: { core: Core; tx: ThreadsExports; worker: WorkerHandle; ctrl: Int32Array; args: Float64Array; ws0: number; ws1: number }, reason?: string) {
    this.engine = engine;
    this.threads = parts ? 2 : 1;
    this.fallbackReason = parts ? undefined : reason;
    this.core = parts?.core;
    this.tx = parts?.tx;
    this.worker = parts?.worker;
    this.ctrl = parts?.ctrl;
    this.args = parts?.args;
    this.ws0 = parts?.ws0 ?? 0;
    this.ws1 = parts?.ws1 ?? 0;
    this.kc = parts?.tx.gemm_f64_kc() ?? 0;
  }

  /**
   * Same contract, options, errors and bits as engine.matmul (C = alpha op(A) op(B) + beta C0), with C's columns
   * split between two threads. Accuracy: gamma_k |alpha| sum_p |a_ip||b_pj| per entry, as engine.matmul.
   */
  matmul(A: Matrix32, B: Matrix32, options?: MatmulOptions32): Matrix32;
  matmul(A: Matrix, B: Matrix, options?: MatmulOptions): Matrix;
  matmul(A: Matrix | Matrix32, B: Matrix | Matrix32, options?: MatmulOptions | MatmulOptions32): Matrix | Matrix32 {
    this.checkOpen();
    if (!this.core) return this.engine.matmul(A as Matrix, B as Matrix, options as MatmulOptions); // float32 too: same bits
    // Read every user property once (getters, proxies), validate and compute on that snapshot; `out` is returned as
    // the caller's own object.
    const A0 = snapshot(A, "A"), B0 = snapshot(B, "B"), o0 = snapshot(options, "options");
    if (isMatrix32(A0) || isMatrix32(B0)) return this.matmul32(A0, B0, o0 as MatmulOptions32);
    const [Am, Bm] = [A0 as Matrix, B0 as Matrix];
    const plan = planMatmul(Am, Bm, o0 as MatmulOptions);
    const { m, n, k, alpha } = plan;
    if (alpha !== 0 && 2 * m * n * k >= MIN_PARALLEL_FLOPS && m >= 8 * MR) return this.matmulRows(Am, Bm, plan);
    const tx = this.tx!;
    return matmulPlanned(this.core, Am, Bm, plan, (tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
      if (2 * m * n * k < MIN_PARALLEL_FLOPS || n < 2 * NR) {
        return tx.gemm_f64_cols(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, this.ws0, 0, n);
      }
      const j = Math.max(NR, Math.min(n - NR, Math.round(n / 2 / NR) * NR));
      this.post([1, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, this.ws1, j, n]);
      let bad = 0;
      try {
        bad = tx.gemm_f64_cols(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, this.ws0, 0, j);
      } finally {
        bad |= this.join(); // never release the arena while the worker still writes into it
      }
      return bad;
    });
  }

  /**
   * float32 (engine.matmul's float32 contract and bits): C's columns split between the two threads, each running
   * gemm_f32_cols on its range with its own workspace (an entry's arithmetic does not depend on the columns a thread
   * gets, so the bits equal engine.matmul's for any split). No copy overlap (simpler than the float64 row split).
   */
  private readonly matmul32 = (A: unknown, B: unknown, options: MatmulOptions32 | undefined): Matrix32 => {
    if (!this.core) return this.engine.matmul(A as Matrix32, B as Matrix32, options);
    const tx = this.tx!, NR32 = 8;
    return matmulF32With(this.core, A, B, options, (tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
      if (2 * m * n * k < MIN_PARALLEL_FLOPS || n < 2 * NR32) return tx.gemm_f32_cols(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, this.ws0, 0, n);
      const j = Math.max(NR32, Math.min(n - NR32, Math.round(n / 2 / NR32) * NR32));
      this.post([5, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, this.ws1, j, n]);
      let bad = 0;
      try {
        bad = tx.gemm_f32_cols(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, this.ws0, 0, j);
      } finally {
        bad |= this.join(); // never release the arena while the worker still writes into it
      }
      return bad;
    });
  };

  /**
   * float32 Gram (engine.gram's float32 contract and bits): the upper-triangle columns split where each thread has
   * about half of the tile work, each thread running gram_f32_cols on its range with its own workspace (an entry's
   * arithmetic does not depend on the columns a thread gets), then mirrored.
   */
  private readonly gram32 = (X: Matrix32): Matrix32 => {
    const tx = this.tx!, NR32 = 8;
    return gramF32With(this.core!, X, (m, d, alpha, x, ldx, c, ldc) => {
      let bad = 0;
      if (m * d * d < MIN_PARALLEL_FLOPS || d < 2 * NR32) {
        bad = tx.gram_f32_cols(m, d, alpha, x, ldx, c, ldc, this.ws0, 0, d);
      } else {
        // Upper-triangle work up to column j grows like j^2 / 2: columns [0, d / sqrt 2) hold half of it.
        const j = Math.max(NR32, Math.min(d - NR32, Math.round(d / Math.SQRT2 / NR32) * NR32));
        this.post([6, m, d, alpha, x, ldx, c, ldc, this.ws1, j, d]);
        try {
          bad = tx.gram_f32_cols(m, d, alpha, x, ldx, c, ldc, this.ws0, 0, j);
        } finally {
          bad |= this.join(); // never release the arena while the worker still writes into it
        }
      }
      tx.sgemm_mirror_upper(d, c, ldc);
      return bad;
    });
  };

  /**
   * Row split with the copies overlapped: rows [0, i1) of C in the caller, [i1, m) in the worker (each entry's
   * arithmetic does not depend on the rows a thread gets, so the bits are those of engine.matmul). The worker
   * starts as soon as its rows of op(A) and the first KC rows of op(B) are in WASM memory (op(B) = B; all of B
   * otherwise) and runs its k blocks as the caller copies the rest of B in (ctrl[4]; k ranges starting at
   * multiples of KC give the same bits, see gemm_f64_kc); the caller then copies its rows of A, computes, and
   * copies its rows of C out while the worker still computes; only the worker's rows are copied after the join.
   * The caller gets fewer rows to pay for its copies (cost model above). Measured effect of the gating: 1-3%.
   * Finiteness: each thread packs all of op(B) and its rows of op(A), so the two flags cover both inputs.
   * options.out must stay untouched when an error is thrown: the early copy into it needs every input known to
   * be finite before the join, so the caller also scans the worker's rows of A (op(A) = A only; with op(A) = A^T
   * the copy into options.out waits for the join and the cost model gives the caller no copy-out).
   * (An instance property, not a prototype method: it is private and the API audit lists prototype methods.)
   */
  private readonly matmulRows = (A: Matrix, B: Matrix, plan: MatmulPlan): Matrix => {
    const { transA, transB, m, n, k, alpha, beta, C, out } = plan;
    const tx = this.tx!, core = this.core!;
    const tA = transA ? 1 : 0, tB = transB ? 1 : 0, lda = A.cols, ldb = B.cols;
    // Balance (both start once B is in): caller copy-in + compute + copy-out of i1 rows == post latency + worker
    // compute of m - i1 rows. The worker's rows are copied out after the join (the remaining serial tail).
    const early = out === undefined || !transA; // the caller may copy its rows out before the join
    const comp = (2 * n * k) / FLOP_RATE, cin = transA ? 0 : (8 * k) / COPY_IN_RATE;
    const cout = early ? (8 * n) / (out === undefined ? COPY_OUT_RATE : COPY_OUT_MAPPED_RATE) : 0;
    const i1 = Math.max(MR, Math.min(m - MR, Math.round((POST_LATENCY + comp * m) / (cin + 2 * comp + cout) / MR) * MR));
    // op(B) = B: the worker starts once the first KC rows of B are in and the caller copies the rest meanwhile.
    const kc = this.kc, gate = !transB && k > kc;
    const ctrl = this.ctrl!;
    return core.scope((ar) => {
      const pC = C !== undefined ? putFinite(core, ar, "options.C.data", C.data) : ar.allocF64(m * n);
      // (options.out with an early copy only) max|C| now, before the worker writes into pC.
      const maxC = C !== undefined && out !== undefined && early ? tx.max_abs_f64(pC, m * n) : 0;
      const pB = ar.allocF64(B.data.length);
      const pA = ar.allocF64(A.data.length);
      // op(A) rows [i1, m): rows of A (contiguous tail) when not transposed, else all of A is needed.
      const aSplit = transA ? 0 : i1 * k;
      ar.f64(pA + 8 * aSplit, A.data.length - aSplit).set(aSplit === 0 ? A.data : A.data.subarray(aSplit));
      const bFirst = gate ? kc * ldb : B.data.length;
      ar.f64(pB, bFirst).set(gate ? B.data.subarray(0, bFirst) : B.data);
      Atomics.store(ctrl, 4, gate ? kc : k);
      const aW = pA + 8 * (transA ? i1 : i1 * lda), cW = pC + 8 * i1 * n;
      this.post([3, tA, tB, m - i1, n, k, alpha, aW, lda, pB, ldb, beta, cW, n, this.ws1, gate ? kc : k]);
      let bad = 0, data: Float64Array | undefined, noOverflow = false;
      try {
        for (let r = kc; gate && r < k; r += kc) {
          const e = Math.min(k, r + kc);
          ar.f64(pB + 8 * r * ldb, (e - r) * ldb).set(B.data.subarray(r * ldb, e * ldb));
          Atomics.store(ctrl, 4, e);
          Atomics.notify(ctrl, 4);
        }
        if (aSplit > 0) ar.f64(pA, aSplit).set(A.data.subarray(0, aSplit));
        // options.out: our flag covers op(B) and A[0:i1); scan A[i1:m) too before writing into it early. And since
        // an overflow is only seen after the join, require that none is possible: |alpha| k max|A| max|B| +
        // |beta| max|C| bounds every entry and partial sum (otherwise out is written after the join). A fresh
        // result array needs neither: rows rescued after the join are copied again.
        const clean = out === undefined || (early && tx.find_nonfinite_f64(aW, (m - i1) * k) < 0
          && (noOverflow = productCannotOverflow(alpha, k, tx.max_abs_f64(pA, A.data.length), tx.max_abs_f64(pB, B.data.length), beta, maxC)));
        bad = tx.gemm_f64_cols(tA, tB, i1, n, k, alpha, pA, lda, pB, ldb, beta, pC, n, this.ws0, 0, n);
        // Copy our rows out while the worker computes.
        if (bad === 0 && clean) {
          data = out === undefined ? new Float64Array(m * n) : out.data;
          data.set(ar.f64(pC, i1 * n));
        }
      } finally {
        Atomics.store(ctrl, 4, k); // (only matters if a copy above threw: never leave the worker waiting)
        Atomics.notify(ctrl, 4);
        bad |= this.join(); // never release the arena while the worker still writes into it
      }
      if (bad !== 0) throwFirstNonFinite(core, [["A.data", pA, A.data], ["B.data", pB, B.data]]);
      // Overflow of finite inputs: recompute the entries hit from scaled inputs or throw OverflowError (matmul.ts).
      if (!noOverflow && mayHaveOverflowed(core, plan, pA, A.data.length, pB, B.data.length, pC)) {
        rescueMatmul(core, ar, A, B, plan, pC, (tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) =>
          tx.gemm_f64_cols(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, this.ws0, 0, n));
        if (data !== undefined) data.set(ar.f64(pC, i1 * n)); // (a fresh array: our early rows may have been rescued)
      }
      if (data === undefined) {
        data = out === undefined ? new Float64Array(m * n) : out.data;
        data.set(ar.f64(pC, i1 * n));
      }
      data.set(ar.f64(cW, (m - i1) * n), i1 * n);
      return plan.result ?? out ?? { rows: m, cols: n, data };
    });
  };

  /** Same contract and bits as engine.gram (G = X^T X, exactly symmetric), upper-triangle work split in two halves. */
  gram(X: Matrix32): Matrix32;
  gram(X: Matrix): Matrix;
  gram(X: Matrix | Matrix32): Matrix | Matrix32 {
    this.checkOpen();
    if (!this.core) return this.engine.gram(X as Matrix);
    const X0 = snapshot(X, "X");
    if (isMatrix32(X0)) return this.gram32(X0);
    X = X0 as Matrix;
    const { m, d } = planGram(X);
    if (m * d * d >= MIN_PARALLEL_FLOPS && d >= 2 * NR && m > this.kc) return this.gramRows(X, m, d);
    const tx = this.tx!;
    return gramWith(this.core, X, (m, d, alpha, x, ldx, c, ldc) => {
      let bad = 0;
      if (m * d * d < MIN_PARALLEL_FLOPS || d < 2 * NR) {
        bad = tx.gram_f64_cols(m, d, alpha, x, ldx, c, ldc, this.ws0, 0, d);
      } else {
        // Upper-triangle work up to column j grows like j^2 / 2: columns [0, d / sqrt 2) hold half of it.
        const j = Math.max(NR, Math.min(d - NR, Math.round(d / Math.SQRT2 / NR) * NR));
        this.post([2, m, d, alpha, x, ldx, c, ldc, this.ws1, j, d]);
        try {
          bad = tx.gram_f64_cols(m, d, alpha, x, ldx, c, ldc, this.ws0, 0, j);
        } finally {
          bad |= this.join();
        }
      }
      tx.gemm_f64_mirror_upper(d, c, ldc);
      return bad;
    });
  }

  /**
   * Gram with the copy of X overlapped: the worker starts on the upper-triangle tiles of columns [j, d) once the
   * first KC rows of X are in WASM memory and follows the caller's copy of the rest (ctrl[4], row ranges starting
   * at multiples of KC: same bits as one call, see gram_f64_cols_beta); the caller then computes columns [0, j).
   * Work up to column j grows like j^2, and the caller first spends ~copy time on X, so it gets the fraction
   * f = 1/2 - copy / (2 * compute) of the work: j = d sqrt(f). Only speed depends on j, never the bits.
   */
  private readonly gramRows = (X: Matrix, m: number, d: number): Matrix => {
    const tx = this.tx!, core = this.core!, ctrl = this.ctrl!, kc = this.kc;
    const copy = (8 * m * d) / COPY_IN_RATE, compute = (m * d * d) / FLOP_RATE;
    const f = Math.max(0.1, 0.5 - copy / (2 * compute));
    const j = Math.max(NR, Math.min(d - NR, Math.round((d * Math.sqrt(f)) / NR) * NR));
    return core.scope((ar) => {
      const pG = ar.allocF64(d * d), pX = ar.allocF64(m * d);
      ar.f64(pX, kc * d).set(X.data.subarray(0, kc * d));
      Atomics.store(ctrl, 4, kc);
      this.post([4, m, d, 1, pX, d, pG, d, this.ws1, j, d, kc]);
      let bad = 0;
      try {
        for (let r = kc; r < m; r += kc) {
          const e = Math.min(m, r + kc);
          ar.f64(pX + 8 * r * d, (e - r) * d).set(X.data.subarray(r * d, e * d));
          Atomics.store(ctrl, 4, e);
          Atomics.notify(ctrl, 4);
        }
        bad = tx.gram_f64_cols(m, d, 1, pX, d, pG, d, this.ws0, 0, j);
      } finally {
        Atomics.store(ctrl, 4, m); // (only matters if a copy above threw: never leave the worker waiting)
        Atomics.notify(ctrl, 4);
        bad |= this.join();
      }
      // Both threads pack all rows of X for their columns: the flags cover every entry.
      if (bad !== 0) throwFirstNonFinite(core, [["X.data", pX, X.data]]);
      tx.gemm_f64_mirror_upper(d, pG, d);
      if (gramMayHaveOverflowed(core, m, d, pX, pG)) {
        rescueGram(core, ar, X, pG, (m, d, alpha, x, ldx, c, ldc) => {
          const b = tx.gram_f64_cols(m, d, alpha, x, ldx, c, ldc, this.ws0, 0, d);
          tx.gemm_f64_mirror_upper(d, c, ldc);
          return b;
        });
      }
      return { rows: d, cols: d, data: ar.take(pG, d * d) };
    });
  };

  /** Stop the worker. Later calls throw. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ctrl) {
      Atomics.store(this.ctrl, 0, -1);
      Atomics.notify(this.ctrl, 0);
    }
    await this.worker?.terminate();
  }

  private checkOpen(): void {
    if (this.closed) throw new InternalError("GemmThreads used after close()");
  }

  private post(a: number[]): void {
    const ctrl = this.ctrl!;
    this.args!.set(a);
    Atomics.store(ctrl, 2, 0);
    Atomics.store(ctrl, 0, ++this.seq);
    Atomics.notify(ctrl, 0);
  }

  /** Wait for the worker's job; returns its non-finite input flag (ctrl[3]). */
  private join(): number {
    const ctrl = this.ctrl!;
    // Bounded wait (an iteration cap, not a hang): 10 minutes is far beyond any product that fits in 4 GiB.
    for (let spins = 0; Atomics.load(ctrl, 1) !== this.seq; spins++) {
      if (spins > 600) throw new InternalError("GEMM worker did not finish within 10 minutes");
      Atomics.wait(ctrl, 1, this.seq - 1, 1000);
    }
    if (Atomics.load(ctrl, 2) !== 1) throw new InternalError("GEMM worker trapped");
    return Atomics.load(ctrl, 3);
  }
}

/**
 * The `engine` argument: an Engine from createEngine() (what the fallback path and the default memory limit use:
 * matmul, gram and core.arena.limit). Duck-typed so that engines from another copy of the module still pass.
 */
function assertEngineLike(engine: unknown): asserts engine is Engine {
  const e = engine as { matmul?: unknown; gram?: unknown; core?: { scope?: unknown; x?: unknown; arena?: { limit?: unknown } } } | null;
  const core = typeof e === "object" && e !== null ? e.core : undefined;
  if (typeof e !== "object" || e === null || typeof e.matmul !== "function" || typeof e.gram !== "function"
    || typeof core !== "object" || core === null || typeof core.scope !== "function" || typeof core.x !== "object"
    || typeof core.arena !== "object" || core.arena === null || typeof core.arena.limit !== "number") {
    throw new InvalidArgumentError("engine", "an Engine from createEngine()", engine);
  }
}

/**
 * Create a 2-thread GEMM context next to `engine` (async: compiles build/threads.wasm and starts one worker).
 * Falls back cleanly to single-thread (threads = 1, same results) when shared memory or blocking waits are not
 * available; never rejects for that reason. Rejects with InvalidArgumentError for a bad `engine` ("engine") or
 * options ("options", "options.memoryLimit"). Determinism: bit-identical to engine.matmul / engine.gram.
 */
export async function createGemmThreads(engine: Engine, options?: GemmThreadsOptions): Promise<GemmThreads> {
  options = snapshot(options, "options", true);
  // Inside the async function: bad arguments reject the promise, they never throw synchronously.
  assertEngineLike(engine);
  assertOptions("options", options);
  const limit = def(options?.memoryLimit, engine.core.arena.limit);
  assertInteger("options.memoryLimit", limit, 65536, 2 ** 32 - 65536);
  const fallback = (reason: string) => new GemmThreads(engine, undefined, reason);
  if (typeof SharedArrayBuffer === "undefined") return fallback("SharedArrayBuffer is not available (browsers need cross-origin isolation)");
  if (!isNode() && typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === "undefined") {
    return fallback("Atomics.wait is not allowed on the browser main thread; use it inside a Web Worker");
  }
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
  } catch (e) {
    return fallback(`shared WebAssembly.Memory unavailable: ${(e as Error).message}`);
  }
  let module: WebAssembly.Module, tx: ThreadsExports;
  try {
    module = await compileCore(def(options?.wasm, new URL("../../build/threads.wasm", import.meta.url)));
    const inst = await WebAssembly.instantiate(module, { env: { memory, abort: () => { throw new Error("abort"); } } });
    tx = inst.exports as unknown as ThreadsExports;
  } catch (e) {
    return fallback(`threads.wasm could not be loaded: ${(e as Error).message}`);
  }
  const core = new Core(tx as unknown as CoreExports, limit, memory);
  const wsBytes = Math.max(tx.gemm_f64_ws_bytes(), tx.gemm_f32_ws_bytes?.() ?? 0); // one workspace serves both dtypes
  const ws0 = core.arena.alloc(wsBytes), ws1 = core.arena.alloc(wsBytes); // held for the context's lifetime
  const ctrlBuf = new SharedArrayBuffer(32), argsBuf = new SharedArrayBuffer(8 * 20);
  let worker: WorkerHandle;
  try {
    worker = await startWorker({ module, memory, ctrl: ctrlBuf, args: argsBuf });
  } catch (e) {
    return fallback(`worker failed to start: ${(e as Error).message}`);
  }
  return new GemmThreads(engine, { core, tx, worker, ctrl: new Int32Array(ctrlBuf), args: new Float64Array(argsBuf), ws0, ws1 });
}
