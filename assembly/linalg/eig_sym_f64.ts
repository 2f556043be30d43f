// Symmetric eigendecomposition G = Z diag(lambda) Z^T of a full N x N symmetric matrix stored COLUMN-MAJOR
// (columns contiguous; for a symmetric matrix column-major and row-major coincide).
// Householder tridiagonalization (see: LAPACK dsytd2, lower) + explicit Q (dorg2r on the shifted reflectors) +
// implicit QL with Wilkinson-type shifts on the tridiagonal (see: EISPACK tql2 / JAMA EigenvalueDecomposition,
// Bowdler, Martin, Reinsch & Wilkinson 1968). Used as the PRECONDITIONER of the Jacobi SVD: its output only has
// to be orthogonal, not accurate, because the one-sided Jacobi that follows decides convergence on its own.
import { dot_f64, scal_f64, rot_f64, reflector_apply_f64, house_f64 } from "./vec_f64_simd";

const EPS: f64 = 2.220446049250313e-16;

/**
 * Q^T A Q = T tridiagonal (lower storage, see: LAPACK dsytd2). a: N x N symmetric, full storage, overwritten:
 * reflector k (acting on rows k+1..N-1, implicit 1 at row k+1) stored in a[k+2..N-1, k], tau[k].
 * Out: d[0..N) diagonal, e[0..N-1) subdiagonal of T. Scratch v, p, w: N float64 each.
 */
export function sym_tridiag_f64(n: i32, a: usize, d: usize, e: usize, tau: usize, v: usize, p: usize, w: usize): void {
  const ld = <usize>n << 3;
  for (let k = 0; k < n - 2; k++) {
    const L = n - k - 1; // size of the trailing block
    const xk = a + <usize>k * ld + (<usize>(k + 1) << 3); // a[k+1..n-1, k]
    const tk = house_f64(xk, xk + 8, L - 1);
    const beta = load<f64>(xk);
    store<f64>(tau + (<usize>k << 3), tk);
    store<f64>(d + (<usize>k << 3), load<f64>(a + <usize>k * ld + (<usize>k << 3)));
    store<f64>(e + (<usize>k << 3), beta);
    if (tk == 0) continue;
    // v = [1; x[1..]], p = tau A22 v (A22 symmetric: row i . v = column i . v), w = p - (tau/2)(p.v) v,
    // A22 -= v w^T + w v^T.
    store<f64>(v, 1.0);
    memory.copy(v + 8, xk + 8, <usize>(L - 1) << 3);
    sym_rank2_step_f64(a + <usize>(k + 1) * ld + (<usize>(k + 1) << 3), ld, L, tk, v, p, w);
  }
  if (n >= 2) {
    store<f64>(d + (<usize>(n - 2) << 3), load<f64>(a + <usize>(n - 2) * ld + (<usize>(n - 2) << 3)));
    store<f64>(e + (<usize>(n - 2) << 3), load<f64>(a + <usize>(n - 2) * ld + (<usize>(n - 1) << 3)));
  }
  store<f64>(d + (<usize>(n - 1) << 3), load<f64>(a + <usize>(n - 1) * ld + (<usize>(n - 1) << 3)));
}

/**
 * One dsytd2 trailing update of the L x L symmetric block a22 (column stride ldBytes) by H = I - tau v v^T:
 * p = tau A22 v (A22 symmetric: row i . v = column i . v), w = p - (tau/2)(p.v) v, A22 -= v w^T + w v^T.
 * A separate (not inlined) function so that V8 tiers it up after the first few calls.
 */
function sym_rank2_step_f64(a22: usize, ld: usize, L: i32, tk: f64, v: usize, p: usize, w: usize): void {
  for (let i = 0; i < L; i++) store<f64>(p + (<usize>i << 3), tk * dot_f64(a22 + <usize>i * ld, v, L));
  const alpha2 = -0.5 * tk * dot_f64(p, v, L);
  for (let i = 0; i < L; i++) {
    const o = <usize>i << 3;
    store<f64>(w + o, load<f64>(p + o) + alpha2 * load<f64>(v + o));
  }
  for (let j = 0; j < L; j++) {
    const wj = load<f64>(w + (<usize>j << 3)), vj = load<f64>(v + (<usize>j << 3));
    rank2_update_f64(a22 + <usize>j * ld, v, w, -wj, -vj, L);
  }
}

/** c[i] += alpha * x[i] + beta * y[i] (one SIMD pass). */
function rank2_update_f64(c: usize, x: usize, y: usize, alpha: f64, beta: f64, n: i32): void {
  const va = f64x2.splat(alpha), vb = f64x2.splat(beta);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(c + o, f64x2.add(v128.load(c + o), f64x2.add(f64x2.mul(va, v128.load(x + o)), f64x2.mul(vb, v128.load(y + o)))));
  }
  if (i < n) {
    const o = <usize>i << 3;
    store<f64>(c + o, load<f64>(c + o) + alpha * load<f64>(x + o) + beta * load<f64>(y + o));
  }
}

