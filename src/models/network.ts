/**
 * Depth-2 ReLU networks with natural weights (PAPERS §3.1–§3.3) and their batched evaluation in WASM on GEMM.
 *
 * Convention used throughout the models area: a network's first layer is a d x k matrix W whose COLUMN j is the
 * neuron w_j (Shamir's W = [w_1 ... w_k], Daniely–Vardi's W in R^{n x m}); inputs are rows of X (m x d), so the
 * pre-activations are the m x k matrix X W (+ 1 b^T). PAPERS §4.6 writes U, V with rows as neurons; here they are
 * columns as well.
 */
import type { Matrix } from "../types.js";
import { InvalidArgumentError, OverflowError } from "../errors.js";
import {
  assertBoolean, assertInteger, assertMatrix, assertOneOf, assertOptions, assertPositive, assertProbability,
  assertVector, snapshot, def, MAX_DIM } from "../validate.js";
import { assertEngine, rngOption, type EngineLike, type RngLike } from "./deps.js";

/** A depth-2 ReLU network `f(x) = sum_j a_j [<w_j, x> + b_j]_+` (PAPERS §3.1; a = all ones, b = 0 by default). */
export interface ReluNet {
  /** First layer, d x k: column j is the neuron w_j. */
  W: Matrix;
  /** Optional first-layer biases, length k (absent = no bias, as in both papers). */
  b?: Float64Array;
  /** Optional second-layer weights, length k (absent = all ones, as in both papers). */
  a?: Float64Array;
}

/** Options of {@link reluNetForward}. */
export interface ForwardOptions {
  /** Clip the output to [0, 1] (Shamir's target class `[sum_j relu]_[0,1]`, PAPERS §1.1). Default false. */
  clip?: boolean;
}

/** Validates a ReluNet; `name` prefixes argument names in errors. Returns (d, k). @internal */
export function checkNet(name: string, net: unknown): { d: number; k: number } {
  if (typeof net !== "object" || net === null) throw new InvalidArgumentError(name, "a network { W, b?, a? }", net);
  const n = net as ReluNet;
  assertMatrix(`${name}.W`, n.W);
  const d = n.W.rows, k = n.W.cols;
  if (n.b !== undefined) assertVector(`${name}.b`, n.b, k);
  if (n.a !== undefined) assertVector(`${name}.a`, n.a, k);
  return { d, k };
}

/** Validates X against input dimension d. @internal */
export function checkInputs(name: string, X: unknown, d: number): asserts X is Matrix {
  assertMatrix(name, X, { minRows: 0 });
  if ((X as Matrix).cols !== d) throw new InvalidArgumentError(`${name}.cols`, `equal to the network input dimension (${d})`, (X as Matrix).cols);
}

/**
 * Batched evaluation `out_i = sum_j a_j [<w_j, x_i> + b_j]_+` (optionally clipped to [0, 1]) for every row x_i of X.
 *
 * Shapes: net.W is d x k, X is m x d, result has length m. m = 0 gives an empty result.
 * Computation: one GEMM per block of 256 rows in WASM (2 m d k flops), then ReLU and sum in index order.
 * Accuracy: each pre-activation is a length-d dot product with error <= d eps sum_p |x_p w_p| (+ bias rounding);
 * the output adds k eps sum_j |a_j relu(z_j)|.
 * Determinism: fixed blocking; same inputs, same bits.
 * Throws InvalidArgumentError naming `net.W`, `net.b`, `net.a`, `X`, `X.cols` for malformed or non-finite input.
 * Paper: PAPERS §3.1 (N_W), §1.1 (clipped target), §3.1 [E] optional bias.
 */
export function reluNetForward(engine: EngineLike, net: ReluNet, X: Matrix, options?: ForwardOptions): Float64Array {
  net = snapshot(net, "net"); X = snapshot(X, "X"); options = snapshot(options, "options");
  assertEngine(engine);
  const { d, k } = checkNet("net", net);
  checkInputs("X", X, d);
  assertOptions("options", options);
  const clip = def(options?.clip, false);
  assertBoolean("options.clip", clip);
  const out = forwardUnchecked(engine, net, X, clip);
  assertOutputFinite("reluNet", "X", out, X);
  return out;
}

/**
 * Overflow policy (README "Overflow and underflow"): the inputs are finite, so a NaN or Infinity in an output means
 * a pre-activation or the output sum overflowed: an OverflowError naming the inputs, never a silent Infinity.
 */
function assertOutputFinite(op: string, arg: string, out: Float64Array, value: unknown): void {
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      throw new OverflowError(op, arg, `inputs and weights whose network output fits in float64 (output ${i} overflows ` +
        `${Number.MAX_VALUE}; scale the inputs or the weights down)`, value);
    }
  }
}

