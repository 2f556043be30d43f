// Register micro-kernel: f64, 4 x 4 tile, WebAssembly SIMD128 (f64x2), 8 v128 accumulators.
//
// KERNEL CONTRACT (the only layer that does arithmetic on C; BLIS docs/KernelsHowTo.md style)
//   Operation:  C[0:4, 0:4] = alpha * (Ap * Bp) + beta * C[0:4, 0:4]
//               where Ap is a packed 4 x kc micro-panel of op(A) and Bp a packed kc x 4 micro-panel of op(B).
//   Packed layout (column p of Ap next to row p of Bp; A values are stored twice, pre-splatted):
//       pa: a[0,0] a[0,0] a[1,0] a[1,0] a[2,0] a[2,0] a[3,0] a[3,0] | a[0,1] a[0,1] ...   (8 * kc doubles, 64 B per p)
//       pb: b[0,0] b[0,1] b[0,2] b[0,3] | b[1,0] b[1,1] b[1,2] b[1,3] | ...                (4 * kc doubles, 32 B per p)
//     Pre-splatted A turns the four A loads into plain v128 loads with constant offsets: V8 folds those offsets
//     into the address, but not for v128.load64_splat, which cost two extra instructions per step (measured 6%).
//   Summation order (fixed, part of the determinism contract): for each entry,
//       acc = 0; for p = 0 .. kc-1: acc = acc + a[i,p] * b[p,j]   (one mul, one add, no FMA; in the FMA build
//       one relaxed_madd, fused on hosts with FMA hardware: same order, one rounding per term)
//       then C = alpha * acc (beta == 0) or C = alpha * acc + beta * C (beta != 0).
//   beta == 0: C is never read (it may hold NaN or garbage from reused memory).
//   Edge rule: the kernel always computes a full 4 x 4 tile. Partial tiles are zero-padded by the packing
//       routines; the macro-kernel then runs this kernel with beta = 0 into a private 4 x 4 buffer and merges
//       the valid mr x nr part with the same formula (tile + beta * C), so edge entries get bit-identical results.
//   kc >= 1; c is row-major with row stride ldc (elements); pointers need no alignment. No validation here.
// Why 4 x 4: 8 accumulators is the most V8 (Node 20) keeps in xmm registers without spilling (5x4 and 6x4 tiles
// spill: 12 GFLOP/s; in the FMA build on Node 24/26 the 6 x 4 tile, gemm_f64_6x4_simd.ts, fits and is faster, and
// calibration picks it there). Per p: 2 v128 loads of B, 4 v128 loads of A, 8 mul + 8 add = 22 instructions at least.
// Why the k loop is unrolled by 8 with a break test between steps: on this Zen 4 the loop is bound by the 6-wide
// dispatch, not by the two FP mul/add pipes, so loop overhead (pointer updates, V8's loop stack check, compare,
// index zero-extension: ~7 instructions) matters. A plain unroll makes TurboFan hoist all loads of the unrolled
// steps to the top and spill accumulators (14 GFLOP/s); the `if (left <= j) break` between steps ends a basic
// block, which keeps each step's loads next to its arithmetic. Kernel-only medians at n = 256/512/1024 (macro loop
// over packed panels, same process, alternating runs): 21.7/21.6/21.5 GFLOP/s with one step per iteration ->
// 23.4/23.5/23.1 with this loop (gemm_f64 with packing: 21.3 -> 23.1). A 2x8 tile with the same loop gave
// 23.8/23.9/23.5 (+1.8%, not worth a second packing layout); the same arithmetic without loads runs at 25.4.

/**
 * acc + a * b, lane-wise. Default build: one mul and one add (two roundings), the same on every host.
 * FMA build (asconfig target "fma", compiled with relaxed SIMD): f64x2.relaxed_madd, which hosts with FMA hardware
 * fuse into one rounding; the summation order is unchanged, so only the rounding of each term differs.
 */
// @ts-ignore: decorator
@inline export function madd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, acc);
  return f64x2.add(acc, f64x2.mul(a, b));
}

