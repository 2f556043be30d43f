/**
 * Learners on over-specified depth-2 ReLU networks `f(x) = sum_j a_j [<w_j, x> + b_j]_+` (PAPERS §1.2 footnote 1,
 * §1.3 Theorem 1, §3.10): full-batch GD, minibatch SGD, Adagrad and Adam on the squared loss WITHOUT the 1/2 factor
 * (PAPERS §2.1 convention), optional L2, optional whitening wrapper. Forward and backward run in WASM on GEMM
 * (assembly/models/relu_net_f64.ts); one WASM call runs a whole epoch.
 *
 * Objective (data loss + penalty), for the m training rows:
 *   J(theta) = (1/m) sum_i (f(x_i) - y_i)^2 + l2 (||W||_F^2 + ||a||^2 if the second layer is trainable).
 * Minibatch methods use the same formula on each batch (1/|B| sum over the batch). Biases are not penalized.
 * relu'(0) = 0.
 */
import type { LongRunOptions, Matrix } from "../types.js";
import { AbortError, InvalidArgumentError, OverflowError } from "../errors.js";
import { exponentOf, ldexp } from "../linalg/scale.js";
import {
  assertBoolean, assertInteger, assertMatrix, assertNonNegative, assertOneOf, assertOptions,
  assertPositive, assertVector, snapshot, def, assertSignal } from "../validate.js";
import { checkInputs, checkNet, forwardUnchecked, type ReluNet } from "./network.js";
import { assertEngine, rngFrom, whitenWith, type EngineLike, type RngLike } from "./deps.js";
import { populationLoss } from "./closed_forms.js";
import { forwardF32, makeF32State, resolveDtype, runEpochsF32, type F32State } from "./learners_f32.js";
import type { Dtype, Matrix32 } from "../linalg/matmul_f32.js";
import { assertAffordable, costTrain } from "../cost.js";