/** Forward without validation (inputs already checked). @internal */
export function forwardUnchecked(engine: EngineLike, net: ReluNet, X: Matrix, clip: boolean): Float64Array {
  const core = engine.core, m = X.rows, d = net.W.rows, k = net.W.cols;
  if (m === 0) return new Float64Array(0);
  return core.scope((ar) => {
    const pX = ar.put(X.data), pW = ar.put(net.W.data);
    const pb = net.b ? ar.put(net.b) : 0, pa = net.a ? ar.put(net.a) : 0;
    const pz = ar.allocF64(Math.min(m, 256) * k), pout = ar.allocF64(m);
    core.x.relu_net_forward_f64(m, d, k, pX, pW, pb, pa, clip ? 1 : 0, pz, pout);
    return ar.take(pout, m);
  });
}

/**
 * Convolutional depth-2 network with one filter on non-overlapping patches (PAPERS §3.3):
 * `N_w^conv(x) = sum_{j=1..q} [<w, x^(j)>]_+`, `x^(j) = (x_{(j-1)p+1}, ..., x_{jp})`, d = q p.
 *
 * Shapes: w has length p (the patch size), X is m x d with p dividing d; result length m.
 * Computation: row-major X is exactly the (m q) x p matrix of patches, so one GEMM per block gives all
 * pre-activations (2 m d flops). Equals reluNetForward with {@link convToDense}(w, q) up to summation order
 * (error <= p eps sum |w||x| per patch).
 * Throws InvalidArgumentError naming `w`, `X`, `X.cols` ("a multiple of the patch size").
 */
export function convNetForward(engine: EngineLike, w: Float64Array, X: Matrix): Float64Array {
  w = snapshot(w, "w"); X = snapshot(X, "X");
  assertEngine(engine);
  assertVector("w", w);
  if (w.length < 1) throw new InvalidArgumentError("w.length", "a positive integer", w.length);
  assertMatrix("X", X, { minRows: 0 });
  const p = w.length;
  if (X.cols % p !== 0) throw new InvalidArgumentError("X.cols", `a multiple of the patch size (${p})`, X.cols);
  const q = X.cols / p, m = X.rows;
  if (m === 0) return new Float64Array(0);
  const core = engine.core;
  return core.scope((ar) => {
    const pX = ar.put(X.data), pw = ar.put(w);
    const pz = ar.allocF64(Math.min(m, 256) * q), pout = ar.allocF64(m);
    core.x.relu_conv_forward_f64(m, p, q, pX, pw, pz, pout);
    const out = ar.take(pout, m);
    assertOutputFinite("convNet", "X", out, X);
    return out;
  });
}

/**
 * The dense network equal to the convolutional one (PAPERS §3.3): W = blockdiag(w, ..., w), d = q p rows, q columns;
 * column j holds w in rows j p .. j p + p - 1 and zeros elsewhere.
 * Throws InvalidArgumentError naming `w` or `q`.
 */
export function convToDense(w: Float64Array, q: number): ReluNet {
  w = snapshot(w, "w");
  assertVector("w", w);
  if (w.length < 1) throw new InvalidArgumentError("w.length", "a positive integer", w.length);
  assertInteger("q", q, 1);
  const p = w.length, d = p * q;
  // The dense matrix has p q^2 entries: the same bound as every Matrix (rows * cols <= 2^28).
  if (d * q > MAX_DIM) throw new InvalidArgumentError("w.length * q^2", `at most ${MAX_DIM} (entries of the dense ${d} x ${q} matrix)`, d * q);
  const W = new Float64Array(d * q);
  for (let j = 0; j < q; j++) for (let t = 0; t < p; t++) W[(j * p + t) * q + j] = w[t];
  return { W: { rows: d, cols: q, data: W } };
}

// ---------------------------------------------------------------------------------------------------------------
// Natural weight families (PAPERS §3.2)

/** Weight-family names (PAPERS §3.2 ids in brackets). */
export const WEIGHT_FAMILIES = ["normal", "sphere", "iid-normal", "iid-uniform", "rademacher", "bernoulli"] as const;
export type WeightFamilyName = (typeof WEIGHT_FAMILIES)[number];

/**
 * A natural weight distribution (PAPERS §3.2). Defaults are the engine's [E] scalings, all with E|w_i|^2 = 1
 * (except bernoulli):
 * - "normal"      [B-N]     columns w_i ~ N(0, Σ); Σ = cov if given, else sigma^2 I if sigma given, else I/n.
 * - "sphere"      [B-S]     columns uniform on the sphere of radius `radius` (default 1).
 * - "iid-normal"  [B-iid-N] entries N(0, sigma^2), sigma default 1/sqrt(n).
 * - "iid-uniform" [B-iid-U] entries Uniform[-a, a], a default sqrt(3/n) (variance 1/n).
 * - "rademacher"  [B-iid-B] entries +-a with probability 1/2, a default 1/sqrt(n).
 * - "bernoulli"   [E]       entries in {0, 1}, 1 with probability p (default 1/2).
 * By positive homogeneity (PAPERS §3.1) the scale only rescales the labels.
 */
