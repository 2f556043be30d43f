/**
 * Target functions of Shamir's paper (PAPERS §1 and §2): clipped ReLU sums, periodic ridge functions, intersections
 * of halfspaces over the Boolean cube with their exact clipped-ReLU encoding, Proposition 1's augmentation,
 * Theorem 2's transfer matrix and Lemma 1's span test.
 */
import type { Matrix } from "../types.js";
import { InvalidArgumentError, OverflowError } from "../errors.js";
import { exponentOf, ldexp } from "../linalg/scale.js";
import {
  assertInteger, assertMatrix, assertNonNegative, assertOneOf, assertOptions, assertVector, snapshot, def } from "../validate.js";
import { checkInputs, checkNet, forwardUnchecked, type ReluNet } from "./network.js";
import { assertEngine, assertRng, rngFrom, rngOption, type EngineLike, type RngLike } from "./deps.js";
import { householderQR, columns, mulJS, transpose } from "./qr.js";
import * as dmath from "../math/detmath.js"; // deterministic exp/log/sin/... (same bits on every JS engine)

const EPS = 2 ** -52;

// ---------------------------------------------------------------------------------------------------------------
// Clipped ReLU sums (PAPERS §1.1)

/**
 * Shamir's target class `x -> [ sum_i [<w_i, x>]_+ ]_[0,1]` for every row of X (PAPERS §1.1), W d x k (columns w_i).
 * Equals reluNetForward(engine, { W }, X, { clip: true }); the clip is `[z]_+ - [z-1]_+`, exact in floating point.
 * Throws InvalidArgumentError naming `W`, `X`, `X.cols`.
 */
export function clippedReluNet(engine: EngineLike, W: Matrix, X: Matrix): Float64Array {
  W = snapshot(W, "W"); X = snapshot(X, "X");
  assertEngine(engine);
  assertMatrix("W", W);
  checkInputs("X", X, W.rows);
  return forwardUnchecked(engine, { W }, X, true);
}

// ---------------------------------------------------------------------------------------------------------------
// Periodic targets psi(<w, x>) (PAPERS §2.1, §2.2, §4.7)

export const PERIODIC_PSI = ["cos", "triangle", "sawtooth"] as const;
export type PeriodicPsi = (typeof PERIODIC_PSI)[number];

/**
 * The periodic link functions:
 * - "cos":      psi(z) = cos z, period 2 pi (Eq. (3), PAPERS §2.2);
 * - "triangle": psi(z) = T(z) = 2 |z - round(z)|, period 1, range [0, 1] (PAPERS §4.7);
 * - "sawtooth": psi(z) = z - floor(z), period 1, range [0, 1) [E].
 */
export function psiFunction(psi: PeriodicPsi): (z: number) => number {
  psi = snapshot(psi, "psi");
  assertOneOf("psi", psi, PERIODIC_PSI);
  switch (psi) {
    case "cos": return dmath.cos;
    case "triangle": return (z) => 2 * Math.abs(z - Math.round(z));
    case "sawtooth": return (z) => z - Math.floor(z);
  }
}

/** A periodic ridge target `x -> psi(<w, x>)` with |w| = r (PAPERS §2.1). */
export interface PeriodicTarget {
  w: Float64Array;
  r: number;
  psi: PeriodicPsi;
}

/**
 * Build a periodic target from a direction: w is `direction` rescaled to norm r (r = |direction| when r is omitted).
 * r = 0 gives the constant target psi(0). Throws InvalidArgumentError naming `options.direction` (non-finite, or zero
 * while r > 0), `options.r` (negative or non-finite), `options.psi`.
 */
export function periodicTarget(options: { direction: Float64Array; r?: number; psi?: PeriodicPsi }): PeriodicTarget {
  options = snapshot(options, "options");
  assertOptions("options", options);
  if (options === undefined) throw new InvalidArgumentError("options", "an object", options);
  assertVector("options.direction", options.direction);
  if (options.direction.length < 1) throw new InvalidArgumentError("options.direction.length", "a positive integer", 0);
  const psi = def(options.psi, "cos");
  assertOneOf("options.psi", psi, PERIODIC_PSI);
  let nrm = 0;
  for (const v of options.direction) nrm += v * v;
  nrm = Math.sqrt(nrm);
  const r = def(options.r, nrm);
  assertNonNegative("options.r", r);
  if (r > 0 && nrm === 0) throw new InvalidArgumentError("options.direction", "a nonzero vector when options.r > 0", options.direction);
  const w = new Float64Array(options.direction.length);
  if (r > 0) for (let i = 0; i < w.length; i++) w[i] = (options.direction[i] / nrm) * r;
  return { w, r, psi };
}

