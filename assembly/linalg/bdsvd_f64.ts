// SVD of an upper bidiagonal matrix by implicit shifted QR (see: Golub & Kahan 1965; Golub & Reinsch 1970;
// Demmel & Kahan 1990 for the deflation criteria; the same iteration as LAPACK dbdsqr without its zero-shift
// variant, so the singular values have ABSOLUTE accuracy O(eps ||B||) — what the engine's SVD contract asks —
// rather than dbdsqr's relative accuracy for tiny ones).
// Rotations are accumulated into U (M x N column-major) and V (N x N column-major), given on entry (e.g. the
// explicit Q and P of the bidiagonalization, so that on exit U = Q U_B and V = P V_B): each rotation mixes two
// contiguous columns (SIMD).
import { rot_f64, scal_f64 } from "./vec_f64_simd";

const EPS: f64 = 2.220446049250313e-16; // 2^-52
const TINY: f64 = 1.0020841800044864e-292; // 2^-970: below it an entry counts as zero whatever its neighbours

/**
 * Diagonalize B = bidiag(d, e) (d: N entries, e: N-1 superdiagonal entries plus one spare slot e[N-1]), updating
 * U (M x N, leading dimension M) and V (N x N, leading dimension N) so that U diag(s) V^T is unchanged.
 * On exit d holds the singular values, >= 0, UNSORTED (the caller sorts). maxSteps caps the number of QR steps.
 * Returns the number of QR steps (>= 0) or -1 if the cap was reached.
 */
