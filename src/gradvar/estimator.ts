/**
 * Monte-Carlo estimator of the gradient variance over the target direction (Shamir, Theorem 3; PAPERS §2.4, §4.5),
 * with honest statistics.
 *
 * Quantity: Var_w ∇_θ F_w(θ) = E_w || ∇F_w(θ) - E_w' ∇F_w'(θ) ||^2 (trace of the covariance, F without 1/2),
 * w uniform on r·S^{d-1}, F_w(θ) = E_x (f(θ,x) - ψ(<w,x>))^2.
 *
 * Method. n input rows are split into K blocks (default 8). For each of J directions w_j and each block b, the
 * block's gradient estimate g^b_j = c^b - (2/n_b) sum_{i in b} ψ(<w_j, x_i>) ∂f(θ,x_i)/∂θ is computed by GEMMs in WASM
 * (see assembly/gradvar/gradvar_f64.ts); c^b does not depend on w and cancels below.
 *
 * (a) Unbiased population estimate (U-statistic over blocks and directions):
 *       V̂ = 1/(K(K-1)) sum_{b != l} 1/(J-1) sum_j <g^b_j - ḡ^b, g^l_j - ḡ^l>.
 *     Why unbiased: given X, (w_j) are i.i.d., so 1/(J-1) sum_j <g^b_j - ḡ^b, g^l_j - ḡ^l> is the unbiased sample
 *     cross-covariance, with expectation Cov_w(γ_b(w), γ_l(w)) := E_w <γ_b(w) - E γ_b, γ_l(w) - E γ_l>, where γ_b(w) is
 *     block b's empirical gradient function. Blocks b != l use disjoint i.i.d. rows, so γ_b and γ_l are independent
 *     with E_X γ_b(w) = γ(w) (the population gradient); the inner product is bilinear, so
 *     E_X Cov_w(γ_b, γ_l) = E_w ||γ(w) - E γ||^2 = Var_w. The sampling noise of each block (O(G^2/n_b)) never enters
 *     the expectation, unlike the naive variance of full-sample gradients.
 *     Standard error: SE^2 = SE_w^2 + SE_x^2 with SE_w^2 = sample variance over directions of the per-direction terms
 *     q_j / J (variability from w given X) and SE_x^2 = delete-one-block jackknife over the K blocks (variability
 *     from X given the directions; needs K >= 3). Their sum counts the w-x interaction twice: slightly conservative.
 *     Calibration check (test/gradvar-acceptance-grid.ts, 6 seeds x 36 configs, n = 5000, J = 200): z = (V̂ - exact)/SE
 *     had mean -0.03 and standard deviation 1.005; 4.6% beyond |z| > 2; 2 of 216 beyond 3 (heavy-tailed cases
 *     d = 2, r = 4 with few directions). Use J >= 500 for tighter tails.
 * (b) finiteSampleVariance: 1/(J-1) sum_j ||g_j - ḡ||^2 of the full-sample gradients g_j = sum_b (n_b/n) g^b_j — what an
 *     algorithm trained on this one fixed sample sees; its expectation is Var_w + E_w E_X ||sampling noise||^2.
 * (c) floor = 3 SE: population variances below it cannot be resolved by this run (`resolved` = estimate > floor).
 *     noise = finiteSampleVariance - estimate estimates the sampling-noise part (order G_θ^2 / n).
 *
 * Determinism: X = rng(seed).stream(0), W = rng(seed).stream(1).sphere(J, d, r) (direction j is a pure function of
 * (seed, j)); directions are processed in fixed chunks and reduced in chunk order (Chan's pairwise update), so the
 * bits do not depend on the number of workers.
 */
import type { Engine } from "../engine.js";
import { AbortError, InvalidArgumentError, OverflowError } from "../errors.js";
import { norm } from "../linalg/scale.js";
import type { Matrix, ProgressCallback } from "../types.js";
import {
  assertInteger, assertMatrix, assertOneOf, assertOptions, assertPositive, assertSeed, assertVector, def, isFloat64Array, assertSignal, assertBoolean } from "../validate.js";
import { cosFactors, loadX, prepareChunkState, runChunk, sharedXBytes, type ChunkSetup, type ChunkStats } from "./chunk.js";
import { gradVarianceExact, meanGradientExact, MAX_EXACT_S } from "./exact.js";
import { runPooled } from "../parallel/pool.js";
import * as dmath from "../math/detmath.js"; // deterministic exp/log/sin/... (same bits on every JS engine)
import { assertAffordable, costGradVariance, type CostEstimate } from "../cost.js";

