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
//       acc = 0; for p = 0 .. kc-1: acc = acc + a[i,p] * b[p,j]   (one mul, one add, no FMA)
//       then C = alpha * acc (beta == 0) or C = alpha * acc + beta * C (beta != 0).
//   beta == 0: C is never read (it may hold NaN or garbage from reused memory).
//   Edge rule: the kernel always computes a full 4 x 4 tile. Partial tiles are zero-padded by the packing
//       routines; the macro-kernel then runs this kernel with beta = 0 into a private 4 x 4 buffer and merges
//       the valid mr x nr part with the same formula (tile + beta * C), so edge entries get bit-identical results.
//   kc >= 1; c is row-major with row stride ldc (elements); pointers need no alignment. No validation here.
// Why 4 x 4: 8 accumulators is the most V8 (Node 20) keeps in xmm registers without spilling; a probe on
// this machine gave ~23 GFLOP/s for 4x4 and 2x8 tiles. Per p: 2 v128 loads of B, 4 v128 loads of A, 8 mul + 8 add.

export function gemm_f64_4x4_simd(kc: i32, pa: usize, pb: usize, alpha: f64, beta: f64, c: usize, ldc: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  // Invariant: after step p, cij holds sum_{q<=p} a[i,q] * b[q, 2j..2j+1] in order q = 0..p.
  // The loop runs on the B pointer alone (no counter): V8 emits ~32 instructions per step for 16 vector ops,
  // so every scalar op saved counts. Unrolling makes TurboFan hoist all loads and spill (measured slower).
  const pend = pb + (<usize>kc << 5);
  while (pb < pend) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load(pa);
    c00 = f64x2.add(c00, f64x2.mul(a0, b0));
    c01 = f64x2.add(c01, f64x2.mul(a0, b1));
    const a1 = v128.load(pa, 16);
    c10 = f64x2.add(c10, f64x2.mul(a1, b0));
    c11 = f64x2.add(c11, f64x2.mul(a1, b1));
    const a2 = v128.load(pa, 32);
    c20 = f64x2.add(c20, f64x2.mul(a2, b0));
    c21 = f64x2.add(c21, f64x2.mul(a2, b1));
    const a3 = v128.load(pa, 48);
    c30 = f64x2.add(c30, f64x2.mul(a3, b0));
    c31 = f64x2.add(c31, f64x2.mul(a3, b1));
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