export const OPTIMIZERS = ["gd", "sgd", "adagrad", "adam"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
const OPT_ID: Record<OptimizerName, number> = { gd: 0, sgd: 0, adagrad: 1, adam: 2 };

/** Options of {@link trainNetwork}. Samples are rows. */
export interface TrainOptions extends LongRunOptions {
  /** Training inputs, m x d (float64, or float32: then training runs in float32 unless dtype says otherwise). */
  X: Matrix | Matrix32;
  /** Training labels, length m. */
  y: Float64Array | Float32Array;
  /** Optional test inputs (n x d) and labels, evaluated after every epoch into the history. */
  Xtest?: Matrix | Matrix32;
  ytest?: Float64Array | Float32Array;
  /**
   * "float32": run the training loop in float32 (src/models/learners_f32.ts: SGEMM kernels, float32 parameters and
   * optimizer state; data, initial weights and hyper-parameters rounded to float32; whitening stays float64).
   * Default: "float32" when X holds a Float32Array, else "float64".
   */
  dtype?: Dtype;
  /** Hidden width k >= 1 (over-specified: any k). */
  width: number;
  /** Learn a first-layer bias (init 0). Default false. */
  bias?: boolean;
  /** Learn the second layer a (init all ones). Default false: a = all ones, as in both papers. */
  trainSecondLayer?: boolean;
  /** Initial first-layer scale s: entries of W0 have law N(0, s^2 / d_in) (d_in = d, or the rank r when whitening). Default 1. */
  initScale?: number;
  /**
   * Where the random coins of W0 live [E]:
   * - "input": W0 = (s / sqrt(d_in)) G with G (d_in x k) i.i.d. N(0, 1) — the usual initialization;
   * - "data":  W0 = (s / sqrt(d_in)) X_in^T G / sqrt(m) with G (m x k) i.i.d. N(0, 1) drawn per SAMPLE. For whitened
   *   data (X_in^T X_in = m I) this has exactly the law of "input", and it makes the algorithm linearly invariant
   *   conditioned on the coins: if X_in is replaced by X_in R (R orthogonal, as Theorem 1's proof produces), W0
   *   becomes R^T W0, and GD keeps W_t' = R^T W_t, so the predictions are unchanged.
   * Default "data" when `whiten` is true, else "input".
   */
  initFrame?: "input" | "data";
  /** Explicit initial weights in the TRAINING frame (d_in x k, overrides initScale/initFrame). */
  init?: ReluNet;
  /** Optimizer. Default "gd" (full batch: batchSize is ignored). */
  optimizer?: OptimizerName;
  /** Learning rate. Default 0.01 for gd/sgd/adagrad, 0.001 for adam. */
  lr?: number;
  /** Number of epochs (for "gd": number of full-batch steps). Default 100. */
  epochs?: number;
  /** Minibatch size for sgd/adagrad/adam. Default 32. The samples are reshuffled every epoch (Fisher–Yates). */
  batchSize?: number;
  /** L2 coefficient l2 >= 0 on W (and a when trainable). Default 0. */
  l2?: number;
  /** Adam's beta1, beta2, and the eps of Adagrad/Adam. Defaults 0.9, 0.999, 1e-8. */
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Train on whitened data Z = X P (Theorem 1, engine.whiten) and return the net x -> f(W^T P^T x). Default false. */
  whiten?: boolean;
  /** Seed of all randomness (init: stream 1 of the seed, shuffles: stream 2). Default 0. */
  seed?: number | bigint;
  /** Record train/test loss after every epoch. Default true (costs one forward pass per epoch). */
  history?: boolean;
  /**
   * Exact population loss oracle (PAPERS §4.6): target first layer U (d x k_t, all-ones second layer, no bias) under
   * x ~ N(0, I_d). When given (and the learner has no bias, a fixed second layer and no whitening), every history
   * entry also holds `populationLoss = L(U, W)`.
   */
  populationTarget?: Matrix;
}

export interface HistoryEntry {
  /** Epochs done (0 = before training). */
  epoch: number;
  /** Mean squared error on the training set, (1/m) sum (f(x_i) - y_i)^2 (no penalty). */
  trainLoss: number;
  /** Mean squared error on the test set, when given. */
  testLoss?: number;
  /** Exact Gaussian population loss L(U, W), when options.populationTarget is given. */
  populationLoss?: number;
}

export interface TrainResult {
  /** The trained network in the INPUT frame (for whitening: W_eff = P W, so f(x) = sum_j a_j relu(<P w_j, x> + b_j)). */
  net: ReluNet;
  /** The trained network in the training frame (equal to `net` without whitening). */
  trainedNet: ReluNet;
  /** Predictions on the training rows after training, computed in the training frame. */
  trainPredictions: Float64Array;
  history: HistoryEntry[];
  /** Number of optimizer steps taken. */
  steps: number;
  /** The whitening used (P is d x r, Z = X P). */
  whitening?: { P: Matrix; rank: number };
  /** Element type the training loop ran in; with "float32" the weights and predictions are float32 values. */
  dtype: Dtype;
}

interface Resolved {
  X: Matrix; y: Float64Array; Xtest?: Matrix; ytest?: Float64Array;
  k: number; bias: boolean; trainA: boolean; opt: OptimizerName; lr: number; epochs: number; batch: number;
  l2: number; b1: number; b2: number; eps: number; history: boolean; U?: Matrix;
  theta: Float64Array; aFixed?: Float64Array; s1: Float64Array; s2: Float64Array; shuffle?: RngLike;
  whitening?: { P: Matrix; rank: number };
  dtype: Dtype; f32?: F32State;
}

function mse(p: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) { const r = p[i] - y[i]; s += r * r; }
  if (!Number.isFinite(s)) return mseScaled(p, y);
  return p.length ? s / p.length : 0;
}

/**
 * mse when the plain sum of squares overflowed: on 2^-e p, 2^-e y (max |entry| in [1, 2), exact), then scaled back
 * by 2^2e, so a mean that fits in float64 is returned (Infinity only if the mean itself does not fit).
 */
function mseScaled(p: Float64Array, y: Float64Array): number {
  let amax = 0;
  for (let i = 0; i < p.length; i++) amax = Math.max(amax, Math.abs(p[i]), Math.abs(y[i]));
  if (!Number.isFinite(amax)) return Infinity;
  const e = exponentOf(amax);
  let s = 0;
  for (let i = 0; i < p.length; i++) { const r = ldexp(p[i], -e) - ldexp(y[i], -e); s += r * r; }
  return ldexp(s / p.length, 2 * e);
}