export const PSI_KINDS = ["cos", "triangle", "sawtooth"] as const;
export type PsiKind = (typeof PSI_KINDS)[number];

/** Depth-2 ReLU network f(θ, x) = sum_u a_u relu(<θ_u, x>) (natural-weights form, PAPERS §3.1). */
export interface ReluPredictor {
  kind: "relu";
  /** Second layer a (length width). Default all ones. Ignored when trainSecondLayer (then a is part of θ). */
  secondLayer?: Float64Array;
  /** When true θ = [W (width x d, row-major), a (width)], else θ = W. Default false. */
  trainSecondLayer?: boolean;
}

export type PredictorSpec = "cos" | "relu" | { kind: "cos" } | ReluPredictor;

export type InputSpec =
  | { kind: "normal" }
  | { kind: "mixture"; weights: Float64Array; means: Matrix; covs: Matrix[] };

export interface GradVarianceOptions {
  /** "cos": p_θ(x) = cos<θ, x> (θ has length d); "relu" or a ReluPredictor: depth-2 ReLU net. Default "cos". */
  predictor?: PredictorSpec;
  /** Periodic link of the target ψ(<w,x>): "cos" (cos z), "triangle" (2|z - round z|), "sawtooth" (z - floor z). Default "cos". */
  psi?: PsiKind;
  /** Input dimension d. */
  dim: number;
  /** Radius r > 0 of the sphere of target directions. */
  radius: number;
  /** Parameters θ (finite). cos: length d; relu: width·d (+ width with trainSecondLayer). */
  theta: Float64Array;
  /** Number J >= 2 of target directions. */
  directions: number;
  /** Number n >= 2 of input samples (ignored if X is given: n = X.rows). */
  samples?: number;
  /** Seed of the run (X from stream 0, directions from stream 1). */
  seed: number | bigint;
  /** Input distribution. Default N(0, I_d). */
  input?: InputSpec;
  /** A fixed training set instead of sampled inputs (rows as samples, d columns). */
  X?: Matrix;
  /** Number K of independent row blocks for the U-statistic (2 <= K <= n). Default min(8, n). */
  blocks?: number;
  /** Threads of computation: 1 = in-process (default), k >= 2 = k pool workers. Results are bit-identical. */
  workers?: number;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

export interface GradVarianceResult {
  dim: number;
  radius: number;
  thetaNorm: number;
  predictor: "cos" | "relu";
  psi: PsiKind;
  samples: number;
  directions: number;
  blocks: number;
  /** Exact population Var_w (cos predictor, cos ψ, N(0, I) input only; PAPERS §4.5). */
  exact?: number;
  /** Unbiased estimate of the population Var_w (U-statistic, see module doc). May be negative when Var_w < floor. */
  estimate: number;
  /** Standard error of `estimate` (sqrt(stderrDirections^2 + stderrSamples^2)). */
  stderr: number;
  stderrDirections: number;
  stderrSamples: number;
  /** Resolution floor 3 · stderr. */
  floor: number;
  /** estimate > floor. */
  resolved: boolean;
  /** (estimate - exact) / stderr when exact is known. */
  z?: number;
  /** Var_w of the full-sample gradients: what an algorithm on this one training set sees (includes sampling noise). */
  finiteSampleVariance: number;
  finiteSampleStderr: number;
  /** finiteSampleVariance - estimate: the sampling-noise part, order G^2/n. */
  noise: number;
  /** Monte-Carlo E_w ∇F_w(θ) (full sample, all directions), length p. */
  meanGradient: number[];
  /** Exact E_w ∇F_w(θ) where known. */
  meanGradientExact?: number[];
  /** Number of parameters p. */
  parameters: number;
}

const PSI_CODE: Record<PsiKind, number> = { cos: 0, triangle: 1, sawtooth: 2 };
/** Upper bound on directions per chunk, and on nb·p·jc doubles of gradient buffer per chunk. */
const MAX_CHUNK = 128;
const CHUNK_BUFFER = 4_000_000;
const ZBUF = 131_072; // Z sub-block of ~1 MiB: stays in L2 between the GEMM that writes it and the one that reads it

/** Number of parameters p of the predictor (validated options). */
function pred0(o: GradVarianceOptions, d: number): number {
  const pr = normPredictor(o.predictor);
  if (pr.kind === "cos") return d;
  const train = !!pr.trainSecondLayer;
  const width = o.theta.length / (d + (train ? 1 : 0));
  return width * d + (train ? width : 0);
}

/** Directions per chunk: a pure function of (J, K, p), never of the number of workers. */

export function chunkSize(J: number, K: number, p: number): number {
  const cap = Math.max(2, Math.min(MAX_CHUNK, Math.floor(CHUNK_BUFFER / (K * p))));
  const chunks = Math.ceil(J / cap);
  // A multiple of 4 (the GEMM register tile width) when that does not add a chunk.
  const even = Math.ceil(J / chunks);
  const four = Math.ceil(even / 4) * 4;
  return Math.ceil(J / four) === chunks && four <= J ? four : even;
}

/** Rows per sub-block: a pure function of the chunk size. */
export function subRows(jc: number): number {
  const s = Math.max(64, Math.min(4096, Math.floor(ZBUF / jc)));
  return s >= 256 ? s - (s % 256) : s; // whole GEMM k-blocks (KC = 256) in the second GEMM when possible
}

interface Prepared {
  setup: ChunkSetup;
  c: Float64Array; // w-independent part of the full-sample gradient (length p)
  p: number;
  kind: "cos" | "relu";
  thetaNorm: number;
}

function normPredictor(pred: unknown): { kind: "cos" } | ReluPredictor {
  if (pred === undefined || pred === "cos") return { kind: "cos" };
  if (pred === "relu") return { kind: "relu" };
  if (typeof pred === "object" && pred !== null && (pred as any).kind === "cos") return pred as any;
  if (typeof pred === "object" && pred !== null && (pred as any).kind === "relu") {
    const p = pred as ReluPredictor;
    if (p.trainSecondLayer !== undefined) assertBoolean("options.predictor.trainSecondLayer", p.trainSecondLayer);
    if (p.secondLayer !== undefined) assertVector("options.predictor.secondLayer", p.secondLayer);
    return p;
  }
  throw new InvalidArgumentError("options.predictor", `one of "cos", "relu" or { kind: "relu", secondLayer?, trainSecondLayer? }`, pred);
}

/** Validate everything once (typed errors), before any sampling or WASM work. */
export function validateGradVariance(o: GradVarianceOptions): void {
  assertOptions("options", o);
  if (o === undefined) throw new InvalidArgumentError("options", "an object", o);
  assertInteger("options.dim", o.dim, 1, 1 << 20);
  assertPositive("options.radius", o.radius);
  assertInteger("options.directions", o.directions, 2, 1 << 26);
  if (o.X !== undefined) {
    assertMatrix("options.X", o.X, { minRows: 2 });
    if (o.X.cols !== o.dim) throw new InvalidArgumentError("options.X.cols", `equal to options.dim (${o.dim})`, o.X.cols);
    if (o.samples !== undefined && o.samples !== o.X.rows) {
      throw new InvalidArgumentError("options.samples", `equal to options.X.rows (${o.X.rows}) or undefined`, o.samples);
    }
  } else {
    assertInteger("options.samples", o.samples, 2, 1 << 28);
  }
  assertSeed("options.seed", o.seed);
  assertOneOf("options.psi", def(o.psi, "cos"), PSI_KINDS);
  const pred = normPredictor(o.predictor);
  if (!isFloat64Array(o.theta)) throw new InvalidArgumentError("options.theta", "a Float64Array", o.theta);
  for (let i = 0; i < o.theta.length; i++) {
    if (!Number.isFinite(o.theta[i])) throw new InvalidArgumentError(`options.theta[${i}]`, "a finite number", o.theta[i]);
  }
  if (pred.kind === "cos") {
    if (o.theta.length !== o.dim) throw new InvalidArgumentError("options.theta.length", `equal to options.dim (${o.dim})`, o.theta.length);
  } else {
    const per = o.dim + (pred.trainSecondLayer ? 1 : 0);
    if (o.theta.length === 0 || o.theta.length % per !== 0) {
      throw new InvalidArgumentError("options.theta.length", `a positive multiple of ${pred.trainSecondLayer ? "options.dim + 1" : "options.dim"} (${per})`, o.theta.length);
    }
    const width = o.theta.length / per;
    if (pred.secondLayer !== undefined && !pred.trainSecondLayer) assertVector("options.predictor.secondLayer", pred.secondLayer, width);
  }
  const n = def(o.X?.rows, o.samples!);
  if (o.blocks !== undefined) assertInteger("options.blocks", o.blocks, 2, n);
  if (o.workers !== undefined) assertInteger("options.workers", o.workers, 1, 64);
  const input = def(o.input, { kind: "normal" });
  assertOptions("options.input", input);
  if (input.kind !== "normal" && input.kind !== "mixture") {
    throw new InvalidArgumentError("options.input.kind", `one of "normal", "mixture"`, (input as any).kind);
  }
  if (input.kind === "mixture") {
    assertMatrix("options.input.means", input.means);
    if (input.means.cols !== o.dim) throw new InvalidArgumentError("options.input.means.cols", `equal to options.dim (${o.dim})`, input.means.cols);
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") throw new InvalidArgumentError("options.onProgress", "a function", o.onProgress);
  assertSignal("options.signal", o.signal);
}

/**
 * Inputs of a run: X (given, a mixture sample, or — for N(0, I) — the recipe to regenerate rng(seed).stream(0).normal(n d)
 * in place, which every worker does itself instead of receiving 8 n d bytes) and the directions W. Pure function of
 * (seed, n, d, J, r, input).
 */
export function sampleInputs(engine: Engine, o: GradVarianceOptions): { n: number; X?: Float64Array; xNormal?: [number, number, number, number]; W: Matrix } {
  const d = o.dim;
  const rng = engine.rng(o.seed);
  const W = rng.stream(1).sphere(o.directions, d, o.radius);
  if (o.X) return { n: o.X.rows, X: o.X.data, W };
  const n = o.samples!;
  const input = def(o.input, { kind: "normal" });
  if (input.kind === "mixture") {
    return { n, X: rng.stream(0).mixture(n, { weights: input.weights, means: input.means, covs: input.covs }).X.data, W };
  }
  if (n * d > 2 ** 31 - 1) throw new InvalidArgumentError("options.samples * options.dim", "below 2^31", n * d);
  const s0 = rng.stream(0);
  return { n, xNormal: [s0.key[0], s0.key[1], s0.streamWords[0], s0.streamWords[1]], W };
}

/** Predictor-specific per-sample gradient factors (in WASM where it matters) and the w-independent gradient part. */
export function preparePredictor(engine: Engine, o: GradVarianceOptions, px: number, n: number, K: number): Prepared {
  const core = engine.core;
  const d = o.dim;
  const pred = normPredictor(o.predictor);
  const th = o.theta;
  const blockStart = new Int32Array(K + 1);
  for (let b = 0; b <= K; b++) blockStart[b] = Math.floor((b * n) / K);
  const psiKind = PSI_CODE[def(o.psi, "cos")];
  if (pred.kind === "cos") {
    const tNorm = norm(th);
    const { D, c } = core.scope((ar) => {
      const { pD, pFD } = cosFactors(core, px, n, d, th);
      const pc = ar.allocF64(d);
      core.x.gemv_f64(1, n, d, 2 / n, px, d, pFD, 0, pc); // c = (2/n) X^T (f ∘ D)
      return { D: ar.take(pD, n), c: ar.take(pc, d) };
    });
    return {
      setup: { n, d, nd: 1, D, ne: 0, E: new Float64Array(0), psiKind, blockStart, sub: 0, maxChunk: 0 },
      c, p: d, kind: "cos", thetaNorm: tNorm,
    };
  }
  const train = !!pred.trainSecondLayer;
  const width = th.length / (d + (train ? 1 : 0));
  const a = train ? th.subarray(width * d) : (pred.secondLayer ?? new Float64Array(width).fill(1));
  const tNorm = norm(th);
  const H = core.scope((ar) => {
    const pw = ar.put(th.subarray(0, width * d)), ph = ar.allocF64(n * width);
    core.x.gemm_f64(0, 1, n, width, d, 1, px, d, pw, d, 0, ph, width);
    return ar.take(ph, n * width);
  });
  const D = new Float64Array(n * width);
  const E = train ? new Float64Array(n * width) : new Float64Array(0);
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let u = 0; u < width; u++) {
      const h = H[i * width + u];
      const rl = h > 0 ? h : 0;
      s += a[u] * rl;
      D[i * width + u] = h > 0 ? a[u] : 0;
      if (train) E[i * width + u] = rl;
    }
    f[i] = s;
  }
  const p = width * d + (train ? width : 0);
  // c = (2/n) sum_i f_i P_i: block u = (2/n) X^T (f ∘ D_u), extras (2/n) E^T f.
  const c = core.scope((ar) => {
    const FD = new Float64Array(n * width);
    for (let i = 0; i < n; i++) for (let u = 0; u < width; u++) FD[i * width + u] = f[i] * D[i * width + u];
    const pfd = ar.put(FD), pcm = ar.allocF64(d * width);
    core.x.gemm_f64(1, 0, d, width, n, 2 / n, px, d, pfd, width, 0, pcm, width);
    const Cm = ar.take(pcm, d * width);
    const out = new Float64Array(p);
    for (let u = 0; u < width; u++) for (let k = 0; k < d; k++) out[u * d + k] = Cm[k * width + u];
    if (train) {
      for (let u = 0; u < width; u++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += E[i * width + u] * f[i];
        out[width * d + u] = (2 / n) * s;
      }
    }
    return out;
  });
  return {
    setup: { n, d, nd: width, D, ne: train ? width : 0, E, psiKind, blockStart, sub: 0, maxChunk: 0 },
    c, p, kind: "relu", thetaNorm: tNorm,
  };
}