/**
 * A periodic target with w uniform on the sphere r S^{d-1} (PAPERS §4.4), drawn with engine.rng(seed).sphere.
 * Throws InvalidArgumentError naming `options.d`, `options.r` (r < 0), `options.psi`, `options.seed`.
 */
export function samplePeriodicTarget(engine: EngineLike, options: { d: number; r: number; psi?: PeriodicPsi; seed?: number | bigint; rng?: RngLike }): PeriodicTarget {
  options = snapshot(options, "options");
  assertEngine(engine);
  assertOptions("options", options);
  if (options === undefined) throw new InvalidArgumentError("options", "an object", options);
  assertInteger("options.d", options.d, 1);
  assertNonNegative("options.r", options.r);
  const psi = def(options.psi, "cos");
  assertOneOf("options.psi", psi, PERIODIC_PSI);
  if (options.r === 0) return { w: new Float64Array(options.d), r: 0, psi };
  const rng = rngOption(engine, options);
  return { w: rng.sphere(1, options.d, options.r).data, r: options.r, psi };
}

/**
 * Evaluate `psi(<w, x_i>)` for every row of X. The projections X w are one GEMM in WASM (error <= d eps sum|w||x|);
 * psi is then applied in JS (cos: detmath cos, the same bits on every engine and as the WASM core; triangle and sawtooth exact given z).
 * Note the sensitivity: |d psi/dz| <= 2 for the triangle wave, so errors in z pass through at most doubled.
 * Throws InvalidArgumentError naming `target.w`, `target.psi`, `X`, `X.cols`.
 */
export function periodicTargetForward(engine: EngineLike, target: PeriodicTarget, X: Matrix): Float64Array {
  target = snapshot(target, "target"); X = snapshot(X, "X");
  assertEngine(engine);
  if (typeof target !== "object" || target === null) throw new InvalidArgumentError("target", "a periodic target { w, r, psi }", target);
  assertVector("target.w", target.w);
  assertOneOf("target.psi", target.psi, PERIODIC_PSI);
  checkInputs("X", X, target.w.length);
  const m = X.rows, d = X.cols, f = psiFunction(target.psi);
  if (m === 0) return new Float64Array(0);
  const core = engine.core;
  const z = core.scope((ar) => {
    const pX = ar.put(X.data), pw = ar.put(target.w), pz = ar.allocF64(m);
    core.x.gemm_f64(0, 0, m, 1, d, 1, pX, d, pw, 1, 0, pz, 1);
    return ar.take(pz, m);
  });
  for (let i = 0; i < m; i++) {
    // Overflow policy: a projection beyond float64 has no representable phase (psi would give NaN): typed error.
    if (!Number.isFinite(z[i])) {
      throw new OverflowError("periodicTargetForward", "X", `inputs whose projections <w, x> fit in float64 (row ${i} ` +
        `overflows ${Number.MAX_VALUE}; scale X or target.r down)`, X);
    }
    z[i] = f(z[i]);
  }
  return z;
}

// ---------------------------------------------------------------------------------------------------------------
// Intersections of halfspaces over {0,1}^d and the clipped-ReLU encoding (PAPERS §1.4)

/**
 * An intersection of k halfspaces over {0,1}^d with integer weights: `h(x) = AND_i 1{ <w_i, x> + b_i > 0 }`.
 * W is d x k (column i = w_i), b has length k; all entries integers.
 */
export interface HalfspaceIntersection {
  W: Matrix;
  b: Float64Array;
}

function assertIntegerArray(name: string, a: ArrayLike<number>): void {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isSafeInteger(a[i])) throw new InvalidArgumentError(`${name}[${i}]`, "an integer (safe integer)", a[i]);
  }
}