/** OverflowError(op, arg, rule, value) if any entry of data is NaN or +-Infinity (the inputs were finite: overflow). */
function assertAllFinite(op: string, arg: string, rule: string, data: Float64Array, value: unknown): void {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) throw new OverflowError(op, arg, rule, value);
}

/** Overflow policy: a loss that does not fit in float64 is a typed error naming the labels, never an Infinity. */
function assertLossFits(loss: number, what: string, yName: string, y: Float64Array): void {
  if (!Number.isFinite(loss)) {
    throw new OverflowError("train", yName, `labels whose mean squared error fits in float64 (the ${what} overflows ` +
      `${Number.MAX_VALUE}; scale the labels and inputs down)`, y);
  }
}

/** Unpack theta = [W | b | a] into a ReluNet (copies). @internal */
export function unpackTheta(theta: Float64Array, d: number, k: number, bias: boolean, trainA: boolean, aFixed?: Float64Array): ReluNet {
  const dk = d * k;
  const net: ReluNet = { W: { rows: d, cols: k, data: theta.slice(0, dk) } };
  if (bias) net.b = theta.slice(dk, dk + k);
  if (trainA) net.a = theta.slice(dk + (bias ? k : 0), dk + (bias ? 2 * k : k));
  else if (aFixed) net.a = aFixed.slice();
  return net;
}

/** Adam's moment decay rates: beta in [0, 1) (beta = 1 divides by 1 - beta^t = 0). */
function assertBeta(name: string, v: unknown): void {
  if (typeof v !== "number" || !(v >= 0 && v < 1)) throw new InvalidArgumentError(name, "a number in [0, 1)", v);
}

