/**
 * Cost estimates of the heavy public functions, made from the validated sizes BEFORE any work or allocation.
 *
 * Memory policy. `memoryLimit` (createEngine, default 2 GiB) bounds one call's estimated peak memory:
 *   (1) WebAssembly scratch: arena bytes already in use + the call's scratch <= memoryLimit, and
 *   (2) scratch + the JS arrays the call creates (its results included; the caller's inputs are not counted)
 *       <= memoryLimit.
 * Over either bound, the call throws AllocationError naming the estimate, before WebAssembly memory grows (memory
 * that has grown never shrinks) and before any large JS array exists. The scratch estimates are upper bounds of what
 * the arena really takes (each allocation rounded up to 64 bytes; test/cost.test.ts checks them against the arena's
 * high-water mark); the JS estimates count the arrays each function creates, to within a few small vectors.
 *
 * Work. `flops` counts floating-point operations (a multiply-add = 2, a sin/cos/exp/log or a normal draw ~ 20,
 * see the constants below), so that seconds ~ flops / rate with one rate per kernel family. The CLI calibrates the
 * rate with a short probe of the same function and asks for confirmation above a minute (src/cli/cost-guard.ts).
 */
import type { Core } from "./core/core.js";
import { AllocationError } from "./errors.js";
import { svdPathFor } from "./linalg/svd_path.js";

export interface CostEstimate {
  /** What was estimated, e.g. "matmul 10000 x 10000 x 10000". */
  what: string;
  /** Peak WebAssembly scratch the call allocates, bytes (upper bound). */
  wasmBytes: number;
  /** JS arrays the call creates (results included), bytes. */
  jsBytes: number;
  /** Floating-point work (see the module comment). */
  flops: number;
}

/** Flop-equivalents of one transcendental (sin, cos, exp, log) or one normal draw (Box–Muller: log, sqrt, sin/cos). */
export const FLOPS_TRANSCENDENTAL = 20;
export const FLOPS_NORMAL = 25;

const A = 64; // arena alignment: every allocation may be rounded up by < 64 bytes
const f64 = (n: number, allocations = 1) => 8 * n + A * allocations;

/** Throw AllocationError (before anything is allocated) when `est` breaks the memory policy of the module comment. */
export function assertAffordable(core: Core, est: CostEstimate): void {
  const ar = core.arena;
  const limit = ar.limit;
  const inUse = ar.mark() - ar.base;
  if (!(inUse + est.wasmBytes <= limit)) throw new AllocationError(Math.ceil(inUse + est.wasmBytes), limit, est);
  const peak = est.wasmBytes + est.jsBytes;
  if (!(peak <= limit)) throw new AllocationError(Math.ceil(peak), limit, est);
}

/** Sum of estimates run one after another: memory is the larger peak, work adds up. */
export function sequence(what: string, parts: CostEstimate[]): CostEstimate {
  return {
    what,
    wasmBytes: Math.max(0, ...parts.map((p) => p.wasmBytes)),
    jsBytes: parts.reduce((s, p) => s + p.jsBytes, 0),
    flops: parts.reduce((s, p) => s + p.flops, 0),
  };
}

/** C = op(A) op(B) (+ beta C0): A, B, C copied in; result copied out unless written into options.out. */
export function costMatmul(m: number, n: number, k: number, intoOut = false): CostEstimate {
  return { what: `matmul ${m} x ${k} x ${n}`, wasmBytes: f64(m * n + m * k + k * n, 3), jsBytes: intoOut ? 0 : 8 * m * n, flops: 2 * m * n * k };
}

/** G = X^T X for X m x d (upper triangle: half the flops of the product). */
export function costGram(m: number, d: number): CostEstimate {
  return { what: `gram ${m} x ${d}`, wasmBytes: f64(d * d + m * d, 2), jsBytes: 8 * d * d, flops: m * d * d };
}

