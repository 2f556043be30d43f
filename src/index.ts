/**
 * hardlearn public API. Everything exported here is public; everything else is internal.
 */
export { createEngine, Engine, DEFAULT_MEMORY_LIMIT, type EngineOptions } from "./engine.js";
export type { WasmSource } from "./core/loader.js";
export { type Matrix, type ProgressCallback, type LongRunOptions, zeros, fromRows } from "./types.js";
export {
  HardlearnError, InvalidArgumentError, ConvergenceError, AllocationError, AbortError, InternalError,
} from "./errors.js";
export type { MatmulOptions } from "./linalg/matmul.js";

// ---- exports: linalg ----
// ---- exports: random ----
// ---- exports: models ----
// ---- exports: gradvar ----
// ---- exports: product (cli/report helpers meant for library users) ----
