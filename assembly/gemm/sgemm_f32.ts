// SGEMM and float32 Gram entry points on the static workspace (sgemm_workspace.ts). Kept apart from
// sgemm_blocked.ts so that the threads build, which imports only the caller-workspace entry point gemm_f32_cols,
// gets no 2.4 MB static workspace in its (imported, shared) memory.
import { sgemm_blocked, sgemm_mirror_upper } from "./sgemm_blocked";
import { SGEMM_WS } from "./sgemm_workspace";

/** SGEMM on the static workspace (not re-entrant within one instance). */
export function gemm_f32(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32,
): void {
  sgemm_blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, SGEMM_WS, 0, 0, n);
}

/**
 * gemm_f32 for the API: same bits, and returns 1 if an entry of op(A) or op(B) is NaN or +-Infinity (seen while
 * packing), else 0. alpha == 0 or k == 0 read neither input and return 0: the caller checks them itself.
 */
export function gemm_f32_checked(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32,
): i32 {
  const bad = sgemm_blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, SGEMM_WS, 0, 0, n);
  return bad != bad ? 1 : 0;
}

/**
 * Gram C = alpha * X^T X (d x d) of the row-major m x d float32 matrix X: upper-triangle tiles of the SGEMM with
 * op(A) = X^T, op(B) = X, then mirrored (exactly symmetric; entry (i, j) in the order of gemm_f32(1, 0, ...)).
 * Returns 1 if an entry of X is NaN or +-Infinity (seen while packing), else 0 (m, d >= 1, alpha != 0).
 */
export function gram_f32_checked(m: i32, d: i32, alpha: f32, x: usize, ldx: i32, c: usize, ldc: i32): i32 {
  const bad = sgemm_blocked(1, 0, d, d, m, alpha, x, ldx, x, ldx, 0, c, ldc, SGEMM_WS, 1, 0, d);
  sgemm_mirror_upper(d, c, ldc);
  return bad != bad ? 1 : 0;
}
