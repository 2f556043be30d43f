/**
 * The engine: one WASM core plus the typed API over it. Create with `createEngine()`.
 */
import { Core } from "./core/core.js";
import { InvalidArgumentError } from "./errors.js";
import {
  validateSgemmTuningOption, validateTuningOption,
  type GemmTuning, type GemmTuningOption, type SgemmTuning, type SgemmTuningOption,
} from "./linalg/tune.js";
import { compileCore, defaultFmaWasmUrl, defaultWasmUrl, instantiateCore, type WasmSource } from "./core/loader.js";
import { assertInteger, assertOptions, snapshot } from "./validate.js";
import type { Matrix } from "./types.js";
import { matmul, gram, gemv, type MatmulOptions, type GemvOptions } from "./linalg/matmul.js";
import type { Matrix32, MatmulOptions32, GemvOptions32 } from "./linalg/matmul_f32.js";
// ---- imports: linalg ----
import { svd, type SvdResult } from "./linalg/svd.js";
import { whiten, type WhitenOptions, type WhitenResult } from "./linalg/whiten.js";
// ---- imports: random ----
import { createRng, type RngStream } from "./random/rng.js";
// ---- imports: models ----
import { reluNetForward, convNetForward, sampleNetwork, sampleConvNetwork, type ReluNet, type ForwardOptions,
  type SampleNetworkOptions, type SampleConvOptions } from "./models/network.js";
import { trainNetwork, type TrainOptions, type TrainResult } from "./models/learners.js";
import { invarianceExperiment, type InvarianceOptions, type InvarianceRow } from "./models/invariance.js";
import { checkHalfspaceEncoding, type HalfspaceCheckOptions, type HalfspaceCheckResult } from "./models/targets.js";
// ---- imports: gradvar ----
import { gradVariance as gradVarianceImpl, type GradVarianceOptions, type GradVarianceResult } from "./gradvar/estimator.js";
import { gradVarianceExact as gradVarianceExactImpl, type CosExact, type CosExactArgs } from "./gradvar/exact.js";
import { landscape as landscapeImpl, type LandscapeOptions, type LandscapeResult } from "./gradvar/landscape.js";
import { landscapeMonteCarlo as landscapeMCImpl, type LandscapeMCOptions, type LandscapeMCResult } from "./gradvar/landscape_mc.js";
import { oracleSimulation as oracleImpl, type OracleOptions, type OracleResult } from "./gradvar/oracle.js";
import { gradVarianceSweep as sweepImpl, type SweepOptions, type SweepShard } from "./gradvar/sweep.js";
import { closePool } from "./parallel/pool.js";
import { runSweep, type RunSweepOptions, type SweepRun } from "./sweep/run.js";

export interface EngineOptions {
  /**
   * Where the .wasm comes from. Default: the release binary shipped in the package, read from disk in Node
   * and stream-compiled from a URL resolved with import.meta.url in browsers. May be a URL, bytes or a compiled Module.
   */
  wasm?: WasmSource;
  /**
   * Largest memory one call may use, in bytes: its WebAssembly scratch (plus what the arena already holds), and its
   * scratch plus the JS arrays it creates (results included), both estimated before any allocation (src/cost.ts;
   * AllocationError otherwise). Default 2 GiB; at most 4 GiB - 64 KiB.
   */
  memoryLimit?: number;
  /**
   * Opt-in FMA mode: load the core built with WebAssembly relaxed SIMD, whose GEMM micro-kernel uses
   * `f64x2.relaxed_madd`. On hosts that fuse it (x86 with FMA, ARM) every product term of a matrix product rounds
   * once instead of twice: same summation order, results within the same GEMM error bound as the default mode,
   * deterministic on a given host, but not bit-identical to the default mode or to hosts that do not fuse.
   * Where the host cannot run relaxed SIMD (Node 20 without --experimental-wasm-relaxed-simd, Safari) the engine
   * falls back to the default build and says why in `engine.fma.note`. Default false: the same bits everywhere.
   * `wasm`, when given, is then taken as the FMA build.
   */
  fma?: boolean;
  /**
   * GEMM tuning, which never changes a result bit: "auto" (default) measures the fastest block height and
   * micro-kernel variant for this CPU and V8 once, on the first product of at least 256^3 multiply-adds (~50 ms);
   * "default" keeps the built-in choice; { mc, kernel } fixes one. See `engine.gemmTuning` and src/linalg/tune.ts.
   */
  gemmTuning?: GemmTuningOption;
  /**
   * float32 GEMM tuning, which never changes a result bit: the 4 x 8 or the 6 x 8 register tile. "auto" (default)
   * times both once, on the first float32 product of at least 256^3 multiply-adds (~10 ms), and keeps the faster;
   * "default" keeps the 4 x 8 tile; { kernel } fixes one. See `engine.sgemmTuning` and src/linalg/tune.ts.
   */
  sgemmTuning?: SgemmTuningOption;
}

