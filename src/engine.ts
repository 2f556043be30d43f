/**
 * The engine: one WASM core plus the typed API over it. Create with `createEngine()`.
 */
import { Core } from "./core/core.js";
import { compileCore, instantiateCore, type WasmSource } from "./core/loader.js";
import { assertInteger, assertOptions } from "./validate.js";
import type { Matrix } from "./types.js";
import { matmul, type MatmulOptions } from "./linalg/matmul.js";
// ---- imports: linalg ----
// ---- imports: random ----
// ---- imports: models ----
// ---- imports: gradvar ----

export interface EngineOptions {
  /**
   * Where the .wasm comes from. Default: the release binary shipped in the package, read from disk in Node
   * and stream-compiled from a URL resolved with import.meta.url in browsers. May be a URL, bytes or a compiled Module.
   */
  wasm?: WasmSource;
  /** Largest scratch memory the engine may use, in bytes. Default 2 GiB; at most 4 GiB - 64 KiB. */
  memoryLimit?: number;
}

export const DEFAULT_MEMORY_LIMIT = 2 ** 31;

export class Engine {
  /** @internal */
  readonly core: Core;
  /** @internal */
  readonly module: WebAssembly.Module;

  /** @internal Use createEngine(). */
  constructor(core: Core, module: WebAssembly.Module) {
    this.core = core;
    this.module = module;
  }

  /**
   * General matrix product `C = alpha * op(A) * op(B) + beta * C0`, op(X) = X or X^T (float64, row-major).
   *
   * Shapes: op(A) is m x k, op(B) is k x n, result m x n. When beta = 0 the addend is never read.
   * Accuracy: each entry is a length-k dot product, error <= k * eps * sum_p |a_ip||b_pj| (plus alpha/beta rounding).
   * Determinism: fixed blocking sizes and summation order; the same inputs give the same bits on every host.
   * Throws InvalidArgumentError for mismatched shapes, non-finite entries or bad options.
   */
  matmul(A: Matrix, B: Matrix, options?: MatmulOptions): Matrix {
    return matmul(this.core, A, B, options);
  }

  // ---- region: linalg (gram, gemv, svd, whiten) ----
  // ---- end region: linalg ----

  // ---- region: random (rng) ----
  // ---- end region: random ----

  // ---- region: models (networks, targets, distributions, learners) ----
  // ---- end region: models ----

  // ---- region: gradvar (Monte-Carlo gradient variance, landscape, oracle) ----
  // ---- end region: gradvar ----
}

/**
 * Load and instantiate the engine (async). Works in Node (reads the .wasm shipped in the package) and in browsers.
 */
export async function createEngine(options?: EngineOptions): Promise<Engine> {
  assertOptions("options", options);
  const limit = options?.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
  assertInteger("options.memoryLimit", limit, 65536, 2 ** 32 - 65536);
  const module = await compileCore(options?.wasm);
  const exports = await instantiateCore(module);
  return new Engine(new Core(exports, limit), module);
}
