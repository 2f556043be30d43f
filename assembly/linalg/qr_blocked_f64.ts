// Blocked Householder QR without pivoting of a tall matrix stored COLUMN-MAJOR (column j at a + j*m*8), and the
// blocked formation of its explicit Q. See: LAPACK dgeqrf / dorgqr with the compact WY representation
// H_{j0} ... H_{j0+nb-1} = I - V T V^T (Schreiber & Van Loan 1989; dlarft forward, columnwise).
// Panels of QR_NB columns are factored by Level-1/2 SIMD kernels; the trailing updates are two GEMMs each, so
// most of the 2 m n^2 flops run at GEMM speed. Used as the first stage of the SVD for m >= 4n (the column-pivoted
// QR then runs on the small n x n factor only).
import { dot_f64, scal_f64, axpy_f64, reflector_apply_f64, house_f64 } from "./vec_f64_simd";
import { qr_form_q_inplace_f64 } from "./qr_householder_f64";
import { gemm_f64 } from "../gemm/gemm_f64";

/** Panel width (columns per block reflector). Fixed so results depend only on the inputs. */
export const QR_NB: i32 = 32;

/** Scratch (float64 slots) needed by qr_blocked_f64 / qr_blocked_form_q_f64: V (m NB), T (NB^2), W (NB n). */
export function qr_blocked_work_size(m: i32, n: i32): f64 {
  return <f64>m * QR_NB + <f64>QR_NB * QR_NB + <f64>QR_NB * n;
}

/**
 * A = Q R in place (see: LAPACK dgeqrf). a: m x n column-major (m >= n); on exit R in the upper triangle,
 * reflector i below the diagonal of column i (implicit 1), tau[i]. work: qr_blocked_work_size(m, n) slots.
 */
export function qr_blocked_f64(m: i32, n: i32, a: usize, tau: usize, work: usize): void {
  const ld = <usize>m << 3;
  for (let j0 = 0; j0 < n; j0 += QR_NB) {
    const nb = min(QR_NB, n - j0);
    // Panel: unblocked Householder (dgeqr2) on columns j0..j0+nb-1, rows j0..m-1.
    for (let j = j0; j < j0 + nb; j++) {
      const x = a + <usize>j * ld + (<usize>j << 3);
      const len = m - j - 1;
      const tk = house_f64(x, x + 8, len);
      store<f64>(tau + (<usize>j << 3), tk);
      reflector_apply_f64(tk, x + 8, len, a + <usize>(j + 1) * ld + (<usize>j << 3), ld, j0 + nb - j - 1);
    }
    const nc = n - j0 - nb;
    if (nc > 0) block_reflector_apply(m, a, tau, j0, nb, a + <usize>(j0 + nb) * ld + (<usize>j0 << 3), nc, true, work);
  }
}

/**
 * Overwrite the output of qr_blocked_f64 with the explicit Q (m x n column-major; see: LAPACK dorgqr): panels in
 * reverse order, each applies its block reflector to the columns of Q already formed to its right, then forms its
 * own columns with the unblocked dorg2r.
 */
export function qr_blocked_form_q_f64(m: i32, n: i32, a: usize, tau: usize, work: usize): void {
  const ld = <usize>m << 3;
  const last = ((n - 1) / QR_NB) * QR_NB;
  for (let j0 = last; j0 >= 0; j0 -= QR_NB) {
    const nb = min(QR_NB, n - j0);
    const nc = n - j0 - nb;
    if (nc > 0) block_reflector_apply(m, a, tau, j0, nb, a + <usize>(j0 + nb) * ld + (<usize>j0 << 3), nc, false, work);
    qr_form_q_inplace_f64(m - j0, nb, a + <usize>j0 * ld + (<usize>j0 << 3), m, tau + (<usize>j0 << 3));
    for (let j = j0; j < j0 + nb; j++) memory.fill(a + <usize>j * ld, 0, <usize>j0 << 3);
  }
}