export function bdsvd_f64(M: i32, N: i32, d: usize, e: usize, u: usize, v: usize, maxSteps: i32): i32 {
  const ldu = <usize>M << 3, ldv = <usize>N << 3;
  store<f64>(e + (<usize>(N - 1) << 3), 0.0);
  let p = N, steps = 0;
  while (p > 0) {
    // Largest k < p-1 with negligible e[k] (k = -1 if none): B[k+1..p-1] is unreduced.
    let k = p - 2;
    for (; k >= 0; k--) {
      const ek = Math.abs(load<f64>(e + (<usize>k << 3)));
      if (ek <= TINY + EPS * (Math.abs(load<f64>(d + (<usize>k << 3))) + Math.abs(load<f64>(d + (<usize>(k + 1) << 3))))) {
        store<f64>(e + (<usize>k << 3), 0.0);
        break;
      }
    }
    let kase = 0;
    if (k == p - 2) {
      kase = 4; // d[p-1] has converged
    } else {
      // Is some diagonal entry of the unreduced block negligible?
      let ks = p - 1;
      for (; ks > k; ks--) {
        const t = (ks != p ? Math.abs(load<f64>(e + (<usize>ks << 3))) : 0.0) + (ks != k + 1 ? Math.abs(load<f64>(e + (<usize>(ks - 1) << 3))) : 0.0);
        if (Math.abs(load<f64>(d + (<usize>ks << 3))) <= TINY + EPS * t) {
          store<f64>(d + (<usize>ks << 3), 0.0);
          break;
        }
      }
      if (ks == k) kase = 3;
      else if (ks == p - 1) kase = 1;
      else { kase = 2; k = ks; }
    }
    k++;
    if (kase == 1) {
      // d[p-1] = 0: chase e[p-2] up the column with right rotations (V).
      let f = load<f64>(e + (<usize>(p - 2) << 3));
      store<f64>(e + (<usize>(p - 2) << 3), 0.0);
      for (let j = p - 2; j >= k; j--) {
        const dj = load<f64>(d + (<usize>j << 3));
        const t = Math.hypot(f, dj);
        const cs = dj / t, sn = f / t;
        store<f64>(d + (<usize>j << 3), t);
        if (j != k) {
          const em = load<f64>(e + (<usize>(j - 1) << 3));
          f = -sn * em;
          store<f64>(e + (<usize>(j - 1) << 3), cs * em);
        }
        rot_f64(cs, -sn, v + <usize>j * ldv, v + <usize>(p - 1) * ldv, N);
      }
    } else if (kase == 2) {
      // d[k-1] = 0: chase e[k-1] along the row with left rotations (U).
      let f = load<f64>(e + (<usize>(k - 1) << 3));
      store<f64>(e + (<usize>(k - 1) << 3), 0.0);
      for (let j = k; j < p; j++) {
        const dj = load<f64>(d + (<usize>j << 3));
        const t = Math.hypot(f, dj);
        const cs = dj / t, sn = f / t;
        store<f64>(d + (<usize>j << 3), t);
        const ej = load<f64>(e + (<usize>j << 3));
        f = -sn * ej;
        store<f64>(e + (<usize>j << 3), cs * ej);
        rot_f64(cs, -sn, u + <usize>j * ldu, u + <usize>(k - 1) * ldu, M);
      }
    } else if (kase == 3) {
      // One implicit QR step on B[k..p-1] with the Wilkinson-type shift of the trailing 2 x 2 of B^T B.
      if (steps >= maxSteps) return -1;
      steps++;
      const sp0 = load<f64>(d + (<usize>(p - 1) << 3)), spm0 = load<f64>(d + (<usize>(p - 2) << 3));
      const epm0 = load<f64>(e + (<usize>(p - 2) << 3)), sk0 = load<f64>(d + (<usize>k << 3)), ek0 = load<f64>(e + (<usize>k << 3));
      const scale = Math.max(Math.max(Math.max(Math.max(Math.abs(sp0), Math.abs(spm0)), Math.abs(epm0)), Math.abs(sk0)), Math.abs(ek0));
      const sp = sp0 / scale, spm1 = spm0 / scale, epm1 = epm0 / scale, sk = sk0 / scale, ek = ek0 / scale;
      const bb = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2.0;
      const cc = (sp * epm1) * (sp * epm1);
      let shift: f64 = 0;
      if (bb != 0 || cc != 0) {
        shift = Math.sqrt(bb * bb + cc);
        if (bb < 0) shift = -shift;
        shift = cc / (bb + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = Math.hypot(f, g);
        let cs = f / t, sn = g / t;
        if (j != k) store<f64>(e + (<usize>(j - 1) << 3), t);
        const dj = load<f64>(d + (<usize>j << 3)), ej = load<f64>(e + (<usize>j << 3)), dj1 = load<f64>(d + (<usize>(j + 1) << 3));
        f = cs * dj + sn * ej;
        const ej2 = cs * ej - sn * dj;
        g = sn * dj1;
        const dj1b = cs * dj1;
        rot_f64(cs, -sn, v + <usize>j * ldv, v + <usize>(j + 1) * ldv, N);
        t = Math.hypot(f, g);
        cs = f / t; sn = g / t;
        store<f64>(d + (<usize>j << 3), t);
        f = cs * ej2 + sn * dj1b;
        store<f64>(d + (<usize>(j + 1) << 3), -sn * ej2 + cs * dj1b);
        const ej1 = load<f64>(e + (<usize>(j + 1) << 3));
        g = sn * ej1;
        store<f64>(e + (<usize>(j + 1) << 3), cs * ej1);
        store<f64>(e + (<usize>j << 3), ej2); // overwritten by t in the next iteration or by f below
        rot_f64(cs, -sn, u + <usize>j * ldu, u + <usize>(j + 1) * ldu, M);
      }
      store<f64>(e + (<usize>(p - 2) << 3), f);
    } else {
      // Converged: make d[k] >= 0 (flip V's column), shrink the active block.
      const dk = load<f64>(d + (<usize>k << 3));
      if (dk < 0) {
        store<f64>(d + (<usize>k << 3), -dk);
        scal_f64(-1.0, v + <usize>k * ldv, N);
      } else if (dk == 0) {
        store<f64>(d + (<usize>k << 3), 0.0); // -0 -> +0
      }
      p--;
    }
  }
  return steps;
}
