/**
 * Bit-neutral GEMM tuning: the height MC of the packed A block and the micro-kernel (4 x 4 tile with the k loop
 * unrolled by 8, 4 or not at all, or a 6 x 4 tile). Every kernel packs A in micro-panels of its own tile height but
 * computes each entry with the same operation order, and MC only decides how rows are grouped into blocks, so no choice changes a result bit (tested on the odd-size grid). Which
 * choice is fastest depends on the CPU (L2 size, front end) and on the V8 version, so by default the engine measures
 * it once, on its first product of at least 256^3 multiply-adds: each kernel at MC 96, then MC 48 and 192 for the
 * fastest kernel (6 candidates x 4 runs of a 256^3 product in the engine's own memory, about 40 ms on a 20 GFLOP/s
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

/** Time every candidate on a 256^3 product in the arena and apply the fastest. */
export function calibrateGemm(core: Core): GemmTuning {
  const x = core.x as unknown as TuneExports;
  const t0 = performance.now();
  const n = 256;
  const best = core.scope((ar) => {
    const pa = ar.allocF64(n * n), pb = ar.allocF64(n * n), pc = ar.allocF64(n * n);
    const A = ar.f64(pa, 2 * n * n);
    for (let i = 0; i < A.length; i++) A[i] = ((i * 2654435761) % 2001) / 1000 - 1;
    let choice = { mc: 96, kernel: 0, t: Infinity };
    const run = (mc: number, kernel: number): void => {
      x.gemm_f64_tune(mc, kernel);
      x.gemm_f64(0, 0, n, n, n, 1, pa, n, pb, n, 0, pc, n); // warm-up (also lets V8 tier up)
      let t = Infinity;
      for (let r = 0; r < 3; r++) {
        const s = performance.now();
        x.gemm_f64(0, 0, n, n, n, 1, pa, n, pb, n, 0, pc, n);
        t = Math.min(t, performance.now() - s);
      }
      if (t < choice.t) choice = { mc, kernel, t };
    };
    // Two stages (6 candidates instead of 12): the kernel at the default MC, then MC for that kernel.
    for (let kernel = 0; kernel < GEMM_KERNELS.length; kernel++) run(96, kernel);
    const kernel = choice.kernel;
    for (const mc of CANDIDATE_MC) if (mc !== 96) run(mc, kernel);
    return choice;
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
    const t = SGEMM_KERNELS.map(() => Infinity);
    const run = (kernel: number): number => {
      x.sgemm_f32_tune(kernel);
      const s = performance.now();
      x.gemm_f32(0, 0, n, n, n, 1, pa, n, pb, n, 0, pc, n);
      return performance.now() - s;
    };
    for (let kernel = 0; kernel < t.length; kernel++) run(kernel); // warm-up (also lets V8 tier up)
    for (let r = 0; r < 4; r++) for (let kernel = 0; kernel < t.length; kernel++) t[kernel] = Math.min(t[kernel], run(kernel));
    return t[1] < t[0] ? 1 : 0;
  });
  x.sgemm_f32_tune(best);
  return { kernel: SGEMM_KERNELS[best], source: "calibrated", calibrationMs: performance.now() - t0 };
}