export function gemm_f64_4x4_simd(kc: i32, pa: usize, pb: usize, alpha: f64, beta: f64, c: usize, ldc: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  // Invariant: at the top of the loop, cij holds sum_{q<p} a[i,q] * b[q, 2j..2j+1] in order q = 0..p-1, where
  // p = kc - left; pa and pb point at step p. Each step is one mul and one add per entry (unrolling keeps the order).
  // Step p + 0 runs unconditionally, hence kc >= 1; the loop ends after ceil(kc / 8) iterations.
  let left = kc;
  while (true) {
    { // step p + 0
      const a0 = v128.load(pa, 0), a1 = v128.load(pa, 16), b0 = v128.load(pb, 0);
      c00 = madd(c00, a0, b0); c10 = madd(c10, a1, b0);
      const a2 = v128.load(pa, 32), a3 = v128.load(pa, 48);
      c20 = madd(c20, a2, b0); c30 = madd(c30, a3, b0);
      const b1 = v128.load(pb, 16);
      c01 = madd(c01, a0, b1); c11 = madd(c11, a1, b1);
      c21 = madd(c21, a2, b1); c31 = madd(c31, a3, b1);
    }
    if (left <= 1) break;
    { // step p + 1
      const a0 = v128.load(pa, 64), a1 = v128.load(pa, 80), b0 = v128.load(pb, 32);
      c00 = madd(c00, a0, b0); c10 = madd(c10, a1, b0);
      const a2 = v128.load(pa, 96), a3 = v128.load(pa, 112);
      c20 = madd(c20, a2, b0); c30 = madd(c30, a3, b0);
      const b1 = v128.load(pb, 48);
      c01 = madd(c01, a0, b1); c11 = madd(c11, a1, b1);
      c21 = madd(c21, a2, b1); c31 = madd(c31, a3, b1);
    }
    if (left <= 2) break;
    { // step p + 2
      const a0 = v128.load(pa, 128), a1 = v128.load(pa, 144), b0 = v128.load(pb, 64);
      c00 = madd(c00, a0, b0); c10 = madd(c10, a1, b0);
      const a2 = v128.load(pa, 160), a3 = v128.load(pa, 176);
      c20 = madd(c20, a2, b0); c30 = madd(c30, a3, b0);
      const b1 = v128.load(pb, 80);
      c01 = madd(c01, a0, b1); c11 = madd(c11, a1, b1);
      c21 = madd(c21, a2, b1); c31 = madd(c31, a3, b1);
    }
    if (left <= 3) break;
    { // step p + 3
      const a0 = v128.load(pa, 192), a1 = v128.load(pa, 208), b0 = v128.load(pb, 96);
      c00 = madd(c00, a0, b0); c10 = madd(c10, a1, b0);
      const a2 = v128.load(pa, 224), a3 = v128.load(pa, 240);
      c20 = madd(c20, a2, b0); c30 = madd(c30, a3, b0);
      const b1 = v128.load(pb, 112);
      c01 = madd(c01, a0, b1); c11 = madd(c11, a1, b1);
      c21 = madd(c21, a2, b1); c31 = madd(c31, a3, b1);
    }
    if (left <= 4) break;
    { // step p + 4
      const a0 = v128.load(pa, 256), a1 = v128.load(pa, 272), b0 = v128.load(pb, 128);
      c00 = madd(c00, a0, b0); c10 = madd(c10, a1, b0);
      const a2 = v128.load(pa, 288), a3 = v128.load(pa, 304);
      c20 = madd(c20, a2, b0); c30 = madd(c30, a3, b0);
      const b1 = v128.load(pb, 144);
      c01 = madd(c01, a0, b1); c11 = madd(c11, a1, b1);
      c21 = madd(c21, a2, b1); c31 = madd(c31, a3, b1);
    }
    if (left <= 5) break;
    { // step p + 5
      const a0 = v128.load(pa, 320), a1 = v128.load(pa, 336), b0 = v128.load(pb, 160);
      c00 = madd(c00, a0, b0); c10 = madd(c10, a1, b0);
      const a2 = v128.load(pa, 352), a3 = v128.load(pa, 368);
      c20 = madd(c20, a2, b0); c30 = madd(c30, a3, b0);
      const b1 = v128.load(pb, 176);
      c01 = madd(c01, a0, b1); c11 = madd(c11, a1, b1);
      c21 = madd(c21, a2, b1); c31 = madd(c31, a3, b1);
    }
    if (left <= 6) break;
    { // step p + 6
      const a0 = v128.load(pa, 384), a1 = v128.load(pa, 400), b0 = v128.load(pb, 192);
      c00 = madd(c00, a0, b0); c10 = madd(c10, a1, b0);
      const a2 = v128.load(pa, 416), a3 = v128.load(pa, 432);
      c20 = madd(c20, a2, b0); c30 = madd(c30, a3, b0);
      const b1 = v128.load(pb, 208);
      c01 = madd(c01, a0, b1); c11 = madd(c11, a1, b1);
      c21 = madd(c21, a2, b1); c31 = madd(c31, a3, b1);
    }
    if (left <= 7) break;
    { // step p + 7
      const a0 = v128.load(pa, 448), a1 = v128.load(pa, 464), b0 = v128.load(pb, 224);
      c00 = madd(c00, a0, b0); c10 = madd(c10, a1, b0);
      const a2 = v128.load(pa, 480), a3 = v128.load(pa, 496);
      c20 = madd(c20, a2, b0); c30 = madd(c30, a3, b0);
      const b1 = v128.load(pb, 240);
      c01 = madd(c01, a0, b1); c11 = madd(c11, a1, b1);
      c21 = madd(c21, a2, b1); c31 = madd(c31, a3, b1);
    }
    left -= 8;
    if (left <= 0) break;
    pa += 512;
    pb += 256;
  }
  const va = f64x2.splat(alpha);
  const rs = <usize>ldc << 3;
  const c0 = c, c1 = c + rs, c2 = c1 + rs, c3 = c2 + rs;
  if (beta == 0) {
    v128.store(c0, f64x2.mul(va, c00)); v128.store(c0, f64x2.mul(va, c01), 16);
    v128.store(c1, f64x2.mul(va, c10)); v128.store(c1, f64x2.mul(va, c11), 16);
    v128.store(c2, f64x2.mul(va, c20)); v128.store(c2, f64x2.mul(va, c21), 16);
    v128.store(c3, f64x2.mul(va, c30)); v128.store(c3, f64x2.mul(va, c31), 16);
  } else {
    const vb = f64x2.splat(beta);
    v128.store(c0, f64x2.add(f64x2.mul(va, c00), f64x2.mul(vb, v128.load(c0))));
    v128.store(c0, f64x2.add(f64x2.mul(va, c01), f64x2.mul(vb, v128.load(c0, 16))), 16);
    v128.store(c1, f64x2.add(f64x2.mul(va, c10), f64x2.mul(vb, v128.load(c1))));
    v128.store(c1, f64x2.add(f64x2.mul(va, c11), f64x2.mul(vb, v128.load(c1, 16))), 16);
    v128.store(c2, f64x2.add(f64x2.mul(va, c20), f64x2.mul(vb, v128.load(c2))));
    v128.store(c2, f64x2.add(f64x2.mul(va, c21), f64x2.mul(vb, v128.load(c2, 16))), 16);
    v128.store(c3, f64x2.add(f64x2.mul(va, c30), f64x2.mul(vb, v128.load(c3))));
    v128.store(c3, f64x2.add(f64x2.mul(va, c31), f64x2.mul(vb, v128.load(c3, 16))), 16);
  }
}

