/**
 * Seeded random streams (Philox4x32-10, Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3") and the
 * samplers of the papers' distributions (PAPERS.md §2.4 sphere, §3.2 B-N / B-S / B-iid, §3.5 inputs).
 *
 * Stream model. A stream is (seed, k, position):
 *   key     = the 64-bit seed as two u32 words (k0 = low, k1 = high),
 *   counter = (position low, position high, k low, k high),
 *   block   = philox4x32_10(counter, key): 128 random bits.
 * `position` counts 128-bit blocks consumed, so stream k is a pure function of (seed, k) and any position can be
 * reached in O(1): parallel work that gives work item k the stream `rng.stream(k)` gets the same bits for any number
 * of workers. Each call consumes whole blocks and advances the position (consumption per sampler is documented on it),
 * so successive calls give fresh numbers and the same seed gives the same sequence of calls' results.
 *
 * Determinism: all sampling arithmetic runs in WASM (no host Math), so the bits are identical in Node and browsers.
 * The Cholesky-based samplers (mvnormal, mixture) use the engine GEMM, whose summation order is fixed per build.
 */
import type { Core } from "../core/core.js";
import { assertAffordable, costSample, FLOPS_NORMAL } from "../cost.js";
import type { Matrix } from "../types.js";
import { InvalidArgumentError, OverflowError } from "../errors.js";
import {
  MAX_DIM, assertFiniteNumber, assertInteger, assertMatrix, assertNonNegative, assertOptions, assertPositive,
  assertProbability, assertSeed, assertVector, typedArrayKind,
  isFloat64Array, snapshot,
} from "../validate.js";
import { applyFactor, factorCov, type CovFactor } from "./mvnormal.js";
import { dtypeOf, fillF32, normalParams32, type DtypeOptions } from "./rng_f32.js";

const TWO32 = 2 ** 32;
/** Positions are kept below 2^53 blocks (2^54 doubles): unreachable in practice, and exact as JS numbers. */
export const MAX_POSITION = 2 ** 53;
/** Elements per WASM fill call (256 KiB of scratch: stays in L2); a multiple of 128 so chunks start on block boundaries. */
const CHUNK = 32768;

/**
 * Largest |z| a standard normal draw can take: the uniforms are multiples of 2^-53 in [0, 1), so 1 - u >= 2^-53 and
 * |z| <= sqrt(-2 ln 2^-53) = 8.5717; rounded up with room for the few-ulp log/sqrt error.
 */
const Z_MAX = 8.58;

/**
 * Overflow policy for scaled normals (README "Overflow and underflow"): every draw mean + sd z (|z| <= zmax) must
 * fit in float64, decided up front from the parameters (the same answer for every seed): OverflowError otherwise.
 */
function assertDrawsFit(op: string, mean: number, sd: number, zmax: number): void {
  if (!(Math.abs(mean) + zmax * sd <= Number.MAX_VALUE)) {
    throw new OverflowError(op, "sd", `such that every draw mean + sd z fits in float64: |mean| + ${zmax} sd <= ` +
      `${Number.MAX_VALUE} (|z| <= ${zmax}; mean = ${mean})`, sd);
  }
}

/** Parameters of a Gaussian mixture: K components in dimension d. */
export interface MixtureSpec {
  /** K nonnegative finite weights with a positive sum (normalized internally). */
  weights: Float64Array;
  /** K x d matrix: row k is the mean of component k. */
  means: Matrix;
  /** K covariance matrices, each d x d symmetric positive semidefinite. */
  covs: Matrix[];
}

/** Samples of a mixture: X (count x d, rows as samples) and the component of each row. */
export interface MixtureSample {
  X: Matrix;
  labels: Int32Array;
}

