/**
 * The invariance experiment of Theorem 1 and Definitions 1–2 (PAPERS §1.2, §1.3, §1.8 item 3): train plain GD and
 * whitening + GD on X and on X A (rows are samples, so the transform x -> A^T x acts as X -> X A) and report the
 * largest difference of the training-set predictions.
 *
 * How the random initialization transforms [E] — this is what makes the invariance exact to rounding:
 * - plain GD: W0 = G / sqrt(d) (G i.i.d. N(0,1), d x k) for X, and the COUPLED init A^{-1} W0 for X A. The coupling
 *   makes the initial predictions identical ((X A)(A^{-1} W0) = X W0). For orthogonal A, A^{-1} W0 = A^T W0 has the
 *   same law as W0 (rotation invariance of the Gaussian), so this is a legitimate coupling of the coins and GD stays
 *   coupled: W_t' = A^T W_t for all t (Definition 1, Remark 1). For a general invertible A the gradient
 *   A^T X^T delta is not A^{-1} X^T delta, so the trajectories separate: plain GD is NOT linearly invariant.
 * - whitening + GD: the learner never sees A. It whitens (Z = X P, (1/m) Z^T Z = I_r) and draws W0 = Z^T G / sqrt(m r)
 *   with G (m x k) i.i.d. N(0,1) attached to the SAMPLES ("data"-frame coins, TrainOptions.initFrame). Whitening X A
 *   gives Z' = Z R with R orthogonal (Theorem 1's proof), hence W0' = R^T W0, and GD keeps W_t' = R^T W_t: identical
 *   predictions for every invertible A, with the same coins. W0 has exactly the law N(0, 1/r) entrywise, since the
 *   columns of Z / sqrt(m) are orthonormal.
 * Rounding: the transformed data fl(X A) differs from X A by about eps cond(A) relative, and the SVD resolves the
 * column space of X A to about eps cond(X A); so "exact to rounding" means maxDiff = O(eps cond(A) cond(X)).
 */
import type { LongRunOptions, Matrix } from "../types.js";
import { AbortError, InvalidArgumentError } from "../errors.js";
import { assertInteger, assertOptions, assertPositive, snapshot, def, assertCallback, assertSignal } from "../validate.js";
import { assertEngine, assertRng, rngFrom, type EngineLike, type RngLike } from "./deps.js";
import { householderQR, mulJS, transpose } from "./qr.js";
import { forwardUnchecked } from "./network.js";
import { matmulCore, trainNetworkSync } from "./learners.js";
import * as dmath from "../math/detmath.js"; // deterministic exp/log/sin/... (same bits on every JS engine)

/** Options of {@link invarianceExperiment}. */
export interface InvarianceOptions extends LongRunOptions {
  /** Number of training samples m (rows of X). */
  m: number;
  /** Input dimension d >= 2. */
  d: number;
  /** Hidden width of the learners. */
  width: number;
  /** Number of full-batch GD steps. */
  steps: number;
  /** Condition numbers of the invertible transforms A (each >= 1). */
  conds: number[];
  /** Seed of everything (data, target, transforms, init). Default 0. */
  seed?: number | bigint;
  /** GD learning rate. Default 0.5 / width. */
  lr?: number;
  /** Width of the natural-weight target network generating the labels (B-iid-N). Default 4. */
  targetWidth?: number;
}

/** One row of the invariance table (public CLI JSON contract: learner, transform, cond, maxDiff). */
export interface InvarianceRow {
  learner: "plain" | "whitened";
  transform: "orthogonal" | "invertible";
  /** Condition number of A (1 for orthogonal). */
  cond: number;
  /** max_i |p_i - p'_i| / max_i |p_i|: relative largest difference of the training-set predictions on X and on X A. */
  maxDiff: number;
  /** max_i |p_i - p'_i| (absolute). */
  maxAbsDiff: number;
}

/**
 * A Haar-distributed orthogonal d x d matrix: Q of the Householder QR of a d x d standard Gaussian matrix, with
 * columns multiplied by sign(R_jj) (Mezzadri 2007). Deterministic for the stream.
 */
