// SGEMM packing (BLIS bli_l3_packab) for the f32 micro-kernels sgemm_4x8_simd and sgemm_6x8_simd (layouts in their
// contracts): copy a block
// of op(A) or op(B) into contiguous micro-panels, handling both transposes, padding partial panels with zeros.
// Finiteness check folded into packing exactly as for f64 (gemm_f64_pack.ts): bad = sum of (x - x) over every packed
// value, in float32; it is 0 when all are finite and NaN otherwise.
import { sgemm_mr, SGEMM_NR } from "./sgemm_params";

// @ts-ignore: decorator
@inline function lanes(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * Pack op(A)[ic : ic+mc, pc : pc+kc] into ceil(mc/MR) micro-panels of MR x kc, column by column (MR * kc floats per
 * panel; the micro-kernel splats each value as it loads it), MR = sgemm_mr (4, or 6 for the 6 x 8 kernel).
 * transA = 0: op(A)[i, p] = a[i*lda + p]; transA = 1: op(A)[i, p] = a[p*lda + i].
 * Returns the finiteness indicator (0: all packed values finite, NaN otherwise).
 */
export function sgemm_pack_a(transA: i32, mc: i32, kc: i32, a: usize, lda: i32, ic: i32, pc: i32, dst: usize): f32 {
  const MR = sgemm_mr;
  const rs = <usize>lda << 2, step = <usize>MR << 2;
  let bad = f32x4.splat(0);
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    if (transA == 0) {
      const r0 = a + ((<usize>(ic + ir) * lda + pc) << 2);
      if (mr == MR) {
        const r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs, r4 = r3 + rs, r5 = r4 + rs;
        let d = dst;
        let p = 0;
        // Four columns at a time: rows i = 0..3 loaded as vectors of 4 consecutive p, transposed in registers;
        // for MR = 6, rows 4 and 5 are interleaved into (a[4,p], a[5,p]) pairs stored after each column's first 4.
        for (; p + 4 <= kc; p += 4) {
          const o = <usize>p << 2;
          const x0 = v128.load(r0 + o), x1 = v128.load(r1 + o), x2 = v128.load(r2 + o), x3 = v128.load(r3 + o);
          const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
          const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
          const y0 = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), y1 = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7);
          const y2 = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), y3 = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7);
          bad = f32x4.add(bad, f32x4.add(f32x4.sub(x0, x0), f32x4.sub(x1, x1)));
          bad = f32x4.add(bad, f32x4.add(f32x4.sub(x2, x2), f32x4.sub(x3, x3)));
          if (MR == 4) {
            v128.store(d, y0);
            v128.store(d, y1, 16);
            v128.store(d, y2, 32);
            v128.store(d, y3, 48);
          } else {
            const x4 = v128.load(r4 + o), x5 = v128.load(r5 + o);
            const z01 = v128.shuffle<f32>(x4, x5, 0, 4, 1, 5), z23 = v128.shuffle<f32>(x4, x5, 2, 6, 3, 7);
            v128.store(d, y0);
            store<i64>(d, i64x2.extract_lane(z01, 0), 16);
            v128.store(d, y1, 24);
            store<i64>(d, i64x2.extract_lane(z01, 1), 40);
            v128.store(d, y2, 48);
            store<i64>(d, i64x2.extract_lane(z23, 0), 64);
            v128.store(d, y3, 72);
            store<i64>(d, i64x2.extract_lane(z23, 1), 88);
            bad = f32x4.add(bad, f32x4.add(f32x4.sub(x4, x4), f32x4.sub(x5, x5)));
          }
          d += step << 2;
        }
        for (; p < kc; p++) {
          const o = <usize>p << 2;
          const x = f32x4(load<f32>(r0 + o), load<f32>(r1 + o), load<f32>(r2 + o), load<f32>(r3 + o));
          v128.store(d, x);
          bad = f32x4.add(bad, f32x4.sub(x, x));
          if (MR == 6) {
            const y = f32x4(load<f32>(r4 + o), load<f32>(r5 + o), 0, 0);
            store<i64>(d, i64x2.extract_lane(y, 0), 16);
            bad = f32x4.add(bad, f32x4.sub(y, y));
          }
          d += step;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = dst + <usize>p * step;
          for (let i = 0; i < MR; i++) {
            const v: f32 = i < mr ? load<f32>(r0 + <usize>i * rs + (<usize>p << 2)) : 0.0;
            store<f32>(d + (<usize>i << 2), v);
            bad = f32x4.add(bad, f32x4.splat(v - v));
          }
        }
      }
    } else {
      // op(A)[i, p] = a[p, i]: the MR values of column p of the panel are consecutive in row p of A.
      let s = a + ((<usize>pc * lda + ic + ir) << 2);
      let d = dst;
      if (mr == MR) {
        for (let p = 0; p < kc; p++) {
          const x = v128.load(s);
          v128.store(d, x);
          bad = f32x4.add(bad, f32x4.sub(x, x));
          if (MR == 6) {
            const y = v128.load64_zero(s, 16);
            store<i64>(d, i64x2.extract_lane(y, 0), 16);
            bad = f32x4.add(bad, f32x4.sub(y, y));
          }
          s += rs;
          d += step;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let i = 0; i < MR; i++) {
            const v: f32 = i < mr ? load<f32>(s + (<usize>i << 2)) : 0.0;
            store<f32>(d + (<usize>i << 2), v);
            bad = f32x4.add(bad, f32x4.splat(v - v));
          }
          s += rs;
          d += step;
        }
      }
    }
    dst += <usize>MR * kc << 2;
  }
  return lanes(bad);
}