/** Validates a HalfspaceIntersection (integer entries). @internal */
export function checkHalfspaces(name: string, H: unknown): { d: number; k: number } {
  if (typeof H !== "object" || H === null) throw new InvalidArgumentError(name, "a halfspace intersection { W, b }", H);
  const h = H as HalfspaceIntersection;
  assertMatrix(`${name}.W`, h.W);
  assertIntegerArray(`${name}.W.data`, h.W.data);
  assertVector(`${name}.b`, h.b, h.W.cols);
  assertIntegerArray(`${name}.b`, h.b);
  return { d: h.W.rows, k: h.W.cols };
}

/**
 * Exact evaluation of `h(x) = AND_i 1{<w_i, x> + b_i > 0}` on every row of X (returns 0/1 values).
 * Exact when every |<w_i, x> + b_i| stays below 2^53 (integer data); computed with plain JS loops.
 * Throws InvalidArgumentError naming `H.*`, `X`, `X.cols`.
 */
export function halfspacesForward(H: HalfspaceIntersection, X: Matrix): Float64Array {
  H = snapshot(H, "H"); X = snapshot(X, "X");
  const { d, k } = checkHalfspaces("H", H);
  checkInputs("X", X, d);
  const out = new Float64Array(X.rows);
  for (let t = 0; t < X.rows; t++) {
    let all = 1;
    for (let i = 0; i < k && all; i++) {
      let z = H.b[i];
      for (let p = 0; p < d; p++) z += H.W.data[p * k + i] * X.data[t * d + p];
      if (!(z > 0)) all = 0;
    }
    out[t] = all;
  }
  return out;
}

/**
 * Encode an intersection of halfspaces as a bias-free clipped ReLU network (PAPERS §1.4):
 * `w~_i = (-w_i, 1 - b_i)` in R^{d+1}, so that on x~ = (x, 1) with x in {0,1}^d
 *   `h(x) = 1 - [ sum_i [<w~_i, x~>]_+ ]_[0,1]`      (exact: every <w~_i, x~> = 1 - z_i is an integer).
 * Why: for integer z, [1 - z]_+ >= 1 iff z <= 0, else 0; the clipped sum is 1 iff some constraint fails.
 * Returns the (d+1) x k network (no bias, all-ones second layer). Exact in float64 while |entries| < 2^53.
 */
export function encodeHalfspaces(H: HalfspaceIntersection): ReluNet {
  H = snapshot(H, "H");
  const { d, k } = checkHalfspaces("H", H);
  const Wt = new Float64Array((d + 1) * k);
  for (let p = 0; p < d; p++) for (let i = 0; i < k; i++) Wt[p * k + i] = -H.W.data[p * k + i];
  for (let i = 0; i < k; i++) Wt[d * k + i] = 1 - H.b[i];
  return { W: { rows: d + 1, cols: k, data: Wt } };
}

/**
 * Inverse of {@link encodeHalfspaces}: from a bias-free (d+1) x k network with integer weights (constant input
 * coordinate last) back to `w_i = -w~_i[0..d)`, `b_i = 1 - w~_i[d]`.
 * Throws InvalidArgumentError naming `net.W` (fewer than 2 rows), `net.W.data[j]` (non-integer), `net.b` / `net.a`
 * (the encoding has neither).
 */
export function decodeHalfspaces(net: ReluNet): HalfspaceIntersection {
  net = snapshot(net, "net");
  const { d: d1, k } = checkNet("net", net);
  if (d1 < 2) throw new InvalidArgumentError("net.W.rows", "at least 2 (d inputs plus the constant coordinate)", d1);
  if (net.b !== undefined) throw new InvalidArgumentError("net.b", "absent (the encoding folds biases into the constant coordinate)", net.b);
  if (net.a !== undefined) throw new InvalidArgumentError("net.a", "absent (the encoding has an all-ones second layer)", net.a);
  assertIntegerArray("net.W.data", net.W.data);
  const d = d1 - 1;
  const W = new Float64Array(d * k), b = new Float64Array(k);
  for (let p = 0; p < d; p++) for (let i = 0; i < k; i++) W[p * k + i] = -net.W.data[p * k + i];
  for (let i = 0; i < k; i++) b[i] = 1 - net.W.data[d * k + i];
  return { W: { rows: d, cols: k, data: W }, b };
}