/** y = op(A) x (+ beta y0). */
export function costGemv(rows: number, cols: number): CostEstimate {
  return { what: `gemv ${rows} x ${cols}`, wasmBytes: f64(rows * cols + rows + cols, 3), jsBytes: 8 * Math.max(rows, cols), flops: 2 * rows * cols };
}

/** Thin SVD of m x n (k = min): A, U, S, V, workspace (from the core's own work-size function of the path used). */
export function costSvd(core: Core, m: number, n: number): CostEstimate {
  const k = Math.min(m, n), M = Math.max(m, n);
  const bidiag = svdPathFor(m, n) === "bidiag";
  const work = bidiag ? core.x.svd_gk_f64_work_size(m, n) : core.x.svd_f64_work_size(m, n);
  return {
    what: `svd ${m} x ${n}`,
    wasmBytes: f64(m * n + m * k + k + n * k + work, 5),
    jsBytes: 8 * (m * k + k + n * k),
    // Jacobi: Householder QR 2 M k^2, preconditioner and Jacobi sweeps ~ 40 k^3, U = Q W 2 M k^2.
    // Bidiagonal: bidiagonalization 4 M k^2, explicit Q and P 2 M k^2 + 2 k^3, QR rotations ~ 4 (M + k) k^2.
    flops: bidiag ? 10 * M * k * k + 6 * k * k * k : 4 * M * k * k + 40 * k * k * k,
  };
}

/** Whitening of m x d: the SVD, plus the centred copy, Z (m x r <= m x k) and P (d x k) in JS. */
export function costWhiten(core: Core, m: number, d: number, center: boolean): CostEstimate {
  const s = costSvd(core, m, d);
  const k = Math.min(m, d);
  return { what: `whiten ${m} x ${d}`, wasmBytes: s.wasmBytes, jsBytes: s.jsBytes + (center ? 8 * m * d : 0) + 8 * (m * k + d * k), flops: s.flops + 2 * m * k };
}

/** n draws into a fresh JS array through the chunked RNG scratch (chunk of `chunk` entries). */
export function costSample(n: number, chunk: number, what = `sample ${n}`, bytesPerEntry = 8): CostEstimate {
  return { what, wasmBytes: f64(Math.min(n, chunk)), jsBytes: bytesPerEntry * n, flops: FLOPS_NORMAL * n };
}

export interface GradVarianceSizes {
  n: number; d: number; J: number; K: number;
  /** Parameters p of the predictor, and the per-sample factor widths (cos: nd = 1, ne = 0; relu: nd = width, ne = width if trained). */
  p: number; nd: number; ne: number;
  /** Directions per chunk (estimator's chunkSize) and rows per sub-block (subRows). */
  jc: number; sub: number;
  /** X given by the caller (copied into scratch) or a mixture sample (drawn into JS) rather than regenerated in place. */
  xInJs: boolean;
  relu: boolean;
  workers: number;
}

/**
 * gradVariance: the directions W (J x d, drawn through scratch, kept in JS and cut into chunk copies), X (n x d) and
 * the per-sample factors in scratch, the chunk buffers, the statistics. Work: the two GEMMs per chunk
 * (2 n jc (d + p)), one ψ and (relu) the factor products per (sample, direction), the centred Grams (nb^2 p J),
 * sampling n d + J d normals.
 */