/**
 * Pack op(B)[pc : pc+kc, jc : jc+nc] into ceil(nc/NR) micro-panels of kc x NR (NR * kc floats each).
 * transB = 0: op(B)[p, j] = b[p*ldb + j]; transB = 1: op(B)[p, j] = b[j*ldb + p].
 * Returns the finiteness indicator (0: all packed values finite, NaN otherwise).
 */
export function sgemm_pack_b(transB: i32, kc: i32, nc: i32, b: usize, ldb: i32, pc: i32, jc: i32, dst: usize): f32 {
  const rs = <usize>ldb << 2;
  let bad = f32x4.splat(0);
  let bads: f32 = 0;
  for (let jr = 0; jr < nc; jr += SGEMM_NR) {
    const nr = min(SGEMM_NR, nc - jr);
    if (transB == 0) {
      let s = b + ((<usize>pc * ldb + jc + jr) << 2);
      let d = dst;
      if (nr == SGEMM_NR) {
        for (let p = 0; p < kc; p++) {
          const x0 = v128.load(s), x1 = v128.load(s, 16);
          v128.store(d, x0);
          v128.store(d, x1, 16);
          bad = f32x4.add(bad, f32x4.add(f32x4.sub(x0, x0), f32x4.sub(x1, x1)));
          s += rs;
          d += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let j = 0; j < SGEMM_NR; j++) {
            const x: f32 = j < nr ? load<f32>(s + (<usize>j << 2)) : 0.0;
            store<f32>(d + (<usize>j << 2), x);
            bads += x - x;
          }
          s += rs;
          d += 32;
        }
      }
    } else {
      // op(B)[p, j] = b[j, p]: NR rows of B, each contiguous in p. Four p at a time: two 4 x 4 transposes.
      const r0 = b + ((<usize>(jc + jr) * ldb + pc) << 2);
      if (nr == SGEMM_NR) {
        const r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs, r4 = r3 + rs, r5 = r4 + rs, r6 = r5 + rs, r7 = r6 + rs;
        let d = dst;
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const o = <usize>p << 2;
          const x0 = v128.load(r0 + o), x1 = v128.load(r1 + o), x2 = v128.load(r2 + o), x3 = v128.load(r3 + o);
          const x4 = v128.load(r4 + o), x5 = v128.load(r5 + o), x6 = v128.load(r6 + o), x7 = v128.load(r7 + o);
          bad = f32x4.add(bad, f32x4.add(f32x4.add(f32x4.sub(x0, x0), f32x4.sub(x1, x1)), f32x4.add(f32x4.sub(x2, x2), f32x4.sub(x3, x3))));
          bad = f32x4.add(bad, f32x4.add(f32x4.add(f32x4.sub(x4, x4), f32x4.sub(x5, x5)), f32x4.add(f32x4.sub(x6, x6), f32x4.sub(x7, x7))));
          // 4 x 4 transposes of (x0..x3) and (x4..x7): row q of the result = step p + q.
          const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5), t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
          const t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7), t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
          const u0 = i32x4.shuffle(x4, x5, 0, 4, 1, 5), u1 = i32x4.shuffle(x6, x7, 0, 4, 1, 5);
          const u2 = i32x4.shuffle(x4, x5, 2, 6, 3, 7), u3 = i32x4.shuffle(x6, x7, 2, 6, 3, 7);
          v128.store(d, i64x2.shuffle(t0, t1, 0, 2));
          v128.store(d, i64x2.shuffle(u0, u1, 0, 2), 16);
          v128.store(d, i64x2.shuffle(t0, t1, 1, 3), 32);
          v128.store(d, i64x2.shuffle(u0, u1, 1, 3), 48);
          v128.store(d, i64x2.shuffle(t2, t3, 0, 2), 64);
          v128.store(d, i64x2.shuffle(u2, u3, 0, 2), 80);
          v128.store(d, i64x2.shuffle(t2, t3, 1, 3), 96);
          v128.store(d, i64x2.shuffle(u2, u3, 1, 3), 112);
          d += 128;
        }
        for (; p < kc; p++) {
          const o = <usize>p << 2;
          for (let j = 0; j < SGEMM_NR; j++) {
            const x = load<f32>(r0 + <usize>j * rs + o);
            store<f32>(d + (<usize>j << 2), x);
            bads += x - x;
          }
          d += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = dst + (<usize>p * SGEMM_NR << 2);
          for (let j = 0; j < SGEMM_NR; j++) {
            const x: f32 = j < nr ? load<f32>(r0 + <usize>j * rs + (<usize>p << 2)) : 0.0;
            store<f32>(d + (<usize>j << 2), x);
            bads += x - x;
          }
        }
      }
    }
    dst += <usize>SGEMM_NR * kc << 2;
  }
  return lanes(bad) + bads;
}