interface Merged {
  count: number;
  mean: Float64Array;
  cross: Float64Array;
  q: Float64Array;
  h: Float64Array;
}

/** Reduce chunk statistics in chunk order (Chan et al. pairwise update of means and centred cross products). */
export function mergeChunkStats(stats: ChunkStats[], nb: number, p: number, J: number): Merged {
  const mean = new Float64Array(nb * p), cross = new Float64Array(nb * nb);
  const q = new Float64Array(J), h = new Float64Array(J);
  let N = 0, off = 0;
  const delta = new Float64Array(nb * p);
  for (const s of stats) {
    const M = s.count, T = N + M;
    for (let i = 0; i < nb * p; i++) delta[i] = s.mean[i] - mean[i];
    const f = (N * M) / T;
    for (let b = 0; b < nb; b++) {
      for (let l = b; l < nb; l++) {
        let dd = 0;
        for (let r = 0; r < p; r++) dd += delta[b * p + r] * delta[l * p + r];
        const v = cross[b * nb + l] + s.cross[b * nb + l] + f * dd;
        cross[b * nb + l] = v; cross[l * nb + b] = v;
      }
    }
    for (let i = 0; i < nb * p; i++) mean[i] += (delta[i] * M) / T;
    q.set(s.q, off); h.set(s.h, off);
    off += M; N = T;
  }
  return { count: N, mean, cross, q, h };
}

