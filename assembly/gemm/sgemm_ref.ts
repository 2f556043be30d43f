// Naive reference SGEMM / SGEMV (float32 accumulation in index order), kept for the tests.
// Same contract as gemm_f64_ref / gemv_f64_ref with f32 data: C = alpha * op(A) * op(B) + beta * C, row-major,
// strides in elements; beta == 0 never reads C.
export function gemm_f32_ref(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s: f32 = 0;
      for (let p = 0; p < k; p++) {
        const ai = transA ? (<usize>p * lda + i) : (<usize>i * lda + p);
        const bi = transB ? (<usize>j * ldb + p) : (<usize>p * ldb + j);
        s += load<f32>(a + (ai << 2)) * load<f32>(b + (bi << 2));
      }
      const ci = c + ((<usize>i * ldc + j) << 2);
      store<f32>(ci, beta == 0 ? alpha * s : alpha * s + beta * load<f32>(ci));
    }
  }
}

/** y = alpha * op(A) x + beta * y (trans = 1: op(A) = A^T), A m x n with row stride lda; beta == 0 never reads y. */
export function gemv_f32_ref(trans: i32, m: i32, n: i32, alpha: f32, a: usize, lda: i32, x: usize, beta: f32, y: usize): void {
  const rows = trans ? n : m, len = trans ? m : n;
  for (let i = 0; i < rows; i++) {
    let s: f32 = 0;
    for (let p = 0; p < len; p++) {
      const ai = trans ? (<usize>p * lda + i) : (<usize>i * lda + p);
      s += load<f32>(a + (ai << 2)) * load<f32>(x + (<usize>p << 2));
    }
    const q = y + (<usize>i << 2);
    store<f32>(q, beta == 0 ? alpha * s : alpha * s + beta * load<f32>(q));
  }
}
