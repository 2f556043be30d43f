// One-sided (Hestenes) Jacobi SVD of a square-or-tall matrix X stored COLUMN-MAJOR (column j at x + j*l*8).
// See: J. Demmel & K. Veselic, "Jacobi's method is more accurate than QR", SIAM J. Matrix Anal. Appl. 13 (1992);
// row-cyclic ordering with de Rijk's pivoting (P. de Rijk, SIAM J. Sci. Stat. Comput. 10 (1989)); convergence test
// and rotation formulas as in LAPACK dgesvj (Drmac & Veselic, SIAM J. Matrix Anal. Appl. 29 (2008)).
import { dot_f64, rot_norms_f64, rot_f64, rot2_norms_f64, swap_f64, rotNormX, rotNormY } from "./vec_f64_simd";

const EPS: f64 = 2.220446049250313e-16; // 2^-52
/** Squared column norms at or below this are treated as exactly zero (entries are pre-scaled to max |x| ~ 1). */
export const NEGLIGIBLE_NORM2: f64 = 1.2882297539194267e-231; // 2^-766: norm < 2^-383 ~ 1e-115 of the largest entry

/** Status codes (>= 0 means converged after that many sweeps). */
export const JACOBI_NO_CONVERGENCE: i32 = -1;
export const JACOBI_NAN: i32 = -2;

/**
 * One-sided Jacobi SVD (see: Hestenes 1958; Demmel & Veselic 1992; de Rijk 1989; LAPACK dgesvj).
 * Orthogonalize the columns of X (l x n, column-major) by plane rotations from the right: X <- X J_1 J_2 ...,
 * W <- W J_1 J_2 ... (W is n x n column-major, must hold the identity or an earlier orthogonal factor),
 * and d[j] <- ||x_j||^2, exact: recomputed at the start of every sweep and in every rotation pass (the update
 * formula d_p - t a_pq loses the small difference d_q - d_p of close columns, which cost ~20% more sweeps).
 * A pair (p, q) is rotated iff |x_p^T x_q| > tol * ||x_p|| ||x_q||, tol = sqrt(l) * eps (dgesvj's CTOL).
 * de Rijk pivoting: before row p of a sweep, the remaining column of largest norm is swapped to position p,
 * so the columns come out nearly sorted by decreasing norm (faster convergence, fewer swaps in the final sort).
 * Invariants: X0 W = X always (both get the same rotations and swaps); W stays orthogonal to rounding.
 * Returns the number of sweeps (>= 1) when a full sweep applied no rotation, JACOBI_NO_CONVERGENCE when
 * maxSweeps sweeps did not converge, JACOBI_NAN when a NaN/Inf showed up. Never loops more than maxSweeps sweeps.
 */
export function svd_jacobi_f64(l: i32, n: i32, x: usize, w: usize, d: usize, maxSweeps: i32): i32 {
  const ldx = <usize>l << 3, ldw = <usize>n << 3;
  const tol = Math.sqrt(<f64>l) * EPS;
  for (let sweep = 1; sweep <= maxSweeps; sweep++) {
    // Exact squared norms at the start of the sweep (and hence on return after a sweep without rotations).
    for (let j = 0; j < n; j++) {
      const c = x + <usize>j * ldx;
      const v = dot_f64(c, c, l);
      if (!(v <= 1.7976931348623157e308)) return JACOBI_NAN;
      store<f64>(d + (<usize>j << 3), v);
    }
    let rotations = 0;
    for (let p = 0; p < n - 1; p++) {
      // de Rijk: bring the largest remaining column to position p.
      let q0 = p;
      let best = load<f64>(d + (<usize>p << 3));
      for (let q = p + 1; q < n; q++) {
        const v = load<f64>(d + (<usize>q << 3));
        if (v > best) { best = v; q0 = q; }
      }
      if (q0 != p) {
        swap_f64(x + <usize>p * ldx, x + <usize>q0 * ldx, l);
        swap_f64(w + <usize>p * ldw, w + <usize>q0 * ldw, n);
        store<f64>(d + (<usize>q0 << 3), load<f64>(d + (<usize>p << 3)));
        store<f64>(d + (<usize>p << 3), best);
      }
      const r = jacobi_rotate_range(l, n, x, w, d, tol, p, p + 1, n);
      if (r < 0) return r;
      rotations += r;
    }
    if (rotations == 0) return sweep;
  }
  return JACOBI_NO_CONVERGENCE;
}

/**
 * Rotate pair (p, q) for q in [q0, q1) (one-sided Jacobi step, see svd_jacobi_f64). Returns the number of
 * rotations applied, or JACOBI_NAN. Deliberately NOT inlined: V8 tiers a WebAssembly function up from its baseline
 * compiler only between calls, so the hot loop must be a function that is called often (once per row p).
 */
function jacobi_rotate_range(l: i32, n: i32, x: usize, w: usize, d: usize, tol: f64, p: i32, q0: i32, q1: i32): i32 {
  const ldx = <usize>l << 3, ldw = <usize>n << 3;
  const xp = x + <usize>p * ldx, wp = w + <usize>p * ldw;
  let dp = load<f64>(d + (<usize>p << 3));
  let rotations = 0;
  for (let q = q0; q < q1; q++) {
    const dq = load<f64>(d + (<usize>q << 3));
    if (dp <= NEGLIGIBLE_NORM2 || dq <= NEGLIGIBLE_NORM2) continue;
    const xq = x + <usize>q * ldx, wq = w + <usize>q * ldw;
    const apq = dot_f64(xp, xq, l);
    if (!(Math.abs(apq) <= 1.7976931348623157e308)) return JACOBI_NAN;
    if (Math.abs(apq) <= tol * Math.sqrt(dp) * Math.sqrt(dq)) continue;
    rotations++;
    // Rotation that zeroes the (p, q) entry of the 2x2 Gram [[dp, apq], [apq, dq]] (Rutishauser's formulas).
    const zeta = (dq - dp) / (2.0 * apq);
    let t: f64;
    if (Math.abs(zeta) > 1e150) t = 0.5 / zeta;
    else t = (zeta >= 0 ? 1.0 : -1.0) / (Math.abs(zeta) + Math.sqrt(1.0 + zeta * zeta));
    const cs = 1.0 / Math.sqrt(1.0 + t * t);
    const sn = t * cs;
    if (l == n) rot2_norms_f64(cs, sn, xp, xq, wp, wq, l);
    else { rot_norms_f64(cs, sn, xp, xq, l); rot_f64(cs, sn, wp, wq, n); }
    dp = rotNormX;
    store<f64>(d + (<usize>p << 3), rotNormX);
    store<f64>(d + (<usize>q << 3), rotNormY);
  }
  return rotations;
}
