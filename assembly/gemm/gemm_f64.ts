// Optimized GEMM entry point (same contract as gemm_f64_ref). Placeholder until the blocked
// SIMD kernel lands: it forwards to the reference kernel.
import { gemm_f64_ref } from "./gemm_f64_ref";

export function gemm_f64(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32,
): void {
  gemm_f64_ref(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
