// Pivoted Cholesky of a symmetric positive SEMIdefinite matrix (the algorithm of LAPACK dpstf2; Higham,
// "Accuracy and Stability of Numerical Algorithms", 2nd ed., Sec. 10.3): P^T A P = L L^T with L lower
// trapezoidal d x r, r the numerical rank. Used to sample N(mu, Sigma) as x = mu + P L z, z ~ N(0, I_r).

/**
 * In place on the row-major d x d matrix a (both triangles must hold the symmetric matrix; only the lower one is
 * read after the first pivot). perm (i32[d]) receives the pivot order: row j of L belongs to variable perm[j].
 * Step j picks the largest remaining diagonal; it stops when that is <= tol (rank r = j). Then it checks the
 * trailing (d-r) x (d-r) Schur complement: every diagonal must be >= -tolPsd and every entry |s_ik| <= tolPsd,
 * otherwise the matrix is not positive semidefinite. On success a holds L (d x d, columns >= r and the strict upper
 * triangle zeroed) and the rank r >= 0 is returned; on failure returns -1 (a is garbage).
 * Cost d^3/3 flops for full rank. Every loop is bounded by d; NaN input fails the `> tol` test and reports -1
 * unless the caller validated finiteness (the TS API does).
 */
export function cholesky_pivoted_f64(a: usize, d: i32, perm: usize, tol: f64, tolPsd: f64): i32 {
  for (let i = 0; i < d; i++) store<i32>(perm + (<usize>i << 2), i);
  let r = d;
  for (let j = 0; j < d; j++) {
    // Pivot: largest remaining diagonal entry (first one on ties: deterministic).
    let p = j;
    let best = load<f64>(a + ((<usize>j * d + j) << 3));
    for (let i = j + 1; i < d; i++) {
      const v = load<f64>(a + ((<usize>i * d + i) << 3));
      if (v > best) { best = v; p = i; }
    }
    if (!(best > tol)) { r = j; break; }
    if (p != j) {
      // Symmetric swap of rows and columns j and p (full storage).
      for (let k = 0; k < d; k++) {
        const x = a + ((<usize>j * d + k) << 3), y = a + ((<usize>p * d + k) << 3);
        const t = load<f64>(x); store<f64>(x, load<f64>(y)); store<f64>(y, t);
      }
      for (let k = 0; k < d; k++) {
        const x = a + ((<usize>k * d + j) << 3), y = a + ((<usize>k * d + p) << 3);
        const t = load<f64>(x); store<f64>(x, load<f64>(y)); store<f64>(y, t);
      }
      const pj = perm + (<usize>j << 2), pp = perm + (<usize>p << 2);
      const t = load<i32>(pj); store<i32>(pj, load<i32>(pp)); store<i32>(pp, t);
    }
    const ajj = sqrt<f64>(best);
    store<f64>(a + ((<usize>j * d + j) << 3), ajj);
    const inv = 1.0 / ajj;
    for (let i = j + 1; i < d; i++) {
      const x = a + ((<usize>i * d + j) << 3);
      store<f64>(x, load<f64>(x) * inv);
    }
    // Trailing update, lower triangle and its mirror (so later row/column swaps stay consistent).
    for (let i = j + 1; i < d; i++) {
      const lij = load<f64>(a + ((<usize>i * d + j) << 3));
      for (let k = j + 1; k <= i; k++) {
        const x = a + ((<usize>i * d + k) << 3);
        const v = load<f64>(x) - lij * load<f64>(a + ((<usize>k * d + j) << 3));
        store<f64>(x, v);
        store<f64>(a + ((<usize>k * d + i) << 3), v);
      }
    }
  }
  // Semidefiniteness check of the remaining Schur complement.
  for (let i = r; i < d; i++) {
    for (let k = r; k <= i; k++) {
      const v = load<f64>(a + ((<usize>i * d + k) << 3));
      if (i == k ? !(v >= -tolPsd) : !(abs<f64>(v) <= tolPsd)) return -1;
    }
  }
  // Keep L: zero the strict upper triangle and the columns >= r.
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      if (k > i || k >= r) store<f64>(a + ((<usize>i * d + k) << 3), 0.0);
    }
  }
  return r;
}