function resolve(engine: EngineLike, options: TrainOptions): Resolved {
  assertEngine(engine);
  assertOptions("options", options);
  if (options === undefined) throw new InvalidArgumentError("options", "an object", options);
  // float32 inputs are validated (and whitened) as their exact float64 copies; see learners_f32.ts.
  const dt = resolveDtype(options);
  const o = { ...options, X: dt.X, y: dt.y, Xtest: dt.Xtest, ytest: dt.ytest } as TrainOptions & { X: Matrix; y: Float64Array; Xtest?: Matrix; ytest?: Float64Array };
  assertMatrix("options.X", o.X);
  assertVector("options.y", o.y, o.X.rows);
  const d = o.X.cols;
  if (o.Xtest !== undefined || o.ytest !== undefined) {
    checkInputs("options.Xtest", o.Xtest, d);
    assertVector("options.ytest", o.ytest, o.Xtest!.rows);
  }
  assertInteger("options.width", o.width, 1);
  const bias = def(o.bias, false), trainA = def(o.trainSecondLayer, false), wh = def(o.whiten, false), history = def(o.history, true);
  assertBoolean("options.bias", bias);
  assertBoolean("options.trainSecondLayer", trainA);
  assertBoolean("options.whiten", wh);
  assertBoolean("options.history", history);
  const opt = def(o.optimizer, "gd");
  assertOneOf("options.optimizer", opt, OPTIMIZERS);
  const lr = def(o.lr, (opt === "adam" ? 0.001 : 0.01));
  assertPositive("options.lr", lr);
  const epochs = def(o.epochs, 100);
  assertInteger("options.epochs", epochs, 0, 1e9);
  // batchSize is validated whenever it is given (also for "gd", which always uses the full batch).
  if (o.batchSize !== undefined) assertInteger("options.batchSize", o.batchSize, 1);
  const batch = opt === "gd" ? o.X.rows : def(o.batchSize, 32);
  assertInteger("options.batchSize", batch, 1);
  const l2 = def(o.l2, 0);
  assertNonNegative("options.l2", l2);
  const b1 = def(o.beta1, 0.9), b2 = def(o.beta2, 0.999), eps = def(o.eps, 1e-8);
  assertBeta("options.beta1", b1);
  assertBeta("options.beta2", b2);
  assertPositive("options.eps", eps);
  const initScale = def(o.initScale, 1);
  assertPositive("options.initScale", initScale);
  const initFrame = def(o.initFrame, (wh ? "data" : "input"));
  assertOneOf("options.initFrame", initFrame, ["input", "data"] as const);
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") throw new InvalidArgumentError("options.onProgress", "a function", o.onProgress);
  assertSignal("options.signal", o.signal);
  let U: Matrix | undefined;
  if (o.populationTarget !== undefined) {
    assertMatrix("options.populationTarget", o.populationTarget);
    if (o.populationTarget.rows !== d) throw new InvalidArgumentError("options.populationTarget.rows", `equal to options.X.cols (${d})`, o.populationTarget.rows);
    if (bias || trainA || wh) throw new InvalidArgumentError("options.populationTarget", "absent when bias, trainSecondLayer or whiten is set", "matrix");
    U = o.populationTarget;
  }
  // Before the whitening, the init draws and any training: refuse what would exceed the memory limit.
  assertAffordable(engine.core, costTrain(engine.core, {
    m: o.X.rows, d, k: o.width, epochs, batch, nTest: o.Xtest?.rows ?? 0, history, whiten: wh, minibatch: opt !== "gd",
    nParams: d * o.width + (bias ? o.width : 0) + (trainA ? o.width : 0), dataInit: initFrame === "data" && o.init === undefined,
  }));
  const root = rngFrom(engine, def(o.seed, 0));

  // Training frame.
  let X = o.X, Xtest = o.Xtest, whitening: Resolved["whitening"];
  if (wh) {
    const w = whitenWith(engine, o.X);
    if (w.rank < 1) throw new InvalidArgumentError("options.X", "a matrix of rank >= 1 for whitening", o.X);
    X = w.Z;
    whitening = { P: w.P, rank: w.rank };
    if (Xtest) Xtest = matmulCore(engine, Xtest, w.P);
  }
  const din = X.cols, k = o.width, m = X.rows;
  const nParams = din * k + (bias ? k : 0) + (trainA ? k : 0);
  const theta = new Float64Array(nParams);
  if (o.init !== undefined) {
    const { d: di, k: ki } = checkNet("options.init", o.init);
    if (di !== din) throw new InvalidArgumentError("options.init.W.rows", `equal to the training input dimension (${din})`, di);
    if (ki !== k) throw new InvalidArgumentError("options.init.W.cols", `equal to options.width (${k})`, ki);
    theta.set(o.init.W.data);
    if (bias && o.init.b) theta.set(o.init.b, din * k);
    if (trainA) theta.set(def(o.init.a, new Float64Array(k).fill(1)), din * k + (bias ? k : 0));
  } else {
    const coins = root.stream(1);
    const s = initScale / Math.sqrt(din);
    if (initFrame === "input") {
      const G = coins.normal(din * k);
      for (let i = 0; i < din * k; i++) theta[i] = s * G[i];
    } else {
      const G = coins.normal(m * k);
      const W0 = matmulCore(engine, X, { rows: m, cols: k, data: G }, true);
      const c = s / Math.sqrt(m);
      for (let i = 0; i < din * k; i++) theta[i] = c * W0.data[i];
    }
    if (trainA) theta.fill(1, din * k + (bias ? k : 0));
  }
  const aFixed = !trainA && o.init?.a ? Float64Array.from(o.init.a) : undefined;
  const f32 = dt.dtype === "float32" ? makeF32State(X, o.y, Xtest, theta, aFixed) : undefined;
  if (f32) theta.set(f32.theta); // the float32 starting point, exactly
  return {
    X, y: o.y, Xtest, ytest: o.ytest, k, bias, trainA, opt, lr, epochs, batch, l2, b1, b2, eps, history, U,
    theta, aFixed, s1: new Float64Array(nParams), s2: new Float64Array(nParams),
    shuffle: opt === "gd" ? undefined : root.stream(2), whitening, dtype: dt.dtype, f32,
  };
}

