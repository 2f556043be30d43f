// Register micro-kernel: f32, 4 x 8 tile, WebAssembly SIMD128 (f32x4), 8 v128 accumulators.
//
// KERNEL CONTRACT (the only layer of the SGEMM that does arithmetic on C; same shape as gemm_f64_4x4_simd.ts)
//   Operation:  C[0:4, 0:8] = alpha * (Ap * Bp) + beta * C[0:4, 0:8]
//               where Ap is a packed 4 x kc micro-panel of op(A) and Bp a packed kc x 8 micro-panel of op(B).
//   Packed layout (A column by column; each A operand is one v128.load32_splat, a broadcast load on x64/arm64):
//       pa: a[0,0] | a[1,0] | a[2,0] | a[3,0] | a[0,1] ...                   (4 * kc floats, 16 B per p)
//       pb: b[0,0..7] | b[1,0..7] | ...                                     (8 * kc floats, 32 B per p)
//   Summation order (fixed, part of the determinism contract): for each entry, in float32,
//       acc = 0; for p = 0 .. kc-1: acc = acc + a[i,p] * b[p,j]   (one f32 mul, one f32 add, no FMA; in the FMA
//       build one f32x4.relaxed_madd, fused on hosts with FMA hardware: same order, one rounding per term)
//       then C = alpha * acc (beta == 0) or C = alpha * acc + beta * C (beta != 0).
//   beta == 0: C is never read. Edge rule as for f64: partial tiles are zero-padded by the packing routines and
//   computed into a private tile, merged by the macro-kernel with the same formula (bit-identical edge entries).
//   kc >= 1; c is row-major with row stride ldc (elements); pointers need no alignment. No validation here.
// Why 4 x 8: the f64 4 x 4 tile's structure (8 accumulators, the most V8 keeps in xmm registers without spilling,
// 6 loads and 16 arithmetic instructions per step) with twice the lanes: 64 flops per step instead of 32. The k loop
// is unrolled by 8 with a break test between steps for the reason given in gemm_f64_4x4_simd.ts (keeps TurboFan
// from hoisting the loads of all steps and spilling accumulators). A was stored pre-splatted (64 B per p) before:
// the splatting loads read a packed A 4 times smaller (less L2 traffic, the A micro-panel plus the B micro-panel
// now 12 KiB instead of 24 KiB of the 32 KiB L1), measured 2-8% faster for n = 256..1024 in one interleaved run.

/**
 * acc + a * b on f32x4 lanes. Default build: one mul and one add (two roundings), the same on every host. FMA build
 * (asconfig target "fma", relaxed SIMD, createEngine({ fma: true })): f32x4.relaxed_madd, one rounding on hosts that
 * fuse; the summation order is unchanged (as madd in gemm_f64_4x4_simd.ts).
 */
