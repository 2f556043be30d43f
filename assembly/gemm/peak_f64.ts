// In-process arithmetic peak of this build on this host and V8: 12 independent f64x2 multiply-add chains (the most
// that fit V8's 16 SIMD registers with their operands), the operands loaded from a 4 KiB L1-resident buffer each
// step so no product is loop-invariant. The multiply-add is the GEMM kernel's own `madd` (mul + add in the default
// build, relaxed_madd in the FMA build). Measured here on a 2-vCPU Intel VM it runs faster than the 8-accumulator
// micro-kernel arithmetic alone (22.1 vs 16.4 GFLOP/s), i.e. it is an upper limit, not the kernel's own ceiling.
// Benchmarks divide each kernel's GFLOP/s by this rate measured in the same run, so "fraction of peak" compares like
// with like across machines and Node versions.

import { madd } from "./gemm_f64_4x4_simd";

/** Bytes of the operand buffer peak_f64 reads (any finite values). */
export function peak_f64_buffer_bytes(): i32 {
  return 4096;
}

/** Flops of one peak_f64 step: 12 multiply-adds of 2 lanes, 2 flops each. */
export function peak_f64_flops_per_step(): i32 {
  return 48;
}

/** Run `steps` steps (rounded up to a multiple of 4) over the 4 KiB operand buffer at p. Returns a checksum (keeps the work observable). */
export function peak_f64(steps: i32, p: usize): f64 {
  let c0 = f64x2.splat(0), c1 = f64x2.splat(0), c2 = f64x2.splat(0), c3 = f64x2.splat(0);
  let c4 = f64x2.splat(0), c5 = f64x2.splat(0), c6 = f64x2.splat(0), c7 = f64x2.splat(0);
  let c8 = f64x2.splat(0), c9 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  // Four steps per iteration at constant offsets: the loop's own overhead (counter, mask, branch, V8's stack
  // check) is amortized over 48 multiply-adds (one step per iteration ran ~12% slower than the GEMM kernel itself).
  let a0: v128, a1: v128, a2: v128, b0: v128;
  for (let i = 0; i < steps; i += 4) {
    const q = p + ((<usize>i & 60) << 6);
    a0 = v128.load(q, 0); a1 = v128.load(q, 16); a2 = v128.load(q, 32); b0 = v128.load(q, 48);
    c0 = madd(c0, a0, b0); c1 = madd(c1, a1, b0); c2 = madd(c2, a2, b0);
    c3 = madd(c3, a0, a1); c4 = madd(c4, a1, a2); c5 = madd(c5, a2, a0);
    c6 = madd(c6, a0, b0); c7 = madd(c7, a1, b0); c8 = madd(c8, a2, b0);
    c9 = madd(c9, a0, a1); c10 = madd(c10, a1, a2); c11 = madd(c11, a2, a0);
    a0 = v128.load(q, 64); a1 = v128.load(q, 80); a2 = v128.load(q, 96); b0 = v128.load(q, 112);
    c0 = madd(c0, a0, b0); c1 = madd(c1, a1, b0); c2 = madd(c2, a2, b0);
    c3 = madd(c3, a0, a1); c4 = madd(c4, a1, a2); c5 = madd(c5, a2, a0);
    c6 = madd(c6, a0, b0); c7 = madd(c7, a1, b0); c8 = madd(c8, a2, b0);
    c9 = madd(c9, a0, a1); c10 = madd(c10, a1, a2); c11 = madd(c11, a2, a0);
    a0 = v128.load(q, 128); a1 = v128.load(q, 144); a2 = v128.load(q, 160); b0 = v128.load(q, 176);
    c0 = madd(c0, a0, b0); c1 = madd(c1, a1, b0); c2 = madd(c2, a2, b0);
    c3 = madd(c3, a0, a1); c4 = madd(c4, a1, a2); c5 = madd(c5, a2, a0);
    c6 = madd(c6, a0, b0); c7 = madd(c7, a1, b0); c8 = madd(c8, a2, b0);
    c9 = madd(c9, a0, a1); c10 = madd(c10, a1, a2); c11 = madd(c11, a2, a0);
    a0 = v128.load(q, 192); a1 = v128.load(q, 208); a2 = v128.load(q, 224); b0 = v128.load(q, 240);
    c0 = madd(c0, a0, b0); c1 = madd(c1, a1, b0); c2 = madd(c2, a2, b0);
    c3 = madd(c3, a0, a1); c4 = madd(c4, a1, a2); c5 = madd(c5, a2, a0);
    c6 = madd(c6, a0, b0); c7 = madd(c7, a1, b0); c8 = madd(c8, a2, b0);
    c9 = madd(c9, a0, a1); c10 = madd(c10, a1, a2); c11 = madd(c11, a2, a0);
  }
  const s = f64x2.add(
    f64x2.add(f64x2.add(f64x2.add(c0, c1), f64x2.add(c2, c3)), f64x2.add(f64x2.add(c4, c5), f64x2.add(c6, c7))),
    f64x2.add(f64x2.add(c8, c9), f64x2.add(c10, c11)));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** Flops of one peak_f64_10 step: 10 multiply-adds of 2 lanes. */
export function peak_f64_10_flops_per_step(): i32 {
  return 40;
}

/**
 * The same measurement with 10 chains and 3 operands per step (13 live v128 values, 14 with mul + add's product):
 * room to spare in V8's 15 allocatable xmm registers. peak_f64's 12 chains + 4 operands need 16, which V8 13
 * (Node 24) spills in the FMA build on some hosts (measured: 10 GFLOP/s there, below the GEMM kernel itself), so
 * the peak is the better of the two. 10 chains still cover 2 pipes x 4-5 cycles of FMA latency.
 */
export function peak_f64_10(steps: i32, p: usize): f64 {
  let c0 = f64x2.splat(0), c1 = f64x2.splat(0), c2 = f64x2.splat(0), c3 = f64x2.splat(0), c4 = f64x2.splat(0);
  let c5 = f64x2.splat(0), c6 = f64x2.splat(0), c7 = f64x2.splat(0), c8 = f64x2.splat(0), c9 = f64x2.splat(0);
  let a0: v128, a1: v128, b0: v128;
  for (let i = 0; i < steps; i += 4) {
    const q = p + ((<usize>i & 60) << 6);
    a0 = v128.load(q, 0); a1 = v128.load(q, 16); b0 = v128.load(q, 32);
    c0 = madd(c0, a0, b0); c1 = madd(c1, a1, b0); c2 = madd(c2, a0, a1); c3 = madd(c3, b0, b0); c4 = madd(c4, a0, a0);
    c5 = madd(c5, a0, b0); c6 = madd(c6, a1, b0); c7 = madd(c7, a0, a1); c8 = madd(c8, b0, b0); c9 = madd(c9, a1, a1);
    a0 = v128.load(q, 64); a1 = v128.load(q, 80); b0 = v128.load(q, 96);
    c0 = madd(c0, a0, b0); c1 = madd(c1, a1, b0); c2 = madd(c2, a0, a1); c3 = madd(c3, b0, b0); c4 = madd(c4, a0, a0);
    c5 = madd(c5, a0, b0); c6 = madd(c6, a1, b0); c7 = madd(c7, a0, a1); c8 = madd(c8, b0, b0); c9 = madd(c9, a1, a1);
    a0 = v128.load(q, 128); a1 = v128.load(q, 144); b0 = v128.load(q, 160);
    c0 = madd(c0, a0, b0); c1 = madd(c1, a1, b0); c2 = madd(c2, a0, a1); c3 = madd(c3, b0, b0); c4 = madd(c4, a0, a0);
    c5 = madd(c5, a0, b0); c6 = madd(c6, a1, b0); c7 = madd(c7, a0, a1); c8 = madd(c8, b0, b0); c9 = madd(c9, a1, a1);
    a0 = v128.load(q, 192); a1 = v128.load(q, 208); b0 = v128.load(q, 224);
    c0 = madd(c0, a0, b0); c1 = madd(c1, a1, b0); c2 = madd(c2, a0, a1); c3 = madd(c3, b0, b0); c4 = madd(c4, a0, a0);
    c5 = madd(c5, a0, b0); c6 = madd(c6, a1, b0); c7 = madd(c7, a0, a1); c8 = madd(c8, b0, b0); c9 = madd(c9, a1, a1);
  }
  const s = f64x2.add(f64x2.add(f64x2.add(f64x2.add(c0, c1), f64x2.add(c2, c3)), f64x2.add(f64x2.add(c4, c5), f64x2.add(c6, c7))),
    f64x2.add(c8, c9));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
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