/** C = op(A) B on the engine's GEMM (small helper). @internal */
export function matmulCore(engine: EngineLike, A: Matrix, B: Matrix, transA = false): Matrix {
  const core = engine.core;
  const m = transA ? A.cols : A.rows, k = transA ? A.rows : A.cols, n = B.cols;
  if (m * n === 0) return { rows: m, cols: n, data: new Float64Array(m * n) };
  return core.scope((ar) => {
    const pA = ar.put(A.data), pB = ar.put(B.data), pC = ar.allocF64(m * n);
    core.x.gemm_f64(transA ? 1 : 0, 0, m, n, k, 1, pA, A.cols, pB, B.cols, 0, pC, n);
    return { rows: m, cols: n, data: ar.take(pC, m * n) };
  });
}

/** Fisher–Yates permutation of 0..m-1 from m - 1 uniforms (j = floor(u (i + 1)), i = m-1..1). */
function permutation(rng: RngLike, m: number): Int32Array {
  const p = new Int32Array(m);
  for (let i = 0; i < m; i++) p[i] = i;
  if (m < 2) return p;
  const u = rng.uniform(m - 1);
  for (let i = m - 1; i >= 1; i--) {
    const j = Math.min(i, Math.floor(u[m - 1 - i] * (i + 1)));
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}

class Trainer {
  readonly r: Resolved;
  epoch = 0;
  steps = 0;
  readonly history: HistoryEntry[] = [];
  constructor(readonly engine: EngineLike, r: Resolved) {
    this.r = r;
  }

  net(): ReluNet {
    const r = this.r;
    return unpackTheta(r.theta, r.X.cols, r.k, r.bias, r.trainA, r.aFixed);
  }

  record(): void {
    const r = this.r;
    if (!r.history) return;
    const net = this.net();
    const e: HistoryEntry = { epoch: this.epoch, trainLoss: mse(this.predict(net, false), r.y) };
    assertLossFits(e.trainLoss, `train loss at epoch ${this.epoch}`, "options.y", r.y);
    if (r.Xtest && r.ytest) {
      e.testLoss = mse(this.predict(net, true), r.ytest);
      assertLossFits(e.testLoss, `test loss at epoch ${this.epoch}`, "options.ytest", r.ytest);
    }
    if (r.U) e.populationLoss = populationLoss(r.U, net.W);
    this.history.push(e);
  }

  /** Predictions of `net` on the training (or test) rows, in the run's dtype. */
  predict(net: ReluNet, test: boolean): Float64Array {
    const r = this.r, X = test ? r.Xtest! : r.X;
    if (r.f32) return forwardF32(this.engine, net, test ? r.f32.Xtest! : r.f32.X, X.rows);
    return forwardUnchecked(this.engine, net, X, false);
  }

  /** run() for float32 training (learners_f32.ts): same slicing rule, same permutations. */
  private runF32(until: number, budgetMs: number): void {
    const r = this.r, st = r.f32!, t0 = Date.now(), m = r.X.rows;
    const bsz = Math.min(r.batch, m);
    let first = true;
    runEpochsF32(this.engine, st, {
      m, d: r.X.cols, k: r.k, bias: r.bias, trainA: r.trainA, opt: OPT_ID[r.opt], lr: r.lr, l2: r.l2,
      b1: r.b1, b2: r.b2, eps: r.eps, batch: bsz,
    }, this.steps, () => {
      if (!first && Date.now() - t0 >= budgetMs) return false;
      first = false;
      return this.epoch < until;
    }, r.opt !== "gd" ? () => permutation(r.shuffle!, m) : undefined, (theta) => {
      this.steps += Math.ceil(m / bsz);
      this.epoch++;
      if (r.history) {
        r.theta.set(theta);
        this.record();
      }
    });
    r.theta.set(st.theta);
    for (let i = 0; i < r.theta.length; i++) {
      if (!Number.isFinite(r.theta[i])) throw new InvalidArgumentError("options.lr", "small enough for training to stay finite (weights overflowed float32)", r.lr);
    }
  }

  /**
   * Run epochs until `until` epochs are done or the slice's wall-time budget has passed (one arena scope: the data
   * are copied into WASM memory once per slice; the budget is max(budgetMs, 10 x copy time)). Slicing never changes
   * the result bits, only where the async version yields.
   */
  run(until: number, budgetMs: number): void {
    if (this.r.f32) return this.runF32(until, budgetMs);
    const r = this.r, core = this.engine.core, m = r.X.rows, d = r.X.cols, k = r.k;
    const n = r.theta.length, t0 = Date.now();
    core.scope((ar) => {
      const pX = ar.put(r.X.data), py = ar.put(r.y), pth = ar.put(r.theta), ps1 = ar.put(r.s1), ps2 = ar.put(r.s2);
      // A slice lasts at least 10x the time spent copying the data in, so copying stays below ~10% of the run.
      const budget = Math.max(budgetMs, 10 * (Date.now() - t0));
      const paf = r.aFixed ? ar.put(r.aFixed) : 0;
      const minibatch = r.opt !== "gd";
      const bsz = Math.min(r.batch, m);
      const pidx = minibatch ? ar.alloc(4 * m) : 0;
      const pxb = minibatch ? ar.allocF64(bsz * d) : 0, pyb = minibatch ? ar.allocF64(bsz) : 0;
      const pz = ar.allocF64(Math.min(bsz, 256) * k), pg = ar.allocF64(n);
      while (this.epoch < until) {
        if (minibatch) {
          const perm = permutation(r.shuffle!, m); // draws through the arena: create the view only afterwards
          ar.i32(pidx, m).set(perm);
        }
        core.x.relu_net_train_epoch_f64(m, d, k, pX, py, pidx, bsz, pth, r.bias ? 1 : 0, r.trainA ? 1 : 0, paf,
          OPT_ID[r.opt], r.lr, r.l2, r.b1, r.b2, r.eps, ps1, ps2, this.steps, pxb, pyb, pz, pg);
        this.steps += Math.ceil(m / bsz);
        this.epoch++;
        if (r.history) {
          r.theta.set(ar.f64(pth, n));
          this.record();
        }
        if (Date.now() - t0 >= budget) break;
      }
      r.theta.set(ar.f64(pth, n));
      r.s1.set(ar.f64(ps1, n));
      r.s2.set(ar.f64(ps2, n));
    });
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(r.theta[i])) throw new InvalidArgumentError("options.lr", "small enough for training to stay finite (weights overflowed)", r.lr);
    }
  }

  result(): TrainResult {
    const r = this.r;
    const trainedNet = this.net();
    const trainPredictions = this.predict(trainedNet, false);
    assertAllFinite("train", "options.X", "inputs whose network predictions fit in float64 (a prediction of the trained " +
      "network overflows; scale the inputs and labels down)", trainPredictions, r.X);
    let net = trainedNet;
    if (r.whitening) {
      const Weff = matmulCore(this.engine, r.whitening.P, trainedNet.W);
      assertAllFinite("train", "options.X", "inputs whose effective first layer P W fits in float64", Weff.data, r.X);
      net = { ...trainedNet, W: Weff };
    }
    return { net, trainedNet, trainPredictions, history: this.history, steps: this.steps, whitening: r.whitening, dtype: r.dtype };
  }
}

