/**
 * float32 training for src/models/learners.ts: `train({ ..., dtype: "float32" })`, or X given as a float32 matrix.
 *
 * What is float32 and what is not:
 * - The training loop (forward, loss, gradient, optimizer state and step) runs in the float32 kernels of
 *   assembly/models/relu_net_f32.ts on the SGEMM: same formulas, same order, float32 rounding (eps = 2^-24).
 * - Everything before it stays float64 and is converted explicitly once: validation, whitening (SVD stays float64),
 *   the initial weights (drawn exactly as in float64 mode, then rounded to float32), the shuffles (the same
 *   permutations as float64 mode). Float64 data are rounded to float32 when training starts; float32 data are used
 *   as they are (their float64 copies are exact).
 * - Results: the trained weights and predictions are float32 values returned in Float64Arrays (exact copies, so the
 *   result type is the same in both modes), and `result.dtype` says "float32". History losses are float64 sums of the
 *   float32 predictions' squared errors.
 * Accuracy against float64 training: see the README ("accuracy", float32) and test/f32-train.test.ts: on a problem
 * whose ReLU pattern does not change, GD is an affine non-expansive map, so the two runs differ by at most the sum of
 * the per-step float32 rounding errors.
 */
import type { EngineLike } from "./deps.js";
import type { Matrix } from "../types.js";
import type { ReluNet } from "./network.js";
import { isMatrix32, viewF32, putF32, type Dtype, type Matrix32 } from "../linalg/matmul_f32.js";
import { InvalidArgumentError } from "../errors.js";

/** The float32 state of one training run (data and parameters in float32, kept across slices). */
export interface F32State {
  X: Float32Array;
  y: Float32Array;
  Xtest?: Float32Array;
  theta: Float32Array;
  s1: Float32Array;
  s2: Float32Array;
  aFixed?: Float32Array;
}

/** Exact float64 copy of a float32 matrix (the float64 code paths validate and whiten it). */
export function toF64(M: Matrix32): Matrix {
  return { rows: M.rows, cols: M.cols, data: Float64Array.from(M.data) };
}

/**
 * The training dtype: options.dtype if given (validated), else "float32" iff X holds a Float32Array.
 * Returns the dtype and X, y, Xtest, ytest as float64 (exact copies of float32 inputs) for the float64 validation.
 */
export function resolveDtype(o: { dtype?: unknown; X: unknown; y: unknown; Xtest?: unknown; ytest?: unknown }):
  { dtype: Dtype; X: unknown; y: unknown; Xtest: unknown; ytest: unknown } {
  const dtype = o.dtype ?? (isMatrix32(o.X) ? "float32" : "float64");
  if (dtype !== "float64" && dtype !== "float32") throw new InvalidArgumentError("options.dtype", 'one of "float64", "float32"', dtype);
  const vec = (v: unknown) => (v instanceof Float32Array ? Float64Array.from(v) : v);
  const mat = (M: unknown) => (isMatrix32(M) ? toF64(M) : M);
  return { dtype, X: mat(o.X), y: vec(o.y), Xtest: mat(o.Xtest), ytest: vec(o.ytest) };
}

/** Float32 state from the resolved float64 training frame (X, y, Xtest, theta already final). */
export function makeF32State(X: Matrix, y: Float64Array, Xtest: Matrix | undefined, theta: Float64Array, aFixed?: Float64Array): F32State {
  const st: F32State = {
    X: Float32Array.from(X.data), y: Float32Array.from(y), theta: Float32Array.from(theta),
    s1: new Float32Array(theta.length), s2: new Float32Array(theta.length),
  };
  if (Xtest) st.Xtest = Float32Array.from(Xtest.data);
  if (aFixed) st.aFixed = Float32Array.from(aFixed);
  for (let i = 0; i < st.X.length; i++) {
    if (!Number.isFinite(st.X[i])) throw new InvalidArgumentError(`options.X.data[${i}]`, "finite in float32 (|x| <= 3.4e38)", X.data[i]);
  }
  for (let i = 0; i < st.y.length; i++) {
    if (!Number.isFinite(st.y[i])) throw new InvalidArgumentError(`options.y[${i}]`, "finite in float32 (|x| <= 3.4e38)", y[i]);
  }
  return st;
}

/** Unclipped float32 forward pass of `net` (float32 copies of its parameters) on the float32 rows X (m x d). */
export function forwardF32(engine: EngineLike, net: ReluNet, X: Float32Array, m: number): Float64Array {
  const core = engine.core, d = net.W.rows, k = net.W.cols;
  if (m === 0) return new Float64Array(0);
  return core.scope((ar) => {
    const pX = putF32(ar, X), pW = putF32(ar, Float32Array.from(net.W.data));
    const pb = net.b ? putF32(ar, Float32Array.from(net.b)) : 0, pa = net.a ? putF32(ar, Float32Array.from(net.a)) : 0;
    const pz = ar.alloc(4 * Math.min(m, 256) * k), pout = ar.alloc(4 * m);
    core.x.relu_net_forward_f32(m, d, k, pX, pW, pb, pa, 0, pz, pout);
    return Float64Array.from(viewF32(ar, pout, m));
  });
}

/** Hyper-parameters of the epoch kernel. */
export interface EpochArgs {
  m: number; d: number; k: number; bias: boolean; trainA: boolean; opt: number; lr: number; l2: number;
  b1: number; b2: number; eps: number; batch: number;
}

/**
 * Run float32 epochs in one arena scope: `epochs()` returns how many more to run before checking again, `perm()`
 * the next permutation (minibatch methods) and `after(theta)` is called after each epoch with a view of theta.
 * Mirrors Trainer.run of learners.ts. Returns the number of epochs run.
 */
export function runEpochsF32(engine: EngineLike, st: F32State, a: EpochArgs, steps0: number,
  next: () => boolean, perm: (() => Int32Array) | undefined, after: (theta: Float32Array) => void): number {
  const core = engine.core, n = st.theta.length, { m, d, k } = a;
  let epochs = 0;
  core.scope((ar) => {
    const pX = putF32(ar, st.X), py = putF32(ar, st.y), pth = putF32(ar, st.theta);
    const ps1 = putF32(ar, st.s1), ps2 = putF32(ar, st.s2);
    const paf = st.aFixed ? putF32(ar, st.aFixed) : 0;
    const bsz = Math.min(a.batch, m);
    const pidx = perm ? ar.alloc(4 * m) : 0;
    const pxb = perm ? ar.alloc(4 * bsz * d) : 0, pyb = perm ? ar.alloc(4 * bsz) : 0;
    const pz = ar.alloc(4 * Math.min(bsz, 256) * k), pg = ar.alloc(4 * n);
    let steps = steps0;
    while (next()) {
      if (perm) {
        const p = perm(); // draws through the arena: create the view only afterwards
        ar.i32(pidx, m).set(p);
      }
      core.x.relu_net_train_epoch_f32(m, d, k, pX, py, pidx, bsz, pth, a.bias ? 1 : 0, a.trainA ? 1 : 0, paf,
        a.opt, a.lr, a.l2, a.b1, a.b2, a.eps, ps1, ps2, steps, pxb, pyb, pz, pg);
      steps += Math.ceil(m / bsz);
      epochs++;
      after(viewF32(ar, pth, n));
    }
    st.theta.set(viewF32(ar, pth, n));
    st.s1.set(viewF32(ar, ps1, n));
    st.s2.set(viewF32(ar, ps2, n));
  });
  return epochs;
}