/** What the engine's arithmetic mode is (see EngineOptions.fma). */
export interface FmaStatus {
  /** FMA mode was asked for. */
  requested: boolean;
  /** The relaxed-SIMD build is loaded. */
  active: boolean;
  /** Its multiply-add rounds once on this host (false: the host evaluates it as mul + add). */
  fused: boolean;
  /** Why FMA mode is not active although it was requested. */
  note?: string;
}

export const DEFAULT_MEMORY_LIMIT = 2 ** 31;

export class Engine {
  /** @internal */
  readonly core: Core;
  /** @internal */
  readonly module: WebAssembly.Module;

  /** The GEMM tuning in use (block height, micro-kernel variant, and whether it was calibrated). Never changes bits. */
  get gemmTuning(): Readonly<GemmTuning> {
    return this.core.gemmTuning;
  }

  /** The float32 GEMM register tile in use and whether it was calibrated. Never changes bits. */
  get sgemmTuning(): Readonly<SgemmTuning> {
    return this.core.sgemmTuning;
  }

  /** The arithmetic mode: default (mul + add, same bits everywhere) or FMA (see EngineOptions.fma). */
  readonly fma: Readonly<FmaStatus>;

  /** @internal Use createEngine(). */
  constructor(core: Core, module: WebAssembly.Module, fma: FmaStatus = { requested: false, active: false, fused: false }) {
    this.core = core;
    this.module = module;
    this.fma = Object.freeze(fma);
  }

  /**
   * General matrix product `C = alpha * op(A) * op(B) + beta * C0`, op(X) = X or X^T (float64, row-major).
   *
   * Shapes: op(A) is m x k, op(B) is k x n, result m x n (`options.C`, required when beta != 0, is m x n and is
   * not modified). When beta = 0 the addend is never read. Options: transA, transB (booleans, default false),
   * alpha (default 1), beta (default 0), C, out (an m x n matrix to write the result into and return).
   * Accuracy: |c_ij - exact| <= gamma_k |alpha| sum_p |a_ip||b_pj| + rounding of the alpha/beta scalings,
   * gamma_k = k eps / (1 - k eps), eps = 2^-52 (one length-k dot product per entry, no FMA).
   * Determinism: fixed blocking sizes (KC = 256) and summation order; the same inputs give the same bits on
   * every host. Speed: packed, cache-blocked SIMD kernel (~20 GFLOP/s single-thread for n >= 256 on a 3.7 GHz x86).
   * Throws InvalidArgumentError for mismatched shapes, non-finite entries, bad sizes or options, and
   * AllocationError when the operands and result exceed the engine's memory limit.
   * Paper: none (engine foundation).
   * float32: when A and B hold Float32Arrays the product is computed in float32 (SGEMM, eps = 2^-24 in the bound)
   * and returns a Float32Array matrix; mixing float32 and float64 operands throws (src/linalg/matmul_f32.ts).
   */
  matmul(A: Matrix32, B: Matrix32, options?: MatmulOptions32): Matrix32;
  matmul(A: Matrix, B: Matrix, options?: MatmulOptions): Matrix;
  matmul(A: Matrix | Matrix32, B: Matrix | Matrix32, options?: MatmulOptions | MatmulOptions32): Matrix | Matrix32 {
    return matmul(this.core, snapshot(A as Matrix, "A"), snapshot(B as Matrix, "B"), snapshot(options as MatmulOptions, "options"));
  }