export function haarOrthogonal(rng: RngLike, d: number): Matrix {
  assertRng("rng", rng);
  assertInteger("d", d, 1, 4096);
  const G = { rows: d, cols: d, data: rng.normal(d * d) };
  const { Q, R } = householderQR(G);
  for (let j = 0; j < d; j++) {
    if (R.data[j * d + j] < 0) for (let i = 0; i < d; i++) Q.data[i * d + j] = -Q.data[i * d + j];
  }
  return Q;
}

/**
 * A random invertible d x d matrix with condition number `cond`: A = Q1 diag(s) Q2^T, Q1, Q2 Haar orthogonal,
 * s_i = cond^{-i/(d-1)} (log-spaced from 1 to 1/cond). Returns A and A^{-1} = Q2 diag(1/s) Q1^T.
 */
export function conditionedMatrix(rng: RngLike, d: number, cond: number): { A: Matrix; Ainv: Matrix } {
  assertRng("rng", rng);
  assertInteger("d", d, 1, 4096);
  if (typeof cond !== "number" || !(cond >= 1 && cond <= MAX_CONDITIONED_COND)) throw new InvalidArgumentError("cond", "a number in [1, 1e300]", cond);
  const Q1 = haarOrthogonal(rng, d), Q2 = haarOrthogonal(rng, d);
  const s = new Float64Array(d);
  for (let i = 0; i < d; i++) s[i] = d === 1 ? 1 : dmath.pow(cond, -i / (d - 1));
  const Q1s = { rows: d, cols: d, data: Q1.data.map((v, idx) => v * s[idx % d]) };
  const Q2is = { rows: d, cols: d, data: Q2.data.map((v, idx) => v / s[idx % d]) };
  return { A: mulJS(Q1s, Q2, false, true), Ainv: mulJS(Q2is, Q1, false, true) };
}

function maxDiffs(p: Float64Array, q: Float64Array): { maxDiff: number; maxAbsDiff: number } {
  let dm = 0, pm = 0;
  for (let i = 0; i < p.length; i++) {
    dm = Math.max(dm, Math.abs(p[i] - q[i]));
    pm = Math.max(pm, Math.abs(p[i]));
  }
  return { maxDiff: pm > 0 ? dm / pm : dm, maxAbsDiff: dm };
}

/** Largest condition number accepted by conditionedMatrix: A^{-1} = Q2 diag(1/s) Q1^T has entries <= cond * d <= 4096 cond. */
export const MAX_CONDITIONED_COND = 1e300;

/**
 * Largest cond(A) for which the invariance experiment still measures what it claims (error analysis, module comment):
 * the whitened rows are O(eps cond(A) cond(X)), so cond <= 1e12 keeps them below ~1e-3 relative, clearly apart from
 * the O(1) plain-invertible rows; and whitening keeps the full rank of X A only while its smallest singular value
 * (about D_1 / cond) stays above the rank cutoff max(m, d) eps D_1, i.e. cond < 1 / (max(m, d) eps) (with a
 * safety factor 16 for cond(X)). Beyond that the table would report a rank loss as a failure of invariance.
 */
export function maxInvarianceCond(m: number, d: number): number {
  return Math.min(1e12, 1 / (16 * Math.max(m, d) * 2 ** -52));
}

/**
 * Run the invariance table: for A orthogonal (cond 1) and for A invertible with each condition number in `conds`,
 * train "plain" GD and "whitened" GD (whitening + GD, Theorem 1) on X and on X A for `steps` full-batch steps and
 * report the relative largest difference of the training-set predictions (see the module comment for the
 * initialization coupling). X is m x d i.i.d. N(0,1); labels y = N_U(X) with U (d x targetWidth) i.i.d.
 * N(0, 1/d) (B-iid-N).
 *
 * Rows, in order: (plain, orthogonal, 1), (whitened, orthogonal, 1), then for each cond: (plain, invertible, cond),
 * (whitened, invertible, cond). Expected (theory): whitened rows and plain-orthogonal rows are at rounding level
 * (~eps cond); plain-invertible rows are O(1) for ill-conditioned A.
 * Determinism: everything from the seed's streams (10: X, 11: U, 12+: transforms, 1 of the learner seed: init).
 * Throws InvalidArgumentError naming `options.m`, `options.d` (>= 2), `options.width` (>= 1), `options.steps`,
 * `options.conds[i]` (finite, >= 1); AbortError through `signal`.
 */
