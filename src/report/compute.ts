/**
 * Computations shared by the CLI, the report and the browser playground, built only on the public API
 * (Engine methods and exports of src/index.ts, imported with their types).
 * Browser-safe (no Node imports).
 */
import type { Engine } from "../engine.js";
import type { CosExact, CosExactArgs } from "../gradvar/exact.js";
import type { GradVarianceOptions, GradVarianceResult } from "../gradvar/estimator.js";
import type { TrainOptions, TrainResult } from "../models/learners.js";
import { periodicTargetForward, samplePeriodicTarget } from "../models/targets.js";
import type { Matrix } from "../types.js";
import { sq } from "../math/detmath.js";

export type ExactFn = (a: CosExactArgs) => CosExact;
export type GradVarianceFn = (o: GradVarianceOptions) => Promise<GradVarianceResult>;

/** θ with |θ| = t along e_1 (the cos-family statistics depend on θ only through |θ|, PAPERS §4.5). */
export function thetaAlongE1(dim: number, thetaNorm: number): Float64Array {
  const th = new Float64Array(dim);
  th[0] = thetaNorm;
  return th;
}

/** One row of `hardlearn gradvar` (public JSON contract: dim, radius, thetaNorm, exact, estimate, stderr, floor). */
export interface GradvarRow {
  dim: number;
  radius: number;
  thetaNorm: number;
  /** Exact Var_w ∇F_w(θ), cos family under N(0, I) (PAPERS §4.5). */
  exact: number;
  /** ln of exact (finite where `exact` underflows). */
  logExact: number;
  /** Monte Carlo only: unbiased estimate of the population variance, its standard error, the resolution floor (3 SE). */
  estimate?: number;
  stderr?: number;
  floor?: number;
  resolved?: boolean;
  /** (estimate - exact) / stderr. */
  z?: number;
  /** Variance of the full-sample gradients (what one fixed training set shows; includes sampling noise). */
  finiteSampleVariance?: number;
  directions?: number;
  samples?: number;
  seed?: number;
}

/**
 * Rows of the gradvar table: exact for every (d, r); with `directions`, also Monte Carlo via engine.gradVariance with
 * θ = |θ| e_1, cos predictor, ψ = cos, x ~ N(0, I_d), the same `seed` for every row.
 */
export async function gradvarRows(engine: Engine, a: {
  dims: number[]; radii: number[]; thetaNorm: number; directions?: number; samples?: number; seed: number; workers?: number;
  onRow?: (row: GradvarRow, done: number, total: number) => void; signal?: AbortSignal;
}): Promise<GradvarRow[]> {
  const exact: ExactFn = (x) => engine.gradVarianceExact(x);
  const mc: GradVarianceFn | undefined = a.directions !== undefined ? (o) => engine.gradVariance(o) : undefined;
  const rows: GradvarRow[] = [];
  const total = a.dims.length * a.radii.length;
  for (const d of a.dims) {
    for (const r of a.radii) {
      const ex = exact({ dim: d, radius: r, thetaNorm: a.thetaNorm });
      const row: GradvarRow = { dim: d, radius: r, thetaNorm: a.thetaNorm, exact: ex.variance, logExact: ex.logVariance };
      if (mc) {
        const res = await mc({
          predictor: "cos", psi: "cos", dim: d, radius: r, theta: thetaAlongE1(d, a.thetaNorm),
          directions: a.directions!, samples: a.samples ?? 20000, seed: a.seed, workers: a.workers ?? 1, signal: a.signal,
        });
        Object.assign(row, {
          estimate: res.estimate, stderr: res.stderr, floor: res.floor, resolved: res.resolved,
          z: res.stderr > 0 ? (res.estimate - ex.variance) / res.stderr : 0,
          finiteSampleVariance: res.finiteSampleVariance, directions: res.directions, samples: res.samples, seed: a.seed,
        });
      }
      rows.push(row);
      a.onRow?.(row, rows.length, total);
    }
  }
  return rows;
}

/** One Monte-Carlo point of the playground's variance figure (estimate ± 2 SE, floor). */
export async function gradvarMcPoint(engine: Engine, a: { dim: number; radius: number; thetaNorm: number; directions: number; samples: number; seed: number }): Promise<{ d: number; r: number; estimate: number; stderr: number; floor: number; lo: number; hi: number }> {
  const [row] = await gradvarRows(engine, { dims: [a.dim], radii: [a.radius], thetaNorm: a.thetaNorm, directions: a.directions, samples: a.samples, seed: a.seed });
  const est = row.estimate!, se = row.stderr!;
  return { d: a.dim, r: a.radius, estimate: est, stderr: se, floor: row.floor!, lo: est - 2 * se, hi: est + 2 * se };
}

export interface LossPoint {
  epoch: number; train: number; test: number;
  /** Loss of the trivial predictor (the mean of the test labels): a curve below it has learned something. */
  trivial: number;
}

export type TrainFn = (o: TrainOptions) => Promise<TrainResult>;

/** Data for learning ψ(<w*, x>) with x ~ N(0, I_d), |w*| = r, w* uniform on the sphere (seeded). */
export function periodicData(engine: Engine, a: { dim: number; radius: number; train: number; test: number; seed: number; psi?: "cos" | "triangle" }) {
  const target = samplePeriodicTarget(engine, { d: a.dim, r: a.radius, psi: a.psi ?? "cos", seed: a.seed });
  const forward = periodicTargetForward;
  const rng = engine.rng(a.seed);
  const X: Matrix = { rows: a.train, cols: a.dim, data: rng.stream(10).normal(a.train * a.dim) };
  const Xtest: Matrix = { rows: a.test, cols: a.dim, data: rng.stream(11).normal(a.test * a.dim) };
  return { target, X, y: forward(engine, target, X), Xtest, ytest: forward(engine, target, Xtest) };
}

/**
 * The training demo: a depth-2 ReLU network (bias, trainable second layer) trained by minibatch SGD on
 * cos<w*, x>, x ~ N(0, I_d), |w*| = r. One engine.train call per epoch (SGD is stateless, so continuing from the
 * previous net is the same algorithm), reporting each epoch's losses through `onEpoch`.
 */
export async function trainDemo(engine: Engine, a: { dim: number; radius: number; width: number; epochs: number; seed: number; train?: number; test?: number }, onEpoch: (p: LossPoint) => void): Promise<LossPoint[]> {
  const train: TrainFn = (o) => engine.train(o);
  const data = periodicData(engine, { dim: a.dim, radius: a.radius, train: a.train ?? 4000, test: a.test ?? 1000, seed: a.seed });
  let mean = 0;
  for (const v of data.ytest) mean += v;
  mean /= data.ytest.length;
  let trivial = 0;
  for (const v of data.ytest) trivial += sq(v - mean);
  trivial /= data.ytest.length;
  const out: LossPoint[] = [];
  let init: TrainResult["trainedNet"] | undefined;
  for (let e = 0; e < a.epochs; e++) {
    const res = await train({
      X: data.X, y: data.y, Xtest: data.Xtest, ytest: data.ytest, width: a.width, bias: true, trainSecondLayer: true,
      optimizer: "sgd", lr: 0.01, batchSize: 50, epochs: 1, seed: a.seed + 1 + e, ...(init ? { init } : {}),
    });
    init = res.trainedNet;
    const h = res.history[res.history.length - 1];
    const p = { epoch: e + 1, train: h.trainLoss, test: h.testLoss ?? NaN, trivial };
    out.push(p);
    onEpoch(p);
  }
  return out;
}