function words64(name: string, v: unknown): [number, number] {
  if (typeof v === "bigint") {
    if (v < 0n || v >= 1n << 64n) throw new InvalidArgumentError(name, "an integer in [0, 2^64)", v);
    return [Number(v & 0xffffffffn), Number(v >> 32n)];
  }
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new InvalidArgumentError(name, "a nonnegative safe integer or a bigint in [0, 2^64)", v);
  }
  return [v % TWO32, Math.floor(v / TWO32)];
}

/**
 * A seeded random stream. Create with `engine.rng(seed)`; get independent substreams with `stream(k)`.
 * Not thread-shared: each worker derives its own streams from (seed, k).
 */
export class RngStream {
  /** The seed as given to engine.rng (number or bigint). */
  readonly seed: number | bigint;
  /** Index k of this substream (0 for engine.rng(seed)). */
  readonly streamIndex: number | bigint;
  /** Philox key words [k0, k1] = [seed mod 2^32, floor(seed / 2^32)]. */
  readonly key: readonly [number, number];
  /** Stream words [s0, s1] = [k mod 2^32, floor(k / 2^32)] (counter words 2 and 3). */
  readonly streamWords: readonly [number, number];
  private readonly core: Core;
  private pos: number;

  /** @internal Use engine.rng(seed) and stream(k). */
  constructor(core: Core, seed: number | bigint, streamIndex: number | bigint, position: number) {
    this.core = core;
    this.seed = seed;
    this.streamIndex = streamIndex;
    this.key = Object.freeze(words64("seed", seed)) as readonly [number, number];
    this.streamWords = Object.freeze(words64("k", streamIndex)) as readonly [number, number];
    this.pos = position;
  }

  /** Number of 128-bit Philox blocks consumed so far (the low 64 bits of the next counter). */
  get position(): number {
    return this.pos;
  }

  /**
   * Substream k of the same seed, at position 0. Absolute, not nested: `rng.stream(3)` and
   * `rng.stream(5).stream(3)` are the same stream. A pure function of (seed, k); k in [0, 2^64).
   */
  stream(k: number | bigint): RngStream {
    words64("k", k);
    return new RngStream(this.core, this.seed, k, 0);
  }

  /** An independent copy at the same seed, stream and position (advancing one does not move the other). */
  clone(): RngStream {
    return new RngStream(this.core, this.seed, this.streamIndex, this.pos);
  }

  /** A copy of this stream placed at `position` (blocks), for jumping ahead or replaying. */
  atPosition(position: number): RngStream {
    assertInteger("position", position, 0, MAX_POSITION);
    return new RngStream(this.core, this.seed, this.streamIndex, position);
  }

  /** Reserve `blocks` blocks: returns the start position as a BigInt (for the i64 kernel argument). */
  private start(blocks: number): bigint {
    if (!(this.pos + blocks <= MAX_POSITION)) {
      throw new InvalidArgumentError("position", `below 2^53 blocks after this call (needs ${blocks} more)`, this.pos);
    }
    return BigInt(this.pos);
  }

  private sizes(count: number, d: number): void {
    assertInteger("count", count, 0);
    assertInteger("d", d, 1);
    if (count * d > MAX_DIM) throw new InvalidArgumentError("count * d", `at most ${MAX_DIM}`, count * d);
  }

  /**
   * n uniform doubles in [0, 1): u = ((hi >>> 11) * 2^32 + lo) * 2^-53 for the word pairs (x0, x1), (x2, x3) of each
   * block, i.e. every multiple of 2^-53 in [0, 1) with probability 2^-53. Consumes ceil(n / 2) blocks.
   */
  uniform(n: number, options: { dtype: "float32" }): Float32Array;
  uniform(n: number, options?: { dtype?: "float64" }): Float64Array;
  uniform(n: number, options?: DtypeOptions): Float64Array | Float32Array {
    assertInteger("n", n, 0);
    // float32 (src/random/rng_f32.ts): u = (x >>> 8) 2^-24 per 32-bit word, 4 per block, ceil(n / 4) blocks.
    if (dtypeOf("options", options) === "float32") return this.fill32("uniform", new Float32Array(n));
    const blocks = Math.ceil(n / 2), p0 = this.start(blocks);
    const [k0, k1] = this.key, [s0, s1] = this.streamWords;
    const x = this.core.x;
    const out = this.chunked(n, 2, p0, (pos, p, m) => x.rng_fill_uniform_f64(k0, k1, s0, s1, pos, p, m));
    this.pos += blocks;
    return out;
  }

