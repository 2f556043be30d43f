/**
 * Two-thread GEMM and Gram on WebAssembly shared memory (optional fast path of issue 2).
 *
 * build/threads.wasm (asconfig target "threads": the GEMM kernels alone, compiled with --importMemory
 * --sharedMemory) is instantiated twice on ONE shared WebAssembly.Memory: in the calling thread and in one worker
 * (Node worker_threads, or a Web Worker in browsers). A product is split by columns of C: the caller computes
 * columns [0, j) and the worker [j, n), each with its own packing workspace. Every entry of C is computed by
 * exactly the same arithmetic as in the single-thread kernel (the summation order depends only on k, never on
 * the column range; see assembly/gemm/gemm_f64_blocked.ts), so results are bit-identical to engine.matmul /
 * engine.gram for any split: determinism does not depend on the number of threads.
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
import { assertInteger, assertOptions } from "../validate.js";
import { matmulWith, gramWith, type MatmulOptions } from "../linalg/matmul.js";

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

interface ThreadsExports {
  memory?: WebAssembly.Memory;
  heap_base(): number;
  gemm_f64_cols(transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: number, lda: number,
    b: number, ldb: number, beta: number, c: number, ldc: number, ws: number, j0: number, j1: number): void;
  gemm_f64_ws_bytes(): number;
  gram_f64_cols(m: number, d: number, alpha: number, x: number, ldx: number, c: number, ldc: number, ws: number, j0: number, j1: number): void;
  gemm_f64_mirror_upper(d: number, c: number, ldc: number): void;
  find_nonfinite_f64(p: number, n: number): number;
}

// Worker: instantiate the module on the shared memory, then serve jobs forever.
// ctrl[0] = job sequence number (or -1 = quit), ctrl[1] = last finished job, ctrl[2] = status (1 ok, 2 trapped).
// args = [op, ...kernel arguments]; op 1 = gemm_f64_cols, op 2 = gram_f64_cols.
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
      let status = 1;
      try {
        const a = args;
        if (a[0] === 1) x.gemm_f64_cols(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16]);
        else if (a[0] === 2) x.gram_f64_cols(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]);
        else status = 2;
      } catch (e) { status = 2; }
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
    const wt = await import("node:worker_threads");
    const w = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: init });
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
  }

  /**
   * Same contract, options, errors and bits as engine.matmul (C = alpha op(A) op(B) + beta C0), with C's columns
   * split between two threads. Accuracy: gamma_k |alpha| sum_p |a_ip||b_pj| per entry, as engine.matmul.
   */
  matmul(A: Matrix, B: Matrix, options?: MatmulOptions): Matrix {
    this.checkOpen();
    if (!this.core) return this.engine.matmul(A, B, options);
    const tx = this.tx!;
    return matmulWith(this.core, A, B, options, (tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
      if (2 * m * n * k < MIN_PARALLEL_FLOPS || n < 2 * NR) {
        tx.gemm_f64_cols(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, this.ws0, 0, n);
        return;
      }
      const j = Math.max(NR, Math.min(n - NR, Math.round(n / 2 / NR) * NR));
      this.post([1, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, this.ws1, j, n]);
      try {
        tx.gemm_f64_cols(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, this.ws0, 0, j);
      } finally {
        this.join(); // never release the arena while the worker still writes into it
      }
    });
  }

  /** Same contract and bits as engine.gram (G = X^T X, exactly symmetric), upper-triangle work split in two halves. */
  gram(X: Matrix): Matrix {
    this.checkOpen();
    if (!this.core) return this.engine.gram(X);
    const tx = this.tx!;
    return gramWith(this.core, X, (m, d, alpha, x, ldx, c, ldc) => {
      if (m * d * d < MIN_PARALLEL_FLOPS || d < 2 * NR) {
        tx.gram_f64_cols(m, d, alpha, x, ldx, c, ldc, this.ws0, 0, d);
      } else {
        // Upper-triangle work up to column j grows like j^2 / 2: columns [0, d / sqrt 2) hold half of it.
        const j = Math.max(NR, Math.min(d - NR, Math.round(d / Math.SQRT2 / NR) * NR));
        this.post([2, m, d, alpha, x, ldx, c, ldc, this.ws1, j, d]);
        try {
          tx.gram_f64_cols(m, d, alpha, x, ldx, c, ldc, this.ws0, 0, j);
        } finally {
          this.join();
        }
      }
      tx.gemm_f64_mirror_upper(d, c, ldc);
    });
  }

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

  private join(): void {
    const ctrl = this.ctrl!;
    // Bounded wait (an iteration cap, not a hang): 10 minutes is far beyond any product that fits in 4 GiB.
    for (let spins = 0; Atomics.load(ctrl, 1) !== this.seq; spins++) {
      if (spins > 600) throw new InternalError("GEMM worker did not finish within 10 minutes");
      Atomics.wait(ctrl, 1, this.seq - 1, 1000);
    }
    if (Atomics.load(ctrl, 2) !== 1) throw new InternalError("GEMM worker trapped");
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
  // Inside the async function: bad arguments reject the promise, they never throw synchronously.
  assertEngineLike(engine);
  assertOptions("options", options);
  const limit = options?.memoryLimit ?? engine.core.arena.limit;
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
    module = await compileCore(options?.wasm ?? new URL("../../build/threads.wasm", import.meta.url));
    const inst = await WebAssembly.instantiate(module, { env: { memory, abort: () => { throw new Error("abort"); } } });
    tx = inst.exports as unknown as ThreadsExports;
  } catch (e) {
    return fallback(`threads.wasm could not be loaded: ${(e as Error).message}`);
  }
  const core = new Core(tx as unknown as CoreExports, limit, memory);
  const wsBytes = tx.gemm_f64_ws_bytes();
  const ws0 = core.arena.alloc(wsBytes), ws1 = core.arena.alloc(wsBytes); // held for the context's lifetime
  const ctrlBuf = new SharedArrayBuffer(16), argsBuf = new SharedArrayBuffer(8 * 20);
  let worker: WorkerHandle;
  try {
    worker = await startWorker({ module, memory, ctrl: ctrlBuf, args: argsBuf });
  } catch (e) {
    return fallback(`worker failed to start: ${(e as Error).message}`);
  }
  return new GemmThreads(engine, { core, tx, worker, ctrl: new Int32Array(ctrlBuf), args: new Float64Array(argsBuf), ws0, ws1 });
}
