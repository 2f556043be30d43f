/**
 * Covariance factors for multivariate normal sampling: pivoted Cholesky P^T Sigma P = L L^T
 * (assembly/random/cholesky_pivoted_f64.ts, LAPACK dpstf2 / Higham 2002 Sec. 10.3), which accepts positive
 * SEMIdefinite Sigma (rank r <= d) and rejects indefinite ones with a clear error.
 */
import type { Core } from "../core/core.js";
import type { Matrix } from "../types.js";
import { InvalidArgumentError, OverflowError } from "../errors.js";
import { exponentOf, formatScaled, ldexp } from "../linalg/scale.js";
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
      const v = i === j ? a : 0.5 * a + 0.5 * b; // (a + b) / 2 to the bit, without overflow near 1.8e308
      S[i * d + j] = v;
      S[j * d + i] = v;
    }
  }
  // Factor 2^-2t S (max |entry| in [1, 4): exact scaling, nothing over- or underflows in the elimination) and
  // scale L back by 2^t: the same bits as factoring S directly whenever that stays in range.
  const t = maxAbs > 0 ? Math.floor(exponentOf(maxAbs) / 2) : 0;
  if (t !== 0) for (let i = 0; i < d * d; i++) S[i] = ldexp(S[i], -2 * t);
  const tol = d * EPS * ldexp(maxDiag, -2 * t);
  const tolPsd = 64 * d * EPS * ldexp(maxAbs, -2 * t);
  return core.scope((ar) => {
    const pa = ar.put(S);
    const pp = ar.alloc(4 * d);
    const r = core.x.cholesky_pivoted_f64(pa, d, pp, tol, tolPsd);
    if (r < 0) {
      throw new InvalidArgumentError(name, `positive semidefinite (pivoted Cholesky met a Schur complement entry beyond ${formatScaled(tolPsd, 2 * t)} = 64 d eps max|cov|)`, cov);
    }
    const L = ar.take(pa, d * d);
    if (t !== 0) for (let i = 0; i < d * d; i++) L[i] = ldexp(L[i], t);
    return { d, rank: r, L, perm: ar.i32(pp, d).slice() };
  });
}

/**
 * X[i][perm[j]] = mean[perm[j]] + sum_{p < rank} Z[i][p] L[j][p] for `count` rows: the affine map x = mu + P L z,
 * with the product on the engine's GEMM. Z is count x d (only its first `rank` columns are used).
 * Writes into `out` (count x d, row-major) at row offsets given by `rowsOut` (or 0..count-1 when undefined).
 */
export function applyFactor(core: Core, f: CovFactor, mean: ArrayLike<number>, Z: Float64Array, count: number,
  out: Float64Array, rowsOut?: Int32Array, op = "rng.mvnormal"): void {
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
        const x = mean[v] + Y[yi + j];
        // |P L z| <= 8.58 sqrt(d cov_vv) never overflows; mean + that can: a typed error, never an Infinity.
        if (!Number.isFinite(x)) {
          throw new OverflowError(op, "mean", `a vector such that every draw mean + P L z fits in float64 (draw ${i}, ` +
            `coordinate ${v}: ${mean[v]} + ${Y[yi + j]} overflows)`, mean);
        }
        out[o + v] = x;
      }
    }
  });
}
