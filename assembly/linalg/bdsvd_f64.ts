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
 * Returns the number of QR steps (>= 0) or -1 if the cap was reached. rot: scratch of 4 N float64 (the rotations
 * of one QR step, applied to U and V after the step as a chain, like LAPACK's dlasr).
 */
export function bdsvd_f64(M: i32, N: i32, d: usize, e: usize, u: usize, v: usize, rot: usize, maxSteps: i32): i32 {
  const ldu = <usize>M << 3, ldv = <usize>N << 3;
  const vc = rot, vs = vc + (<usize>N << 3), uc = vs + (<usize>N << 3), us = uc + (<usize>N << 3);
  store<f64>(e + (<usize>(N - 1) << 3), 0.0);
  let p = N, steps = 0;
  // Every pass either deflates (p decreases, at most N times), zeroes an entry (a split, at most 2 N times between
  // QR steps in practice) or performs a capped QR step; the pass cap only guarantees termination.
  let passes: i64 = 0;
  const maxPasses: i64 = <i64>maxSteps * 4 + <i64>N * 8 + 16;
  while (p > 0) {
    if (++passes > maxPasses) return -1;
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
        store<f64>(vc + (<usize>j << 3), cs); store<f64>(vs + (<usize>j << 3), -sn);
        t = Math.hypot(f, g);
        cs = f / t; sn = g / t;
        store<f64>(d + (<usize>j << 3), t);
        f = cs * ej2 + sn * dj1b;
        store<f64>(d + (<usize>(j + 1) << 3), -sn * ej2 + cs * dj1b);
        const ej1 = load<f64>(e + (<usize>(j + 1) << 3));
        g = sn * ej1;
        store<f64>(e + (<usize>(j + 1) << 3), cs * ej1);
        store<f64>(e + (<usize>j << 3), ej2); // overwritten by t in the next iteration or by f below
        store<f64>(uc + (<usize>j << 3), cs); store<f64>(us + (<usize>j << 3), -sn);
      }
      store<f64>(e + (<usize>(p - 2) << 3), f);
      rot_chain(vc, vs, k, p - 1, v, ldv, N);
      rot_chain(uc, us, k, p - 1, u, ldu, M);
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

/**
 * Apply the chain of rotations R_j on columns (j, j+1), j = j0 .. j1-1 in this order (x' = c_j x - s_j y,
 * y' = s_j x + c_j y, c_j and s_j at cs, sn), to the n-row columns at base (stride ld bytes). Four rotations share
 * one pass (five columns loaded and stored once instead of four times two): per entry the same operations in the
 * same order as four rot_f64 calls, so the same bits.
 */
function rot_chain(cs: usize, sn: usize, j0: i32, j1: i32, base: usize, ld: usize, n: i32): void {
  let j = j0;
  for (; j + 4 <= j1; j += 4) {
    const o = <usize>j << 3;
    const c0 = load<f64>(cs + o), c1 = load<f64>(cs + o, 8), c2 = load<f64>(cs + o, 16), c3 = load<f64>(cs + o, 24);
    const s0 = load<f64>(sn + o), s1 = load<f64>(sn + o, 8), s2 = load<f64>(sn + o, 16), s3 = load<f64>(sn + o, 24);
    const vc0 = f64x2.splat(c0), vc1 = f64x2.splat(c1), vc2 = f64x2.splat(c2), vc3 = f64x2.splat(c3);
    const vs0 = f64x2.splat(s0), vs1 = f64x2.splat(s1), vs2 = f64x2.splat(s2), vs3 = f64x2.splat(s3);
    const p0 = base + <usize>j * ld, p1 = p0 + ld, p2 = p1 + ld, p3 = p2 + ld, p4 = p3 + ld;
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const q = <usize>i << 3;
      const a = v128.load(p0 + q), b = v128.load(p1 + q), c = v128.load(p2 + q), d = v128.load(p3 + q), e = v128.load(p4 + q);
      v128.store(p0 + q, f64x2.sub(f64x2.mul(vc0, a), f64x2.mul(vs0, b)));
      const b1 = f64x2.add(f64x2.mul(vs0, a), f64x2.mul(vc0, b));
      v128.store(p1 + q, f64x2.sub(f64x2.mul(vc1, b1), f64x2.mul(vs1, c)));
      const c1v = f64x2.add(f64x2.mul(vs1, b1), f64x2.mul(vc1, c));
      v128.store(p2 + q, f64x2.sub(f64x2.mul(vc2, c1v), f64x2.mul(vs2, d)));
      const d1 = f64x2.add(f64x2.mul(vs2, c1v), f64x2.mul(vc2, d));
      v128.store(p3 + q, f64x2.sub(f64x2.mul(vc3, d1), f64x2.mul(vs3, e)));
      v128.store(p4 + q, f64x2.add(f64x2.mul(vs3, d1), f64x2.mul(vc3, e)));
    }
    if (i < n) {
      const q = <usize>i << 3;
      const a = load<f64>(p0 + q), b = load<f64>(p1 + q), c = load<f64>(p2 + q), d = load<f64>(p3 + q), e = load<f64>(p4 + q);
      store<f64>(p0 + q, c0 * a - s0 * b);
      const b1 = s0 * a + c0 * b;
      store<f64>(p1 + q, c1 * b1 - s1 * c);
      const c1v = s1 * b1 + c1 * c;
      store<f64>(p2 + q, c2 * c1v - s2 * d);
      const d1 = s2 * c1v + c2 * d;
      store<f64>(p3 + q, c3 * d1 - s3 * e);
      store<f64>(p4 + q, s3 * d1 + c3 * e);
    }
  }
  for (; j < j1; j++) {
    const o = <usize>j << 3;
    rot_f64(load<f64>(cs + o), load<f64>(sn + o), base + <usize>j * ld, base + <usize>(j + 1) * ld, n);
  }
}