function sampleVar(a: Float64Array): { mean: number; variance: number } {
  let m = 0;
  for (let i = 0; i < a.length; i++) m += a[i];
  m /= a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += dmath.sq(a[i] - m);
  return { mean: m, variance: a.length > 1 ? v / (a.length - 1) : 0 };
}

/** Turn merged statistics into the result fields (a), (b), (c). */
export function summarize(m: Merged, nb: number, omega: Float64Array) {
  const J = m.count;
  const V = new Float64Array(nb * nb);
  for (let i = 0; i < nb * nb; i++) V[i] = m.cross[i] / (J - 1);
  let est = 0;
  for (let b = 0; b < nb; b++) for (let l = 0; l < nb; l++) if (b !== l) est += V[b * nb + l];
  est /= nb * (nb - 1);
  let fin = 0;
  for (let b = 0; b < nb; b++) for (let l = 0; l < nb; l++) fin += omega[b] * omega[l] * V[b * nb + l];
  const seW = Math.sqrt(sampleVar(m.q).variance / J);
  let seX = 0;
  if (nb >= 3) {
    const loo = new Float64Array(nb);
    for (let k = 0; k < nb; k++) {
      let s = 0, c = 0;
      for (let b = 0; b < nb; b++) for (let l = 0; l < nb; l++) if (b !== l && b !== k && l !== k) { s += V[b * nb + l]; c++; }
      loo[k] = s / c;
    }
    let mm = 0;
    for (let k = 0; k < nb; k++) mm += loo[k];
    mm /= nb;
    let ss = 0;
    for (let k = 0; k < nb; k++) ss += dmath.sq(loo[k] - mm);
    seX = Math.sqrt(((nb - 1) / nb) * ss);
  }
  const stderr = dmath.hypot(seW, seX);
  const seFin = Math.sqrt(sampleVar(m.h).variance / J);
  return { estimate: est, stderr, seW, seX, finite: fin, seFin };
}

