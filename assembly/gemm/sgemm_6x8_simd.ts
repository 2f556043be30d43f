// Register micro-kernel: f32, 6 x 8 tile, WebAssembly SIMD128 (f32x4), 12 v128 accumulators: the second SGEMM
// kernel, chosen per host by a short calibration (src/linalg/tune.ts, sgemm_f32_tune in sgemm_params.ts).
//
// KERNEL CONTRACT (same as sgemm_4x8_simd.ts, with 6 rows)
//   Operation:  C[0:6, 0:8] = alpha * (Ap * Bp) + beta * C[0:6, 0:8]
//               where Ap is a packed 6 x kc micro-panel of op(A) and Bp a packed kc x 8 micro-panel of op(B).
//   Packed layout (A column by column, 6 values per p; each A operand is one v128.load32_splat):
//       pa: a[0,0] | a[1,0] | ... | a[5,0] | a[0,1] ...                      (6 * kc floats, 24 B per p)
//       pb: b[0,0..7] | b[1,0..7] | ...                                     (8 * kc floats, 32 B per p)
//   Summation order: identical to sgemm_4x8_simd per entry (acc = 0; acc = madd32(acc, a[i,p], b[p,j]) for
//   p = 0 .. kc-1; then C = alpha * acc or alpha * acc + beta * C), so both kernels give the same bits in both
//   builds (test/sgemm-tuning.test.ts). kc >= 1; c row-major with row stride ldc; no alignment needed.
// Why 6 x 8: per step 2 B loads and 6 splat loads feed 12 madds (96 flops), against 2 + 4 loads for 8 madds in the
// 4 x 8 tile: fewer loads per flop. 12 accumulators + 2 B + 1-2 A vectors fit the 16 xmm registers of x64 only
// if V8 allocates them well, which depends on the V8 version, so it is a calibrated choice, never the only one.
import { madd32 } from "./sgemm_4x8_simd";