/** Append a column of ones: x -> (x, 1) (the constant coordinate of PAPERS §1.4). Throws naming `X`. */
export function appendOnes(X: Matrix): Matrix {
  X = snapshot(X, "X");
  assertMatrix("X", X, { minRows: 0 });
  const m = X.rows, d = X.cols, out = new Float64Array(m * (d + 1));
  for (let t = 0; t < m; t++) {
    out.set(X.data.subarray(t * d, t * d + d), t * (d + 1));
    out[t * (d + 1) + d] = 1;
  }
  return { rows: m, cols: d + 1, data: out };
}

/** All 2^d points of {0,1}^d as rows, in binary counting order (row t has bit p of t in column p). d <= 24. */
export function booleanCube(d: number): Matrix {
  assertInteger("d", d, 1, 24);
  const m = 2 ** d, out = new Float64Array(m * d);
  for (let t = 0; t < m; t++) for (let p = 0; p < d; p++) out[t * d + p] = (t >>> p) & 1;
  return { rows: m, cols: d, data: out };
}

/** Integers uniform in [lo, hi] (inclusive) from uniforms: floor(lo + u (hi - lo + 1)), u in [0, 1). @internal */
export function uniformIntegers(rng: RngLike, n: number, lo: number, hi: number): Float64Array {
  const u = rng.uniform(n), span = hi - lo + 1;
  for (let i = 0; i < n; i++) u[i] = Math.min(hi, lo + Math.floor(u[i] * span));
  return u;
}

/**
 * A random intersection of halfspaces over {0,1}^d: k in [1, maxK] uniform, weights uniform integers in
 * [-maxWeight, maxWeight], biases uniform integers in [-s, 2 s] with s = ceil(maxWeight sqrt(d/2)) (about the
 * spread of <w, x>; chosen so that both labels occur often, positive fraction ~ 0.3 for d <= 10).
 */
export function randomHalfspaces(rng: RngLike, d: number, maxK = 5, maxWeight = 3): HalfspaceIntersection {
  maxK = snapshot(maxK, "maxK"); maxWeight = snapshot(maxWeight, "maxWeight");
  assertRng("rng", rng);
  assertInteger("d", d, 1, 2 ** 20);
  assertInteger("maxK", maxK, 1, 1000);
  assertInteger("maxWeight", maxWeight, 1, 2 ** 20);
  const k = uniformIntegers(rng, 1, 1, maxK)[0];
  const W = uniformIntegers(rng, d * k, -maxWeight, maxWeight);
  const sb = Math.ceil(maxWeight * Math.sqrt(d / 2));
  const b = uniformIntegers(rng, k, -sb, 2 * sb);
  return { W: { rows: d, cols: k, data: W }, b };
}

/** Options of {@link checkHalfspaceEncoding} (public CLI contract names: dim, instances, seed). */
export interface HalfspaceCheckOptions {
  /** Cube dimension d (1..20). All 2^d points are checked when d <= 16; else `samples` random cube points. */
  dim: number;
  /** Number of random integer instances. */
  instances: number;
  /** Seed of the engine's stream. Default 0. */
  seed?: number | bigint;
  /** Largest number of halfspaces per instance. Default 5. */
  maxK?: number;
  /** Largest absolute integer weight. Default 3. */
  maxWeight?: number;
  /** Points per instance when dim > 16. Default 65536. */
  samples?: number;
}

/** Result of {@link checkHalfspaceEncoding} (public CLI contract names: checked, mismatches). */
export interface HalfspaceCheckResult {
  /** Number of (instance, point) evaluations compared. */
  checked: number;
  /** Evaluations where `1 - clippedReluNet(encode(H))` differs from h, plus instances where decode(encode(H)) != H. */
  mismatches: number;
  /** Fraction of evaluations with label 1 (shows that the instances are not trivial). */
  positiveFraction: number;
}

/**
 * Check the exact identity `h(x) = 1 - [sum_i [<w~_i,(x,1)>]_+]_[0,1]` of PAPERS §1.4 on random integer instances:
 * exhaustively over {0,1}^dim for dim <= 16, on `samples` uniform cube points otherwise. The right-hand side is
 * evaluated by the WASM clipped-ReLU kernel (GEMM), the left exactly in JS; they must agree bit for bit
 * (all intermediate values are small integers, exact in float64). Also checks decode(encode(H)) == H.
 * Deterministic for a seed. Throws InvalidArgumentError naming `options.dim`, `options.instances`, ...
 */
