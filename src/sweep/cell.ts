/**
 * Execute one sweep cell through the public engine API (engine.gradVariance, engine.train, engine.oracleSimulation,
 * engine.landscape, engine.sampleNetwork, ...). A cell's numbers are a pure function of the cell plan: its seed is in
 * the plan, and the engine's results do not depend on the worker count. Browser-safe.
 *
 * Precision targets (Monte-Carlo cells). Instead of one run with fixed (J, n), the cell runs independent blocks
 * b = 0, 1, 2, ..., each an engine.gradVariance run with the cell's (directions, samples, blocks) and its own seed
 * seed_b = first 64 bits of sha256("<cell seed>|block|<b>") — disjoint streams, so the block estimates V_b are
 * independent and unbiased. After block B (B >= minBlocks) it combines
 *     V = (1/B) sum_b V_b,     SE = sqrt(sum_b SE_b^2) / B
 * (the mean of independent unbiased estimates; SE from the per-block standard errors, each the estimator's own
 * direction + jackknife error) and stops when the target is met:
 *   relativeStderr: V > 0 and SE <= target * V                        -> stop "target"
 *   upperBound u:   V + z SE < u  (the variance is below u)           -> stop "target"
 *                   V - z SE > u  (it is above u: more blocks cannot
 *                                  bring it below)                     -> stop "above"
 * or when B = maxBlocks -> stop "budget". The stopping rule reads only the block results, which are pure functions of
 * (cell seed, b), so the result is the same on any number of workers, shards or machines and after any interruption.
 */
import type { Engine } from "../engine.js";
import type { Matrix } from "../types.js";
import type { GradVarianceResult } from "../gradvar/estimator.js";
import type { ReluNet, SampleNetworkOptions } from "../models/network.js";
import { samplePeriodicTarget, periodicTargetForward } from "../models/targets.js";
import { sq } from "../math/detmath.js";
import { deriveSeed, type CellPlan } from "./spec.js";

export type CellNumbers = Record<string, unknown>;

export interface CellRunOptions {
  /** Workers for engine.gradVariance (bit-identical results for any value). Default 1. */
  workers?: number;
  signal?: AbortSignal;
  /** Progress inside the cell (blocks of a precision-targeted cell, epochs of training, ...). */
  onProgress?: (done: number, total: number) => void;
}

const finiteOrNull = (x: number | undefined): number | null => (x === undefined || !Number.isFinite(x) ? null : x);

/** Run one cell and return its numbers (plain JSON values). */
export async function runCell(engine: Engine, cell: CellPlan, o: CellRunOptions = {}): Promise<CellNumbers> {
  switch (cell.experiment) {
    case "gradvar": return gradvarCell(engine, cell, o);
    case "train": return trainCell(engine, cell, o);
    case "oracle": return oracleCell(engine, cell, o);
    case "landscape": return landscapeCell(engine, cell);
    case "networks": return networksCell(engine, cell);
  }
}

async function gradvarCell(engine: Engine, cell: CellPlan, o: CellRunOptions): Promise<CellNumbers> {
  const p = cell.params as { dim: number; radius: number; thetaNorm: number; psi: "cos" | "triangle" | "sawtooth"; samples: number; directions: number; blocks: number };
  const theta = new Float64Array(p.dim);
  theta[0] = p.thetaNorm;
  const once = (seed: bigint) => engine.gradVariance({
    predictor: "cos", psi: p.psi, dim: p.dim, radius: p.radius, theta, samples: p.samples, directions: p.directions,
    blocks: p.blocks, seed, workers: o.workers ?? 1, signal: o.signal,
  });
  const exact = p.psi === "cos" ? engine.gradVarianceExact({ dim: p.dim, radius: p.radius, thetaNorm: p.thetaNorm }).variance : null;
  const base = {
    exact: finiteOrNull(exact ?? undefined),
  };
  if (!cell.precision || !cell.budget) {
    o.onProgress?.(0, 1);
    const r = await once(BigInt(cell.seed));
    o.onProgress?.(1, 1);
    return {
      ...base, estimate: r.estimate, stderr: r.stderr, relativeStderr: relSE(r.estimate, r.stderr), floor: r.floor, resolved: r.resolved,
      z: exact !== null && r.stderr > 0 ? finiteOrNull((r.estimate - exact) / r.stderr) : null,
      finiteSampleVariance: r.finiteSampleVariance, noise: r.noise,
      blocksUsed: 1, directionsUsed: r.directions, samplesUsed: r.samples, stop: "fixed",
    };
  }
  const target = cell.precision, budget = cell.budget;
  const runs: GradVarianceResult[] = [];
  let est = NaN, se = NaN, stop: "target" | "above" | "budget" = "budget";
  o.onProgress?.(0, budget.maxBlocks);
  for (let b = 0; b < budget.maxBlocks; b++) {
    runs.push(await once(await deriveSeed(`${cell.seed}|block|${b}`)));
    o.onProgress?.(b + 1, budget.maxBlocks);
    const B = runs.length;
    let s = 0, s2 = 0;
    for (const r of runs) { s += r.estimate; s2 += r.stderr * r.stderr; }
    est = s / B;
    se = Math.sqrt(s2) / B;
    if (B < budget.minBlocks) continue;
    if (target.kind === "relativeStderr") {
      if (est > 0 && se <= target.relativeStderr * est) { stop = "target"; break; }
    } else {
      if (est + target.z * se < target.upperBound) { stop = "target"; break; }
      if (est - target.z * se > target.upperBound) { stop = "above"; break; }
    }
  }
  const B = runs.length;
  let fsv = 0, noise = 0;
  for (const r of runs) { fsv += r.finiteSampleVariance; noise += r.noise; }
  fsv /= B; noise /= B;
  const floor = 3 * se;
  return {
    ...base, estimate: est, stderr: se, relativeStderr: relSE(est, se), floor, resolved: est > floor,
    z: exact !== null && se > 0 ? finiteOrNull((est - exact) / se) : null,
    finiteSampleVariance: fsv, noise,
    upperConfidence: target.kind === "upperBound" ? est + target.z * se : null,
    blocksUsed: B, directionsUsed: B * p.directions, samplesUsed: B * p.samples, stop,
    requested: target.kind === "relativeStderr" ? { relativeStderr: target.relativeStderr } : { upperBound: target.upperBound, z: target.z },
  };
}