export function sgemm_6x8_simd(kc: i32, pa: usize, pb: usize, alpha: f32, beta: f32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  // Invariant as in sgemm_4x8_simd: at the top of the loop cij holds the sum over q < p in order; step p + 0 runs
  // unconditionally (kc >= 1); the k loop is unrolled by 8 with a break test between steps.
  let left = kc;
  while (true) {
    { // step p + 0
      const b0 = v128.load(pb, 0), b1 = v128.load(pb, 16);
      const a0 = v128.load32_splat(pa, 0), a1 = v128.load32_splat(pa, 4);
      c00 = madd32(c00, a0, b0); c01 = madd32(c01, a0, b1);
      c10 = madd32(c10, a1, b0); c11 = madd32(c11, a1, b1);
      const a2 = v128.load32_splat(pa, 8), a3 = v128.load32_splat(pa, 12);
      c20 = madd32(c20, a2, b0); c21 = madd32(c21, a2, b1);
      c30 = madd32(c30, a3, b0); c31 = madd32(c31, a3, b1);
      const a4 = v128.load32_splat(pa, 16), a5 = v128.load32_splat(pa, 20);
      c40 = madd32(c40, a4, b0); c41 = madd32(c41, a4, b1);
      c50 = madd32(c50, a5, b0); c51 = madd32(c51, a5, b1);
    }
    if (left <= 1) break;
    { // step p + 1
      const b0 = v128.load(pb, 32), b1 = v128.load(pb, 48);
      const a0 = v128.load32_splat(pa, 24), a1 = v128.load32_splat(pa, 28);
      c00 = madd32(c00, a0, b0); c01 = madd32(c01, a0, b1);
      c10 = madd32(c10, a1, b0); c11 = madd32(c11, a1, b1);
      const a2 = v128.load32_splat(pa, 32), a3 = v128.load32_splat(pa, 36);
      c20 = madd32(c20, a2, b0); c21 = madd32(c21, a2, b1);
      c30 = madd32(c30, a3, b0); c31 = madd32(c31, a3, b1);
      const a4 = v128.load32_splat(pa, 40), a5 = v128.load32_splat(pa, 44);
      c40 = madd32(c40, a4, b0); c41 = madd32(c41, a4, b1);
      c50 = madd32(c50, a5, b0); c51 = madd32(c51, a5, b1);
    }
    if (left <= 2) break;
    { // step p + 2
      const b0 = v128.load(pb, 64), b1 = v128.load(pb, 80);
      const a0 = v128.load32_splat(pa, 48), a1 = v128.load32_splat(pa, 52);
      c00 = madd32(c00, a0, b0); c01 = madd32(c01, a0, b1);
      c10 = madd32(c10, a1, b0); c11 = madd32(c11, a1, b1);
      const a2 = v128.load32_splat(pa, 56), a3 = v128.load32_splat(pa, 60);
      c20 = madd32(c20, a2, b0); c21 = madd32(c21, a2, b1);
      c30 = madd32(c30, a3, b0); c31 = madd32(c31, a3, b1);
      const a4 = v128.load32_splat(pa, 64), a5 = v128.load32_splat(pa, 68);
      c40 = madd32(c40, a4, b0); c41 = madd32(c41, a4, b1);
      c50 = madd32(c50, a5, b0); c51 = madd32(c51, a5, b1);
    }
    if (left <= 3) break;
    { // step p + 3
      const b0 = v128.load(pb, 96), b1 = v128.load(pb, 112);
      const a0 = v128.load32_splat(pa, 72), a1 = v128.load32_splat(pa, 76);
      c00 = madd32(c00, a0, b0); c01 = madd32(c01, a0, b1);
      c10 = madd32(c10, a1, b0); c11 = madd32(c11, a1, b1);
      const a2 = v128.load32_splat(pa, 80), a3 = v128.load32_splat(pa, 84);
      c20 = madd32(c20, a2, b0); c21 = madd32(c21, a2, b1);
      c30 = madd32(c30, a3, b0); c31 = madd32(c31, a3, b1);
      const a4 = v128.load32_splat(pa, 88), a5 = v128.load32_splat(pa, 92);
      c40 = madd32(c40, a4, b0); c41 = madd32(c41, a4, b1);
      c50 = madd32(c50, a5, b0); c51 = madd32(c51, a5, b1);
    }
    if (left <= 4) break;
    { // step p + 4
      const b0 = v128.load(pb, 128), b1 = v128.load(pb, 144);
      const a0 = v128.load32_splat(pa, 96), a1 = v128.load32_splat(pa, 100);
      c00 = madd32(c00, a0, b0); c01 = madd32(c01, a0, b1);
      c10 = madd32(c10, a1, b0); c11 = madd32(c11, a1, b1);
      const a2 = v128.load32_splat(pa, 104), a3 = v128.load32_splat(pa, 108);
      c20 = madd32(c20, a2, b0); c21 = madd32(c21, a2, b1);
      c30 = madd32(c30, a3, b0); c31 = madd32(c31, a3, b1);
      const a4 = v128.load32_splat(pa, 112), a5 = v128.load32_splat(pa, 116);
      c40 = madd32(c40, a4, b0); c41 = madd32(c41, a4, b1);
      c50 = madd32(c50, a5, b0); c51 = madd32(c51, a5, b1);
    }
    if (left <= 5) break;
    { // step p + 5
      const b0 = v128.load(pb, 160), b1 = v128.load(pb, 176);
      const a0 = v128.load32_splat(pa, 120), a1 = v128.load32_splat(pa, 124);
      c00 = madd32(c00, a0, b0); c01 = madd32(c01, a0, b1);
      c10 = madd32(c10, a1, b0); c11 = madd32(c11, a1, b1);
      const a2 = v128.load32_splat(pa, 128), a3 = v128.load32_splat(pa, 132);
      c20 = madd32(c20, a2, b0); c21 = madd32(c21, a2, b1);
      c30 = madd32(c30, a3, b0); c31 = madd32(c31, a3, b1);
      const a4 = v128.load32_splat(pa, 136), a5 = v128.load32_splat(pa, 140);
      c40 = madd32(c40, a4, b0); c41 = madd32(c41, a4, b1);
      c50 = madd32(c50, a5, b0); c51 = madd32(c51, a5, b1);
    }
    if (left <= 6) break;
    { // step p + 6
      const b0 = v128.load(pb, 192), b1 = v128.load(pb, 208);
      const a0 = v128.load32_splat(pa, 144), a1 = v128.load32_splat(pa, 148);
      c00 = madd32(c00, a0, b0); c01 = madd32(c01, a0, b1);
      c10 = madd32(c10, a1, b0); c11 = madd32(c11, a1, b1);
      const a2 = v128.load32_splat(pa, 152), a3 = v128.load32_splat(pa, 156);
      c20 = madd32(c20, a2, b0); c21 = madd32(c21, a2, b1);
      c30 = madd32(c30, a3, b0); c31 = madd32(c31, a3, b1);
      const a4 = v128.load32_splat(pa, 160), a5 = v128.load32_splat(pa, 164);
      c40 = madd32(c40, a4, b0); c41 = madd32(c41, a4, b1);
      c50 = madd32(c50, a5, b0); c51 = madd32(c51, a5, b1);
    }
    if (left <= 7) break;
    { // step p + 7
      const b0 = v128.load(pb, 224), b1 = v128.load(pb, 240);
      const a0 = v128.load32_splat(pa, 168), a1 = v128.load32_splat(pa, 172);
      c00 = madd32(c00, a0, b0); c01 = madd32(c01, a0, b1);
      c10 = madd32(c10, a1, b0); c11 = madd32(c11, a1, b1);
      const a2 = v128.load32_splat(pa, 176), a3 = v128.load32_splat(pa, 180);
      c20 = madd32(c20, a2, b0); c21 = madd32(c21, a2, b1);
      c30 = madd32(c30, a3, b0); c31 = madd32(c31, a3, b1);
      const a4 = v128.load32_splat(pa, 184), a5 = v128.load32_splat(pa, 188);
      c40 = madd32(c40, a4, b0); c41 = madd32(c41, a4, b1);
      c50 = madd32(c50, a5, b0); c51 = madd32(c51, a5, b1);
    }
    left -= 8;
    if (left <= 0) break;
    pa += 192;
    pb += 256;
  }
  const va = f32x4.splat(alpha);
  const rs = <usize>ldc << 2;
  const r0 = c, r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs, r4 = r3 + rs, r5 = r4 + rs;
  if (beta == 0) {
    v128.store(r0, f32x4.mul(va, c00)); v128.store(r0, f32x4.mul(va, c01), 16);
    v128.store(r1, f32x4.mul(va, c10)); v128.store(r1, f32x4.mul(va, c11), 16);
    v128.store(r2, f32x4.mul(va, c20)); v128.store(r2, f32x4.mul(va, c21), 16);
    v128.store(r3, f32x4.mul(va, c30)); v128.store(r3, f32x4.mul(va, c31), 16);
    v128.store(r4, f32x4.mul(va, c40)); v128.store(r4, f32x4.mul(va, c41), 16);
    v128.store(r5, f32x4.mul(va, c50)); v128.store(r5, f32x4.mul(va, c51), 16);
  } else {
    const vb = f32x4.splat(beta);
    v128.store(r0, f32x4.add(f32x4.mul(va, c00), f32x4.mul(vb, v128.load(r0))));
    v128.store(r0, f32x4.add(f32x4.mul(va, c01), f32x4.mul(vb, v128.load(r0, 16))), 16);
    v128.store(r1, f32x4.add(f32x4.mul(va, c10), f32x4.mul(vb, v128.load(r1))));
    v128.store(r1, f32x4.add(f32x4.mul(va, c11), f32x4.mul(vb, v128.load(r1, 16))), 16);
    v128.store(r2, f32x4.add(f32x4.mul(va, c20), f32x4.mul(vb, v128.load(r2))));
    v128.store(r2, f32x4.add(f32x4.mul(va, c21), f32x4.mul(vb, v128.load(r2, 16))), 16);
    v128.store(r3, f32x4.add(f32x4.mul(va, c30), f32x4.mul(vb, v128.load(r3))));
    v128.store(r3, f32x4.add(f32x4.mul(va, c31), f32x4.mul(vb, v128.load(r3, 16))), 16);
    v128.store(r4, f32x4.add(f32x4.mul(va, c40), f32x4.mul(vb, v128.load(r4))));
    v128.store(r4, f32x4.add(f32x4.mul(va, c41), f32x4.mul(vb, v128.load(r4, 16))), 16);
    v128.store(r5, f32x4.add(f32x4.mul(va, c50), f32x4.mul(vb, v128.load(r5))));
    v128.store(r5, f32x4.add(f32x4.mul(va, c51), f32x4.mul(vb, v128.load(r5, 16))), 16);
  }
}
