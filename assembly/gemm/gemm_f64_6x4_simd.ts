// Register micro-kernel: f64, 6 x 4 tile, WebAssembly SIMD128 (f64x2), 12 v128 accumulators.
//
// Same contract as gemm_f64_4x4_simd.ts (read it first) with MR = 6: Ap is a packed 6 x kc micro-panel of op(A),
// every value stored twice (pre-splatted, 12 * kc doubles, 96 B per p), Bp the same kc x 4 micro-panel of op(B).
// Per entry the operation order is the 4x4 kernel's (acc = 0; acc = acc + a[i,p] * b[p,j] for p = 0..kc-1 with the
// same madd; then alpha * acc or alpha * acc + beta * C), so every entry has the same bits whichever tile computes it.
// Why: per step p the 4x4 tile needs six loads for eight multiply-adds, the 6 x 4 tile eight loads for twelve (fewer
// instructions per flop, the bound of the 4x4 kernel on hosts whose SIMD front end is the limit). Registers: 12 accumulators + 2 B
// values + 1 A value = 15, exactly V8's allocatable xmm registers on x64, in the FMA build; mul + add needs one more for
// the product. Measured (fraction of the in-process peak, kernel with packing): 0.90-0.97 in the FMA build on Node
// 24/26 (4x4: 0.75-0.86), a tie with 4x4 in the mul + add build there, 0.60-0.70 on Node 20 and in Node 22's FMA build.
// Calibration (src/linalg/tune.ts) decides per engine. Loading the second B value at each use instead of keeping it
// in a register (14 live values) was tried: no faster.
// The k loop is unrolled by 4 with a break test between steps (see gemm_f64_4x4_simd.ts for why).
import { madd } from "./gemm_f64_4x4_simd";

