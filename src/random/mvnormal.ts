/**
 * Covariance factors for multivariate normal sampling: pivoted Cholesky P^T Sigma P = L L^T
 * (assembly/random/cholesky_pivoted_f64.ts, LAPACK dpstf2 / Higham 2002 Sec. 10.3), which accepts positive
 * SEMIdefinite Sigma (rank r <= d) and rejects indefinite ones with a clear error.
 */
import type { Core } from "../core/core.js";
import type { Matrix } from "../types.js";
import { InvalidArgumentError } from "../errors.js";
import { assertMatrix } from "../validate.js";

const EPS = 2 ** -52;

/** Relative asymmetry accepted in a covariance: |S_ij - S_ji| <= SYMMETRY_TOL * max|S|. */
export const SYMMETRY_TOL = 1e-10;

/** A factor of Sigma: Sigma = P L L^T P^T with L (d x d row-major, columns >= rank are 0), row j of L is variable perm[j]. */
export interface CovFactor {
  d: number;
  rank: number;
  /** Row-major d x d lower-trapezoidal factor (columns >= rank zero). */
  L: Float64Array;
  /** perm[j] = index of the variable that row j of L belongs to. */
  perm: Int32Array;
}

/**
 * Validate a covariance (d x d, finite, symmetric to SYMMETRY_TOL relative, positive semidefinite) and factor it.
 * Pivot tolerance (rank decision) tol = d * eps * max_i S_ii (LAPACK dpstrf's default); semidefiniteness is
 * accepted up to tolPsd = 64 * d * eps * max|S| on the remaining Schur complement (diagonal >= -tolPsd, entries
 * |s| <= tolPsd). The factor is deterministic (fixed pivot rule, fixed operation order).
 */
export function factorCov(core: Core, name: string, cov: unknown, d: number): CovFactor {
  assertMatrix(name, cov);
  if (cov.rows !== d || cov.cols !== d) throw new InvalidArgumentError(name, `a ${d} x ${d} matrix`, cov);
  const c = cov.data;
  let maxAbs = 0, maxDiag = 0;
  for (let i = 0; i < d * d; i++) maxAbs = Math.max(maxAbs, Math.abs(c[i]));
  for (let i = 0; i < d; i++) maxDiag = Math.max(maxDiag, c[i * d + i]);
  const S = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const a = c[i * d + j], b = c[j * d + i];
      if (!(Math.abs(a - b) <= SYMMETRY_TOL * maxAbs)) {
        throw new InvalidArgumentError(`${name}[${i}][${j}]`, `equal to ${name}[${j}][${i}] = ${b} (symmetric to relative ${SYMMETRY_TOL})`, a);
      }
      const v = i === j ? a : 0.5 * (a + b);
      S[i * d + j] = v;
      S[j * d + i] = v;
    }
  }
  const tol = d * EPS * maxDiag;
  const tolPsd = 64 * d * EPS * maxAbs;
  return core.scope((ar) => {
    const pa = ar.put(S);
    const pp = ar.alloc(4 * d);
    const r = core.x.cholesky_pivoted_f64(pa, d, pp, tol, tolPsd);
    if (r < 0) {
      throw new InvalidArgumentError(name, `positive semidefinite (pivoted Cholesky met a Schur complement entry beyond ${tolPsd.toExponential(2)} = 64 d eps max|cov|)`, cov);
    }
    return { d, rank: r, L: ar.take(pa, d * d), perm: ar.i32(pp, d).slice() };
  });
}

/**
 * X[i][perm[j]] = mean[perm[j]] + sum_{p < rank} Z[i][p] L[j][p] for `count` rows: the affine map x = mu + P L z,
 * with the product on the engine's GEMM. Z is count x d (only its first `rank` columns are used).
 * Writes into `out` (count x d, row-major) at row offsets given by `rowsOut` (or 0..count-1 when undefined).
 */
export function applyFactor(core: Core, f: CovFactor, mean: ArrayLike<number>, Z: Float64Array, count: number,
  out: Float64Array, rowsOut?: Int32Array): void {
  const d = f.d;
  if (count === 0) return;
  core.scope((ar) => {
    const pY = ar.allocF64(count * d);
    if (f.rank > 0) {
      const pZ = ar.put(Z);
      const pL = ar.put(f.L);
      core.x.gemm_f64(0, 1, count, d, f.rank, 1.0, pZ, d, pL, d, 0.0, pY, d);
    } else {
      ar.f64(pY, count * d).fill(0);
    }
    const Y = ar.f64(pY, count * d);
    const perm = f.perm;
    for (let i = 0; i < count; i++) {
      const o = (rowsOut ? rowsOut[i] : i) * d, yi = i * d;
      for (let j = 0; j < d; j++) {
        const v = perm[j];
        out[o + v] = mean[v] + Y[yi + j];
      }
    }
  });
}
