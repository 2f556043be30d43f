// Householder QR with column pivoting of a tall matrix stored COLUMN-MAJOR (column j at a + j*m*8, m >= n).
// Algorithm: LAPACK dgeqp3 / dlaqp2 (Businger & Golub 1965; norm downdating with the Drmac & Bujanovic 2008
// recompute safeguard), unblocked, one reflector at a time; every inner loop is a contiguous SIMD dot/axpy.
import { dot_f64, scal_f64, swap_f64, reflector_apply_f64, house_f64 } from "./vec_f64_simd";

const EPS: f64 = 2.220446049250313e-16; // 2^-52
const TOL3Z: f64 = 1.4901161193847656e-8; // sqrt(EPS), the dlaqp2 recompute threshold

/**
 * A P = Q R, Householder QR with column pivoting (see: LAPACK dlaqp2, Businger & Golub 1965).
 * In:  a (m x n, column-major, m >= n >= 1).
 * Out: R in the upper triangle of a (diagonal may be negative; |R_00| >= |R_11| >= ... up to downdating error),
 *      Householder vectors v_k below the diagonal (v_k[k] = 1 implicit), tau[k] (H_k = I - tau_k v_k v_k^T,
 *      Q = H_0 H_1 ... H_{n-1}), perm[j] = original index of column j of A P (i32).
 * Scratch: vn1, vn2 (n f64 each). Never allocates.
 */
export function qr_householder_colpiv_f64(m: i32, n: i32, a: usize, tau: usize, perm: usize, vn1: usize, vn2: usize): void {
  const ld = <usize>m << 3; // bytes per column
  for (let j = 0; j < n; j++) {
    const col = a + <usize>j * ld;
    const nrm = Math.sqrt(dot_f64(col, col, m));
    store<f64>(vn1 + (<usize>j << 3), nrm);
    store<f64>(vn2 + (<usize>j << 3), nrm);
    store<i32>(perm + (<usize>j << 2), j);
  }
  for (let k = 0; k < n; k++) {
    // Pivot: the remaining column of largest (downdated) norm; first index on ties.
    let pvt = k;
    let best = load<f64>(vn1 + (<usize>k << 3));
    for (let j = k + 1; j < n; j++) {
      const v = load<f64>(vn1 + (<usize>j << 3));
      if (v > best) { best = v; pvt = j; }
    }
    if (pvt != k) {
      swap_f64(a + <usize>pvt * ld, a + <usize>k * ld, m);
      const pp = perm + (<usize>pvt << 2), pk = perm + (<usize>k << 2);
      const t = load<i32>(pp); store<i32>(pp, load<i32>(pk)); store<i32>(pk, t);
      store<f64>(vn1 + (<usize>pvt << 3), load<f64>(vn1 + (<usize>k << 3)));
      store<f64>(vn2 + (<usize>pvt << 3), load<f64>(vn2 + (<usize>k << 3)));
    }
    // Reflector H_k annihilating a[k+1..m-1, k] (see: LAPACK dlarfg; beta = -sign(alpha) * ||x||).
    const colk = a + <usize>k * ld;
    const akk = colk + (<usize>k << 3);
    const len = m - k - 1; // length of the vector below the diagonal
    const tk = house_f64(akk, akk + 8, len);
    store<f64>(tau + (<usize>k << 3), tk);
    // Apply H_k to the trailing columns (4 at a time), then downdate their norms.
    reflector_apply_f64(tk, akk + 8, len, a + <usize>(k + 1) * ld + (<usize>k << 3), ld, n - k - 1);
    for (let j = k + 1; j < n; j++) {
      const cj = a + <usize>j * ld + (<usize>k << 3);
      const pj1 = vn1 + (<usize>j << 3), pj2 = vn2 + (<usize>j << 3);
      const v1 = load<f64>(pj1);
      if (v1 != 0) {
        const r = Math.abs(load<f64>(cj)) / v1;
        let temp = 1.0 - r * r;
        if (temp < 0) temp = 0;
        const q = v1 / load<f64>(pj2);
        if (temp * q * q <= TOL3Z) {
          const nn = len > 0 ? Math.sqrt(dot_f64(cj + 8, cj + 8, len)) : 0.0;
          store<f64>(pj1, nn);
          store<f64>(pj2, nn);
        } else {
          store<f64>(pj1, v1 * Math.sqrt(temp));
        }
      }
    }
  }
}

/**
 * C <- Q C with Q = H_0 ... H_{n-1} from qr_householder_colpiv_f64 (see: LAPACK dorm2r, side = L, trans = N).
 * a, tau: the factorization (m x n column-major); c: m x nc column-major (column j at c + j*m*8).
 */
export function qr_apply_q_f64(m: i32, n: i32, a: usize, tau: usize, c: usize, nc: i32): void {
  const ld = <usize>m << 3;
  for (let k = n - 1; k >= 0; k--) {
    const vk = a + <usize>k * ld + (<usize>k << 3); // v_k[k] = 1 implicit, v_k[k+1..] stored
    reflector_apply_f64(load<f64>(tau + (<usize>k << 3)), vk + 8, m - k - 1, c + (<usize>k << 3), ld, nc);
  }
}

/**
 * Overwrite the factorization in a (m x n column-major with column stride lda >= m, from
 * qr_householder_colpiv_f64 or a panel of qr_blocked_f64) with the explicit Q = H_0 ... H_{n-1} [I_n; 0]
 * (see: LAPACK dorg2r, in place). Step i applies H_i to columns i+1..n-1 (already columns of Q below row i) and
 * then turns column i into H_i e_i = e_i - tau_i v_i. R is destroyed.
 */
export function qr_form_q_inplace_f64(m: i32, n: i32, a: usize, lda: i32, tau: usize): void {
  const ld = <usize>lda << 3;
  for (let i = n - 1; i >= 0; i--) {
    const ti = load<f64>(tau + (<usize>i << 3));
    const ci = a + <usize>i * ld;
    if (i < n - 1) reflector_apply_f64(ti, ci + (<usize>(i + 1) << 3), m - i - 1, a + <usize>(i + 1) * ld + (<usize>i << 3), ld, n - i - 1);
    if (i < m - 1) scal_f64(-ti, ci + (<usize>(i + 1) << 3), m - i - 1);
    store<f64>(ci + (<usize>i << 3), 1.0 - ti);
    memory.fill(ci, 0, <usize>i << 3);
  }
}