/** Memory and work of gradVariance for validated options (src/cost.ts), from the same chunking rules as the run. */
export function estimateGradVariance(o: GradVarianceOptions): CostEstimate {
  const d = o.dim, J = o.directions, n = o.X?.rows ?? o.samples!;
  const K = o.blocks ?? Math.min(8, n);
  const pr = normPredictor(o.predictor);
  const p = pred0(o, d);
  const relu = pr.kind === "relu";
  const width = relu ? o.theta.length / (d + (pr.trainSecondLayer ? 1 : 0)) : 1;
  const jc = chunkSize(J, K, p);
  return costGradVariance({
    n, d, J, K, p, nd: width, ne: relu && pr.trainSecondLayer ? width : 0, jc, sub: subRows(jc), relu,
    xInJs: !!o.X || (o.input?.kind ?? "normal") === "mixture", workers: o.workers ?? 1,
  });
}

/** SharedArrayBuffer usable (Node; browsers only when cross-origin isolated). */
function canShare(): boolean {
  return typeof SharedArrayBuffer !== "undefined" && typeof Atomics !== "undefined"
    && ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ?? true);
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortError("gradient-variance computation");
}

/**
 * Monte-Carlo gradient variance over target directions with honest statistics (see the module doc for formulas).
 * Cost: 2 n J (d + p) flops in GEMMs + n J evaluations of ψ; memory O(n (d + width) + K p chunk).
 * Throws InvalidArgumentError for bad options (r <= 0, J < 2, n < 2, dimension mismatch, unknown ψ, non-finite θ),
 * AbortError when the signal aborts. Deterministic for a seed, for any number of workers. PAPERS §2.4, §4.5.
 */
