/**
 * Input distributions on the engine's samplers (PAPERS §3.5 [E], §2.1, §1.7). A Distribution draws `count` samples as
 * the rows of a Matrix from a stream: `{ dim, sample(rng, count) }`. All draws go through engine.rng streams, so the
 * same seed gives the same bits on every host.
 */
import type { Matrix } from "../types.js";
import { InvalidArgumentError } from "../errors.js";
import { assertInteger, assertMatrix, assertNonNegative, assertOptions, assertPositive, assertVector, snapshot, def, isFloat64Array } from "../validate.js";
import { assertEngine, assertRng, type EngineLike, type RngLike } from "./deps.js";

/** A sampler of points in R^dim: `sample(rng, count)` returns count x dim (samples are rows). */
export interface Distribution {
  readonly dim: number;
  /** Human-readable description, e.g. "N(0, I_10)". */
  readonly name: string;
  sample(rng: RngLike, count: number): Matrix;
}

/** Arguments of every Distribution's sample(rng, count). */
function checkCount(count: number, rng: unknown): void {
  assertRng("rng", rng);
  assertInteger("count", count, 0);
}

/**
 * Multivariate normal N(mu, Sigma) (Sigma symmetric positive semidefinite; factorization done by rng.mvnormal).
 * Without Sigma: N(mu, sd^2 I) using rng.normal (sd default 1). Throws naming `options.mean`, `options.cov`, `options.sd`.
 */
export function gaussian(options: { dim?: number; mean?: Float64Array; cov?: Matrix; sd?: number }): Distribution {
  options = snapshot(options, "options");
  assertOptions("options", options);
  const o = options ?? {};
  // The dimension comes from the first of dim, mean, cov that is given (null is not "absent": it fails below).
  let d: unknown = o.dim !== undefined ? o.dim : o.mean !== undefined ? (isFloat64Array(o.mean) ? o.mean.length : o.mean) : o.cov !== undefined ? o.cov?.rows : undefined;
  if (o.dim === undefined && o.mean !== undefined && !isFloat64Array(o.mean)) assertVector("options.mean", o.mean);
  if (o.dim === undefined && o.mean === undefined && o.cov !== undefined) assertMatrix("options.cov", o.cov);
  assertInteger("options.dim", d, 1);
  const dim = d as number;
  const mean = def(o.mean, new Float64Array(dim));
  assertVector("options.mean", mean, dim);
  if (o.cov !== undefined) {
    assertMatrix("options.cov", o.cov);
    if (o.cov.rows !== dim || o.cov.cols !== dim) throw new InvalidArgumentError("options.cov", `a matrix of shape ${dim} x ${dim}`, o.cov);
    for (let i = 0; i < dim; i++) for (let j = 0; j < i; j++) {
      if (o.cov.data[i * dim + j] !== o.cov.data[j * dim + i]) throw new InvalidArgumentError("options.cov", "a symmetric matrix", o.cov);
    }
    const cov = o.cov;
    return { dim, name: `N(mu, Sigma) in R^${dim}`, sample: (rng, count) => { checkCount(count, rng); return rng.mvnormal(count, mean, cov); } };
  }
  const sd = def(o.sd, 1);
  assertPositive("options.sd", sd);
  return {
    dim, name: `N(mu, ${sd}^2 I_${dim})`,
    sample(rng, count) {
      checkCount(count, rng);
      const data = rng.normal(count * dim, 0, sd);
      for (let t = 0; t < count; t++) for (let p = 0; p < dim; p++) data[t * dim + p] += mean[p];
      return { rows: count, cols: dim, data };
    },
  };
}

/**
 * Gaussian mixture sum_i alpha_i N(mu_i, Sigma_i) (rng.mixture). weights must be nonnegative with a positive sum
 * (normalized here); means is K x d; covs has K symmetric PSD d x d matrices.
 * Throws naming `options.weights[i]`, `options.means`, `options.covs[i]`.
 */
export function gaussianMixture(options: { weights: Float64Array; means: Matrix; covs: Matrix[] }): Distribution {
  options = snapshot(options, "options");
  assertOptions("options", options);
  if (options === undefined) throw new InvalidArgumentError("options", "an object", options);
  assertMatrix("options.means", options.means);
  const K = options.means.rows, dim = options.means.cols;
  assertVector("options.weights", options.weights, K);
  const weights = normalizedWeights("options.weights", options.weights);
  if (!Array.isArray(options.covs) || options.covs.length !== K) {
    throw new InvalidArgumentError("options.covs", `an array of ${K} matrices`, options.covs);
  }
  options.covs.forEach((c, i) => {
    assertMatrix(`options.covs[${i}]`, c);
    if (c.rows !== dim || c.cols !== dim) throw new InvalidArgumentError(`options.covs[${i}]`, `a matrix of shape ${dim} x ${dim}`, c);
  });
  const spec = { weights, means: options.means, covs: options.covs };
  return { dim, name: `Gaussian mixture (${K} components) in R^${dim}`, sample: (rng, count) => { checkCount(count, rng); return rng.mixture(count, spec).X; } };
}