/** Q = H_0 ... H_{N-3} from sym_tridiag_f64, explicitly into q (N x N column-major; see: LAPACK dorgtr). */
export function sym_tridiag_form_q_f64(n: i32, a: usize, tau: usize, q: usize): void {
  const ld = <usize>n << 3;
  for (let j = 0; j < n; j++) {
    const qc = q + <usize>j * ld;
    memory.fill(qc, 0, ld);
    store<f64>(qc + (<usize>j << 3), 1.0);
  }
  for (let k = n - 3; k >= 0; k--) {
    // H_k acts on rows k+1..n-1; columns 0..k are still unit vectors there.
    const v1 = a + <usize>k * ld + (<usize>(k + 2) << 3);
    reflector_apply_f64(load<f64>(tau + (<usize>k << 3)), v1, n - k - 2, q + <usize>(k + 1) * ld + (<usize>(k + 1) << 3), ld, n - k - 1);
  }
}

/**
 * Eigenvalues and vectors of the symmetric tridiagonal (d, e) by implicit QL (see: EISPACK tql2, JAMA).
 * d[0..n): diagonal -> eigenvalues (unsorted); e[0..n-1): subdiagonal (destroyed; needs n slots).
 * z: n x n column-major, on entry Q (or I), on exit Q S (columns = eigenvectors), rotations applied with SIMD
 * to adjacent columns (streaming; a dlasr-style row-blocked application measured slower here).
 * At most maxIter QL iterations per eigenvalue. Returns 0, or -1 if the cap was hit or a NaN appeared
 * (z is still orthogonal up to rounding in that case unless a NaN reached it; callers check).
 */
export function tql2_f64(n: i32, d: usize, e: usize, z: usize, maxIter: i32): i32 {
  const ld = <usize>n << 3;
  store<f64>(e + (<usize>(n - 1) << 3), 0.0);
  let f: f64 = 0, tst1: f64 = 0;
  for (let l = 0; l < n; l++) {
    const dl = load<f64>(d + (<usize>l << 3)), el = load<f64>(e + (<usize>l << 3));
    tst1 = Math.max(tst1, Math.abs(dl) + Math.abs(el));
    let m = l;
    while (m < n) {
      if (Math.abs(load<f64>(e + (<usize>m << 3))) <= EPS * tst1) break;
      m++;
    }
    if (m >= n) m = n - 1; // e[n-1] = 0 makes this unreachable for finite input
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > maxIter) return -1;
        const g = load<f64>(d + (<usize>l << 3));
        const e_l = load<f64>(e + (<usize>l << 3));
        let p = (load<f64>(d + (<usize>(l + 1) << 3)) - g) / (2.0 * e_l);
        let r = Math.hypot(p, 1.0);
        if (p < 0) r = -r;
        store<f64>(d + (<usize>l << 3), e_l / (p + r));
        store<f64>(d + (<usize>(l + 1) << 3), e_l * (p + r));
        const dl1 = load<f64>(d + (<usize>(l + 1) << 3));
        const h0 = g - load<f64>(d + (<usize>l << 3));
        for (let i = l + 2; i < n; i++) store<f64>(d + (<usize>i << 3), load<f64>(d + (<usize>i << 3)) - h0);
        f += h0;
        p = load<f64>(d + (<usize>m << 3));
        let c: f64 = 1, c2: f64 = 1, c3: f64 = 1, s: f64 = 0, s2: f64 = 0;
        const el1 = load<f64>(e + (<usize>(l + 1) << 3));
        for (let i = m - 1; i >= l; i--) {
          c3 = c2; c2 = c; s2 = s;
          const ei = load<f64>(e + (<usize>i << 3)), di = load<f64>(d + (<usize>i << 3));
          const g2 = c * ei, h = c * p;
          r = Math.hypot(p, ei);
          store<f64>(e + (<usize>(i + 1) << 3), s * r);
          s = ei / r; c = p / r;
          p = c * di - s * g2;
          store<f64>(d + (<usize>(i + 1) << 3), h + s * (c * g2 + s * di));
          // Accumulate: [z_i, z_{i+1}] <- [c z_i - s z_{i+1}, s z_i + c z_{i+1}].
          rot_cols_f64(c, s, z + <usize>i * ld, z + <usize>(i + 1) * ld, n);
        }
        p = -s * s2 * c3 * el1 * load<f64>(e + (<usize>l << 3)) / dl1;
        store<f64>(e + (<usize>l << 3), s * p);
        store<f64>(d + (<usize>l << 3), c * p);
        if (!(Math.abs(s * p) <= 1.7976931348623157e308)) return -1;
      } while (Math.abs(load<f64>(e + (<usize>l << 3))) > EPS * tst1);
    }
    store<f64>(d + (<usize>l << 3), load<f64>(d + (<usize>l << 3)) + f);
    store<f64>(e + (<usize>l << 3), 0.0);
  }
  return 0;
}

/** rot_f64 as a real (not inlined) function, so V8 tiers it up while tql2_f64 itself is still running. */
function rot_cols_f64(c: f64, s: f64, x: usize, y: usize, n: i32): void {
  rot_f64(c, s, x, y, n);
}