export function checkHalfspaceEncoding(engine: EngineLike, options: HalfspaceCheckOptions): HalfspaceCheckResult {
  options = snapshot(options, "options");
  assertEngine(engine);
  assertOptions("options", options);
  if (options === undefined) throw new InvalidArgumentError("options", "an object", options);
  assertInteger("options.dim", options.dim, 1, 20);
  assertInteger("options.instances", options.instances, 1, 1e6);
  const maxK = def(options.maxK, 5), maxWeight = def(options.maxWeight, 3), samples = def(options.samples, 65536);
  assertInteger("options.maxK", maxK, 1, 1000);
  assertInteger("options.maxWeight", maxWeight, 1, 2 ** 20);
  assertInteger("options.samples", samples, 1, 2 ** 24);
  const rng = rngFrom(engine, def(options.seed, 0));
  const d = options.dim;
  const exhaustive = d <= 16;
  const cubeX = exhaustive ? booleanCube(d) : undefined;
  let checked = 0, mismatches = 0, positives = 0;
  for (let t = 0; t < options.instances; t++) {
    const H = randomHalfspaces(rng.stream(2 * t), d, maxK, maxWeight);
    const X = cubeX ?? rng.stream(2 * t + 1).cube01(samples, d);
    const exact = halfspacesForward(H, X);
    const net = encodeHalfspaces(H);
    const f = forwardUnchecked(engine, net, appendOnes(X), true);
    for (let i = 0; i < X.rows; i++) {
      if (1 - f[i] !== exact[i]) mismatches++;
      positives += exact[i];
    }
    checked += X.rows;
    const back = decodeHalfspaces(net);
    let same = back.b.every((v, i) => v === H.b[i]) && back.W.data.every((v, i) => v === H.W.data[i]);
    if (!same) mismatches++;
  }
  return { checked, mismatches, positiveFraction: positives / checked };
}

// ---------------------------------------------------------------------------------------------------------------
// Proposition 1 (PAPERS §1.5)

/**
 * Proposition 1's augmentation: `W~ = [W; I_k]` ((d+k) x k, identity stacked below W). Then for x~ = (x, 0_k)
 * `W~^T x~ = W^T x` exactly, `W~^T W~ = W^T W + I_k`, so `s_min(W~) = sqrt(1 + lambda_min(W^T W)) >= 1`, and each
 * column norm grows to sqrt(|w_i|^2 + 1) <= |w_i| + 1. Throws InvalidArgumentError naming `W`.
 */
export function augmentIndependent(W: Matrix): Matrix {
  W = snapshot(W, "W");
  assertMatrix("W", W);
  const d = W.rows, k = W.cols, out = new Float64Array((d + k) * k);
  out.set(W.data);
  for (let i = 0; i < k; i++) out[(d + i) * k + i] = 1;
  return { rows: d + k, cols: k, data: out };
}

/** Pad every row with k zeros: x -> (x, 0_k) (Proposition 1's input map). Throws naming `X`, `k`. */
export function padZeros(X: Matrix, k: number): Matrix {
  X = snapshot(X, "X");
  assertMatrix("X", X, { minRows: 0 });
  assertInteger("k", k, 0);
  const m = X.rows, d = X.cols, out = new Float64Array(m * (d + k));
  for (let t = 0; t < m; t++) out.set(X.data.subarray(t * d, t * d + d), t * (d + k));
  return { rows: m, cols: d + k, data: out };
}

/**
 * Smallest singular value of a d x k matrix W (d >= k), via the engine's SVD when present, else from the R factor
 * of a Householder QR (s_min(W) = s_min(R)) by inverse power iteration on R^T R (50 steps; fine for k <= a few hundred).
 * Accuracy about k eps ||W|| absolute.
 */
