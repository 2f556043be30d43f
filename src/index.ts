/**
 * hardlearn public API. Everything exported here is public; everything else is internal.
 */
export { createEngine, Engine, DEFAULT_MEMORY_LIMIT, type EngineOptions, type FmaStatus } from "./engine.js";
export { GEMM_KERNELS, type GemmTuning, type GemmTuningOption, type GemmKernelName } from "./linalg/tune.js";
export { SGEMM_KERNELS, type SgemmTuning, type SgemmTuningOption, type SgemmKernelName } from "./linalg/tune.js";
export type { WasmSource } from "./core/loader.js";
export { type Matrix, type ProgressCallback, type LongRunOptions, zeros, fromRows } from "./types.js";
export {
  HardlearnError, InvalidArgumentError, OverflowError, ConvergenceError, AllocationError, AbortError, InternalError, LoadError,
  MissingDependencyError, WorkerPoolClosedError,
} from "./errors.js";
export type { MatmulOptions, GemvOptions } from "./linalg/matmul.js";
export { F32_MAX, type Matrix32, type Dtype, type MatmulOptions32, type GemvOptions32 } from "./linalg/matmul_f32.js";

// ---- exports: linalg ----
export { createGemmThreads, GemmThreads, type GemmThreadsOptions } from "./parallel/gemm-threads.js";
export { SVD_MAX_SWEEPS, type SvdResult } from "./linalg/svd.js";
export type { WhitenOptions, WhitenResult } from "./linalg/whiten.js";
// ---- exports: random ----
export { RngStream, MAX_POSITION, type MixtureSpec, type MixtureSample } from "./random/rng.js";
export type { DtypeOptions } from "./random/rng_f32.js";
// ---- exports: models ----
export * from "./models/index.js";
// ---- exports: gradvar ----
export {
  gradVarianceExact, meanGradientExact, cosLossAndGradient, type CosExact, type CosExactArgs,
} from "./gradvar/exact.js";
export {
  PSI_KINDS, type PsiKind, type PredictorSpec, type ReluPredictor, type InputSpec,
  type GradVarianceOptions, type GradVarianceResult,
} from "./gradvar/estimator.js";
export { landscape, eq3, eq3Loss, eq3Gradient, eq3Hessian, type LandscapeOptions, type LandscapeResult, type CriticalPoint } from "./gradvar/landscape.js";
export { type LandscapeMCOptions, type LandscapeMCResult } from "./gradvar/landscape_mc.js";
export { mixtureCosMoments, eq3MixtureLoss, eq3MixtureGradient, triangleMoments, type GaussianMixture } from "./gradvar/moments.js";
export { type OracleOptions, type OracleResult } from "./gradvar/oracle.js";
export { mergeShards, sweepConfigs, type SweepOptions, type SweepShard, type SweepRow } from "./gradvar/sweep.js";
export {
  planSweep, type SweepPlan, type CellPlan, type NormalizedSpec, type PrecisionTarget, type Budget, type ExperimentName,
  type Params, type ParamValue,
} from "./sweep/spec.js";
export {
  sweepResult, formatSweepResult, sweepCsv, mergeShardOutputs, type RunSweepOptions, type SweepRun, type SweepStore,
  type CellRecord, type SweepResult, type ShardOutput, type Shard,
} from "./sweep/run.js";
export type { CellNumbers } from "./sweep/cell.js";
// ---- exports: product (cli/report helpers meant for library users) ----