  /**
   * Fill a fresh Float64Array(n) in chunks of CHUNK elements (element i from block p0 + floor(i / perBlock)), so the
   * WASM scratch stays cache-resident and the copy out is cheap. Chunk boundaries are multiples of perBlock, so the
   * result is the same as one fill of n.
   */
  private chunked(n: number, perBlock: number, p0: bigint, fill: (pos: bigint, p: number, m: number) => void,
    into?: Float64Array): Float64Array {
    assertAffordable(this.core, costSample(n, CHUNK, `drawing ${n} numbers`, into ? 0 : 8));
    const out = into ?? new Float64Array(n);
    if (n === 0) return out;
    this.core.scope((ar) => {
      const c = Math.min(n, CHUNK);
      const p = ar.allocF64(c);
      for (let i = 0; i < n; i += CHUNK) {
        const m = Math.min(CHUNK, n - i);
        fill(p0 + BigInt(i / perBlock), p, m);
        out.set(ar.f64(p, m), i);
      }
    });
    return out;
  }

  /**
   * n draws of N(mean, sd^2): mean + sd * z with z standard normal by Box–Muller (Box & Muller 1958) on the block's
   * two uniforms: z0 = sqrt(-2 log(1 - ua)) cos(2 pi ub), z1 = ... sin(2 pi ub). Exact in distribution up to the
   * 53-bit uniforms (tails truncated at |z| <= 8.57); log/sin/cos are WASM code accurate to a few ulp (same bits on
   * every host). Consumes ceil(n / 2) blocks. normal(n) and normal(n, 0, 1) give identical bits.
   */
  normal(n: number, mean: number | undefined, sd: number | undefined, options: { dtype: "float32" }): Float32Array;
  normal(n: number, mean?: number, sd?: number, options?: { dtype?: "float64" }): Float64Array;
  normal(n: number, mean = 0, sd = 1, options?: DtypeOptions): Float64Array | Float32Array {
    assertInteger("n", n, 0);
    // float32 (src/random/rng_f32.ts): float32 Box–Muller, 4 values per block, ceil(n / 4) blocks.
    if (dtypeOf("options", options) === "float32") return this.fill32("normal", new Float32Array(n), ...normalParams32(mean, sd));
    assertFiniteNumber("mean", mean);
    assertNonNegative("sd", sd);
    assertDrawsFit("rng.normal", mean, sd, Z_MAX);
    const blocks = Math.ceil(n / 2), p0 = this.start(blocks);
    const [k0, k1] = this.key, [s0, s1] = this.streamWords;
    const x = this.core.x;
    const out = mean === 0 && sd === 1
      ? this.chunked(n, 2, p0, (pos, p, m) => x.rng_fill_normal_f64(k0, k1, s0, s1, pos, p, m))
      : this.chunked(n, 2, p0, (pos, p, m) => x.rng_fill_normal_scaled_f64(k0, k1, s0, s1, pos, p, m, mean, sd));
    this.pos += blocks;
    return out;
  }

