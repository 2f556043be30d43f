/**
 * What the models area needs from the rest of the engine, as structural types, so the models code compiles and its
 * seeded parts can be driven by any stream with the engine's RngStream surface (CONTRACTS.md, "Random").
 * @internal
 */
import type { Matrix } from "../types.js";
import type { Core } from "../core/core.js";
import { InternalError, InvalidArgumentError } from "../errors.js";
import { assertSeed, def } from "../validate.js";

/** The subset of the engine's RngStream (engine.rng(seed)) used by the models area. */
export interface RngLike {
  /** n uniforms in [0, 1). */
  uniform(n: number): Float64Array;
  /** n normals N(mean, sd^2). */
  normal(n: number, mean?: number, sd?: number): Float64Array;
  /** n values +-a with probability 1/2 each. */
  rademacher(n: number, a?: number): Float64Array;
  /** n values in {0, 1}, 1 with probability p. */
  bernoulli(n: number, p: number): Float64Array;
  /** count rows uniform on the sphere of the given radius in R^d. */
  sphere(count: number, d: number, radius?: number): Matrix;
  /** count rows from N(mean, cov). */
  mvnormal(count: number, mean: Float64Array, cov: Matrix): Matrix;
  /** count rows from a Gaussian mixture, with the component index of each row. */
  mixture(count: number, spec: { weights: Float64Array; means: Matrix; covs: Matrix[] }): { X: Matrix; labels: Int32Array };
  /** count rows uniform on {0,1}^d. */
  cube01(count: number, d: number): Matrix;
  /** count rows uniform on {-1,1}^d. */
  cubePM1(count: number, d: number): Matrix;
  /** Independent substream k, a pure function of (seed, k). */
  stream(k: number): RngLike;
}

/** The subset of the Engine used here (the real Engine satisfies it once rng/svd/whiten have landed). */
export interface EngineLike {
  readonly core: Core;
}

interface WithRng { rng?: (seed: number | bigint) => RngLike }
interface WithWhiten { whiten?: (X: Matrix, options?: Record<string, unknown>) => { Z: Matrix; P: Matrix; rank: number } }
interface WithSvd { svd?: (A: Matrix) => { U: Matrix; S: Float64Array; V: Matrix } }

/** Methods every RngLike must have (checked by {@link assertRng}). */
const RNG_METHODS = ["uniform", "normal", "rademacher", "bernoulli", "sphere", "mvnormal", "mixture", "cube01", "cubePM1", "stream"] as const;

/**
 * The `engine` argument of the models' free functions: an Engine from createEngine() (anything with a working core).
 * Throws InvalidArgumentError("engine", ...) instead of letting a TypeError escape from deep inside a call.
 */
export function assertEngine(engine: unknown): asserts engine is EngineLike {
  const core = (typeof engine === "object" && engine !== null) ? (engine as { core?: unknown }).core : undefined;
  if (typeof core !== "object" || core === null || typeof (core as Core).scope !== "function" || typeof (core as Core).x !== "object") {
    throw new InvalidArgumentError("engine", "an Engine from createEngine()", engine);
  }
}

/** A stream with the RngStream surface (e.g. `engine.rng(seed)` or one of its substreams). */
export function assertRng(name: string, rng: unknown): asserts rng is RngLike {
  if (typeof rng !== "object" || rng === null || RNG_METHODS.some((m) => typeof (rng as Record<string, unknown>)[m] !== "function")) {
    throw new InvalidArgumentError(name, `a random stream with the RngStream methods (${RNG_METHODS.join(", ")}), e.g. engine.rng(seed)`, rng);
  }
}

/** The stream of an options object: `options.rng` when given (validated), else `engine.rng(def(options.seed, 0))`. */
export function rngOption(engine: EngineLike, options: { rng?: unknown; seed?: unknown }): RngLike {
  if (options.rng !== undefined) {
    assertRng("options.rng", options.rng);
    return options.rng;
  }
  return rngFrom(engine, def(options.seed, 0));
}

/** A seeded stream from the engine: `engine.rng(seed)`. `name` is the argument name used in errors. */
export function rngFrom(engine: EngineLike, seed: unknown, name = "options.seed"): RngLike {
  assertSeed(name, seed);
  const f = (engine as unknown as WithRng).rng;
  if (typeof f !== "function") throw new InternalError("engine.rng is not available in this build");
  return f.call(engine, seed);
}

/** `engine.whiten(X)` (PAPERS §1.3): Z = X P with (1/m) Z^T Z = I_r. */
export function whitenWith(engine: EngineLike, X: Matrix): { Z: Matrix; P: Matrix; rank: number } {
  const f = (engine as unknown as WithWhiten).whiten;
  if (typeof f !== "function") throw new InternalError("engine.whiten is not available in this build");
  return f.call(engine, X);
}

/** `engine.svd(A)` if the engine has it, else undefined. */
export function svdOf(engine: EngineLike): ((A: Matrix) => { U: Matrix; S: Float64Array; V: Matrix }) | undefined {
  const f = (engine as unknown as WithSvd).svd;
  return typeof f === "function" ? (A: Matrix) => f.call(engine, A) : undefined;
}