// ---- Variants with the same packed layout and the same per-entry operation order (hence the same bits), differing
// only in how the k loop is unrolled. Which one V8 compiles best depends on the CPU and the V8 version; the engine
// picks one by a short calibration on the first large product (src/linalg/tune.ts) or by createEngine's option.
// Generated from gemm_f64_4x4_simd by keeping its first 4 (resp. 1) steps per iteration.

export function gemm_f64_4x4_simd_u4(kc: i32, pa: usize, pb: usize, alpha: f64, beta: f64, c: usize, ldc: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  // Invariant: at the top of the loop, cij holds sum_{q<p} a[i,q] * b[q, 2j..2j+1] in order q = 0..p-1, where
  // p = kc - left; pa and pb point at step p. Each step is one mul and one add per entry (unrolling keeps the order).
  // Step p + 0 runs unconditionally, hence kc >= 1; the loop ends after ceil(kc / 8) iterations.
  let left = kc;
  while (true) {
    { // step p + 0
      const a0 = v128.load(pa, 0), a1 = v128.load(pa, 16), b0 = v128.load(pb, 0);
      c00 = madd(c00, a0, b0); c10 = madd(c10, a1, b0);
      const a2 = v128.load(pa, 32), a3 = v128.load(pa, 48);
      c20 = madd(c20, a2, b0); c30 = madd(c30, a3, b0);
      const b1 = v128.load(pb, 16);
      c01 = madd(c01, a0, b1); c11 = madd(c11, a1, b1);
      c21 = madd(c21, a2, b1); c31 = madd(c31, a3, b1);
    }
    if (left <= 1) break;
    { // step p + 1
      const a0 = v128.load(pa, 64), a1 = v128.load(pa, 80), b0 = v128.load(pb, 32);
      c00 = madd(c00, a0, b0); c10 = madd(c10, a1, b0);
      const a2 = v128.load(pa, 96), a3 = v128.load(pa, 112);
      c20 = madd(c20, a2, b0); c30 = madd(c30, a3, b0);
      const b1 = v128.load(pb, 48);
      c01 = madd(c01, a0, b1); c11 = madd(c11, a1, b1);
      c21 = madd(c21, a2, b1); c31 = madd(c31, a3, b1);
    }
    if (left <= 2) break;
    { // step p + 2
      const a0 = v128.load(pa, 128), a1 = v128.load(pa, 144), b0 = v128.load(pb, 64);
      c00 = madd(c00, a0, b0); c10 = madd(c10, a1, b0);
      const a2 = v128.load(pa, 160), a3 = v128.load(pa, 176);
      c20 = madd(c20, a2, b0); c30 = madd(c30, a3, b0);
      const b1 = v128.load(pb, 80);
      c01 = madd(c01, a0, b1); c11 = madd(c11, a1, b1);
      c21 = madd(c21, a2, b1); c31 = madd(c31, a3, b1);
    }
    if (left <= 3) break;
    { // step p + 3
      const a0 = v128.load(pa, 192), a1 = v128.load(pa, 208), b0 = v128.load(pb, 96);
      c00 = madd(c00, a0, b0); c10 = madd(c10, a1, b0);
      const a2 = v128.load(pa, 224), a3 = v128.load(pa, 240);
      c20 = madd(c20, a2, b0); c30 = madd(c30, a3, b0);
      const b1 = v128.load(pb, 112);
      c01 = madd(c01, a0, b1); c11 = madd(c11, a1, b1);
      c21 = madd(c21, a2, b1); c31 = madd(c31, a3, b1);
    }
    left -= 4;
    if (left <= 0) break;
    pa += 256;
    pb += 128;
  }
  const va = f64x2.splat(alpha);
  const rs = <usize>ldc << 3;
  const c0 = c, c1 = c + rs, c2 = c1 + rs, c3 = c2 + rs;
  if (beta == 0) {
    v128.store(c0, f64x2.mul(va, c00)); v128.store(c0, f64x2.mul(va, c01), 16);
    v128.store(c1, f64x2.mul(va, c10)); v128.store(c1, f64x2.mul(va, c11), 16);
    v128.store(c2, f64x2.mul(va, c20)); v128.store(c2, f64x2.mul(va, c21), 16);
    v128.store(c3, f64x2.mul(va, c30)); v128.store(c3, f64x2.mul(va, c31), 16);
  } else {
    const vb = f64x2.splat(beta);
    v128.store(c0, f64x2.add(f64x2.mul(va, c00), f64x2.mul(vb, v128.load(c0))));
    v128.store(c0, f64x2.add(f64x2.mul(va, c01), f64x2.mul(vb, v128.load(c0, 16))), 16);
    v128.store(c1, f64x2.add(f64x2.mul(va, c10), f64x2.mul(vb, v128.load(c1))));
    v128.store(c1, f64x2.add(f64x2.mul(va, c11), f64x2.mul(vb, v128.load(c1, 16))), 16);
    v128.store(c2, f64x2.add(f64x2.mul(va, c20), f64x2.mul(vb, v128.load(c2))));
    v128.store(c2, f64x2.add(f64x2.mul(va, c21), f64x2.mul(vb, v128.load(c2, 16))), 16);
    v128.store(c3, f64x2.add(f64x2.mul(va, c30), f64x2.mul(vb, v128.load(c3))));
    v128.store(c3, f64x2.add(f64x2.mul(va, c31), f64x2.mul(vb, v128.load(c3, 16))), 16);
  }
}