  /**
   * Fill `out` with out.length uniforms exactly as `uniform(out.length)` would return them (same bits, same
   * consumption), without allocating: for hot loops that reuse a buffer. Returns `out`.
   */
  uniformInto(result: Float32Array): Float32Array;
  uniformInto(result: Float64Array): Float64Array;
  uniformInto(result: Float64Array | Float32Array): Float64Array | Float32Array {
    // A Float32Array gets exactly uniform(out.length, { dtype: "float32" }).
    if (typedArrayKind(result) === "Float32Array") {
      this.fill32("uniform", snapshot(result as Float32Array, "out"));
      return result;
    }
    if (!isFloat64Array(result)) throw new InvalidArgumentError("out", "a Float64Array or a Float32Array", result);
    const out = snapshot(result, "out"); // a view of this realm on the caller's memory
    const n = out.length;
    const blocks = Math.ceil(n / 2), p0 = this.start(blocks);
    const [k0, k1] = this.key, [s0, s1] = this.streamWords;
    const x = this.core.x;
    this.chunked(n, 2, p0, (pos, p, m) => x.rng_fill_uniform_f64(k0, k1, s0, s1, pos, p, m), out);
    this.pos += blocks;
    return result;
  }

  /**
   * Fill `out` with N(mean, sd^2) draws exactly as `normal(out.length, mean, sd)` would return them (same bits,
   * same consumption), without allocating. Returns `out`.
   */
  normalInto(result: Float32Array, mean?: number, sd?: number): Float32Array;
  normalInto(result: Float64Array, mean?: number, sd?: number): Float64Array;
  normalInto(result: Float64Array | Float32Array, mean = 0, sd = 1): Float64Array | Float32Array {
    // A Float32Array gets exactly normal(out.length, mean, sd, { dtype: "float32" }).
    if (typedArrayKind(result) === "Float32Array") {
      const [m32, s32] = normalParams32(mean, sd);
      this.fill32("normal", snapshot(result as Float32Array, "out"), m32, s32);
      return result;
    }
    if (!isFloat64Array(result)) throw new InvalidArgumentError("out", "a Float64Array or a Float32Array", result);
    const out = snapshot(result, "out");
    assertFiniteNumber("mean", mean);
    assertNonNegative("sd", sd);
    assertDrawsFit("rng.normalInto", mean, sd, Z_MAX);
    const n = out.length;
    const blocks = Math.ceil(n / 2), p0 = this.start(blocks);
    const [k0, k1] = this.key, [s0, s1] = this.streamWords;
    const x = this.core.x;
    if (mean === 0 && sd === 1) this.chunked(n, 2, p0, (pos, p, m) => x.rng_fill_normal_f64(k0, k1, s0, s1, pos, p, m), out);
    else this.chunked(n, 2, p0, (pos, p, m) => x.rng_fill_normal_scaled_f64(k0, k1, s0, s1, pos, p, m, mean, sd), out);
    this.pos += blocks;
    return result;
  }

  /** float32 fill of `out` (4 values per block), advancing the position by ceil(out.length / 4) blocks. */
  private fill32(kind: "uniform" | "normal", out: Float32Array, mean = 0, sd = 1): Float32Array {
    const blocks = Math.ceil(out.length / 4), p0 = this.start(blocks);
    fillF32(this.core, kind, this.key, this.streamWords, p0, out, mean, sd);
    this.pos += blocks;
    return out;
  }

  /**
   * n draws of the truncated normal: mean + sd * z with z ~ N(0, 1) conditioned on |z| <= bound (bound in units of
   * sd; default 2, as TensorFlow's truncated_normal initializer, used for the SSS17 parity network, PAPERS §2.6).
   * Exact rejection: standard normals are drawn in rounds from this stream (round size ceil(2 need / min(bound, 1))
   * + 64, an even number; basic arithmetic only, so the consumption is host independent) and kept in order when
   * |z| <= bound; leftovers of the last round are discarded. bound in [0.1, 10] (acceptance >= 7.9%); at most 1000
   * rounds (never reached: each round fills everything with overwhelming probability).
   */
  truncatedNormal(n: number, mean = 0, sd = 1, bound = 2): Float64Array {
    assertInteger("n", n, 0);
    assertFiniteNumber("mean", mean);
    assertNonNegative("sd", sd);
    if (typeof bound !== "number" || !(bound >= 0.1 && bound <= 10)) throw new InvalidArgumentError("bound", "a number in [0.1, 10]", bound);
    assertDrawsFit("rng.truncatedNormal", mean, sd, Math.min(bound, Z_MAX));
    assertAffordable(this.core, costSample(n + Math.ceil((2 * n) / Math.min(bound, 1)) + 66, CHUNK, `drawing ${n} truncated normals`));
    const out = new Float64Array(n);
    let filled = 0;
    for (let round = 0; filled < n && round < 1000; round++) {
      const need = n - filled;
      let m = Math.ceil((2 * need) / Math.min(bound, 1)) + 64;
      m += m & 1;
      const z = this.normal(m);
      for (let i = 0; i < m && filled < n; i++) {
        if (Math.abs(z[i]) <= bound) out[filled++] = mean + sd * z[i];
      }
    }
    return out;
  }