export async function invarianceExperiment(engine: EngineLike, options: InvarianceOptions): Promise<InvarianceRow[]> {
  options = snapshot(options, "options", true);
  assertEngine(engine);
  assertOptions("options", options);
  if (options === undefined) throw new InvalidArgumentError("options", "an object", options);
  assertInteger("options.m", options.m, 1, 1e7);
  assertInteger("options.d", options.d, 2, 4096);
  assertInteger("options.width", options.width, 1, 1e5);
  assertInteger("options.steps", options.steps, 0, 1e7);
  if (!Array.isArray(options.conds)) throw new InvalidArgumentError("options.conds", "an array of numbers >= 1", options.conds);
  const condMax = maxInvarianceCond(options.m, options.d);
  options.conds.forEach((c, i) => {
    if (typeof c !== "number" || !(c >= 1 && c <= condMax)) {
      throw new InvalidArgumentError(`options.conds[${i}]`, `a number in [1, ${condMax.toPrecision(3)}] (the largest condition number the experiment resolves with ${options.m} samples in dimension ${options.d})`, c);
    }
  });
  const lr = def(options.lr, 0.5 / options.width);
  assertPositive("options.lr", lr);
  const kt = def(options.targetWidth, 4);
  assertInteger("options.targetWidth", kt, 1, 1e5);
  assertCallback("options.onProgress", options.onProgress);
  assertSignal("options.signal", options.signal);
  const { m, d, width, steps } = options;
  const seed = def(options.seed, 0);
  const root = rngFrom(engine, seed);
  const X: Matrix = { rows: m, cols: d, data: root.stream(10).normal(m * d) };
  const U: Matrix = { rows: d, cols: kt, data: root.stream(11).normal(d * kt, 0, 1 / Math.sqrt(d)) };
  const y = forwardUnchecked(engine, { W: U }, X, false);
  const W0: Matrix = { rows: d, cols: width, data: root.stream(9).normal(d * width, 0, 1 / Math.sqrt(d)) };

  const base = { y, width, steps, lr, optimizer: "gd" as const, epochs: steps, history: false, seed };
  const plainOn = (Xd: Matrix, Winit: Matrix) => trainNetworkSync(engine, { ...base, X: Xd, init: { W: Winit } }).trainPredictions;
  const whitenedOn = (Xd: Matrix) => trainNetworkSync(engine, { ...base, X: Xd, whiten: true }).trainPredictions;
  const plainRef = plainOn(X, W0);
  const whiteRef = whitenedOn(X);

  const configs: { transform: "orthogonal" | "invertible"; cond: number; stream: number }[] = [
    { transform: "orthogonal", cond: 1, stream: 12 },
    ...options.conds.map((cond, i) => ({ transform: "invertible" as const, cond, stream: 13 + i })),
  ];
  const rows: InvarianceRow[] = [];
  let done = 0;
  for (const c of configs) {
    if (options.signal?.aborted) throw new AbortError("invariance experiment");
    const rng = root.stream(c.stream);
    let A: Matrix, Ainv: Matrix;
    if (c.transform === "orthogonal") {
      A = haarOrthogonal(rng, d);
      Ainv = transpose(A);
    } else {
      ({ A, Ainv } = conditionedMatrix(rng, d, c.cond));
    }
    const XA = matmulCore(engine, X, A);
    const W0A = matmulCore(engine, Ainv, W0);
    rows.push({ learner: "plain", transform: c.transform, cond: c.cond, ...maxDiffs(plainRef, plainOn(XA, W0A)) });
    rows.push({ learner: "whitened", transform: c.transform, cond: c.cond, ...maxDiffs(whiteRef, whitenedOn(XA)) });
    done++;
    options.onProgress?.(done, configs.length);
    await new Promise<void>((res) => setTimeout(res, 0));
  }
  return rows;
}