export function gemm_f64_6x4_simd(kc: i32, pa: usize, pb: usize, alpha: f64, beta: f64, c: usize, ldc: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  let c40 = f64x2.splat(0), c41 = f64x2.splat(0);
  let c50 = f64x2.splat(0), c51 = f64x2.splat(0);
  // Invariant: at the top of the loop, cij holds sum_{q<p} a[i,q] * b[q, 2j..2j+1] in order q = 0..p-1, where
  // p = kc - left; pa and pb point at step p. Step p + 0 runs unconditionally, hence kc >= 1.
  let left = kc;
  while (true) {
    { // step p + 0
      const b0 = v128.load(pb, 0), b1 = v128.load(pb, 16);
      const a0 = v128.load(pa, 0); c00 = madd(c00, a0, b0); c01 = madd(c01, a0, b1);
      const a1 = v128.load(pa, 16); c10 = madd(c10, a1, b0); c11 = madd(c11, a1, b1);
      const a2 = v128.load(pa, 32); c20 = madd(c20, a2, b0); c21 = madd(c21, a2, b1);
      const a3 = v128.load(pa, 48); c30 = madd(c30, a3, b0); c31 = madd(c31, a3, b1);
      const a4 = v128.load(pa, 64); c40 = madd(c40, a4, b0); c41 = madd(c41, a4, b1);
      const a5 = v128.load(pa, 80); c50 = madd(c50, a5, b0); c51 = madd(c51, a5, b1);
    }
    if (left <= 1) break;
    { // step p + 1
      const b0 = v128.load(pb, 32), b1 = v128.load(pb, 48);
      const a0 = v128.load(pa, 96); c00 = madd(c00, a0, b0); c01 = madd(c01, a0, b1);
      const a1 = v128.load(pa, 112); c10 = madd(c10, a1, b0); c11 = madd(c11, a1, b1);
      const a2 = v128.load(pa, 128); c20 = madd(c20, a2, b0); c21 = madd(c21, a2, b1);
      const a3 = v128.load(pa, 144); c30 = madd(c30, a3, b0); c31 = madd(c31, a3, b1);
      const a4 = v128.load(pa, 160); c40 = madd(c40, a4, b0); c41 = madd(c41, a4, b1);
      const a5 = v128.load(pa, 176); c50 = madd(c50, a5, b0); c51 = madd(c51, a5, b1);
    }
    if (left <= 2) break;
    { // step p + 2
      const b0 = v128.load(pb, 64), b1 = v128.load(pb, 80);
      const a0 = v128.load(pa, 192); c00 = madd(c00, a0, b0); c01 = madd(c01, a0, b1);
      const a1 = v128.load(pa, 208); c10 = madd(c10, a1, b0); c11 = madd(c11, a1, b1);
      const a2 = v128.load(pa, 224); c20 = madd(c20, a2, b0); c21 = madd(c21, a2, b1);
      const a3 = v128.load(pa, 240); c30 = madd(c30, a3, b0); c31 = madd(c31, a3, b1);
      const a4 = v128.load(pa, 256); c40 = madd(c40, a4, b0); c41 = madd(c41, a4, b1);
      const a5 = v128.load(pa, 272); c50 = madd(c50, a5, b0); c51 = madd(c51, a5, b1);
    }
    if (left <= 3) break;
    { // step p + 3
      const b0 = v128.load(pb, 96), b1 = v128.load(pb, 112);
      const a0 = v128.load(pa, 288); c00 = madd(c00, a0, b0); c01 = madd(c01, a0, b1);
      const a1 = v128.load(pa, 304); c10 = madd(c10, a1, b0); c11 = madd(c11, a1, b1);
      const a2 = v128.load(pa, 320); c20 = madd(c20, a2, b0); c21 = madd(c21, a2, b1);
      const a3 = v128.load(pa, 336); c30 = madd(c30, a3, b0); c31 = madd(c31, a3, b1);
      const a4 = v128.load(pa, 352); c40 = madd(c40, a4, b0); c41 = madd(c41, a4, b1);
      const a5 = v128.load(pa, 368); c50 = madd(c50, a5, b0); c51 = madd(c51, a5, b1);
    }
    left -= 4;
    if (left <= 0) break;
    pa += 384;
    pb += 128;
  }
  const va = f64x2.splat(alpha);
  const rs = <usize>ldc << 3;
  let q = c;
  if (beta == 0) {
    v128.store(q, f64x2.mul(va, c00)); v128.store(q, f64x2.mul(va, c01), 16); q += rs;
    v128.store(q, f64x2.mul(va, c10)); v128.store(q, f64x2.mul(va, c11), 16); q += rs;
    v128.store(q, f64x2.mul(va, c20)); v128.store(q, f64x2.mul(va, c21), 16); q += rs;
    v128.store(q, f64x2.mul(va, c30)); v128.store(q, f64x2.mul(va, c31), 16); q += rs;
    v128.store(q, f64x2.mul(va, c40)); v128.store(q, f64x2.mul(va, c41), 16); q += rs;
    v128.store(q, f64x2.mul(va, c50)); v128.store(q, f64x2.mul(va, c51), 16);
  } else {
    const vb = f64x2.splat(beta);
    v128.store(q, f64x2.add(f64x2.mul(va, c00), f64x2.mul(vb, v128.load(q))));
    v128.store(q, f64x2.add(f64x2.mul(va, c01), f64x2.mul(vb, v128.load(q, 16))), 16);
    q += rs;
    v128.store(q, f64x2.add(f64x2.mul(va, c10), f64x2.mul(vb, v128.load(q))));
    v128.store(q, f64x2.add(f64x2.mul(va, c11), f64x2.mul(vb, v128.load(q, 16))), 16);
    q += rs;
    v128.store(q, f64x2.add(f64x2.mul(va, c20), f64x2.mul(vb, v128.load(q))));
    v128.store(q, f64x2.add(f64x2.mul(va, c21), f64x2.mul(vb, v128.load(q, 16))), 16);
    q += rs;
    v128.store(q, f64x2.add(f64x2.mul(va, c30), f64x2.mul(vb, v128.load(q))));
    v128.store(q, f64x2.add(f64x2.mul(va, c31), f64x2.mul(vb, v128.load(q, 16))), 16);
    q += rs;
    v128.store(q, f64x2.add(f64x2.mul(va, c40), f64x2.mul(vb, v128.load(q))));
    v128.store(q, f64x2.add(f64x2.mul(va, c41), f64x2.mul(vb, v128.load(q, 16))), 16);
    q += rs;
    v128.store(q, f64x2.add(f64x2.mul(va, c50), f64x2.mul(vb, v128.load(q))));
    v128.store(q, f64x2.add(f64x2.mul(va, c51), f64x2.mul(vb, v128.load(q, 16))), 16);
  }
}