export function smallestSingularValue(engine: EngineLike, W: Matrix): number {
  W = snapshot(W, "W");
  assertEngine(engine);
  assertMatrix("W", W);
  const svd = (engine as unknown as { svd?: (A: Matrix) => { S: Float64Array } }).svd;
  if (typeof svd === "function") {
    const S = svd.call(engine, W).S;
    return W.rows >= W.cols ? S[S.length - 1] : 0;
  }
  if (W.rows < W.cols) return 0;
  const { R, rank } = householderQR(W);
  const k = W.cols;
  if (rank < k) return 0;
  // Inverse iteration: x <- (R^T R)^{-1} x, rate (s_min / s_next)^2 per step.
  let x = new Float64Array(k).fill(1);
  let est = 0;
  for (let it = 0; it < 200; it++) {
    // solve R^T y = x, then R z = y
    const y = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let s = x[i];
      for (let j = 0; j < i; j++) s -= R.data[j * k + i] * y[j];
      y[i] = s / R.data[i * k + i];
    }
    const z = new Float64Array(k);
    for (let i = k - 1; i >= 0; i--) {
      let s = y[i];
      for (let j = i + 1; j < k; j++) s -= R.data[i * k + j] * z[j];
      z[i] = s / R.data[i * k + i];
    }
    let nz = 0;
    for (const v of z) nz += v * v;
    nz = Math.sqrt(nz);
    const next = 1 / Math.sqrt(nz);
    for (let i = 0; i < k; i++) x[i] = z[i] / nz;
    if (Math.abs(next - est) <= 1e-15 * next) { est = next; break; }
    est = next;
  }
  return est;
}

// ---------------------------------------------------------------------------------------------------------------
// Theorem 2's transfer matrix (PAPERS §1.7)

/** -exponent of max |entry| when that is outside [2^-500, 2^500] (a power-of-two rescaling is then needed), else 0. */
function rangeExponent(data: Float64Array): number {
  let amax = 0;
  for (let i = 0; i < data.length; i++) amax = Math.max(amax, Math.abs(data[i]));
  return amax > 0 && (amax < 2 ** -500 || amax > 2 ** 500) ? -exponentOf(amax) : 0;
}

/**
 * The transfer matrix M of Theorem 2's proof with `W'^T = W^T M` (Eq. (8)), W and W' both d x k with linearly
 * independent columns:
 *   `M^T = W' (W^T W)^{-1} W^T + Q'_perp Q_perp^T`,
 * Q_perp, Q'_perp orthonormal bases of col(W)^perp and col(W')^perp (Householder QR: W = Q1 R, so
 * (W^T W)^{-1} W^T = R^{-1} Q1^T). M^T maps w_j to w'_j and col(W)^perp isometrically onto col(W')^perp, so M is
 * invertible with ||M|| <= ||W'|| / s_min(W) + 1. Feeding x = M x' (rows: X = X' M^T) gives labels
 * f(W^T M x') = f(W'^T x'): the fixed network W realizes the hard instance (W', D').
 * Accuracy: ||W^T M - W'^T|| <= c d k eps ||W'|| cond(W). Returns M (d x d, row-major, acting on column vectors).
 * Throws InvalidArgumentError naming `W`, `Wp` (mismatched shapes, k > d, dependent columns).
 */
