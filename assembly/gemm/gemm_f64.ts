// Optimized GEMM entry point, same contract as gemm_f64_ref:
//   C = alpha * op(A) * op(B) + beta * C, row-major, op(A) m x k, op(B) k x n, lda/ldb/ldc row strides
//   in elements, trans = 0: op(X) = X, trans = 1: op(X) = X^T. beta == 0 never reads C.
// Layers (BLIS): gemm_f64_blocked.ts (blocking loops) -> gemm_f64_pack.ts (packing) ->
// gemm_f64_macro.ts (macro-kernel) -> gemm_f64_4x4_simd.ts (register micro-kernel, kernel contract there).
// Uses the module's static workspace: not re-entrant within one instance (kernels never call back into JS).
// gemm_f64_cols (gemm_f64_blocked.ts) is the same product on a column range with a caller workspace.
import { gemm_f64_blocked } from "./gemm_f64_blocked";
import { GEMM_WS } from "./gemm_f64_workspace";

export function gemm_f64(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32,
): void {
  gemm_f64_blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GEMM_WS, 0, 0, n);
}

/**
 * gemm_f64 for the API: same product and bits, and returns 1 if an entry of op(A) or op(B) is NaN or +-Infinity
 * (detected while packing, at no extra pass over the inputs), else 0. C then holds garbage; the caller throws.
 * alpha == 0 or k == 0 read neither A nor B and always return 0: the caller must check the inputs itself.
 */
export function gemm_f64_checked(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32,
): i32 {
  const bad = gemm_f64_blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GEMM_WS, 0, 0, n);
  return bad != bad ? 1 : 0;
}
