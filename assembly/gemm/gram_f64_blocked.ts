// Gram matrix building blocks with a caller workspace (no static memory), shared by gram_f64 and the threaded path.
import { gemm_f64_blocked } from "./gemm_f64_blocked";

/** Copy the strict upper triangle of the d x d matrix C into its strict lower triangle. */
export function gemm_f64_mirror_upper(d: i32, c: usize, ldc: i32): void {
  for (let i = 1; i < d; i++) {
    const row = c + (<usize>i * ldc << 3);
    for (let j = 0; j < i; j++) store<f64>(row + (<usize>j << 3), load<f64>(c + ((<usize>j * ldc + i) << 3)));
  }
}

/**
 * Upper-triangle tiles of columns [j0, j1) of C = alpha * X^T X, with caller workspace ws (GEMM_WS_BYTES bytes):
 * the unit of work of the threaded Gram. Call gemm_f64_mirror_upper once all columns are done.
 * Returns 1 if an entry of X[:, j0:j1] was NaN or +-Infinity (found while packing), else 0 (alpha != 0, m >= 1).
 */
export function gram_f64_cols(m: i32, d: i32, alpha: f64, x: usize, ldx: i32, c: usize, ldc: i32, ws: usize, j0: i32, j1: i32): i32 {
  const bad = gemm_f64_blocked(1, 0, d, d, m, alpha, x, ldx, x, ldx, 0.0, c, ldc, ws, 1, max(0, j0), min(d, j1));
  return bad != bad ? 1 : 0;
}

/**
 * gram_f64_cols with an addend: C = alpha * X^T X + beta * C on the same tiles (beta == 0: C not read). Calls
 * over row ranges of X starting at multiples of GEMM_KC, beta = 0 for the first and 1 for the others, give the
 * same bits as one gram_f64_cols call (same per-entry block sequence): the threaded Gram starts its worker on the
 * first rows of X while the caller still copies the rest. Returns the finiteness flag like gram_f64_cols.
 */
export function gram_f64_cols_beta(m: i32, d: i32, alpha: f64, x: usize, ldx: i32, beta: f64, c: usize, ldc: i32, ws: usize, j0: i32, j1: i32): i32 {
  const bad = gemm_f64_blocked(1, 0, d, d, m, alpha, x, ldx, x, ldx, beta, c, ldc, ws, 1, max(0, j0), min(d, j1));
  return bad != bad ? 1 : 0;
}