export interface WeightFamily {
  family: WeightFamilyName;
  /** "normal": covariance Σ (n x n, symmetric positive semidefinite as checked by the sampler). */
  cov?: Matrix;
  /** "normal", "iid-normal": standard deviation. */
  sigma?: number;
  /** "sphere": radius ρ. */
  radius?: number;
  /** "iid-uniform", "rademacher": half-width / magnitude a. */
  a?: number;
  /** "bernoulli": probability of a 1. */
  p?: number;
}

/** Options of {@link sampleNaturalWeights}. */
export interface SampleWeightsOptions {
  /** Input dimension n (rows of W). */
  n: number;
  /** Number of neurons m (columns of W). */
  width: number;
  /** Distribution (default { family: "normal" }). */
  family?: WeightFamily | WeightFamilyName;
  /** Seed of the engine's random stream (engine.rng(seed)); ignored when `rng` is given. */
  seed?: number | bigint;
  /** A stream to draw from instead of engine.rng(seed). */
  rng?: RngLike;
}

/** The resolved parameters of a family for dimension n (documents the defaults). */
export function resolveFamily(spec: WeightFamily | WeightFamilyName | undefined, n: number, name = "options.family"): Required<Pick<WeightFamily, "family">> & WeightFamily {
  spec = snapshot(spec, "spec"); name = snapshot(name, "name");
  assertInteger("n", n, 1);
  const f: WeightFamily = spec === undefined ? { family: "normal" } : typeof spec === "string" ? { family: spec as WeightFamilyName } : spec;
  if (typeof f !== "object" || f === null) throw new InvalidArgumentError(name, "a weight family object or name", spec);
  assertOneOf(`${name}.family`, f.family, WEIGHT_FAMILIES);
  switch (f.family) {
    case "normal": {
      if (f.cov !== undefined) {
        assertMatrix(`${name}.cov`, f.cov);
        if (f.cov.rows !== n || f.cov.cols !== n) throw new InvalidArgumentError(`${name}.cov`, `a matrix of shape ${n} x ${n}`, f.cov);
        return { family: "normal", cov: f.cov };
      }
      const sigma = def(f.sigma, 1 / Math.sqrt(n));
      assertPositive(`${name}.sigma`, sigma);
      return { family: "normal", sigma };
    }
    case "sphere": {
      const radius = def(f.radius, 1);
      assertPositive(`${name}.radius`, radius);
      return { family: "sphere", radius };
    }
    case "iid-normal": {
      const sigma = def(f.sigma, 1 / Math.sqrt(n));
      assertPositive(`${name}.sigma`, sigma);
      return { family: "iid-normal", sigma };
    }
    case "iid-uniform": {
      const a = def(f.a, Math.sqrt(3 / n));
      assertPositive(`${name}.a`, a);
      return { family: "iid-uniform", a };
    }
    case "rademacher": {
      const a = def(f.a, 1 / Math.sqrt(n));
      assertPositive(`${name}.a`, a);
      return { family: "rademacher", a };
    }
    case "bernoulli": {
      const p = def(f.p, 0.5);
      assertProbability(`${name}.p`, p);
      return { family: "bernoulli", p };
    }
  }
}

function transposeRows(R: Matrix): Matrix {
  const out = new Float64Array(R.rows * R.cols);
  for (let i = 0; i < R.rows; i++) for (let j = 0; j < R.cols; j++) out[j * R.rows + i] = R.data[i * R.cols + j];
  return { rows: R.cols, cols: R.rows, data: out };
}

/** Draw an n x width weight matrix (columns = neurons) from a resolved family. @internal */
export function drawWeights(rng: RngLike, fam: WeightFamily, n: number, width: number): Matrix {
  const N = n * width;
  switch (fam.family) {
    case "normal":
      if (fam.cov) return transposeRows(rng.mvnormal(width, new Float64Array(n), fam.cov));
      return { rows: n, cols: width, data: rng.normal(N, 0, fam.sigma!) };
    case "sphere":
      return transposeRows(rng.sphere(width, n, fam.radius!));
    case "iid-normal":
      return { rows: n, cols: width, data: rng.normal(N, 0, fam.sigma!) };
    case "iid-uniform": {
      const u = rng.uniform(N), a = fam.a!;
      for (let i = 0; i < N; i++) u[i] = a * (2 * u[i] - 1);
      return { rows: n, cols: width, data: u };
    }
    case "rademacher":
      return { rows: n, cols: width, data: rng.rademacher(N, fam.a!) };
    case "bernoulli":
      return { rows: n, cols: width, data: rng.bernoulli(N, fam.p!) };
  }
}