/**
 * Train an over-specified depth-2 ReLU network (see the module comment for the objective) — async version.
 *
 * Runs epochs in WASM in slices of about 25 ms (longer for large data: at least 10x the time to copy X into WASM
 * memory); between slices it awaits a macrotask (setTimeout 0), checks
 * `signal` (rejecting with AbortError) and calls `onProgress(epochsDone, epochs)`. The slicing does not change the
 * result: the same options and seed give the same bits as {@link trainNetworkSync}.
 * Shapes: X m x d, y length m; the result's `net.W` is d x width.
 * Determinism: init from stream 1 of the seed, shuffles from stream 2 (Fisher–Yates on uniforms); fixed kernels.
 * Invariance (PAPERS §1.2–1.3): plain GD/SGD with "input" init is orthogonally invariant under the coupling
 * W0 -> A^T W0; whitening + GD/SGD with the default "data" init is linearly invariant conditioned on the seed
 * (Adagrad/Adam are coordinate-wise, hence not orthogonally invariant).
 * Errors: InvalidArgumentError naming the option (`options.X`, `options.y.length`, `options.width` (0 rejected),
 * `options.lr`, ...); AbortError when aborted; a diverging run (non-finite weights) throws InvalidArgumentError
 * naming `options.lr`.
 */
export async function trainNetwork(engine: EngineLike, options: TrainOptions): Promise<TrainResult> {
  options = snapshot(options, "options", true);
  const r = resolve(engine, options);
  const tr = new Trainer(engine, r);
  const signal = options.signal;
  if (signal?.aborted) throw new AbortError("training");
  tr.record();
  while (tr.epoch < r.epochs) {
    tr.run(r.epochs, 25);
    options.onProgress?.(tr.epoch, r.epochs);
    if (tr.epoch < r.epochs) {
      await new Promise<void>((res) => setTimeout(res, 0));
      if (signal?.aborted) throw new AbortError("training");
    }
  }
  return tr.result();
}

