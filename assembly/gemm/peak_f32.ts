// In-process float32 arithmetic peak of this build on this host and V8, the float32 twin of peak_f64.ts: 12
// independent f32x4 multiply-add chains fed from an L1-resident 4 KiB buffer (so no product is loop-invariant), with
// the SGEMM micro-kernel's own multiply-add (madd32: mul + add in the default build, relaxed_madd in the FMA build).
// The benchmarks divide float32 rates by this one measured in the same run.
import { madd32 } from "./sgemm_4x8_simd";

/** Bytes of the operand buffer peak_f32 reads (any finite values). */
export function peak_f32_buffer_bytes(): i32 {
  return 4096;
}

/** Flops of one peak_f32 step: 12 multiply-adds of 4 lanes, 2 flops each. */
export function peak_f32_flops_per_step(): i32 {
  return 96;
}

/** Run `steps` steps (rounded up to a multiple of 4) over the 4 KiB operand buffer at p. Returns a checksum (keeps the work observable). */
export function peak_f32(steps: i32, p: usize): f32 {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
  let c8 = f32x4.splat(0), c9 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  // Four steps per iteration at constant offsets: the loop's own overhead (counter, mask, branch, V8's stack
  // check) is amortized over 48 multiply-adds (one step per iteration ran ~12% slower than the GEMM kernel itself).
  let a0: v128, a1: v128, a2: v128, b0: v128;
  for (let i = 0; i < steps; i += 4) {
    const q = p + ((<usize>i & 60) << 6);
    a0 = v128.load(q, 0); a1 = v128.load(q, 16); a2 = v128.load(q, 32); b0 = v128.load(q, 48);
    c0 = madd32(c0, a0, b0); c1 = madd32(c1, a1, b0); c2 = madd32(c2, a2, b0);
    c3 = madd32(c3, a0, a1); c4 = madd32(c4, a1, a2); c5 = madd32(c5, a2, a0);
    c6 = madd32(c6, a0, b0); c7 = madd32(c7, a1, b0); c8 = madd32(c8, a2, b0);
    c9 = madd32(c9, a0, a1); c10 = madd32(c10, a1, a2); c11 = madd32(c11, a2, a0);
    a0 = v128.load(q, 64); a1 = v128.load(q, 80); a2 = v128.load(q, 96); b0 = v128.load(q, 112);
    c0 = madd32(c0, a0, b0); c1 = madd32(c1, a1, b0); c2 = madd32(c2, a2, b0);
    c3 = madd32(c3, a0, a1); c4 = madd32(c4, a1, a2); c5 = madd32(c5, a2, a0);
    c6 = madd32(c6, a0, b0); c7 = madd32(c7, a1, b0); c8 = madd32(c8, a2, b0);
    c9 = madd32(c9, a0, a1); c10 = madd32(c10, a1, a2); c11 = madd32(c11, a2, a0);
    a0 = v128.load(q, 128); a1 = v128.load(q, 144); a2 = v128.load(q, 160); b0 = v128.load(q, 176);
    c0 = madd32(c0, a0, b0); c1 = madd32(c1, a1, b0); c2 = madd32(c2, a2, b0);
    c3 = madd32(c3, a0, a1); c4 = madd32(c4, a1, a2); c5 = madd32(c5, a2, a0);
    c6 = madd32(c6, a0, b0); c7 = madd32(c7, a1, b0); c8 = madd32(c8, a2, b0);
    c9 = madd32(c9, a0, a1); c10 = madd32(c10, a1, a2); c11 = madd32(c11, a2, a0);
    a0 = v128.load(q, 192); a1 = v128.load(q, 208); a2 = v128.load(q, 224); b0 = v128.load(q, 240);
    c0 = madd32(c0, a0, b0); c1 = madd32(c1, a1, b0); c2 = madd32(c2, a2, b0);
    c3 = madd32(c3, a0, a1); c4 = madd32(c4, a1, a2); c5 = madd32(c5, a2, a0);
    c6 = madd32(c6, a0, b0); c7 = madd32(c7, a1, b0); c8 = madd32(c8, a2, b0);
    c9 = madd32(c9, a0, a1); c10 = madd32(c10, a1, a2); c11 = madd32(c11, a2, a0);
  }
  const s = f32x4.add(
    f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7))),
    f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11)));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
}
