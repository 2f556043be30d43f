// Packing (BLIS bli_l3_packab): copy a block of op(A) or op(B) into the contiguous micro-panel layout the
// micro-kernel reads (see the contract in gemm_f64_4x4_simd.ts). Both transposes are handled here, so the
// macro- and micro-kernels never see a stride or a transpose. Partial panels are padded with zeros; padded
// rows/columns only feed tile entries that are discarded, so they never change a valid result.
import { GEMM_MR, GEMM_NR } from "./gemm_f64_params";

/**
 * Pack op(A)[ic : ic+mc, pc : pc+kc] into ceil(mc/MR) micro-panels of MR x kc, panel after panel, every value
 * stored twice (f64x2 splat, 2 * MR * kc doubles per panel) as the micro-kernel contract requires.
 * transA = 0: op(A)[i, p] = a[i*lda + p]; transA = 1: op(A)[i, p] = a[p*lda + i].
 */
export function gemm_f64_pack_a(transA: i32, mc: i32, kc: i32, a: usize, lda: i32, ic: i32, pc: i32, dst: usize): void {
  const rs = <usize>lda << 3;
  for (let ir = 0; ir < mc; ir += GEMM_MR) {
    const mr = min(GEMM_MR, mc - ir);
    if (transA == 0) {
      // Rows of A are contiguous in p: read 4 row streams, write interleaved.
      const r0 = a + ((<usize>(ic + ir) * lda + pc) << 3);
      if (mr == GEMM_MR) {
        const r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
        let d = dst;
        for (let p = 0; p < kc; p++) {
          const o = <usize>p << 3;
          v128.store(d, v128.load64_splat(r0 + o));
          v128.store(d, v128.load64_splat(r1 + o), 16);
          v128.store(d, v128.load64_splat(r2 + o), 32);
          v128.store(d, v128.load64_splat(r3 + o), 48);
          d += 64;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = dst + (<usize>p * GEMM_MR << 4);
          for (let i = 0; i < GEMM_MR; i++) {
            v128.store(d + (<usize>i << 4), f64x2.splat(i < mr ? load<f64>(r0 + <usize>i * rs + (<usize>p << 3)) : 0.0));
          }
        }
      }
    } else {
      // op(A)[i, p] = a[p, i]: the MR values of column p of the panel are consecutive in row p of A.
      let s = a + ((<usize>pc * lda + ic + ir) << 3);
      let d = dst;
      if (mr == GEMM_MR) {
        for (let p = 0; p < kc; p++) {
          v128.store(d, v128.load64_splat(s));
          v128.store(d, v128.load64_splat(s, 8), 16);
          v128.store(d, v128.load64_splat(s, 16), 32);
          v128.store(d, v128.load64_splat(s, 24), 48);
          s += rs;
          d += 64;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let i = 0; i < GEMM_MR; i++) {
            v128.store(d + (<usize>i << 4), f64x2.splat(i < mr ? load<f64>(s + (<usize>i << 3)) : 0.0));
          }
          s += rs;
          d += 64;
        }
      }
    }
    dst += <usize>GEMM_MR * kc << 4;
  }
}

/**
 * Pack op(B)[pc : pc+kc, jc : jc+nc] into ceil(nc/NR) micro-panels of kc x NR, panel after panel.
 * transB = 0: op(B)[p, j] = b[p*ldb + j]; transB = 1: op(B)[p, j] = b[j*ldb + p].
 */
export function gemm_f64_pack_b(transB: i32, kc: i32, nc: i32, b: usize, ldb: i32, pc: i32, jc: i32, dst: usize): void {
  const rs = <usize>ldb << 3;
  for (let jr = 0; jr < nc; jr += GEMM_NR) {
    const nr = min(GEMM_NR, nc - jr);
    if (transB == 0) {
      // Row p of B holds NR consecutive doubles of the panel.
      let s = b + ((<usize>pc * ldb + jc + jr) << 3);
      let d = dst;
      if (nr == GEMM_NR) {
        for (let p = 0; p < kc; p++) {
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
          s += rs;
          d += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let j = 0; j < GEMM_NR; j++) {
            store<f64>(d + (<usize>j << 3), j < nr ? load<f64>(s + (<usize>j << 3)) : 0.0);
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
          store<f64>(d, load<f64>(r0 + o));
          store<f64>(d, load<f64>(r1 + o), 8);
          store<f64>(d, load<f64>(r2 + o), 16);
          store<f64>(d, load<f64>(r3 + o), 24);
          d += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = dst + (<usize>p * GEMM_NR << 3);
          for (let j = 0; j < GEMM_NR; j++) {
            store<f64>(d + (<usize>j << 3), j < nr ? load<f64>(r0 + <usize>j * rs + (<usize>p << 3)) : 0.0);
          }
        }
      }
    }
    dst += <usize>GEMM_NR * kc << 3;
  }
}