  // ---- region: linalg (gram, gemv, svd, whiten) ----
  /**
   * Gram matrix `G = X^T X` (d x d) of X (m x d, rows as samples), the SYRK shape used for covariances.
   *
   * Computes the upper triangle with the GEMM kernels (about half the flops of a full product) and mirrors it,
   * so G is exactly symmetric. Entry (i, j) = sum_p x_pi x_pj in the GEMM summation order.
   * Accuracy: |g_ij - exact| <= gamma_m sum_p |x_pi||x_pj|, gamma_m = m eps / (1 - m eps).
   * Determinism: same bits for the same X on every host. Throws InvalidArgumentError for a malformed or
   * non-finite X, AllocationError past the memory limit. Paper: none (engine foundation; used by whitening).
   */
  gram(X: Matrix32): Matrix32;
  gram(X: Matrix): Matrix;
  gram(X: Matrix | Matrix32): Matrix | Matrix32 {
    return gram(this.core, snapshot(X as Matrix, "X"));
  }

  /**
   * Matrix-vector product `y = alpha * op(A) x + beta * y0` with op(A) = A or A^T; returns a new Float64Array.
   *
   * Shapes: A m x n; trans = false: x has n entries, y has m; trans = true: x has m entries, y has n.
   * Options: trans (boolean, default false), alpha (default 1), beta (default 0), y (required when beta != 0,
   * length op(A).rows, not modified; never read when beta = 0).
   * Accuracy: |y_i - exact| <= gamma_len |alpha| sum_p |op(A)_ip||x_p| + rounding of the scalings.
   * Determinism: fixed summation order (see assembly/gemm/gemv_f64_simd.ts). Throws InvalidArgumentError for
   * wrong lengths, non-finite entries or bad options. Paper: none (engine foundation).
   */
  gemv(A: Matrix32, x: Float32Array, options?: GemvOptions32): Float32Array;
  gemv(A: Matrix, x: Float64Array, options?: GemvOptions): Float64Array;
  gemv(A: Matrix | Matrix32, x: Float64Array | Float32Array, options?: GemvOptions | GemvOptions32): Float64Array | Float32Array {
    return gemv(this.core, snapshot(A as Matrix, "A"), snapshot(x as Float64Array, "x"), snapshot(options as GemvOptions, "options"));
  }

  /**
   * Thin SVD `A = U diag(S) V^T`: U m x k, S length k (descending), V n x k, k = min(m, n), plus `rank` and the
   * `tolerance` max(m, n) * eps * S[0] used for it. Largest-magnitude entry of each V column is positive.
   * QR-preconditioned one-sided Jacobi, or (square-ish, k >= 100) bidiagonalization + implicit QR; accuracy O(k eps),
   * <= 1e-13 relative at the tested sizes (see src/linalg/svd.ts for the full contract).
   */
  svd(A: Matrix): SvdResult {
    return svd(this.core, snapshot(A, "A"));
  }

  /**
   * Whitening of Theorem 1 (PAPERS.md section 1.3), rows as samples: X (m x d) = U D V^T, P = sqrt(m) V_r D_r^{-1},
   * Z = X P with (1/m) Z^T Z = I_r. Options: `center` (default false), `tolerance` (default max(m, d) eps D_1).
   * Returns { Z, P, rank, cutoff, singularValues, mean? } (see src/linalg/whiten.ts).
   */
  whiten(X: Matrix, options?: WhitenOptions): WhitenResult {
    return whiten(this.core, snapshot(X, "X"), snapshot(options, "options"));
  }
  // ---- end region: linalg ----

