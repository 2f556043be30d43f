/**
 * Thin singular value decomposition A = U diag(S) V^T (float64, WebAssembly core).
 *
 * Two algorithms, chosen by shape only (svdPathFor):
 * - Jacobi (assembly/linalg/svd_f64.ts; tall and small shapes): QR-preconditioned one-sided Jacobi (Drmac &
 *   Veselic 2008, LAPACK dgejsv simplified): B = A or A^T so that B is tall, Householder QR with column pivoting
 *   B P = Q R, then (k >= 32) an eigenvector preconditioner W0 = eig(R R^T) from a tridiagonal QL solver, then
 *   one-sided Jacobi with de Rijk pivoting on R^T W0 until every column pair is orthogonal to sqrt(k) eps
 *   relative, then a Newton–Schulz orthogonality polish; U_B = Q W, V_B = P U_x.
 * - Bidiagonal (assembly/linalg/svd_bidiag_f64.ts; k >= 100 and max(m, n) <= 1.5 k): blocked Householder
 *   bidiagonalization B = Q Bd P^T (Golub & Kahan 1965; LAPACK dgebrd panels, GEMM trailing updates), Q and P formed by blocked compact-WY reflectors (GEMM),
 *   implicit-shift QR on Bd (Golub–Reinsch, Demmel–Kahan deflation tests) with the rotations applied to Q and P.
 * Every loop is capped; NaN/Inf is detected, never propagated.
 */
import type { Core } from "../core/core.js";
import type { Matrix } from "../types.js";
import { ConvergenceError, InternalError, OverflowError } from "../errors.js";
import { formatScaled, ldexp } from "./scale.js";
import { assertMatrix } from "../validate.js";
import { assertAffordable, costSvd } from "../cost.js";
import { svdPathFor } from "./svd_path.js";

/** Machine epsilon of float64, 2^-52. */
const EPS = 2 ** -52;

/** Default cap on Jacobi sweeps (LAPACK dgesvj uses 30; QR-preconditioned Jacobi typically needs 4-10). */
export const SVD_MAX_SWEEPS = 60;

export { setSvdPath, svdPathFor, SVD_BIDIAG_MIN_K, type SvdPath } from "./svd_path.js";

/** Result of `engine.svd(A)`. */
export interface SvdResult {
  /** Left singular vectors, m x k (k = min(m, n)), orthonormal columns. */
  U: Matrix;
  /** Singular values, length k, descending, >= 0. */
  S: Float64Array;
  /** Right singular vectors, n x k, orthonormal columns. */
  V: Matrix;
  /**
   * Numerical rank: the number of S[i] > tolerance (decided before S is scaled back, so it is right also when
   * S or the tolerance fall into the subnormal range).
   */
  rank: number;
  /** The rank cutoff used: max(m, n) * eps * S[0] (eps = 2^-52; the LAPACK / numpy.linalg.matrix_rank convention). */
  tolerance: number;
  /**
   * Iteration count (diagnostic). Jacobi path: sweeps used (the last one applies no rotation). Bidiagonal path:
   * implicit-QR steps divided by k, rounded up (about 2 on random input; 0 when no step was needed).
   */
  sweeps: number;
}

/** Thin SVD of 2^scaleExp A (internal): what the WASM core computes before any unscaling. */
export interface ScaledSvd {
  U: Matrix;
  /** Singular values of 2^scaleExp A (descending; S[0] in about [1, 2 sqrt(m n)) unless A = 0). */
  S: Float64Array;
  V: Matrix;
  /** A was scaled by 2^scaleExp (exact) so that max |a_ij| is in [1, 2); S(A) = 2^-scaleExp S. */
  scaleExp: number;
  /** Numerical rank #{ S[i] > max(m, n) eps S[0] }, decided on the scaled values (no underflow). */
  rank: number;
  /** max(m, n) eps S[0] on the scaled values. */
  tolerance: number;
  sweeps: number;
}

/**
 * Thin SVD of 2^e A without validation or unscaling (internal; whitening works on it so that nothing over- or
 * underflows before the final, representable results). Throws ConvergenceError on the Jacobi cap or NaN/Inf.
 */
export function svdScaledUnchecked(core: Core, m: number, n: number, data: Float64Array, maxSweeps = SVD_MAX_SWEEPS): ScaledSvd {
  const k = Math.min(m, n);
  const bidiag = svdPathFor(m, n) === "bidiag";
  return core.scope((ar) => {
    const pA = ar.put(data);
    const pU = ar.allocF64(m * k), pS = ar.allocF64(k), pV = ar.allocF64(n * k);
    let status: number, sweeps: number, scaleExp: number;
    if (bidiag) {
      // Cap: maxSweeps QR steps per singular value (typical: 1-2); `sweeps` reports steps / k rounded up.
      const cap = maxSweeps * k;
      const pW = ar.allocF64(core.x.svd_gk_f64_work_size(m, n));
      status = core.x.svd_gk_f64(m, n, pA, pU, pS, pV, pW, cap);
      if (status === -1) throw new ConvergenceError("svd (bidiagonal QR)", cap, "step cap reached");
      if (status === -2) throw new ConvergenceError("svd (bidiagonal QR)", 0, "NaN or Infinity met");
      if (status < 0) throw new InternalError(`svd_gk_f64 returned status ${status}`);
      sweeps = Math.ceil(status / Math.max(k, 1));
      scaleExp = core.x.svd_gk_f64_scale_exp();
    } else {
      const pW = ar.allocF64(core.x.svd_f64_work_size(m, n));
      status = core.x.svd_f64(m, n, pA, pU, pS, pV, pW, maxSweeps);
      if (status === -1) throw new ConvergenceError("svd (one-sided Jacobi)", maxSweeps, "sweep cap reached");
      if (status === -2) throw new ConvergenceError("svd (one-sided Jacobi)", 0, "NaN or Infinity met");
      if (status < 0) throw new InternalError(`svd_f64 returned status ${status}`);
      sweeps = status;
      scaleExp = core.x.svd_f64_scale_exp();
    }
    const S = ar.take(pS, k);
    const tolerance = Math.max(m, n) * EPS * (k > 0 ? S[0] : 0);
    let rank = 0;
    while (rank < k && S[rank] > tolerance) rank++;
    return {
      U: { rows: m, cols: k, data: ar.take(pU, m * k) },
      S,
      V: { rows: n, cols: k, data: ar.take(pV, n * k) },
      scaleExp,
      rank,
      tolerance,
      sweeps,
    };
  });
}