  private bits(n: number, v0: number, v1: number): Float64Array {
    const blocks = Math.ceil(n / 128), p0 = this.start(blocks);
    const [k0, k1] = this.key, [s0, s1] = this.streamWords;
    const x = this.core.x;
    const out = this.chunked(n, 128, p0, (pos, p, m) => x.rng_fill_bits_f64(k0, k1, s0, s1, pos, p, m, v0, v1));
    this.pos += blocks;
    return out;
  }

  /**
   * n Rademacher values: +a or -a with probability 1/2 each (one random bit each; PAPERS §3.2 B-iid). Consumes
   * ceil(n / 128) blocks.
   */
  rademacher(n: number, a = 1): Float64Array {
    assertInteger("n", n, 0);
    assertFiniteNumber("a", a);
    return this.bits(n, -a, a);
  }

  /**
   * n Bernoulli(p) values as float64 0/1: 1 iff u < p, u uniform as in `uniform` (so P(1) = ceil(p 2^53) 2^-53,
   * exact for p a multiple of 2^-53). Consumes ceil(n / 2) blocks.
   */
  bernoulli(n: number, p: number): Float64Array {
    assertInteger("n", n, 0);
    assertProbability("p", p);
    const blocks = Math.ceil(n / 2), p0 = this.start(blocks);
    const [k0, k1] = this.key, [s0, s1] = this.streamWords;
    const x = this.core.x;
    const out = this.chunked(n, 2, p0, (pos, q, m) => x.rng_fill_bernoulli_f64(k0, k1, s0, s1, pos, q, m, p));
    this.pos += blocks;
    return out;
  }

  /** count x d matrix of i.i.d. uniform {0, 1} entries (Boolean cube, one bit each). Consumes ceil(count d / 128) blocks. */
  cube01(count: number, d: number): Matrix {
    this.sizes(count, d);
    return { rows: count, cols: d, data: this.bits(count * d, 0, 1) };
  }

  /** count x d matrix of i.i.d. uniform {-1, +1} entries (one bit each). Consumes ceil(count d / 128) blocks. */
  cubePM1(count: number, d: number): Matrix {
    this.sizes(count, d);
    return { rows: count, cols: d, data: this.bits(count * d, -1, 1) };
  }

  /**
   * n integers uniform on the half-open range [lo, hi) (like numpy's integers), exactly unbiased: Lemire's
   * multiply-and-reject on 32-bit words (ACM TOMACS 2019). Requires -2^31 <= lo < hi <= 2^31. Consumes one word per
   * value plus one per rejection (rejection probability < (hi - lo) / 2^32), rounded up to whole blocks.
   */
  integers(n: number, lo: number, hi: number): Int32Array {
    assertInteger("n", n, 0);
    assertInteger("lo", lo, -(2 ** 31), 2 ** 31 - 1);
    assertInteger("hi", hi, lo + 1, 2 ** 31);
    const [k0, k1] = this.key, [s0, s1] = this.streamWords;
    // Upper bound on consumption for the position check: every value rejected 2047 times is impossible in practice;
    // the check uses the expected-case bound n words, and the kernel reports the exact count.
    const p0 = this.start(Math.ceil(n / 4));
    assertAffordable(this.core, { what: `drawing ${n} integers`, wasmBytes: 4 * n + 64, jsBytes: 4 * n, flops: 4 * n });
    let used = 0;
    const out = this.core.scope((ar) => {
      const p = ar.alloc(4 * n);
      used = this.core.x.rng_fill_integers_i32(k0, k1, s0, s1, p0, p, n, lo, hi - lo - 1);
      return ar.i32(p, n).slice();
    });
    this.pos += used;
    return out;
  }

