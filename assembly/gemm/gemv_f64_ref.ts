// Naive reference GEMV, kept for the tests: y = alpha * op(A) x + beta * y, A is m x n row-major (stride lda).
// trans = 0: op(A) = A (x has n entries, y has m); trans = 1: op(A) = A^T (x has m, y has n).
// beta == 0 never reads y. Each y entry is one dot product summed in index order.
export function gemv_f64_ref(trans: i32, m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize): void {
  const rows = trans ? n : m, len = trans ? m : n;
  for (let i = 0; i < rows; i++) {
    let s: f64 = 0;
    for (let p = 0; p < len; p++) {
      const ai = trans ? (<usize>p * lda + i) : (<usize>i * lda + p);
      s += load<f64>(a + (ai << 3)) * load<f64>(x + (<usize>p << 3));
    }
    const q = y + (<usize>i << 3);
    store<f64>(q, beta == 0 ? alpha * s : alpha * s + beta * load<f64>(q));
  }
}