  // ---- region: random (rng) ----
  /**
   * A seeded random stream: Philox4x32-10 (Salmon et al. 2011) with key = seed (64 bits), counter =
   * (position, stream index k). Samplers: uniform, normal, truncatedNormal, rademacher, bernoulli, sphere, mvnormal,
   * mixture, cube01, cubePM1, integers (+ uniformInto/normalInto for reused buffers); `stream(k)` gives substream k as
   * a pure function of (seed, k); `clone()`, `atPosition(p)`, `position` (128-bit blocks consumed). Same seed -> same bits on
   * every host (all sampling arithmetic is WASM). seed: a nonnegative safe integer or a bigint in [0, 2^64).
   * See src/random/rng.ts for each sampler's formula, accuracy and block consumption.
   */
  rng(seed: number | bigint): RngStream {
    return createRng(this.core, seed);
  }
  // ---- end region: random ----

  // ---- region: models (networks, targets, distributions, learners) ----
  /**
   * Batched depth-2 ReLU network `f(x) = sum_j a_j [<w_j, x> + b_j]_+` on the rows of X, optionally clipped to [0, 1]
   * (PAPERS §3.1, §1.1). net.W is d x k (columns = neurons), X is m x d. WASM on GEMM. See models/network.ts.
   */
  reluNet(net: ReluNet, X: Matrix, options?: ForwardOptions): Float64Array {
    return reluNetForward(this, snapshot(net, "net"), snapshot(X, "X"), snapshot(options, "options"));
  }

  /** Convolutional net `sum_j [<w, x^(j)>]_+` over non-overlapping patches of size w.length (PAPERS §3.3). */
  convNet(w: Float64Array, X: Matrix): Float64Array {
    return convNetForward(this, w, X);
  }

  /** A natural-weight network (PAPERS §3.2 families, seeded). See models/network.ts sampleNetwork. */
  sampleNetwork(options: SampleNetworkOptions): ReluNet {
    return sampleNetwork(this, options);
  }

  /** A convolutional natural-weight network and its dense block-diagonal equivalent (PAPERS §3.3). */
  sampleConvNetwork(options: SampleConvOptions): { w: Float64Array; q: number; dense: ReluNet } {
    return sampleConvNetwork(this, options);
  }

  /**
   * Train an over-specified depth-2 ReLU net with GD / SGD / Adagrad / Adam, squared loss without 1/2, optional L2
   * and whitening (Theorem 1); async, abortable, deterministic for a seed. See models/learners.ts.
   */
  train(options: TrainOptions): Promise<TrainResult> {
    return trainNetwork(this, options); // (snapshots its options when called: see trainNetwork)
  }

  /** Theorem 1 invariance table: plain vs whitened GD on X and X A. See models/invariance.ts. */
  invarianceExperiment(options: InvarianceOptions): Promise<InvarianceRow[]> {
    return invarianceExperiment(this, options); // (snapshots its options when called)
  }

  /** Exhaustive check of halfspaces == 1 - clipped ReLU (PAPERS §1.4). See models/targets.ts. */
  checkHalfspaceEncoding(options: HalfspaceCheckOptions): HalfspaceCheckResult {
    return checkHalfspaceEncoding(this, options);
  }
  // ---- end region: models ----

  // ---- region: gradvar (Monte-Carlo gradient variance, landscape, oracle) ----
  /**
   * Monte-Carlo Var_w ∇_θ F_w(θ) over J target directions w uniform on r·S^{d-1} (Shamir Theorem 3, PAPERS §2.4),
   * with an unbiased U-statistic estimate, its standard error, the finite-sample variance and the resolution floor,
   * plus the exact value when known (cos family). GEMMs in WASM; `workers` >= 2 uses a worker pool with bit-identical
   * results. See src/gradvar/estimator.ts for formulas.
   */
  gradVariance(options: GradVarianceOptions): Promise<GradVarianceResult> {
    return (async () => gradVarianceImpl(this, snapshot(options, "options", true)))();
  }

  /** Exact Var_w ∇F_w, E_w ∇F_w, E_w F_w and Var_w F_w for the cos family under N(0, I_d) (PAPERS §4.5). */
  gradVarianceExact(args: CosExactArgs): CosExact {
    return gradVarianceExactImpl(snapshot(args, "args"));
  }