export function gemm_f64_4x4_simd_u1(kc: i32, pa: usize, pb: usize, alpha: f64, beta: f64, c: usize, ldc: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  // Invariant: at the top of the loop, cij holds sum_{q<p} a[i,q] * b[q, 2j..2j+1] in order q = 0..p-1, where
  // p = kc - left; pa and pb point at step p. Each step is one mul and one add per entry (unrolling keeps the order).
  // Step p + 0 runs unconditionally, hence kc >= 1; the loop ends after ceil(kc / 8) iterations.
  let left = kc;
  while (true) {
    { // step p + 0
      const a0 = v128.load(pa, 0), a1 = v128.load(pa, 16), b0 = v128.load(pb, 0);
      c00 = madd(c00, a0, b0); c10 = madd(c10, a1, b0);
      const a2 = v128.load(pa, 32), a3 = v128.load(pa, 48);
      c20 = madd(c20, a2, b0); c30 = madd(c30, a3, b0);
      const b1 = v128.load(pb, 16);
      c01 = madd(c01, a0, b1); c11 = madd(c11, a1, b1);
      c21 = madd(c21, a2, b1); c31 = madd(c31, a3, b1);
    }
    left -= 1;
    if (left <= 0) break;
    pa += 64;
    pb += 32;
  }
  const va = f64x2.splat(alpha);
  const rs = <usize>ldc << 3;
  const c0 = c, c1 = c + rs, c2 = c1 + rs, c3 = c2 + rs;
  if (beta == 0) {
    v128.store(c0, f64x2.mul(va, c00)); v128.store(c0, f64x2.mul(va, c01), 16);
    v128.store(c1, f64x2.mul(va, c10)); v128.store(c1, f64x2.mul(va, c11), 16);
    v128.store(c2, f64x2.mul(va, c20)); v128.store(c2, f64x2.mul(va, c21), 16);
    v128.store(c3, f64x2.mul(va, c30)); v128.store(c3, f64x2.mul(va, c31), 16);
  } else {
    const vb = f64x2.splat(beta);
    v128.store(c0, f64x2.add(f64x2.mul(va, c00), f64x2.mul(vb, v128.load(c0))));
    v128.store(c0, f64x2.add(f64x2.mul(va, c01), f64x2.mul(vb, v128.load(c0, 16))), 16);
    v128.store(c1, f64x2.add(f64x2.mul(va, c10), f64x2.mul(vb, v128.load(c1))));
    v128.store(c1, f64x2.add(f64x2.mul(va, c11), f64x2.mul(vb, v128.load(c1, 16))), 16);
    v128.store(c2, f64x2.add(f64x2.mul(va, c20), f64x2.mul(vb, v128.load(c2))));
    v128.store(c2, f64x2.add(f64x2.mul(va, c21), f64x2.mul(vb, v128.load(c2, 16))), 16);
    v128.store(c3, f64x2.add(f64x2.mul(va, c30), f64x2.mul(vb, v128.load(c3))));
    v128.store(c3, f64x2.add(f64x2.mul(va, c31), f64x2.mul(vb, v128.load(c3, 16))), 16);
  }
}