export function transferMatrix(W: Matrix, Wp: Matrix): Matrix {
  W = snapshot(W, "W"); Wp = snapshot(Wp, "Wp");
  assertMatrix("W", W);
  assertMatrix("Wp", Wp);
  if (Wp.rows !== W.rows) throw new InvalidArgumentError("Wp.rows", `equal to W.rows (${W.rows})`, Wp.rows);
  if (Wp.cols !== W.cols) throw new InvalidArgumentError("Wp.cols", `equal to W.cols (${W.cols})`, Wp.cols);
  const d = W.rows, k = W.cols;
  if (k > d) throw new InvalidArgumentError("W.cols", `at most W.rows (${d}) for linearly independent columns`, k);
  // Range: W and Wp are factored as 2^a W, 2^b Wp (exact; only when their entries are beyond 2^+-500, where the
  // QR's norms could over- or underflow) and M^T = Wp (W^T W)^-1 W^T + Qp2 Q2^T is assembled with the factor
  // 2^(a - b) on its first term; Q and the rank decisions are scale-invariant.
  const sa = rangeExponent(W.data), sb = rangeExponent(Wp.data);
  if (sa !== 0) W = { rows: W.rows, cols: W.cols, data: W.data.map((x) => ldexp(x, sa)) };
  if (sb !== 0) Wp = { rows: Wp.rows, cols: Wp.cols, data: Wp.data.map((x) => ldexp(x, sb)) };
  const qr = householderQR(W), qrp = householderQR(Wp);
  if (qr.rank < k) throw new InvalidArgumentError("W", "a matrix with linearly independent columns", W);
  if (qrp.rank < k) throw new InvalidArgumentError("Wp", "a matrix with linearly independent columns", Wp);
  const Q1 = columns(qr.Q, 0, k), Q2 = columns(qr.Q, k, d), Qp2 = columns(qrp.Q, k, d);
  // Y = R^{-1} Q1^T (k x d) by back substitution, R = leading k x k block.
  const Rk = qr.R.data, Y = transpose(Q1);
  for (let col = 0; col < d; col++) {
    for (let i = k - 1; i >= 0; i--) {
      let s = Y.data[i * d + col];
      for (let j = i + 1; j < k; j++) s -= Rk[i * k + j] * Y.data[j * d + col];
      Y.data[i * d + col] = s / Rk[i * k + i];
    }
  }
  const Mt = mulJS(Wp, Y); // d x d
  if (sa !== sb) for (let i = 0; i < d * d; i++) Mt.data[i] = ldexp(Mt.data[i], sa - sb);
  const C = mulJS(Qp2, Q2, false, true);
  for (let i = 0; i < d * d; i++) {
    Mt.data[i] += C.data[i];
    if (!Number.isFinite(Mt.data[i])) {
      throw new OverflowError("transferMatrix", "Wp", `a matrix such that the transfer matrix M fits in float64 ` +
        `(||M|| <= ||Wp|| / s_min(W) + 1 overflows; scale Wp down or W up)`, Wp);
    }
  }
  return transpose(Mt);
}

// ---------------------------------------------------------------------------------------------------------------
// Lemma 1's span test (PAPERS §1.6)

/**
 * Fraction of the rows of `Xfresh` that lie outside span(rows of X) (PAPERS §1.6, Lemma 1: expected value
 * <= d / (m + 1) for i.i.d. samples). Span basis: Householder QR with column pivoting of X^T, numerical rank with
 * tolerance max(m, d) eps |R_00|. A fresh x is "outside" when the residual ||x - Q Q^T x|| exceeds
 * `relTol * ||x||` (default relTol = 1e-8, far above the ~d eps rounding of the projection and far below the
 * residuals of generic points outside). Throws InvalidArgumentError naming `X`, `Xfresh.cols`, `options.relTol`.
 */
export function spanTest(X: Matrix, Xfresh: Matrix, options?: { relTol?: number }): { rank: number; outside: number; fraction: number } {
  X = snapshot(X, "X"); Xfresh = snapshot(Xfresh, "Xfresh"); options = snapshot(options, "options");
  assertMatrix("X", X);
  assertMatrix("Xfresh", Xfresh, { minRows: 0 });
  if (Xfresh.cols !== X.cols) throw new InvalidArgumentError("Xfresh.cols", `equal to X.cols (${X.cols})`, Xfresh.cols);
  assertOptions("options", options);
  const relTol = def(options?.relTol, 1e-8);
  assertNonNegative("options.relTol", relTol);
  const d = X.cols;
  const { Q, rank } = householderQR(transpose(X), { pivot: true });
  const B = columns(Q, 0, rank); // d x rank orthonormal
  let outside = 0;
  for (let t = 0; t < Xfresh.rows; t++) {
    const x = Xfresh.data.subarray(t * d, t * d + d);
    const c = new Float64Array(rank);
    for (let j = 0; j < rank; j++) { let s = 0; for (let p = 0; p < d; p++) s += B.data[p * rank + j] * x[p]; c[j] = s; }
    let res2 = 0, nx2 = 0;
    for (let p = 0; p < d; p++) {
      let s = x[p];
      for (let j = 0; j < rank; j++) s -= B.data[p * rank + j] * c[j];
      res2 += s * s;
      nx2 += x[p] * x[p];
    }
    if (Math.sqrt(res2) > relTol * Math.sqrt(nx2)) outside++;
  }
  return { rank, outside, fraction: Xfresh.rows ? outside / Xfresh.rows : 0 };
}

export { EPS as MACHINE_EPS };
