/**
 * Bit-neutral GEMM tuning: the height MC of the packed A block and the micro-kernel (4 x 4 tile with the k loop
 * unrolled by 8, 4 or not at all, or a 6 x 4 tile). Every kernel packs A in micro-panels of its own tile height but
 * computes each entry with the same operation order, and MC only decides how rows are grouped into blocks, so no choice changes a result bit (tested on the odd-size grid). Which
 * choice is fastest depends on the CPU (L2 size, front end) and on the V8 version, so by default the engine measures
 * it once, on its first product of at least 256^3 multiply-adds: each kernel at MC 96, then MC 48, 96 and 192 for the
 * fastest kernel (7 candidates x 4 runs of a 256^3 product in the engine's own memory, about 40 ms on a 20 GFLOP/s
 * core), keeping the fastest. createEngine's `gemmTuning` option fixes a choice instead ("default" or { mc, kernel }).
 */
import type { Core } from "../core/core.js";
import { InvalidArgumentError } from "../errors.js";

export const GEMM_KERNELS = ["unroll8", "unroll4", "unroll1", "tile6x4"] as const;
export type GemmKernelName = (typeof GEMM_KERNELS)[number];

export interface GemmTuning {
  /** Rows of op(A) packed per block (a multiple of 4, 4..192). */
  mc: number;
  /** Micro-kernel variant. */
  kernel: GemmKernelName;
  /** Where the choice came from. */
  source: "default" | "option" | "calibrated";
  /** Wall time of the calibration, when it ran. */
  calibrationMs?: number;
}

/** createEngine's `gemmTuning`: "auto" (default: calibrate on the first large product), "default", or a fixed choice. */
export type GemmTuningOption = "auto" | "default" | { mc: number; kernel: GemmKernelName };

const CANDIDATE_MC = [48, 96, 192];
/** Products at least this many multiply-adds (m n k) trigger the one-time calibration under "auto". */
export const CALIBRATE_AT = 256 ** 3;

interface TuneExports {
  gemm_f64_tune(mc: number, kernel: number): number;
  gemm_f64(transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: number, lda: number,
    b: number, ldb: number, beta: number, c: number, ldc: number): void;
}

export function validateTuningOption(v: unknown): GemmTuningOption {
  if (v === undefined || v === "auto" || v === "default") return (v ?? "auto") as GemmTuningOption;
  const rule = '"auto", "default" or { mc: a multiple of 4 in 4..192, kernel: "unroll8" | "unroll4" | "unroll1" | "tile6x4" }';
  if (v === null || typeof v !== "object") throw new InvalidArgumentError("options.gemmTuning", rule, v);
  const { mc, kernel } = v as { mc: unknown; kernel: unknown };
  if (typeof mc !== "number" || !Number.isInteger(mc) || mc < 4 || mc > 192 || mc % 4 !== 0) {
    throw new InvalidArgumentError("options.gemmTuning.mc", "a multiple of 4 in 4..192", mc);
  }
  if (!GEMM_KERNELS.includes(kernel as GemmKernelName)) {
    throw new InvalidArgumentError("options.gemmTuning.kernel", '"unroll8", "unroll4", "unroll1" or "tile6x4"', kernel);
  }
  return { mc, kernel: kernel as GemmKernelName };
}

export function applyTuning(core: Core, mc: number, kernel: GemmKernelName): void {
  const x = core.x as unknown as TuneExports;
  if (x.gemm_f64_tune(mc, GEMM_KERNELS.indexOf(kernel)) !== 1) throw new InvalidArgumentError("gemmTuning", "a supported choice", { mc, kernel });
}

/**
 * Best wall time of `run(c)` for each of `count` candidates: one warm-up run each (lets V8 tier up), then `reps`
 * interleaved rounds over all candidates, so a burst of load on a shared machine hits every candidate alike.
 */
function fastestTimes(count: number, reps: number, run: (candidate: number) => void): number[] {
  const t = new Array<number>(count).fill(Infinity);
  for (let c = 0; c < count; c++) run(c);
  for (let r = 0; r < reps; r++) {
    for (let c = 0; c < count; c++) {
      const s = performance.now();
      run(c);
      t[c] = Math.min(t[c], performance.now() - s);
    }
  }
  return t;
}

/** Index of the smallest entry (the first on ties). */
function argmin(t: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < t.length; i++) if (t[i] < t[best]) best = i;
  return best;
}