/**
 * C <- (I - V T V^T)^T C (trans = true, used by the factorization) or (I - V T V^T) C (trans = false, used to form Q),
 * for the panel's reflectors j0..j0+nb-1 (stored in a) and C = rows j0..m-1 of nc columns at c (column stride m).
 * V is copied with its explicit unit diagonal and zeros above it; T by dlarft (forward, columnwise).
 * Row-major views: column-major V (m' x nb) is row-major V^T, C is row-major C^T, so
 * W = V^T C = gemm(N, T) and C -= V W becomes C^T -= W^T V^T = gemm(T, N) with beta = 1.
 */
function block_reflector_apply(m: i32, a: usize, tau: usize, j0: i32, nb: i32, c: usize, nc: i32, trans: bool, work: usize): void {
  const ld = <usize>m << 3;
  const mp = m - j0; // rows of the panel
  const v = work;
  const t = v + ((<usize>mp * nb) << 3); // nb x nb row-major, upper triangular
  const w = t + ((<usize>nb * nb) << 3); // nb x nc row-major
  for (let cI = 0; cI < nb; cI++) {
    const vc = v + ((<usize>cI * mp) << 3);
    const src = a + <usize>(j0 + cI) * ld + (<usize>j0 << 3);
    memory.fill(vc, 0, <usize>cI << 3);
    store<f64>(vc + (<usize>cI << 3), 1.0);
    memory.copy(vc + (<usize>(cI + 1) << 3), src + (<usize>(cI + 1) << 3), <usize>(mp - cI - 1) << 3);
  }
  // T: T[i][i] = tau_i, T[0:i, i] = -tau_i T[0:i, 0:i] (V[:, 0:i]^T v_i); v_i vanishes above row i.
  for (let i = 0; i < nb; i++) {
    const ti = load<f64>(tau + (<usize>(j0 + i) << 3));
    const vi = v + ((<usize>i * mp) << 3);
    for (let l = 0; l < i; l++) {
      const vl = v + ((<usize>l * mp) << 3);
      store<f64>(w + (<usize>l << 3), dot_f64(vl + (<usize>i << 3), vi + (<usize>i << 3), mp - i));
    }
    for (let l = 0; l < i; l++) {
      let sum: f64 = 0;
      for (let k = l; k < i; k++) sum += load<f64>(t + ((<usize>l * nb + k) << 3)) * load<f64>(w + (<usize>k << 3));
      store<f64>(t + ((<usize>l * nb + i) << 3), -ti * sum);
    }
    store<f64>(t + ((<usize>i * nb + i) << 3), ti);
    for (let l = i + 1; l < nb; l++) store<f64>(t + ((<usize>l * nb + i) << 3), 0.0);
  }
  // W = V^T C (nb x nc).
  gemm_f64(0, 1, nb, nc, mp, 1.0, v, mp, c, m, 0.0, w, nc);
  // W <- T^T W (trans) or T W, in place, row by row (rows of W are contiguous: axpy).
  if (trans) {
    for (let r = nb - 1; r >= 0; r--) {
      const wr = w + ((<usize>r * nc) << 3);
      scal_f64(load<f64>(t + ((<usize>r * nb + r) << 3)), wr, nc);
      for (let l = 0; l < r; l++) axpy_f64(load<f64>(t + ((<usize>l * nb + r) << 3)), w + ((<usize>l * nc) << 3), wr, nc);
    }
  } else {
    for (let r = 0; r < nb; r++) {
      const wr = w + ((<usize>r * nc) << 3);
      scal_f64(load<f64>(t + ((<usize>r * nb + r) << 3)), wr, nc);
      for (let l = r + 1; l < nb; l++) axpy_f64(load<f64>(t + ((<usize>r * nb + l) << 3)), w + ((<usize>l * nc) << 3), wr, nc);
    }
  }
  // C^T -= W^T V^T.
  gemm_f64(1, 0, nc, mp, nb, -1.0, w, nc, v, mp, 1.0, c, m);
}
