// Macro-kernel (BLIS bli_gemm_ker_var2): multiply a packed MC x KC block of op(A) by a packed KC x NC panel
// of op(B) into the mc x nc block of C, one MR x NR register tile at a time (jr outer, ir inner, so the
// KC x NR micro-panel of B stays in L1 while the A micro-panels stream from L2).
import { GEMM_NR, gemm_kernel, gemm_mr } from "./gemm_f64_params";
import { gemm_f64_4x4_simd, gemm_f64_4x4_simd_u4, gemm_f64_4x4_simd_u1 } from "./gemm_f64_4x4_simd";
import { gemm_f64_6x4_simd } from "./gemm_f64_6x4_simd";

/** The selected micro-kernel variant (same layout, same per-entry order, same bits). */
// @ts-ignore: decorator
@inline function micro(kind: i32, kc: i32, pa: usize, pb: usize, alpha: f64, beta: f64, c: usize, ldc: i32): void {
  if (kind == 0) gemm_f64_4x4_simd(kc, pa, pb, alpha, beta, c, ldc);
  else if (kind == 1) gemm_f64_4x4_simd_u4(kc, pa, pb, alpha, beta, c, ldc);
  else if (kind == 2) gemm_f64_4x4_simd_u1(kc, pa, pb, alpha, beta, c, ldc);
  else gemm_f64_6x4_simd(kc, pa, pb, alpha, beta, c, ldc);
}

/**
 * C[0:mc, 0:nc] = alpha * Apacked * Bpacked + beta * C (beta == 0: C not read).
 * tile: GEMM_MR_MAX*NR doubles of scratch for edge tiles.
 * upper != 0 (gram): only tiles touching the upper triangle of the global C are computed. Local tile (ir, jr) sits
 * at global (ic + ir, jc + jr) and diag = ic - jc, so it is strictly below the diagonal when ir + diag >= jr + nr;
 * such tiles are skipped (and, ir growing, so are all later ones in the column panel).
 */
export function gemm_f64_macro(
  mc: i32, nc: i32, kc: i32, alpha: f64, beta: f64,
  pa: usize, pb: usize, c: usize, ldc: i32, tile: usize, upper: i32, diag: i32,
): void {
  const MR = gemm_mr; // tile height of the selected kernel (packed A panels were made with the same value)
  const panelA = <usize>MR * kc << 4, panelB = <usize>GEMM_NR * kc << 3;
  const kind = gemm_kernel;
  for (let jr = 0; jr < nc; jr += GEMM_NR) {
    const nr = min(GEMM_NR, nc - jr);
    const bp = pb + <usize>(jr / GEMM_NR) * panelB;
    for (let ir = 0; ir < mc; ir += MR) {
      // First global row of the tile is below its last global column: strictly lower, done with this panel.
      if (upper != 0 && ir + diag >= jr + nr) break;
      const mr = min(MR, mc - ir);
      const ap = pa + <usize>(ir / MR) * panelA;
      const cp = c + ((<usize>ir * ldc + jr) << 3);
      if (mr == MR && nr == GEMM_NR) {
        micro(kind, kc, ap, bp, alpha, beta, cp, ldc);
      } else {
        // Edge rule: full tile into scratch (= alpha * acc), then merge the valid part with the same formula.
        micro(kind, kc, ap, bp, alpha, 0.0, tile, GEMM_NR);
        for (let i = 0; i < mr; i++) {
          const crow = cp + (<usize>i * ldc << 3), trow = tile + (<usize>i * GEMM_NR << 3);
          if (beta == 0) {
            for (let j = 0; j < nr; j++) store<f64>(crow + (<usize>j << 3), load<f64>(trow + (<usize>j << 3)));
          } else {
            for (let j = 0; j < nr; j++) {
              const q = crow + (<usize>j << 3);
              store<f64>(q, load<f64>(trow + (<usize>j << 3)) + beta * load<f64>(q));
            }
          }
        }
      }
    }
  }
}