  /**
   * count points uniform on the sphere {x in R^d : |x| = radius}, as rows: normalized standard normal rows
   * (Muller 1959; PAPERS §2.4 and §3.2 B-S). Norms equal radius to about (d/4 + 3) eps relative. An all-zero normal
   * row (probability < 2^-52 per row) is redrawn from the following blocks. Consumes ceil(count d / 2) blocks
   * (+ ceil(d / 2) per redraw).
   */
  sphere(count: number, d: number, radius = 1): Matrix {
    this.sizes(count, d);
    assertPositive("radius", radius);
    const n = count * d;
    const blocks = Math.ceil(n / 2), p0 = this.start(blocks);
    assertAffordable(this.core, { what: `drawing ${count} points on a sphere in dimension ${d}`, wasmBytes: 8 * n + 128, jsBytes: 8 * n, flops: 30 * n });
    const [k0, k1] = this.key, [s0, s1] = this.streamWords;
    let redraws = 0;
    const data = this.core.scope((ar) => {
      const p = ar.allocF64(n), pb = ar.alloc(4);
      const x = this.core.x;
      x.rng_fill_normal_f64(k0, k1, s0, s1, p0, p, n);
      let bad = x.rng_sphere_rows_f64(p, count, d, radius, pb);
      // Redraw zero rows from the blocks after this call's range, in row order (capped; each try fails w.p. < 2^-52).
      let next = this.pos + blocks;
      for (let row = ar.i32(pb, 1)[0]; bad > 0 && row < count; row++) {
        const pr = p + row * d * 8;
        if (!ar.f64(pr, d).every((v) => v === 0)) continue;
        for (let attempt = 0; attempt < 64; attempt++) {
          const b = Math.ceil(d / 2);
          x.rng_fill_normal_f64(k0, k1, s0, s1, BigInt(next), pr, d);
          next += b;
          redraws += b;
          if (x.rng_sphere_rows_f64(pr, 1, d, radius, pb) === 0) break;
        }
        bad--;
      }
      return ar.take(p, n);
    });
    this.pos += blocks + redraws;
    return { rows: count, cols: d, data };
  }

  /**
   * count draws of N(mean, cov) in R^d, as rows: x = mean + P L z with P^T cov P = L L^T (pivoted Cholesky, so a
   * positive SEMIdefinite cov of rank r is fine; indefinite cov throws) and z ~ N(0, I). PAPERS §3.2 B-N.
   * cov must be d x d, finite, symmetric to 1e-10 relative (it is symmetrized), PSD up to 64 d eps max|cov|.
   * Consumes ceil(count d / 2) blocks (a full d normals per row, whatever the rank).
   */
  mvnormal(count: number, mean: Float64Array, cov: Matrix): Matrix {
    mean = snapshot(mean, "mean"); cov = snapshot(cov, "cov");
    assertVector("mean", mean);
    const d = mean.length;
    if (d < 1) throw new InvalidArgumentError("mean.length", "a positive integer", d);
    this.sizes(count, d);
    const f = factorCov(this.core, "cov", cov, d);
    assertAffordable(this.core, { what: `drawing ${count} multivariate normals in dimension ${d}`, wasmBytes: 8 * (2 * count * d + 2 * d * d) + 256, jsBytes: 16 * count * d, flops: (FLOPS_NORMAL + 2 * d) * count * d });
    const Z = this.normal(count * d);
    const out = new Float64Array(count * d);
    applyFactor(this.core, f, mean, Z, count, out);
    return { rows: count, cols: d, data: out };
  }