export function costGradVariance(s: GradVarianceSizes): CostEstimate {
  const { n, d, J, K, p, nd, ne, jc, sub } = s;
  const nChunks = Math.ceil(J / jc);
  const sphere = f64(J * d);
  const prep = s.relu ? f64(2 * n * nd + d * nd, 3) : f64(d + 3 * n + d, 4);
  const chunkBufs = f64(n * nd) + f64(n * ne) + f64(jc * d) + f64(K + 1) + f64(K) + f64(sub * jc) + f64(sub * d) + f64(K * p * jc)
    + f64(K * p) + f64(((K * (K + 1)) / 2) * jc) + f64(K * jc);
  const xBytes = f64(n * d);
  const mainPhase = xBytes + Math.max(prep, chunkBufs + (s.relu ? 0 : f64(d + 3 * n, 4)));
  const wasmBytes = Math.max(sphere, mainPhase);
  const stats = nChunks * 8 * (K * p + K * K + 2 * jc) + 8 * (2 * K * p + K * K + 2 * J + p);
  const jsBytes = 16 * J * d + (s.xInJs ? 16 * n * d : 0) + (s.relu ? 8 * n * nd * 5 : 8 * 2 * n) + stats + (s.workers > 1 ? 8 * n * d : 0);
  const flops = 2 * n * J * (d + p) + FLOPS_TRANSCENDENTAL * n * J + 2 * K * K * p * J + FLOPS_NORMAL * (J * d + (s.xInJs ? 0 : n * d))
    + (s.relu ? 4 * n * d * nd : 2 * n * d + 2 * FLOPS_TRANSCENDENTAL * n);
  return { what: `gradVariance (n = ${n}, d = ${d}, J = ${J}, p = ${p})`, wasmBytes, jsBytes, flops };
}

export interface TrainSizes {
  m: number; d: number; k: number; epochs: number; batch: number; nTest: number;
  /** Number of trained parameters. */
  nParams: number;
  history: boolean; whiten: boolean; minibatch: boolean; dataInit: boolean;
}

/**
 * train: per slice, X, y, θ and the optimizer state in scratch, plus the minibatch buffers; a history entry runs
 * a forward pass of the training (and test) set. Whitening first takes an SVD of X. Work per epoch: forward and
 * backward GEMMs 4 m d k, the history's forward passes 2 (m + n_test) d k.
 */
export function costTrain(core: Core, t: TrainSizes): CostEstimate {
  const { m, d, k, nParams: nP, batch } = t;
  const bsz = Math.min(batch, m);
  const run = f64(m * d) + f64(m) + 3 * f64(nP) + f64(k) + (t.minibatch ? f64(m / 2) + f64(bsz * d) + f64(bsz) : 0) + f64(Math.min(bsz, 256) * k) + f64(nP);
  const rows = Math.max(m, t.nTest);
  const forward = f64(rows * d) + f64(d * k) + 2 * f64(k) + f64(Math.min(rows, 256) * k) + f64(rows);
  const init = t.dataInit ? f64(m * d + m * k + d * k, 3) : f64(Math.min(d * k, 32768));
  let wasmBytes = Math.max(run + (t.history ? forward : 0), forward, init);
  let jsBytes = 8 * (4 * nP + 3 * m + t.nTest + (t.dataInit ? m * k : d * k)) + (t.minibatch ? 12 * m : 0);
  let flops = t.epochs * (4 * m * d * k + 6 * m * k + (t.minibatch ? FLOPS_TRANSCENDENTAL * m : 0)) + (t.history ? (t.epochs + 1) * 2 * (m + t.nTest) * d * k : 0);
  if (t.whiten) {
    const w = costWhiten(core, m, d, false);
    wasmBytes = Math.max(wasmBytes, w.wasmBytes);
    jsBytes += w.jsBytes;
    flops += w.flops;
  }
  return { what: `train (m = ${m}, d = ${d}, width = ${k}, epochs = ${t.epochs})`, wasmBytes, jsBytes, flops };
}

/** landscapeMonteCarlo: X (n x d) drawn into JS, then Z, cos Z, sin Z (n x (P + 1)) in scratch and cos/sin in JS. */
export function costLandscapeMonteCarlo(n: number, d: number, points: number): CostEstimate {
  const c = points + 1;
  return {
    what: `landscapeMonteCarlo (n = ${n}, d = ${d}, ${points} points)`,
    wasmBytes: Math.max(f64(Math.min(n * d, 32768)), f64(n * d) + f64(d * c) + 3 * f64(n * c)),
    jsBytes: 8 * n * d + 8 * d * c + 16 * n * c + 8 * points * 6 * d,
    flops: FLOPS_NORMAL * n * d + 2 * n * d * c + 2 * FLOPS_TRANSCENDENTAL * n * c + 4 * n * points * d,
  };
}