/** SE / V for V > 0, else null (a relative error of a nonpositive estimate means nothing). */
function relSE(est: number, se: number): number | null {
  return est > 0 ? se / est : null;
}

async function trainCell(engine: Engine, cell: CellPlan, o: CellRunOptions): Promise<CellNumbers> {
  const p = cell.params as { target: "cos" | "triangle"; dim: number; radius: number; width: number; samples: number; test: number; epochs: number; optimizer: "gd" | "sgd" | "adagrad" | "adam"; lr: number; batch: number; initScale: number; whiten: boolean };
  const seed = BigInt(cell.seed);
  const target = samplePeriodicTarget(engine, { d: p.dim, r: p.radius, psi: p.target, seed });
  const rng = engine.rng(seed);
  const X: Matrix = { rows: p.samples, cols: p.dim, data: rng.stream(10).normal(p.samples * p.dim) };
  const Xtest: Matrix = { rows: p.test, cols: p.dim, data: rng.stream(11).normal(p.test * p.dim) };
  const y = periodicTargetForward(engine, target, X), ytest = periodicTargetForward(engine, target, Xtest);
  const res = await engine.train({
    X, y, Xtest, ytest, width: p.width, bias: true, trainSecondLayer: true, initScale: p.initScale, optimizer: p.optimizer,
    lr: p.lr, batchSize: p.batch, epochs: p.epochs, seed, whiten: p.whiten, signal: o.signal, onProgress: o.onProgress,
  });
  let mean = 0;
  for (const v of ytest) mean += v;
  mean /= ytest.length;
  let trivial = 0;
  for (const v of ytest) trivial += sq(v - mean);
  trivial /= ytest.length;
  const last = res.history[res.history.length - 1];
  return {
    trainLoss: last?.trainLoss ?? null, testLoss: finiteOrNull(last?.testLoss), trivialLoss: trivial,
    learned: last?.testLoss !== undefined ? last.testLoss < 0.9 * trivial : null, steps: res.steps,
    trainLossHistory: res.history.map((h) => h.trainLoss), testLossHistory: res.history.map((h) => finiteOrNull(h.testLoss)),
  };
}

async function oracleCell(engine: Engine, cell: CellPlan, o: CellRunOptions): Promise<CellNumbers> {
  const p = cell.params as { dim: number; radius: number; targets: number; steps: number; lr: number; thetaNorm: number; delta?: number };
  const theta0 = new Float64Array(p.dim);
  theta0[0] = p.thetaNorm;
  const r = await engine.oracleSimulation({
    dim: p.dim, radius: p.radius, theta0, targets: p.targets, seed: BigInt(cell.seed), steps: p.steps, learningRate: p.lr,
    delta: p.delta, signal: o.signal, onProgress: o.onProgress,
  });
  return {
    maxVariance: r.maxVariance, delta: r.delta, failureBound: r.failureBound, failureRate: r.failureRate,
    targetFailureRate: r.targetFailureRate, trajectoriesCoincide: r.trajectoriesCoincide, oracleSpread: r.oracleSpread, exactSpread: r.exactSpread,
  };
}

function landscapeCell(engine: Engine, cell: CellPlan): CellNumbers {
  const p = cell.params as { radius: number; extent?: number; grid: number; starts: number };
  const r = engine.landscape({ radius: p.radius, extent: p.extent, grid: p.grid, starts: p.starts });
  const count = (k: string) => r.criticalPoints.filter((c) => c.kind === k).length;
  return {
    extent: r.extent, flatShare: r.flatShare, flatTol: r.flatTol, plateau: r.plateau, saddleValueClosed: r.saddleValueClosed,
    maxima: count("max"), minima: count("min"), saddles: count("saddle"),
    criticalPoints: r.criticalPoints.map((c) => ({ kind: c.kind, w: [c.w[0], c.w[1]], F: c.F })),
  };
}

function networksCell(engine: Engine, cell: CellPlan): CellNumbers {
  const p = cell.params as { family: string; dim: number; width: number; patch: number; samples: number; input: "gaussian" | "cube01" };
  const seed = BigInt(cell.seed);
  const net: ReluNet = p.family === "conv"
    ? engine.sampleConvNetwork({ n: p.dim, patch: p.patch, family: "normal", seed }).dense
    : engine.sampleNetwork({ n: p.dim, width: p.width, family: p.family as SampleNetworkOptions["family"], seed });
  const rng = engine.rng(seed);
  const X: Matrix = p.input === "gaussian" ? { rows: p.samples, cols: p.dim, data: rng.stream(1).normal(p.samples * p.dim) } : rng.stream(2).cube01(p.samples, p.dim);
  const y = engine.reluNet(net, X);
  let wn = 0;
  for (const v of net.W.data) wn += v * v;
  let mean = 0, zeros = 0;
  for (const v of y) { mean += v; if (v === 0) zeros++; }
  mean /= y.length;
  let v2 = 0;
  for (const v of y) v2 += sq(v - mean);
  return { neurons: net.W.cols, frobeniusNorm: Math.sqrt(wn), labelMean: mean, labelVariance: v2 / y.length, zeroShare: zeros / y.length };
}