  /**
   * count draws of the Gaussian mixture sum_k w_k N(means[k], covs[k]) / sum w, as rows, with the component
   * labels. Labels: label_i = min { k : u_i < c_k }, u_i = uniform(count)[i], c_k the cumulative normalized weights
   * (set to exactly 1 from the last positive weight on, so zero-weight components never occur). Then
   * x_i = means[label_i] + P L z_i as in mvnormal, z_i = row i of normal(count * d).
   * Consumes ceil(count / 2) + ceil(count d / 2) blocks.
   */
  mixture(count: number, spec: MixtureSpec): MixtureSample {
    spec = snapshot(spec, "spec");
    assertOptions("spec", spec);
    if (spec === undefined) throw new InvalidArgumentError("spec", "an object { weights, means, covs }", spec);
    const { weights, means, covs } = spec;
    assertVector("spec.weights", weights);
    const K = weights.length;
    if (K < 1) throw new InvalidArgumentError("spec.weights.length", "a positive integer", K);
    let total = 0, lastPos = -1;
    for (let k = 0; k < K; k++) {
      if (!(weights[k] >= 0)) throw new InvalidArgumentError(`spec.weights[${k}]`, "a finite number >= 0", weights[k]);
      total += weights[k];
      if (weights[k] > 0) lastPos = k;
    }
    if (!(total > 0) || !Number.isFinite(total)) throw new InvalidArgumentError("spec.weights", "nonnegative with a finite positive sum", weights);
    assertMatrix("spec.means", means);
    if (means.rows !== K) throw new InvalidArgumentError("spec.means.rows", `equal to spec.weights.length (${K})`, means.rows);
    const d = means.cols;
    if (!Array.isArray(covs)) throw new InvalidArgumentError("spec.covs", `an array of ${K} matrices`, covs);
    if (covs.length !== K) throw new InvalidArgumentError("spec.covs.length", `equal to spec.weights.length (${K})`, covs.length);
    this.sizes(count, d);
    const factors: CovFactor[] = covs.map((c, k) => factorCov(this.core, `spec.covs[${k}]`, c, d));
    assertAffordable(this.core, { what: `drawing ${count} mixture samples in dimension ${d}`, wasmBytes: 8 * (2 * count * d + 2 * d * d) + 256, jsBytes: 24 * count * d + 16 * count, flops: (FLOPS_NORMAL + 2 * d) * count * d });
    const cum = new Float64Array(K);
    let acc = 0;
    for (let k = 0; k < K; k++) {
      acc += weights[k];
      cum[k] = k >= lastPos ? 1 : acc / total;
    }
    const u = this.uniform(count);
    const labels = new Int32Array(count);
    const counts = new Int32Array(K);
    for (let i = 0; i < count; i++) {
      let k = 0;
      while (k < K - 1 && !(u[i] < cum[k])) k++;
      labels[i] = k;
      counts[k]++;
    }
    const Z = this.normal(count * d);
    const X = new Float64Array(count * d);
    for (let k = 0; k < K; k++) {
      const nk = counts[k];
      if (nk === 0) continue;
      const rows = new Int32Array(nk);
      const Zk = new Float64Array(nk * d);
      for (let i = 0, t = 0; i < count; i++) {
        if (labels[i] !== k) continue;
        rows[t] = i;
        Zk.set(Z.subarray(i * d, i * d + d), t * d);
        t++;
      }
      applyFactor(this.core, factors[k], means.data.subarray(k * d, k * d + d), Zk, nk, X, rows, "rng.mixture");
    }
    return { X: { rows: count, cols: d, data: X }, labels };
  }
}

/** engine.rng(seed): the root stream (k = 0, position 0) of a seed in [0, 2^64) (number or bigint). */
export function createRng(core: Core, seed: number | bigint): RngStream {
  assertSeed("seed", seed);
  return new RngStream(core, seed, 0, 0);
}