/**
 * Synchronous version of {@link trainNetwork}: same result bits, no yielding; `signal` is checked between epochs
 * (an abort raised from another thread or a progress callback is honoured), `onProgress` is called every epoch.
 */
export function trainNetworkSync(engine: EngineLike, options: TrainOptions): TrainResult {
  options = snapshot(options, "options");
  const r = resolve(engine, options);
  const tr = new Trainer(engine, r);
  if (options.signal?.aborted) throw new AbortError("training");
  tr.record();
  const everyEpoch = options.signal !== undefined || options.onProgress !== undefined;
  while (tr.epoch < r.epochs) {
    tr.run(everyEpoch ? tr.epoch + 1 : r.epochs, Infinity);
    options.onProgress?.(tr.epoch, r.epochs);
    if (options.signal?.aborted && tr.epoch < r.epochs) throw new AbortError("training");
  }
  return tr.result();
}

/** Options of {@link objectiveGradient}. */
export interface ObjectiveOptions {
  X: Matrix;
  y: Float64Array;
  /** The network; its `a` is trained iff trainSecondLayer (else used as fixed, absent = ones); `b` iff present. */
  net: ReluNet;
  trainSecondLayer?: boolean;
  l2?: number;
}

/**
 * The learners' objective J and its gradient at `net` (the exact quantity every optimizer steps on):
 * `J = (1/m) sum_i (f(x_i) - y_i)^2 + l2 (||W||_F^2 + ||a||^2 if trainSecondLayer)`,
 * `dJ/dW = X^T G`, `G_ij = (2/m) r_i a_j 1{z_ij > 0}`, `dJ/db_j = sum_i G_ij`, `dJ/da_j = (2/m) sum_i r_i relu(z_ij)`
 * (+ 2 l2 W, + 2 l2 a). Computed in WASM (GEMM). Returns { J, grad } with grad.W d x k, grad.b iff net.b,
 * grad.a iff trainSecondLayer. Accuracy: like two GEMMs of inner size d and m.
 */
export function objectiveGradient(engine: EngineLike, options: ObjectiveOptions): { J: number; grad: { W: Matrix; b?: Float64Array; a?: Float64Array } } {
  options = snapshot(options, "options");
  assertEngine(engine);
  assertOptions("options", options);
  if (options === undefined) throw new InvalidArgumentError("options", "an object", options);
  const { d, k } = checkNet("options.net", options.net);
  checkInputs("options.X", options.X, d);
  if (options.X.rows < 1) throw new InvalidArgumentError("options.X.rows", "a positive integer", 0);
  assertVector("options.y", options.y, options.X.rows);
  const trainA = def(options.trainSecondLayer, false), l2 = def(options.l2, 0);
  assertBoolean("options.trainSecondLayer", trainA);
  assertNonNegative("options.l2", l2);
  const bias = options.net.b !== undefined, m = options.X.rows;
  const n = d * k + (bias ? k : 0) + (trainA ? k : 0);
  const theta = new Float64Array(n);
  theta.set(options.net.W.data);
  if (bias) theta.set(options.net.b!, d * k);
  if (trainA) theta.set(def(options.net.a, new Float64Array(k).fill(1)), d * k + (bias ? k : 0));
  const core = engine.core;
  const { J, g } = core.scope((ar) => {
    const pX = ar.put(options.X.data), py = ar.put(options.y), pth = ar.put(theta);
    const paf = !trainA && options.net.a ? ar.put(options.net.a) : 0;
    const pz = ar.allocF64(Math.min(m, 256) * k), pg = ar.allocF64(n);
    const J = core.x.relu_net_objective_grad_f64(m, d, k, pX, py, pth, bias ? 1 : 0, trainA ? 1 : 0, paf, l2, pz, pg);
    return { J, g: ar.take(pg, n) };
  });
  // Overflow policy: J or a gradient entry beyond float64 is a typed error, never an Infinity.
  if (!Number.isFinite(J)) {
    throw new OverflowError("objectiveGradient", "options", "data and a network whose objective J fits in float64 " +
      `(|J| > ${Number.MAX_VALUE}; scale X, y or the weights down)`, { rows: m, cols: d });
  }
  assertAllFinite("objectiveGradient", "options", "data and a network whose gradient fits in float64 (a gradient " +
    "entry overflows; scale X, y or the weights down)", g, { rows: m, cols: d });
  const grad: { W: Matrix; b?: Float64Array; a?: Float64Array } = { W: { rows: d, cols: k, data: g.slice(0, d * k) } };
  if (bias) grad.b = g.slice(d * k, d * k + k);
  if (trainA) grad.a = g.slice(d * k + (bias ? k : 0), n);
  return { J, grad };
}

