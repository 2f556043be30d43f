// Packing (BLIS bli_l3_packab): copy a block of op(A) or op(B) into the contiguous micro-panel layout the
// micro-kernel reads (see the contract in gemm_f64_4x4_simd.ts). Both transposes are handled here, so the
// macro- and micro-kernels never see a stride or a transpose. Partial panels are padded with zeros; padded
// rows/columns only feed tile entries that are discarded, so they never change a valid result.
//
// Finiteness check folded into packing (the API's NaN/Inf validation, no separate pass over the inputs):
// both routines return bad = sum over every packed (valid, non-padding) value x of (x - x). x - x is +0 for
// finite x and NaN for NaN or +-Infinity, and NaN propagates through the sum, so bad is exactly 0 when all
// packed values are finite and NaN otherwise (bad != bad tests it). A blocked GEMM packs every entry of op(A)
// and op(B) at least once (when k >= 1, alpha != 0), so the OR of these flags covers both inputs.
import { gemm_mr, GEMM_NR } from "./gemm_f64_params";

/** Sum of the two lanes (0 when both are 0, NaN if either is NaN). */
// @ts-ignore: decorator
@inline function lanes(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * Pack op(A)[ic : ic+mc, pc : pc+kc] into ceil(mc/MR) micro-panels of MR x kc (MR = gemm_mr: 4, or 6 for the 6 x 4 kernel), panel after panel, every value
 * stored twice (f64x2 splat, 2 * MR * kc doubles per panel) as the micro-kernel contract requires.
 * transA = 0: op(A)[i, p] = a[i*lda + p]; transA = 1: op(A)[i, p] = a[p*lda + i].
 * Returns the finiteness indicator (0: all packed values finite, NaN: at least one NaN/Infinity).
 */
export function gemm_f64_pack_a(transA: i32, mc: i32, kc: i32, a: usize, lda: i32, ic: i32, pc: i32, dst: usize): f64 {
  const rs = <usize>lda << 3;
  const MR = gemm_mr;
  let bad = f64x2.splat(0);
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    if (transA == 0) {
      // Rows of A are contiguous in p: read 4 row streams, write interleaved.
      const r0 = a + ((<usize>(ic + ir) * lda + pc) << 3);
      if (mr == 6 && MR == 6) {
        const r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs, r4 = r3 + rs, r5 = r4 + rs;
        let d = dst;
        for (let p = 0; p < kc; p++) {
          const o = <usize>p << 3;
          const x0 = v128.load64_splat(r0 + o), x1 = v128.load64_splat(r1 + o), x2 = v128.load64_splat(r2 + o);
          const x3 = v128.load64_splat(r3 + o), x4 = v128.load64_splat(r4 + o), x5 = v128.load64_splat(r5 + o);
          v128.store(d, x0); v128.store(d, x1, 16); v128.store(d, x2, 32);
          v128.store(d, x3, 48); v128.store(d, x4, 64); v128.store(d, x5, 80);
          bad = f64x2.add(bad, f64x2.add(f64x2.sub(x0, x0), f64x2.sub(x1, x1)));
          bad = f64x2.add(bad, f64x2.add(f64x2.sub(x2, x2), f64x2.sub(x3, x3)));
          bad = f64x2.add(bad, f64x2.add(f64x2.sub(x4, x4), f64x2.sub(x5, x5)));
          d += 96;
        }
      } else if (mr == 4 && MR == 4) {
        const r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
        let d = dst;
        for (let p = 0; p < kc; p++) {
          const o = <usize>p << 3;
          const x0 = v128.load64_splat(r0 + o), x1 = v128.load64_splat(r1 + o);
          const x2 = v128.load64_splat(r2 + o), x3 = v128.load64_splat(r3 + o);
          v128.store(d, x0);
          v128.store(d, x1, 16);
          v128.store(d, x2, 32);
          v128.store(d, x3, 48);
          // Lane-wise sum of x - x: exactly 0 unless some value is NaN or +-Infinity.
          bad = f64x2.add(bad, f64x2.add(f64x2.sub(x0, x0), f64x2.sub(x1, x1)));
          bad = f64x2.add(bad, f64x2.add(f64x2.sub(x2, x2), f64x2.sub(x3, x3)));
          d += 64;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = dst + (<usize>p * MR << 4);
          for (let i = 0; i < MR; i++) {
            const x = f64x2.splat(i < mr ? load<f64>(r0 + <usize>i * rs + (<usize>p << 3)) : 0.0);
            v128.store(d + (<usize>i << 4), x);
            bad = f64x2.add(bad, f64x2.sub(x, x));
          }
        }
      }
    } else {
      // op(A)[i, p] = a[p, i]: the MR values of column p of the panel are consecutive in row p of A.
      let s = a + ((<usize>pc * lda + ic + ir) << 3);
      let d = dst;
      if (mr == 6 && MR == 6) {
        for (let p = 0; p < kc; p++) {
          const x0 = v128.load64_splat(s), x1 = v128.load64_splat(s, 8), x2 = v128.load64_splat(s, 16);
          const x3 = v128.load64_splat(s, 24), x4 = v128.load64_splat(s, 32), x5 = v128.load64_splat(s, 40);
          v128.store(d, x0); v128.store(d, x1, 16); v128.store(d, x2, 32);
          v128.store(d, x3, 48); v128.store(d, x4, 64); v128.store(d, x5, 80);
          bad = f64x2.add(bad, f64x2.add(f64x2.sub(x0, x0), f64x2.sub(x1, x1)));
          bad = f64x2.add(bad, f64x2.add(f64x2.sub(x2, x2), f64x2.sub(x3, x3)));
          bad = f64x2.add(bad, f64x2.add(f64x2.sub(x4, x4), f64x2.sub(x5, x5)));
          s += rs;
          d += 96;
        }
      } else if (mr == 4 && MR == 4) {
        for (let p = 0; p < kc; p++) {
          const x0 = v128.load64_splat(s), x1 = v128.load64_splat(s, 8);
          const x2 = v128.load64_splat(s, 16), x3 = v128.load64_splat(s, 24);
          v128.store(d, x0);
          v128.store(d, x1, 16);
          v128.store(d, x2, 32);
          v128.store(d, x3, 48);
          bad = f64x2.add(bad, f64x2.add(f64x2.sub(x0, x0), f64x2.sub(x1, x1)));
          bad = f64x2.add(bad, f64x2.add(f64x2.sub(x2, x2), f64x2.sub(x3, x3)));
          s += rs;
          d += 64;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let i = 0; i < MR; i++) {
            const x = f64x2.splat(i < mr ? load<f64>(s + (<usize>i << 3)) : 0.0);
            v128.store(d + (<usize>i << 4), x);
            bad = f64x2.add(bad, f64x2.sub(x, x));
          }
          s += rs;
          d += <usize>MR << 4;
        }
      }
    }
    dst += <usize>MR * kc << 4;
  }
  return lanes(bad);
}