  /** Eq. (3) landscape in d = 2: grid, flatness share, critical points (PAPERS §2.2). */
  landscape(options: LandscapeOptions): LandscapeResult {
    return landscapeImpl(options);
  }

  /** Monte-Carlo F and ∇F of Eq. (3) at given points, with standard errors and the closed form (PAPERS §2.2). */
  landscapeMonteCarlo(options: LandscapeMCOptions): LandscapeMCResult {
    return landscapeMCImpl(this, snapshot(options, "options"));
  }

  /** Theorem 4 simulation: GD with a delta-approximate oracle vs exact-gradient GD (PAPERS §2.5). */
  oracleSimulation(options: OracleOptions): Promise<OracleResult> {
    return (async () => oracleImpl(this, snapshot(options, "options", true)))();
  }

  /** A sweep over (d, r, |θ|) configurations, optionally one shard of it (merge with mergeShards). */
  gradVarianceSweep(options: SweepOptions): Promise<SweepShard> {
    return (async () => sweepImpl(this, snapshot(options, "options", true)))();
  }

  /**
   * Run a sweep spec (experiment, grid or points, seeds, precision targets; see src/sweep/spec.ts) or one shard of it,
   * resuming from `options.store` (default in memory). Validates the whole spec first (InvalidArgumentError naming the
   * path, e.g. "grid.radius[3]"). Cell results are pure functions of (spec, seed). Node file store: "hardlearn/node".
   */
  sweep(spec: unknown, options?: RunSweepOptions): Promise<SweepRun> {
    return runSweep(this, spec, options);
  }

  /** Terminate the worker pool used by `workers >= 2` (idle pools never keep a Node process alive). */
  closeWorkers(): Promise<void> {
    return closePool(this);
  }
  // ---- end region: gradvar ----
}

/**
 * Load and instantiate the engine (async). Works in Node (reads the .wasm shipped in the package) and in browsers.
 */
export async function createEngine(options?: EngineOptions): Promise<Engine> {
  options = snapshot(options, "options", true);
  assertOptions("options", options);
  const limit = options?.memoryLimit === undefined ? DEFAULT_MEMORY_LIMIT : options.memoryLimit;
  assertInteger("options.memoryLimit", limit, 65536, 2 ** 32 - 65536);
  const tuning = validateTuningOption(options?.gemmTuning);
  const sTuning = validateSgemmTuningOption(options?.sgemmTuning);
  const make = (exports: Awaited<ReturnType<typeof instantiateCore>>, module: WebAssembly.Module, fma?: FmaStatus) => {
    const core = new Core(exports, limit);
    core.setGemmTuning(tuning);
    core.setSgemmTuning(sTuning);
    return new Engine(core, module, fma);
  };
  if (options?.fma !== undefined && typeof options.fma !== "boolean") throw new InvalidArgumentError("options.fma", "a boolean", options.fma);
  if (options?.fma) {
    if (!hostHasRelaxedSimd()) {
      const module = await compileCore(defaultWasmUrl());
      const exports = await instantiateCore(module);
      return make(exports, module, {
        requested: true, active: false, fused: false,
        note: "this host cannot run WebAssembly relaxed SIMD (it needs Node >= 22, Chrome >= 114 or Firefox >= 145); the default build is used",
      });
    }
    const module = await compileCore(options.wasm === undefined ? defaultFmaWasmUrl() : options.wasm);
    const exports = await instantiateCore(module);
    const fused = typeof exports.madd_is_fused === "function" && (exports.madd_is_fused as () => number)() === 1;
    return make(exports, module, { requested: true, active: true, fused });
  }
  const module = await compileCore(options?.wasm);
  const exports = await instantiateCore(module);
  return make(exports, module);
}

/** A minimal module with one f64x2.relaxed_madd: valid iff the host runs relaxed SIMD. */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type: (v128, v128, v128) -> v128
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x87, 0x02, 0x0b, // f64x2.relaxed_madd
]);

function hostHasRelaxedSimd(): boolean {
  try {
    return WebAssembly.validate(RELAXED_SIMD_PROBE);
  } catch {
    return false;
  }
}