/**
 * One optimizer update `theta <- step(theta, g)` with the WASM kernel (exposed for tests and custom loops).
 * state: { s1, s2 } of theta's length (zeros initially), t = 1-based step number. Formulas in
 * assembly/models/relu_net_f64.ts (optimizer_step_f64). Returns new arrays.
 * Throws InvalidArgumentError naming `engine`, `opt`, `theta`, `g`, `state` / `state.*`, `hp` / `hp.*` (lr > 0, eps > 0,
 * beta1 and beta2 in [0, 1)).
 */
export function optimizerStep(engine: EngineLike, opt: OptimizerName, theta: Float64Array, g: Float64Array,
  state: { s1: Float64Array; s2: Float64Array; t: number }, hp: { lr: number; beta1?: number; beta2?: number; eps?: number }):
  { theta: Float64Array; s1: Float64Array; s2: Float64Array } {
  opt = snapshot(opt, "opt"); theta = snapshot(theta, "theta"); g = snapshot(g, "g"); state = snapshot(state, "state"); hp = snapshot(hp, "hp");
  assertEngine(engine);
  assertOneOf("opt", opt, OPTIMIZERS);
  assertVector("theta", theta);
  if (typeof state !== "object" || state === null) throw new InvalidArgumentError("state", "an object { s1, s2, t }", state);
  if (typeof hp !== "object" || hp === null) throw new InvalidArgumentError("hp", "an object { lr, beta1?, beta2?, eps? }", hp);
  const n = theta.length;
  assertVector("g", g, n);
  assertVector("state.s1", state.s1, n);
  assertVector("state.s2", state.s2, n);
  // s2 accumulates squared gradients (Adagrad, Adam): a negative entry would put a NaN into theta through its root.
  for (let i = 0; i < n; i++) if (!(state.s2[i] >= 0)) throw new InvalidArgumentError(`state.s2[${i}]`, "a finite number >= 0", state.s2[i]);
  assertInteger("state.t", state.t, 1);
  assertPositive("hp.lr", hp.lr);
  const b1 = def(hp.beta1, 0.9), b2 = def(hp.beta2, 0.999), eps = def(hp.eps, 1e-8);
  assertBeta("hp.beta1", b1);
  assertBeta("hp.beta2", b2);
  assertPositive("hp.eps", eps);
  const core = engine.core;
  return core.scope((ar) => {
    const pt = ar.put(theta), pg = ar.put(g), p1 = ar.put(state.s1), p2 = ar.put(state.s2);
    core.x.optimizer_step_f64(OPT_ID[opt], n, pt, pg, p1, p2, state.t, hp.lr, b1, b2, eps);
    const out = { theta: ar.take(pt, n), s1: ar.take(p1, n), s2: ar.take(p2, n) };
    // Overflow policy: an update beyond float64 (e.g. Adagrad's s1 + g^2 with |g| > 1.3e154) is a typed error.
    for (const a of [out.theta, out.s1, out.s2]) {
      assertAllFinite("optimizerStep", "g", "a gradient whose update of theta and of the optimizer state fits in " +
        "float64 (an entry overflows; scale g or hp.lr down)", a, g);
    }
    return out;
  });
}
