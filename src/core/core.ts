/**
 * One instantiated WASM core: its exports and its scratch arena.
 *
 * - `x`: the core's exports, each function wrapped so that a WASM trap surfaces as InternalError naming the kernel
 *   (a trap is always a hardlearn bug: validation happens before any kernel runs), never as a bare RuntimeError.
 * - `scope`: run synchronous work with arena mark/release.
 * - `session`: run an async computation that keeps scratch across awaits. Sessions on one core run one at a time in
 *   call order; synchronous engine calls made while a session is suspended run on top of its scratch (see Arena).
 *   That makes any interleaving of async and sync calls give the same bits as running them one after another.
 */
import { Arena } from "./arena.js";
import type { CoreExports } from "./exports.js";
import { AbortError, AllocationError, HardlearnError, InternalError } from "../errors.js";
import {
  applySgemmTuning, applyTuning, calibrateGemm, calibrateSgemm, CALIBRATE_AT,
  type GemmTuning, type GemmTuningOption, type SgemmTuning, type SgemmTuningOption,
} from "../linalg/tune.js";

/** Turn anything a kernel threw into a typed error. */
function typed(e: unknown, where: string): unknown {
  if (e instanceof HardlearnError) return e;
  if (e instanceof WebAssembly.RuntimeError || (e instanceof Error && /abort|unreachable/i.test(e.message))) {
    return new InternalError(`${where}: ${e.message}`);
  }
  return e;
}

function guardExports(raw: CoreExports): CoreExports {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(raw)) {
    if (typeof v !== "function") {
      out[name] = v;
      continue;
    }
    const f = v as (...a: unknown[]) => unknown;
    out[name] = function (...a: unknown[]) {
      try {
        return f(...a);
      } catch (e) {
        throw typed(e, name);
      }
    };
  }
  return out as CoreExports;
}

/** Handle given to a session's body. */
export interface Session {
  /**
   * Yield to the event loop (a macrotask) with this session's scratch protected. Views into WASM memory must be
   * re-created afterwards: a synchronous call made meanwhile may have grown the memory.
   */
  pause(): Promise<void>;
}

export class Core {
  readonly x: CoreExports;
  readonly arena: Arena;
  /** Settles when the last queued session has finished. */
  private tail: Promise<void> = Promise.resolve();
  /** Sessions queued or running (for tests and diagnostics). */
  pending = 0;
  /** Current bit-neutral GEMM tuning (src/linalg/tune.ts). */
  gemmTuning: GemmTuning = { mc: 96, kernel: "unroll8", source: "default" };
  /** Calibrate on the first large product: off until the engine asks for it (a 2-thread core never calibrates). */
  private gemmAuto = false;
  /** Current bit-neutral float32 GEMM tile (src/linalg/tune.ts). */
  sgemmTuning: SgemmTuning = { kernel: "tile4x8", source: "default" };
  private sgemmAuto = false;

  constructor(exports: CoreExports, memoryLimitBytes: number, memory?: WebAssembly.Memory) {
    this.x = guardExports(exports);
    this.arena = new Arena(memory ?? exports.memory, exports.heap_base(), memoryLimitBytes);
  }

  /** Fix the GEMM tuning ("auto": calibrate on the first large product; see src/linalg/tune.ts). */
  setGemmTuning(option: GemmTuningOption): void {
    this.gemmAuto = option === "auto";
    if (option === "auto" || option === "default") {
      applyTuning(this, 96, "unroll8");
      this.gemmTuning = { mc: 96, kernel: "unroll8", source: "default" };
    } else {
      applyTuning(this, option.mc, option.kernel);
      this.gemmTuning = { ...option, source: "option" };
    }
  }

  /** Under "auto", calibrate once before the first product of at least CALIBRATE_AT multiply-adds. */
  tuneFor(mnk: number): void {
    if (!this.gemmAuto || mnk < CALIBRATE_AT) return;
    this.gemmAuto = false;
    try {
      this.gemmTuning = calibrateGemm(this);
    } catch (e) {
      // Not enough engine memory for the 1.5 MB calibration: keep the built-in choice (same bits either way).
      if (!(e instanceof AllocationError)) throw e;
      applyTuning(this, 96, "unroll8");
    }
  }

  /** Fix the float32 GEMM tile ("auto": calibrate on the first large float32 product; see src/linalg/tune.ts). */
  setSgemmTuning(option: SgemmTuningOption): void {
    this.sgemmAuto = option === "auto";
    const kernel = typeof option === "object" ? option.kernel : "tile4x8";
    applySgemmTuning(this, kernel);
    this.sgemmTuning = { kernel, source: typeof option === "object" ? "option" : "default" };
  }

  /** Under "auto", calibrate the float32 tile once before the first float32 product of at least CALIBRATE_AT. */
  tuneForF32(mnk: number): void {
    if (!this.sgemmAuto || mnk < CALIBRATE_AT) return;
    this.sgemmAuto = false;
    try {
      this.sgemmTuning = calibrateSgemm(this);
    } catch (e) {
      // Not enough engine memory for the 0.75 MB calibration: keep the built-in tile (same bits either way).
      if (!(e instanceof AllocationError)) throw e;
      applySgemmTuning(this, "tile4x8");
    }
  }

  /** Run `fn` with a fresh arena scope; everything allocated inside is released afterwards. */
  scope<T>(fn: (arena: Arena) => T): T {
    const mark = this.arena.mark();
    try {
      return fn(this.arena);
    } catch (e) {
      throw typed(e, "kernel");
    } finally {
      this.arena.release(mark);
    }
  }

  /**
   * Run an async computation that may keep arena scratch across `session.pause()`. Sessions run one at a time, in
   * the order they were requested; everything the body allocated is released when it settles. `signal` aborting
   * while the session waits for its turn rejects it with AbortError (`what` names the computation).
   */
  session<T>(what: string, fn: (s: Session) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const prev = this.tail;
    let done!: () => void;
    this.tail = new Promise<void>((r) => (done = r));
    this.pending++;
    const finish = () => {
      this.pending--;
      done();
    };
    const arena = this.arena;
    const body = async (): Promise<T> => {
      const mark = arena.mark();
      const s: Session = {
        pause: async () => {
          const pinned = arena.pin();
          await new Promise<void>((r) => setTimeout(r, 0));
          arena.unpin(pinned);
        },
      };
      try {
        return await fn(s);
      } catch (e) {
        throw typed(e, what);
      } finally {
        arena.release(mark);
      }
    };
    if (!signal) return prev.then(body).finally(finish);
    return new Promise<T>((resolve, reject) => {
      let started = false;
      const onAbort = () => {
        if (started) return; // the body checks its own signal
        reject(new AbortError(what));
      };
      signal.addEventListener("abort", onAbort, { once: true });
      prev.then(() => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) {
          finish();
          reject(new AbortError(what));
          return;
        }
        started = true;
        body().then(resolve, reject).finally(finish);
      });
    });
  }
}