export async function gradVariance(engine: Engine, o: GradVarianceOptions): Promise<GradVarianceResult> {
  validateGradVariance(o);
  checkAbort(o.signal);
  assertAffordable(engine.core, estimateGradVariance(o)); // before sampling anything
  const inp = sampleInputs(engine, o);
  const W = inp.W;
  const n = inp.n, d = o.dim, J = o.directions;
  const K = def(o.blocks, Math.min(8, n));
  const workers = def(o.workers, 1);
  const core = engine.core;
  core.tuneFor(n * d * J);
  // One session: the single-worker path keeps X and the chunk buffers in the arena across its pauses.
  const { stats, prep } = await core.session("gradient-variance computation", async (session) => {
    const mark = core.arena.mark();
    let stats: ChunkStats[];
    let prep: Prepared;
    let done = 0;
    const p0 = pred0(o, d);
    const jc = chunkSize(J, K, p0);
    const nChunks = Math.ceil(J / jc);
    const tasks: { W: Float64Array; count: number }[] = [];
    for (let c = 0; c < nChunks; c++) {
      const j0 = c * jc, j1 = Math.min(J, j0 + jc);
      tasks.push({ W: W.data.slice(j0 * d, j1 * d), count: j1 - j0 });
    }
    o.onProgress?.(0, nChunks);
    const finishSetup = (s: ChunkSetup) => {
      s.X = inp.X; s.xNormal = inp.xNormal; s.sub = subRows(jc); s.maxChunk = jc;
      // Pool workers regenerate a standard-normal X cooperatively (each fills 1/k) when shared memory is available.
      if (workers > 1 && inp.xNormal && canShare()) s.xShared = new SharedArrayBuffer(sharedXBytes(n, d));
      return s;
    };
    if (workers <= 1) {
      const px = loadX(core, { n, d, X: inp.X, xNormal: inp.xNormal } as ChunkSetup);
      prep = preparePredictor(engine, o, px, n, K);
      finishSetup(prep.setup);
      stats = [];
      const st = prepareChunkState(core, prep.setup, px);
      for (let c = 0; c < nChunks; c++) {
        checkAbort(o.signal);
        stats.push(runChunk(st, tasks[c].W, tasks[c].count));
        o.onProgress?.(++done, nChunks);
        if (o.signal && c + 1 < nChunks) await session.pause();
      }
    } else {
      const isCos = normPredictor(o.predictor).kind === "cos";
      let job: Promise<ChunkStats[]> | undefined;
      const start = (setup: ChunkSetup) => runPooled<ChunkStats>(engine, workers, "gradvar.chunks", setup, tasks, {
        signal: o.signal,
        onResult: () => o.onProgress?.(++done, nChunks),
      });
      if (isCos) {
        // Workers regenerate X and compute D themselves; meanwhile this thread computes the w-independent part.
        const blockStart = new Int32Array(K + 1);
        for (let b = 0; b <= K; b++) blockStart[b] = Math.floor((b * n) / K);
        job = start(finishSetup({
          n, d, nd: 1, D: new Float64Array(0), cosTheta: o.theta, ne: 0, E: new Float64Array(0),
          psiKind: PSI_CODE[def(o.psi, "cos")], blockStart, sub: 0, maxChunk: 0,
        }));
        job.catch(() => undefined);
      }
      const px = loadX(core, { n, d, X: inp.X, xNormal: inp.xNormal } as ChunkSetup);
      prep = preparePredictor(engine, o, px, n, K);
      core.arena.release(mark); // nothing of this thread's scratch is needed while the workers run
      stats = await (job ?? start(finishSetup(prep.setup)));
    }
    return { stats, prep };
  }, o.signal);
  const p = prep.p;
  checkAbort(o.signal);
  const nb = K;
  const omega = new Float64Array(nb);
  for (let b = 0; b < nb; b++) omega[b] = (prep.setup.blockStart[b + 1] - prep.setup.blockStart[b]) / n;
  const merged = mergeChunkStats(stats, nb, p, J);
  const s = summarize(merged, nb, omega);
  const meanGradient = new Array<number>(p);
  for (let r = 0; r < p; r++) {
    let acc = prep.c[r];
    for (let b = 0; b < nb; b++) acc += omega[b] * merged.mean[b * p + r];
    meanGradient[r] = acc;
  }
  // Inputs are finite and validated, so a non-finite statistic means an inner product <θ, x> or <w, x> (or a gradient
  // entry) overflowed: e.g. θ = (0.8, 1.8e308) makes <θ, x> = ±Infinity and cos of it NaN. The overflow policy:
  // a typed error naming the magnitudes, never a NaN estimate.
  const summary = [s.estimate, s.stderr, s.finite, ...meanGradient];
  if (!summary.every(Number.isFinite)) {
    throw new OverflowError("gradVariance", "options.theta and options.radius", "of a size whose inner products with the inputs (<θ, x>, r <u, x>) and the gradients they give stay finite in float64", `|θ| = ${prep.thetaNorm}, r = ${o.radius}`);
  }
  const psi = def(o.psi, "cos");
  const res: GradVarianceResult = {
    dim: d, radius: o.radius, thetaNorm: prep.thetaNorm, predictor: prep.kind, psi,
    samples: n, directions: J, blocks: nb,
    estimate: s.estimate, stderr: s.stderr, stderrDirections: s.seW, stderrSamples: s.seX,
    floor: 3 * s.stderr, resolved: s.estimate > 3 * s.stderr,
    finiteSampleVariance: s.finite, finiteSampleStderr: s.seFin, noise: s.finite - s.estimate,
    meanGradient, parameters: p,
  };
  // The exact value (when known): cos family, N(0, I) inputs, and |θ| r within the range of the exact formulas.
  if (prep.kind === "cos" && psi === "cos" && (def(o.input?.kind, "normal")) === "normal" && !o.X && prep.thetaNorm * o.radius <= MAX_EXACT_S) {
    const ex = gradVarianceExact({ dim: d, radius: o.radius, thetaNorm: prep.thetaNorm });
    res.exact = ex.variance;
    res.z = s.stderr > 0 ? (s.estimate - ex.variance) / s.stderr : s.estimate === ex.variance ? 0 : Infinity;
    res.meanGradientExact = Array.from(meanGradientExact({ theta: o.theta, radius: o.radius }));
  }
  return res;
}