/**
 * Pack op(B)[pc : pc+kc, jc : jc+nc] into ceil(nc/NR) micro-panels of kc x NR, panel after panel.
 * transB = 0: op(B)[p, j] = b[p*ldb + j]; transB = 1: op(B)[p, j] = b[j*ldb + p].
 * Returns the finiteness indicator (0: all packed values finite, NaN: at least one NaN/Infinity).
 */
export function gemm_f64_pack_b(transB: i32, kc: i32, nc: i32, b: usize, ldb: i32, pc: i32, jc: i32, dst: usize): f64 {
  const rs = <usize>ldb << 3;
  let bad = f64x2.splat(0);
  let bads: f64 = 0;
  for (let jr = 0; jr < nc; jr += GEMM_NR) {
    const nr = min(GEMM_NR, nc - jr);
    if (transB == 0) {
      // Row p of B holds NR consecutive doubles of the panel.
      let s = b + ((<usize>pc * ldb + jc + jr) << 3);
      let d = dst;
      if (nr == GEMM_NR) {
        for (let p = 0; p < kc; p++) {
          const x0 = v128.load(s), x1 = v128.load(s, 16);
          v128.store(d, x0);
          v128.store(d, x1, 16);
          bad = f64x2.add(bad, f64x2.add(f64x2.sub(x0, x0), f64x2.sub(x1, x1)));
          s += rs;
          d += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let j = 0; j < GEMM_NR; j++) {
            const x = j < nr ? load<f64>(s + (<usize>j << 3)) : 0.0;
            store<f64>(d + (<usize>j << 3), x);
            bads += x - x;
          }
          s += rs;
          d += 32;
        }
      }
    } else {
      // op(B)[p, j] = b[j, p]: NR rows of B, each contiguous in p.
      const r0 = b + ((<usize>(jc + jr) * ldb + pc) << 3);
      if (nr == GEMM_NR) {
        const r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
        let d = dst;
        for (let p = 0; p < kc; p++) {
          const o = <usize>p << 3;
          const x0 = load<f64>(r0 + o), x1 = load<f64>(r1 + o), x2 = load<f64>(r2 + o), x3 = load<f64>(r3 + o);
          store<f64>(d, x0);
          store<f64>(d, x1, 8);
          store<f64>(d, x2, 16);
          store<f64>(d, x3, 24);
          bads += ((x0 - x0) + (x1 - x1)) + ((x2 - x2) + (x3 - x3));
          d += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = dst + (<usize>p * GEMM_NR << 3);
          for (let j = 0; j < GEMM_NR; j++) {
            const x = j < nr ? load<f64>(r0 + <usize>j * rs + (<usize>p << 3)) : 0.0;
            store<f64>(d + (<usize>j << 3), x);
            bads += x - x;
          }
        }
      }
    }
    dst += <usize>GEMM_NR * kc << 3;
  }
  return lanes(bad) + bads;
}