/** Uniform on the Boolean cube {0,1}^d (PAPERS §1.4, §3.5). */
export function cube01(d: number): Distribution {
  assertInteger("d", d, 1);
  return { dim: d, name: `uniform {0,1}^${d}`, sample: (rng, count) => { checkCount(count, rng); return rng.cube01(count, d); } };
}

/** Uniform on {-1,1}^d (PAPERS §3.5). */
export function cubePM1(d: number): Distribution {
  assertInteger("d", d, 1);
  return { dim: d, name: `uniform {-1,1}^${d}`, sample: (rng, count) => { checkCount(count, rng); return rng.cubePM1(count, d); } };
}

/** Uniform on the sphere of radius r in R^d (r > 0). Throws naming `d`, `radius`. */
export function sphere(d: number, radius = 1): Distribution {
  radius = snapshot(radius, "radius");
  assertInteger("d", d, 1);
  assertPositive("radius", radius);
  return { dim: d, name: `uniform on ${radius} S^${d - 1}`, sample: (rng, count) => { checkCount(count, rng); return rng.sphere(count, d, radius); } };
}

function normalizedWeights(name: string, w: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < w.length; i++) {
    assertNonNegative(`${name}[${i}]`, w[i]);
    s += w[i];
  }
  if (!(s > 0)) throw new InvalidArgumentError(name, "weights with a positive sum", w);
  return w.map((v) => v / s);
}

/**
 * A finite support {p_1, ..., p_N} (rows of `points`) with probabilities proportional to `weights` (default uniform)
 * (PAPERS §3.5 [E]: user-supplied hard distributions). Sampling: one uniform u per draw and the first index with
 * cumulative weight > u (binary search), so the result is a pure function of the stream.
 * Throws naming `points`, `weights.length`, `weights[i]` (negative or non-finite), `weights` (zero sum).
 */
export function finiteSupport(points: Matrix, weights?: Float64Array): Distribution {
  points = snapshot(points, "points"); weights = snapshot(weights, "weights");
  assertMatrix("points", points);
  const N = points.rows, dim = points.cols;
  const w = weights === undefined ? new Float64Array(N).fill(1 / N) : (assertVector("weights", weights, N), normalizedWeights("weights", weights));
  const cum = new Float64Array(N);
  let s = 0;
  for (let i = 0; i < N; i++) { s += w[i]; cum[i] = s; }
  const data = points.data;
  return {
    dim, name: `finite support (${N} points) in R^${dim}`,
    sample(rng, count) {
      checkCount(count, rng);
      const u = rng.uniform(count), out = new Float64Array(count * dim);
      for (let t = 0; t < count; t++) {
        const target = u[t] * s;
        let lo = 0, hi = N - 1;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (cum[mid] > target) hi = mid; else lo = mid + 1; }
        // Skip zero-weight points that share the cumulative value (possible only at the boundary).
        while (lo < N - 1 && w[lo] === 0) lo++;
        out.set(data.subarray(lo * dim, lo * dim + dim), t * dim);
      }
      return { rows: count, cols: dim, data: out };
    },
  };
}

/**
 * Push-forward x = M x' of a base distribution on R^{d'} by M (d x d'): rows X = X' M^T, one GEMM in WASM
 * (PAPERS §1.7: the hard distribution of Theorem 2's proof). Throws naming `M`, `M.cols`.
 */
export function pushForward(engine: EngineLike, base: Distribution, M: Matrix): Distribution {
  base = snapshot(base, "base"); M = snapshot(M, "M");
  assertEngine(engine);
  if (typeof base !== "object" || base === null || !Number.isSafeInteger(base.dim) || !(base.dim >= 1) || typeof base.sample !== "function") {
    throw new InvalidArgumentError("base", "a Distribution { dim, sample(rng, count) }", base);
  }
  assertMatrix("M", M);
  if (M.cols !== base.dim) throw new InvalidArgumentError("M.cols", `equal to the base dimension (${base.dim})`, M.cols);
  const d = M.rows, dp = M.cols, Mdata = Float64Array.from(M.data);
  return {
    dim: d, name: `M x' with x' ~ ${base.name}`,
    sample(rng, count) {
      checkCount(count, rng);
      const Xp = base.sample(rng, count);
      if (count === 0) return { rows: 0, cols: d, data: new Float64Array(0) };
      const core = engine.core;
      const data = core.scope((ar) => {
        const pX = ar.put(Xp.data), pM = ar.put(Mdata), pO = ar.allocF64(count * d);
        core.x.gemm_f64(0, 1, count, d, dp, 1, pX, dp, pM, dp, 0, pO, d);
        return ar.take(pO, count * d);
      });
      return { rows: count, cols: d, data };
    },
  };
}
