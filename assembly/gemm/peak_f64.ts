// In-process arithmetic peak: the 4 x 4 micro-kernel's arithmetic (8 f64x2 accumulators, 16 multiply-adds per step,
// the same madd as the kernel: mul + add in the default build, relaxed_madd in the FMA build) without its loads.
// Benchmarks divide kernel GFLOP/s by this rate, measured in the same process on the same host and Node version,
// so "fraction of peak" compares like with like across machines.

import { madd } from "./gemm_f64_4x4_simd";

/** Run `steps` steps of 32 flops per accumulator pair (4 flops per lane x 2 lanes x 8 accumulators x 2). Returns a checksum. */
export function peak_f64(steps: i32, seed: f64): f64 {
  const a0 = f64x2.splat(seed), a1 = f64x2.splat(seed * 0.5), a2 = f64x2.splat(seed * 0.25), a3 = f64x2.splat(seed * 0.125);
  const b0 = f64x2.splat(1e-9), b1 = f64x2.splat(-1e-9);
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let i = 0; i < steps; i++) {
    c00 = madd(c00, a0, b0); c10 = madd(c10, a1, b0); c20 = madd(c20, a2, b0); c30 = madd(c30, a3, b0);
    c01 = madd(c01, a0, b1); c11 = madd(c11, a1, b1); c21 = madd(c21, a2, b1); c31 = madd(c31, a3, b1);
    c00 = madd(c00, a1, b1); c10 = madd(c10, a2, b1); c20 = madd(c20, a3, b1); c30 = madd(c30, a0, b1);
    c01 = madd(c01, a1, b0); c11 = madd(c11, a2, b0); c21 = madd(c21, a3, b0); c31 = madd(c31, a0, b0);
  }
  const s = f64x2.add(f64x2.add(f64x2.add(c00, c01), f64x2.add(c10, c11)), f64x2.add(f64x2.add(c20, c21), f64x2.add(c30, c31)));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** Flops of one peak_f64 step: 16 multiply-adds of 2 lanes, 2 flops each. */
export function peak_f64_flops_per_step(): i32 {
  return 64;
}

/**
 * 1 if this build's madd rounds once (fused multiply-add), else 0. (1 + 2^-30)(1 - 2^-30) = 1 - 2^-60 exactly;
 * rounded to double it is 1, so acc = -1 gives -2^-60 fused and 0 unfused.
 */
export function madd_is_fused(): i32 {
  const a = f64x2.splat(1 + 9.313225746154785e-10), b = f64x2.splat(1 - 9.313225746154785e-10);
  const r = madd(f64x2.splat(-1), a, b);
  return f64x2.extract_lane(r, 0) != 0 ? 1 : 0;
}