/**
 * Sample a first-layer weight matrix W (n x width, column i = neuron w_i) from a natural distribution (PAPERS §3.2).
 *
 * Draw order (for reproducibility): "normal" without cov and the iid families fill W row-major from one stream;
 * "normal" with cov and "sphere" draw the columns as successive samples (rows of rng.mvnormal / rng.sphere).
 * Determinism: the same seed gives the same bits on every host (the engine's Philox streams).
 * Accuracy: as the samplers of engine.rng; "iid-uniform" is a (2u - 1) with u in [0, 1), so values lie in [-a, a).
 * Throws InvalidArgumentError naming `options.n`, `options.width` (width 0 is rejected), `options.family.*`,
 * `options.seed`.
 */
export function sampleNaturalWeights(engine: EngineLike, options: SampleWeightsOptions): Matrix {
  options = snapshot(options, "options");
  assertEngine(engine);
  assertOptions("options", options);
  if (options === undefined) throw new InvalidArgumentError("options", "an object", options);
  assertInteger("options.n", options.n, 1);
  assertInteger("options.width", options.width, 1);
  const fam = resolveFamily(options.family, options.n);
  const rng = rngOption(engine, options);
  return drawWeights(rng, fam, options.n, options.width);
}

/** Options of {@link sampleNetwork}. */
export interface SampleNetworkOptions extends SampleWeightsOptions {
  /** Give the network a bias vector drawn i.i.d. N(0, biasScale^2) (drawn after W from the same stream). Default false. */
  bias?: boolean;
  /** Standard deviation of the bias draws. Default 1. */
  biasScale?: number;
}

/**
 * A natural-weight network N_W (PAPERS §3.1): W drawn as in {@link sampleNaturalWeights} (so the same seed gives the
 * same W), second layer all ones, optional bias drawn next from the same stream. See sampleNaturalWeights for shapes,
 * defaults and errors.
 */
export function sampleNetwork(engine: EngineLike, options: SampleNetworkOptions): ReluNet {
  options = snapshot(options, "options");
  assertEngine(engine);
  assertOptions("options", options);
  if (options === undefined) throw new InvalidArgumentError("options", "an object", options);
  assertInteger("options.n", options.n, 1);
  assertInteger("options.width", options.width, 1);
  const bias = def(options.bias, false);
  assertBoolean("options.bias", bias);
  const biasScale = def(options.biasScale, 1);
  assertPositive("options.biasScale", biasScale);
  const root = rngOption(engine, options);
  const fam = resolveFamily(options.family, options.n);
  // Sequential draws from one stream (not substreams: RngStream.stream(k) is absolute, so substreams of a
  // user-supplied stream would ignore which stream it is).
  const W = drawWeights(root, fam, options.n, options.width);
  const net: ReluNet = { W };
  if (bias) net.b = root.normal(options.width, 0, biasScale);
  return net;
}

/** Options of {@link sampleConvNetwork}. */
export interface SampleConvOptions {
  /** Input dimension d; must be a multiple of `patch`. */
  n: number;
  /** Patch size p (filter length). */
  patch: number;
  /** Distribution of the filter w in R^p (defaults use p in place of n). */
  family?: WeightFamily | WeightFamilyName;
  seed?: number | bigint;
  rng?: RngLike;
}

/**
 * A convolutional natural-weight network (PAPERS §3.3): one filter w in R^p from the family (with dimension p),
 * q = n / p non-overlapping patches. Returns the filter and its dense equivalent blockdiag(w, ..., w).
 * Throws InvalidArgumentError naming `options.patch` when p does not divide n.
 */
export function sampleConvNetwork(engine: EngineLike, options: SampleConvOptions): { w: Float64Array; q: number; dense: ReluNet } {
  options = snapshot(options, "options");
  assertEngine(engine);
  assertOptions("options", options);
  if (options === undefined) throw new InvalidArgumentError("options", "an object", options);
  assertInteger("options.n", options.n, 1);
  assertInteger("options.patch", options.patch, 1);
  if (options.n % options.patch !== 0) {
    throw new InvalidArgumentError("options.patch", `a divisor of options.n (${options.n})`, options.patch);
  }
  const fam = resolveFamily(options.family, options.patch);
  const rng = rngOption(engine, options);
  const w = drawWeights(rng, fam, options.patch, 1).data;
  const q = options.n / options.patch;
  return { w, q, dense: convToDense(w, q) };
}