/** Time every candidate on a 256^3 product in the arena and apply the fastest. */
export function calibrateGemm(core: Core): GemmTuning {
  const x = core.x as unknown as TuneExports;
  const t0 = performance.now();
  const n = 256;
  const best = core.scope((ar) => {
    const pa = ar.allocF64(n * n), pb = ar.allocF64(n * n), pc = ar.allocF64(n * n);
    const A = ar.f64(pa, 2 * n * n);
    for (let i = 0; i < A.length; i++) A[i] = ((i * 2654435761) % 2001) / 1000 - 1;
    const product = (): void => x.gemm_f64(0, 0, n, n, n, 1, pa, n, pb, n, 0, pc, n);
    // Two stages (7 timings instead of 12): every kernel at the default MC, then each MC for the fastest kernel.
    const kernel = argmin(fastestTimes(GEMM_KERNELS.length, 3, (k) => { x.gemm_f64_tune(96, k); product(); }));
    const mc = CANDIDATE_MC[argmin(fastestTimes(CANDIDATE_MC.length, 3, (c) => { x.gemm_f64_tune(CANDIDATE_MC[c], kernel); product(); }))];
    return { mc, kernel };
  });
  x.gemm_f64_tune(best.mc, best.kernel);
  return { mc: best.mc, kernel: GEMM_KERNELS[best.kernel], source: "calibrated", calibrationMs: performance.now() - t0 };
}

// ---- float32 (SGEMM): the 4 x 8 or the 6 x 8 register tile. Both compute every entry in the same order with the
// same multiply-add and MC is a multiple of both heights, so the choice never changes a result bit (tested on the
// odd-size grid in both builds). Which one is faster depends on how V8 allocates the 12 accumulators of the 6 x 8
// tile (spills or not), so "auto" times both on a 256^3 product (2 candidates x 4 runs, ~10 ms) on the first float32
// product of at least 256^3 multiply-adds and keeps the faster.

export const SGEMM_KERNELS = ["tile4x8", "tile6x8"] as const;
export type SgemmKernelName = (typeof SGEMM_KERNELS)[number];

export interface SgemmTuning {
  /** Micro-kernel (register tile) of the float32 GEMM. */
  kernel: SgemmKernelName;
  /** Where the choice came from. */
  source: "default" | "option" | "calibrated";
  /** Wall time of the calibration, when it ran. */
  calibrationMs?: number;
}

/** createEngine's `sgemmTuning`: "auto" (calibrate on the first large float32 product), "default", or { kernel }. */
export type SgemmTuningOption = "auto" | "default" | { kernel: SgemmKernelName };

interface SgemmTuneExports {
  sgemm_f32_tune(kernel: number): number;
  gemm_f32(transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: number, lda: number,
    b: number, ldb: number, beta: number, c: number, ldc: number): void;
}

export function validateSgemmTuningOption(v: unknown): SgemmTuningOption {
  if (v === undefined || v === "auto" || v === "default") return (v ?? "auto") as SgemmTuningOption;
  const rule = '"auto", "default" or { kernel: "tile4x8" | "tile6x8" }';
  if (v === null || typeof v !== "object") throw new InvalidArgumentError("options.sgemmTuning", rule, v);
  const { kernel } = v as { kernel: unknown };
  if (!SGEMM_KERNELS.includes(kernel as SgemmKernelName)) {
    throw new InvalidArgumentError("options.sgemmTuning.kernel", '"tile4x8" or "tile6x8"', kernel);
  }
  return { kernel: kernel as SgemmKernelName };
}

export function applySgemmTuning(core: Core, kernel: SgemmKernelName): void {
  const x = core.x as unknown as SgemmTuneExports;
  if (x.sgemm_f32_tune(SGEMM_KERNELS.indexOf(kernel)) !== 1) throw new InvalidArgumentError("sgemmTuning", "a supported choice", { kernel });
}

/** Time both float32 tiles on a 256^3 product in the arena (interleaved, best of 4 each) and apply the faster. */
export function calibrateSgemm(core: Core): SgemmTuning {
  const x = core.x as unknown as SgemmTuneExports;
  const t0 = performance.now();
  const n = 256;
  const best = core.scope((ar) => {
    const pa = ar.alloc(4 * n * n), pb = ar.alloc(4 * n * n), pc = ar.alloc(4 * n * n);
    const A = new Float32Array(core.x.memory.buffer, pa, 2 * n * n);
    for (let i = 0; i < A.length; i++) A[i] = ((i * 2654435761) % 2001) / 1000 - 1;
    const t = fastestTimes(SGEMM_KERNELS.length, 4, (kernel) => {
      x.sgemm_f32_tune(kernel);
      x.gemm_f32(0, 0, n, n, n, 1, pa, n, pb, n, 0, pc, n);
    });
    return argmin(t);
  });
  x.sgemm_f32_tune(best);
  return { kernel: SGEMM_KERNELS[best], source: "calibrated", calibrationMs: performance.now() - t0 };
}