/**
 * Thin SVD without validation (internal). `maxSweeps` exists so tests can exercise the non-convergence path.
 * Throws ConvergenceError if the Jacobi iteration hits its cap or meets NaN/Inf, OverflowError if the largest
 * singular value exceeds the float64 range (U and V are always representable; S is not, then).
 */
export function svdUnchecked(core: Core, m: number, n: number, data: Float64Array, maxSweeps = SVD_MAX_SWEEPS): SvdResult {
  const r = svdScaledUnchecked(core, m, n, data, maxSweeps);
  const k = r.S.length, e = -r.scaleExp;
  if (k > 0 && !Number.isFinite(ldexp(r.S[0], e))) {
    throw new OverflowError("svd", "A", `a matrix whose largest singular value fits in float64 (<= ${Number.MAX_VALUE}; ` +
      `here ${formatScaled(r.S[0], e)})`, { rows: m, cols: n });
  }
  const S = new Float64Array(k);
  for (let i = 0; i < k; i++) S[i] = ldexp(r.S[i], e);
  return { U: r.U, S, V: r.V, rank: r.rank, tolerance: ldexp(r.tolerance, e), sweeps: r.sweeps };
}

/**
 * Thin SVD `A = U diag(S) V^T` of any m x n matrix (tall, wide or square).
 *
 * Shapes: k = min(m, n); U is m x k, S a Float64Array of length k, V is n x k (row-major Matrix objects).
 * Order and signs: S is descending; in every column of V the entry of largest magnitude (first row on ties) is
 * positive, and U's column is flipped with it, so the output is a deterministic function of A (for distinct S;
 * for repeated singular values any orthonormal basis of the subspace is a valid answer and the one returned is
 * still the same for the same input bits).
 * Rank: `rank = #{ S[i] > tolerance }` with `tolerance = max(m, n) * eps * S[0]`, eps = 2^-52 (LAPACK / numpy).
 * Zero singular values: the matching columns of U and V are still orthonormal (Jacobi: completed by a second QR;
 * bidiagonal: products of reflectors and rotations), also
 * when singular values underflow to exactly 0 relative to S[0] (graded inputs with column or row scales spread
 * over 1e-300 .. 1e300: ||U^T U - I||_F, ||V^T V - I||_F <= 1e-13, tested).
 * Accuracy (backward stable, LAPACK's bar): ||A - U S V^T||_F <= c * k * eps * ||A||_F, ||U^T U - I||,
 * ||V^T V - I|| = O(k eps); each S[i] within O(k eps) * S[0] of the exact value (measured <= 1e-13 relative to
 * S[0] for k <= 500, including graded spectra down to 1e-12 * S[0] and rank-deficient inputs; see test/svd.test.ts).
 * Cost: Jacobi path O(m n^2) for the QR and U = Q W, O(k^3) for the preconditioner and O(sweeps * k^3) for Jacobi
 * (1-4 sweeps for k >= 32 and well-conditioned A, 5-9 otherwise); scratch memory 2 max(m,n) k + 4 k^2 float64 plus
 * the copies of A, U, V. Bidiagonal path: 4 M k^2 (bidiagonalization) + 2 M k^2 (Q, P) + O((M + k) k^2) rotations;
 * scratch 2 M k + k^2 + 33 (M + k) float64 (M = max(m, n)).
 * Determinism: fixed operation order, same bits on every host.
 * Range: A is factored as 2^e A with max |entry| in [1, 2) (exact), so huge and tiny inputs are as accurate as
 * any other; S is scaled back at the end. If S[0] then exceeds 1.797e308 (e.g. [[1.5e308], [1.5e308]]:
 * S = 2.12e308) an OverflowError names A; S entries below 2^-1022 are rounded to the subnormal grid (absolute
 * error <= 2^-1074 on top of the bound below), while rank is decided on the scaled values.
 * Errors: InvalidArgumentError for a malformed matrix or non-finite entries; OverflowError as above;
 * ConvergenceError if the Jacobi iteration does not converge in SVD_MAX_SWEEPS sweeps, or the bidiagonal QR in
 * SVD_MAX_SWEEPS * k steps (never seen in practice; never a hang).
 * Paper: the building block of whitening (PAPERS.md section 1.3, 1.8).
 */
export function svd(core: Core, A: Matrix): SvdResult {
  assertMatrix("A", A);
  assertAffordable(core, costSvd(core, A.rows, A.cols));
  return svdUnchecked(core, A.rows, A.cols, A.data);
}