// @ts-ignore: decorator
@inline export function madd32(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

export function sgemm_4x8_simd(kc: i32, pa: usize, pb: usize, alpha: f32, beta: f32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // Invariant: at the top of the loop, cij holds sum_{q<p} a[i,q] * b[q, 4j..4j+3] in order q = 0..p-1, where
  // p = kc - left; pa and pb point at step p. Step p + 0 runs unconditionally, hence kc >= 1.
  let left = kc;
  while (true) {
    { // step p + 0
      const a0 = v128.load32_splat(pa, 0), a1 = v128.load32_splat(pa, 4), b0 = v128.load(pb, 0);
      c00 = madd32(c00, a0, b0); c10 = madd32(c10, a1, b0);
      const a2 = v128.load32_splat(pa, 8), a3 = v128.load32_splat(pa, 12);
      c20 = madd32(c20, a2, b0); c30 = madd32(c30, a3, b0);
      const b1 = v128.load(pb, 16);
      c01 = madd32(c01, a0, b1); c11 = madd32(c11, a1, b1);
      c21 = madd32(c21, a2, b1); c31 = madd32(c31, a3, b1);
    }
    if (left <= 1) break;
    { // step p + 1
      const a0 = v128.load32_splat(pa, 16), a1 = v128.load32_splat(pa, 20), b0 = v128.load(pb, 32);
      c00 = madd32(c00, a0, b0); c10 = madd32(c10, a1, b0);
      const a2 = v128.load32_splat(pa, 24), a3 = v128.load32_splat(pa, 28);
      c20 = madd32(c20, a2, b0); c30 = madd32(c30, a3, b0);
      const b1 = v128.load(pb, 48);
      c01 = madd32(c01, a0, b1); c11 = madd32(c11, a1, b1);
      c21 = madd32(c21, a2, b1); c31 = madd32(c31, a3, b1);
    }
    if (left <= 2) break;
    { // step p + 2
      const a0 = v128.load32_splat(pa, 32), a1 = v128.load32_splat(pa, 36), b0 = v128.load(pb, 64);
      c00 = madd32(c00, a0, b0); c10 = madd32(c10, a1, b0);
      const a2 = v128.load32_splat(pa, 40), a3 = v128.load32_splat(pa, 44);
      c20 = madd32(c20, a2, b0); c30 = madd32(c30, a3, b0);
      const b1 = v128.load(pb, 80);
      c01 = madd32(c01, a0, b1); c11 = madd32(c11, a1, b1);
      c21 = madd32(c21, a2, b1); c31 = madd32(c31, a3, b1);
    }
    if (left <= 3) break;
    { // step p + 3
      const a0 = v128.load32_splat(pa, 48), a1 = v128.load32_splat(pa, 52), b0 = v128.load(pb, 96);
      c00 = madd32(c00, a0, b0); c10 = madd32(c10, a1, b0);
      const a2 = v128.load32_splat(pa, 56), a3 = v128.load32_splat(pa, 60);
      c20 = madd32(c20, a2, b0); c30 = madd32(c30, a3, b0);
      const b1 = v128.load(pb, 112);
      c01 = madd32(c01, a0, b1); c11 = madd32(c11, a1, b1);
      c21 = madd32(c21, a2, b1); c31 = madd32(c31, a3, b1);
    }
    if (left <= 4) break;
    { // step p + 4
      const a0 = v128.load32_splat(pa, 64), a1 = v128.load32_splat(pa, 68), b0 = v128.load(pb, 128);
      c00 = madd32(c00, a0, b0); c10 = madd32(c10, a1, b0);
      const a2 = v128.load32_splat(pa, 72), a3 = v128.load32_splat(pa, 76);
      c20 = madd32(c20, a2, b0); c30 = madd32(c30, a3, b0);
      const b1 = v128.load(pb, 144);
      c01 = madd32(c01, a0, b1); c11 = madd32(c11, a1, b1);
      c21 = madd32(c21, a2, b1); c31 = madd32(c31, a3, b1);
    }
    if (left <= 5) break;
    { // step p + 5
      const a0 = v128.load32_splat(pa, 80), a1 = v128.load32_splat(pa, 84), b0 = v128.load(pb, 160);
      c00 = madd32(c00, a0, b0); c10 = madd32(c10, a1, b0);
      const a2 = v128.load32_splat(pa, 88), a3 = v128.load32_splat(pa, 92);
      c20 = madd32(c20, a2, b0); c30 = madd32(c30, a3, b0);
      const b1 = v128.load(pb, 176);
      c01 = madd32(c01, a0, b1); c11 = madd32(c11, a1, b1);
      c21 = madd32(c21, a2, b1); c31 = madd32(c31, a3, b1);
    }
    if (left <= 6) break;
    { // step p + 6
      const a0 = v128.load32_splat(pa, 96), a1 = v128.load32_splat(pa, 100), b0 = v128.load(pb, 192);
      c00 = madd32(c00, a0, b0); c10 = madd32(c10, a1, b0);
      const a2 = v128.load32_splat(pa, 104), a3 = v128.load32_splat(pa, 108);
      c20 = madd32(c20, a2, b0); c30 = madd32(c30, a3, b0);
      const b1 = v128.load(pb, 208);
      c01 = madd32(c01, a0, b1); c11 = madd32(c11, a1, b1);
      c21 = madd32(c21, a2, b1); c31 = madd32(c31, a3, b1);
    }
    if (left <= 7) break;
    { // step p + 7
      const a0 = v128.load32_splat(pa, 112), a1 = v128.load32_splat(pa, 116), b0 = v128.load(pb, 224);
      c00 = madd32(c00, a0, b0); c10 = madd32(c10, a1, b0);
      const a2 = v128.load32_splat(pa, 120), a3 = v128.load32_splat(pa, 124);
      c20 = madd32(c20, a2, b0); c30 = madd32(c30, a3, b0);
      const b1 = v128.load(pb, 240);
      c01 = madd32(c01, a0, b1); c11 = madd32(c11, a1, b1);
      c21 = madd32(c21, a2, b1); c31 = madd32(c31, a3, b1);
    }
    left -= 8;
    if (left <= 0) break;
    pa += 128;
    pb += 256;
  }
  const va = f32x4.splat(alpha);
  const rs = <usize>ldc << 2;
  const c0 = c, c1 = c + rs, c2 = c1 + rs, c3 = c2 + rs;
  if (beta == 0) {
    v128.store(c0, f32x4.mul(va, c00)); v128.store(c0, f32x4.mul(va, c01), 16);
    v128.store(c1, f32x4.mul(va, c10)); v128.store(c1, f32x4.mul(va, c11), 16);
    v128.store(c2, f32x4.mul(va, c20)); v128.store(c2, f32x4.mul(va, c21), 16);
    v128.store(c3, f32x4.mul(va, c30)); v128.store(c3, f32x4.mul(va, c31), 16);
  } else {
    const vb = f32x4.splat(beta);
    v128.store(c0, f32x4.add(f32x4.mul(va, c00), f32x4.mul(vb, v128.load(c0))));
    v128.store(c0, f32x4.add(f32x4.mul(va, c01), f32x4.mul(vb, v128.load(c0, 16))), 16);
    v128.store(c1, f32x4.add(f32x4.mul(va, c10), f32x4.mul(vb, v128.load(c1))));
    v128.store(c1, f32x4.add(f32x4.mul(va, c11), f32x4.mul(vb, v128.load(c1, 16))), 16);
    v128.store(c2, f32x4.add(f32x4.mul(va, c20), f32x4.mul(vb, v128.load(c2))));
    v128.store(c2, f32x4.add(f32x4.mul(va, c21), f32x4.mul(vb, v128.load(c2, 16))), 16);
    v128.store(c3, f32x4.add(f32x4.mul(va, c30), f32x4.mul(vb, v128.load(c3))));
    v128.store(c3, f32x4.add(f32x4.mul(va, c31), f32x4.mul(vb, v128.load(c3, 16))), 16);
  }
}
