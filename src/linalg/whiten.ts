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
import { assertBoolean, assertMatrix, assertNonNegative, assertOptions, def } from "../validate.js";
import { svdScaledUnchecked } from "./svd.js";
import { OverflowError } from "../errors.js";
import { formatScaled, ldexp, normalizingExponent } from "./scale.js";
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
 * Range: everything is computed on 2^E X (exact power-of-two scaling, centering included), so data near 1e-310
 * or 1e308 whitens as accurately as data near 1; results are scaled back once. If a result does not fit in
 * float64 — P (entries ~ sqrt(m) / D_j, e.g. data near 1e-310) or singularValues (e.g. 1e308 entries in many
 * rows) — an OverflowError names X; entries below 2^-1022 (P of huge data, singularValues of tiny data) are
 * rounded to the subnormal grid.
 * Errors: InvalidArgumentError for a malformed X or bad options; OverflowError as above; ConvergenceError from
 * the SVD (never seen in practice).
 */
export function whiten(core: Core, X: Matrix, options?: WhitenOptions): WhitenResult {
  assertOptions("options", options);
  const center = def(options?.center, false);
  assertBoolean("options.center", center);
  const tol = options?.tolerance;
  if (tol !== undefined) assertNonNegative("options.tolerance", tol);
  assertMatrix("X", X);
  const m = X.rows, d = X.cols;
  assertAffordable(core, costWhiten(core, m, d, center));
  let data = X.data;
  let mean: Float64Array | undefined;
  // Centering runs on 2^s X (max |entry| in [1, 2), exact) so that neither the column sums nor the differences
  // can overflow (|x - mean| may reach 2 max |x|); everything below is in that scale, then scaled back once.
  let s = 0;
  if (center) {
    s = normalizingExponent(X.data);
    const sc = (x: number) => ldexp(x, s);
    const ms = new Float64Array(d);
    for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) ms[j] += sc(data[i * d + j]);
    for (let j = 0; j < d; j++) ms[j] /= m;
    data = new Float64Array(m * d);
    for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) data[i * d + j] = sc(X.data[i * d + j]) - ms[j];
    mean = new Float64Array(d);
    for (let j = 0; j < d; j++) mean[j] = ldexp(ms[j], -s);
  }
  // SVD of 2^E X (E = s + the SVD's own scaling): S, rank and the cutoff are compared in that scale.
  const { U, S: Ss, V, rank: svdRank, tolerance: tolS, scaleExp } = svdScaledUnchecked(core, m, d, data);
  const E = s + scaleExp; // singular values of the (centered) X are 2^-E Ss
  const k = Ss.length;
  if (k > 0 && !Number.isFinite(ldexp(Ss[0], -E))) {
    throw new OverflowError("whiten", "X", `a matrix whose singular values fit in float64 (<= ${Number.MAX_VALUE}; ` +
      `the largest is ${formatScaled(Ss[0], -E)})`, X);
  }
  const S = new Float64Array(k);
  for (let i = 0; i < k; i++) S[i] = ldexp(Ss[i], -E);
  const cutoff = tol ?? ldexp(tolS, -E);
  let r = tol === undefined ? svdRank : 0;
  if (tol !== undefined) {
    const tolScaled = ldexp(tol, E);
    while (r < k && Ss[r] > tolScaled) r++;
  }
  const sm = Math.sqrt(m);
  const Z = new Float64Array(m * r);
  for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) Z[i * r + j] = sm * U.data[i * k + j];
  // P = sqrt(m) V_r D_r^-1 = 2^E sqrt(m) V_r Ss_r^-1: finite in the scaled domain (Ss_j >= 2^-383 Ss_0), one
  // exact scaling at the end; a P that does not fit (singular values below ~sqrt(m) / 1.8e308) is refused.
  const P = new Float64Array(d * r);
  for (let j = 0; j < r; j++) {
    const f = sm / Ss[j];
    for (let i = 0; i < d; i++) {
      const p = ldexp(f * V.data[i * k + j], E);
      if (!Number.isFinite(p)) {
        throw new OverflowError("whiten", "X", `a matrix whose kept singular values give a finite whitening matrix ` +
          `P = sqrt(m) V D^-1 (D[${j}] = ${formatScaled(Ss[j], -E)} makes |P[${i}][${j}]| about ` +
          `${formatScaled(f * V.data[i * k + j], E)} > ${Number.MAX_VALUE})`, X);
      }
      P[i * r + j] = p;
    }
  }
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
