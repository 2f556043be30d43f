/**
 * Whitening per Theorem 1 of paper A (PAPERS.md section 1.3), with ROWS AS SAMPLES.
 *
 * Transposition relative to the paper: the paper stacks samples as columns, X_paper = [x_1 ... x_m] (d x m), takes
 * X_paper = U_p D V_p^T and P_paper = sqrt(m) D^{-1} U_p^T (r x d), whitened data P_paper X_paper (r x m).
 * hardlearn stores samples as rows, X = X_paper^T (m x d) = V_p D U_p^T, so our thin SVD X = U D V^T has
 * U = V_p and V = U_p, and we return P = P_paper^T = sqrt(m) V_r D_r^{-1} (d x r) and Z = X P = (P_paper X_paper)^T (m x r).
 */
import type { Core } from "../core/core.js";
import type { Matrix } from "../types.js";
import { assertBoolean, assertMatrix, assertNonNegative, assertOptions } from "../validate.js";
import { svdUnchecked } from "./svd.js";
import { assertAffordable, costWhiten } from "../cost.js";

export interface WhitenOptions {
  /** Subtract the column means (the sample mean) before whitening. Default false, as in the paper. */
  center?: boolean;
  /**
   * Absolute cutoff on singular values: rank r = #{ D_i > tolerance }. Default max(m, d) * eps * D_1
   * (eps = 2^-52, the LAPACK / numpy rank convention), i.e. the SVD's own `tolerance`.
   */
  tolerance?: number;
}

export interface WhitenResult {
  /** Whitened data Z = X P (m x r): (1/m) Z^T Z = I_r. Computed as sqrt(m) U_r, which equals X P exactly in exact arithmetic. */
  Z: Matrix;
  /** Whitening matrix P = sqrt(m) V_r D_r^{-1} (d x r); whiten new rows x (1 x d) as (x - mean) P. */
  P: Matrix;
  /** r: number of singular values of (centered) X above the cutoff. */
  rank: number;
  /** The cutoff used on singular values (options.tolerance or the default). */
  cutoff: number;
  /** Singular values D of the (centered) X, all min(m, d) of them, descending. */
  singularValues: Float64Array;
  /** Column means that were subtracted (length d); present only when options.center is true. */
  mean?: Float64Array;
}

/**
 * Whitening matrix and whitened data of Theorem 1 (paper A, PAPERS.md section 1.3), rows as samples.
 *
 * Formula: X (m x d, m samples) = U D V^T thin SVD (optionally after centering), r = #{D_i > cutoff},
 * P = sqrt(m) V_r D_r^{-1} (d x r), Z = X P = sqrt(m) U_r (m x r).
 * Invariants (each free of sign ambiguity, checked in test/whiten.test.ts): (1/m) Z^T Z = I_r; P^T X^T X P = m I_r;
 * P P^T = m (X^T X)^+ when r = rank(X); the whitened Gram Z Z^T = m U_r U_r^T is the same for X and X M for any
 * invertible d x d M (linear invariance, the point of Theorem 1).
 * Shapes: r may be 0 (zero matrix): then Z is m x 0 and P is d x 0.
 * Accuracy: inherits the SVD's backward stability; ||(1/m) Z^T Z - I|| = O(r eps); P has relative error
 * O(eps * D_1 / D_r) (the condition number of the kept part).
 * Determinism: same bits for the same input (the SVD's sign convention fixes the columns of Z and P).
 * Errors: InvalidArgumentError for a malformed X or bad options; ConvergenceError from the SVD (never seen in practice).
 */
export function whiten(core: Core, X: Matrix, options?: WhitenOptions): WhitenResult {
  assertOptions("options", options);
  const center = options?.center ?? false;
  assertBoolean("options.center", center);
  const tol = options?.tolerance;
  if (tol !== undefined) assertNonNegative("options.tolerance", tol);
  assertMatrix("X", X);
  const m = X.rows, d = X.cols;
  assertAffordable(core, costWhiten(core, m, d, center));
  let data = X.data;
  let mean: Float64Array | undefined;
  if (center) {
    mean = new Float64Array(d);
    for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
    for (let j = 0; j < d; j++) mean[j] /= m;
    data = new Float64Array(m * d);
    for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) data[i * d + j] = X.data[i * d + j] - mean[j];
  }
  const { U, S, V, rank: svdRank, tolerance } = svdUnchecked(core, m, d, data);
  const k = S.length;
  const cutoff = tol ?? tolerance;
  let r = tol === undefined ? svdRank : 0;
  if (tol !== undefined) while (r < k && S[r] > cutoff) r++;
  const sm = Math.sqrt(m);
  const Z = new Float64Array(m * r);
  for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) Z[i * r + j] = sm * U.data[i * k + j];
  const P = new Float64Array(d * r);
  for (let i = 0; i < d; i++) for (let j = 0; j < r; j++) P[i * r + j] = (sm / S[j]) * V.data[i * k + j];
  const out: WhitenResult = {
    Z: { rows: m, cols: r, data: Z },
    P: { rows: d, cols: r, data: P },
    rank: r,
    cutoff,
    singularValues: S,
  };
  if (mean) out.mean = mean;
  return out;
}
