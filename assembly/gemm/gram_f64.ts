// Gram matrix C = alpha * X^T X (d x d) of a row-major m x d matrix X (samples as rows), the SYRK shape.
// Runs the blocked GEMM with op(A) = X^T, op(B) = X in "upper" mode, which skips register tiles strictly
// below the diagonal (about half the flops for d >> MR), then mirrors the upper triangle into the lower one,
// so the result is exactly symmetric. Entry (i, j) is summed in the same order as gemm_f64(1, 0, ...) would.
import { gemm_f64_blocked } from "./gemm_f64_blocked";
import { GEMM_WS } from "./gemm_f64_workspace";
import { gemm_f64_mirror_upper } from "./gram_f64_blocked";

/** C (d x d, row stride ldc) = alpha * X^T X, X m x d with row stride ldx. C is never read. */
export function gram_f64(m: i32, d: i32, alpha: f64, x: usize, ldx: i32, c: usize, ldc: i32): void {
  gemm_f64_blocked(1, 0, d, d, m, alpha, x, ldx, x, ldx, 0.0, c, ldc, GEMM_WS, 1, 0, d);
  gemm_f64_mirror_upper(d, c, ldc);
}

/** gram_f64 that also returns 1 if an entry of X is NaN or +-Infinity (found while packing), else 0 (m, d >= 1). */
export function gram_f64_checked(m: i32, d: i32, alpha: f64, x: usize, ldx: i32, c: usize, ldc: i32): i32 {
  const bad = gemm_f64_blocked(1, 0, d, d, m, alpha, x, ldx, x, ldx, 0.0, c, ldc, GEMM_WS, 1, 0, d);
  gemm_f64_mirror_upper(d, c, ldc);
  return bad != bad ? 1 : 0;
}
