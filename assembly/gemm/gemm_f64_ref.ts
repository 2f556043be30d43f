// Naive reference GEMM, kept for the tests: C = alpha * op(A) * op(B) + beta * C, row-major.
// op(A) is m x k, op(B) is k x n; lda/ldb/ldc are row strides in elements.
// trans = 0: op(X) = X, trans = 1: op(X) = X^T. If beta == 0, C is never read (it may hold NaN).
export function gemm_f64_ref(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s: f64 = 0;
      for (let p = 0; p < k; p++) {
        const ai = transA ? (<usize>p * lda + i) : (<usize>i * lda + p);
        const bi = transB ? (<usize>j * ldb + p) : (<usize>p * ldb + j);
        s += load<f64>(a + (ai << 3)) * load<f64>(b + (bi << 3));
      }
      const ci = c + ((<usize>i * ldc + j) << 3);
      store<f64>(ci, beta == 0 ? alpha * s : alpha * s + beta * load<f64>(ci));
    }
  }
}
