/**
 * Theorem 4 simulation (PAPERS §2.5): gradient descent fed by a δ-approximate oracle.
 *
 * Objective F_{w*}(θ) = E_x (cos<θ,x> - cos<w*,x>)^2 with x ~ N(0, I_d), |w*| = r (cos family, all exact, §4.3–4.5).
 * The adversarial oracle answers E_w ∇F_w(θ_t) (exact, w-independent) whenever || ∇F_{w*}(θ_t) - E_w ∇F_w(θ_t) || <= δ,
 * and the true gradient ∇F_{w*}(θ_t) otherwise (a "failure event"). Then θ_{t+1} = θ_t - η g_t.
 * Without failures the trajectory is the same for every w* (bit for bit). By Chebyshev each query fails with
 * probability <= Var_w ∇F_w(θ_t) / δ^2, so with δ = (sup_t Var)^{1/3}, Pr(any failure in p steps) <= p δ.
 * Default δ: the cube root of the largest exact variance along the w-independent trajectory.
 * The same start with the exact gradient of each w* is run for comparison (those trajectories do depend on w*).
 */
import type { Engine } from "../engine.js";
import { AbortError, InvalidArgumentError } from "../errors.js";
import type { ProgressCallback } from "../types.js";
import { assertInteger, assertOptions, assertPositive, assertSeed, assertVector, def, assertCallback, assertSignal } from "../validate.js";
import { cosLossAndGradientRaw, gradVarianceExact, meanGradientExact, MAX_EXACT_S } from "./exact.js";
import * as dmath from "../math/detmath.js"; // deterministic exp/log/sin/... (same bits on every JS engine)

export interface OracleOptions {
  dim: number;
  radius: number;
  /** Start θ_0 (length dim, finite). */
  theta0: Float64Array;
  /** Number of target directions w* (>= 2), uniform on r·S^{d-1} from rng(seed).stream(2), or explicit rows. */
  targets: number;
  seed: number | bigint;
  /** Iterations p >= 1. */
  steps: number;
  /** Step size η > 0. Default 0.5. */
  learningRate?: number;
  /** Oracle tolerance δ > 0. Default (max_t Var_w ∇F_w(θ_t))^{1/3} along the w-independent trajectory. */
  delta?: number;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

export interface OracleTargetRow {
  wStar: number[];
  /** Number of steps where the oracle had to answer the true gradient. */
  failures: number;
  /** Final θ and loss F_{w*}(θ_p) under the oracle and under exact GD. */
  oracleFinal: number[];
  oracleLoss: number;
  exactFinal: number[];
  exactLoss: number;
  /** max_t || θ^oracle_t(w*) - θ^common_t ||: 0 when the trajectory coincides with the w-independent one. */
  deviation: number;
}

export interface OracleResult {
  dim: number;
  radius: number;
  steps: number;
  learningRate: number;
  delta: number;
  /** max_t Var_w ∇F_w(θ_t) along the common trajectory (exact). */
  maxVariance: number;
  /** Chebyshev/union bound p·δ on the probability that a trajectory deviates (when δ^3 >= maxVariance). */
  failureBound: number;
  /** Share of (target, step) queries that failed, and of targets with at least one failure. */
  failureRate: number;
  targetFailureRate: number;
  /** True when every oracle trajectory equals the common one bit for bit. */
  trajectoriesCoincide: boolean;
  /** Largest pairwise distance between final θ of the oracle runs, and of the exact-gradient runs. */
  oracleSpread: number;
  exactSpread: number;
  /** The common (w-independent) trajectory's |θ_t| per step (length steps + 1). */
  commonNorms: number[];
  rows: OracleTargetRow[];
}

const norm = (v: ArrayLike<number>) => { let s = 0; for (let i = 0; i < v.length; i++) s += v[i] * v[i]; return Math.sqrt(s); };

/**
 * Run the Theorem 4 simulation (see module doc). Cost O(targets · steps · d) plus one exact variance per step.
 * Deterministic for a seed. PAPERS §2.5.
 */
export async function oracleSimulation(engine: Engine, o: OracleOptions): Promise<OracleResult> {
  assertOptions("options", o);
  if (o === undefined) throw new InvalidArgumentError("options", "an object", o);
  assertInteger("options.dim", o.dim, 1, 1 << 16);
  assertPositive("options.radius", o.radius);
  assertVector("options.theta0", o.theta0, o.dim);
  assertInteger("options.targets", o.targets, 2, 1 << 20);
  assertSeed("options.seed", o.seed);
  assertInteger("options.steps", o.steps, 1, 1 << 20);
  const lr = def(o.learningRate, 0.5);
  assertPositive("options.learningRate", lr);
  if (o.delta !== undefined) assertPositive("options.delta", o.delta);
  let big = 0, t2 = 0; // |theta0| scaled by its largest entry (no overflow), square root exact
  for (let i = 0; i < o.theta0.length; i++) big = Math.max(big, Math.abs(o.theta0[i]));
  for (let i = 0; i < o.theta0.length && big > 0; i++) t2 += (o.theta0[i] / big) * (o.theta0[i] / big);
  const t0 = big * Math.sqrt(t2);
  if (!(t0 * o.radius <= MAX_EXACT_S)) {
    throw new InvalidArgumentError("options.radius", `at most ${MAX_EXACT_S} / |options.theta0| (the exact mean gradient needs about 2 |θ| r series terms)`, o.radius);
  }
  assertCallback("options.onProgress", o.onProgress);
  assertSignal("options.signal", o.signal);
  const d = o.dim, r = o.radius, P = o.steps;
  const W = engine.rng(o.seed).stream(2).sphere(o.targets, d, r);
  // Common trajectory and its variances.
  const common: Float64Array[] = [Float64Array.from(o.theta0)];
  const means: Float64Array[] = [];
  let maxVar = 0;
  for (let t = 0; t < P; t++) {
    const th = common[t];
    const m = meanGradientExact({ theta: th, radius: r });
    means.push(m);
    maxVar = Math.max(maxVar, gradVarianceExact({ dim: d, radius: r, thetaNorm: norm(th) }).variance);
    const next = new Float64Array(d);
    for (let i = 0; i < d; i++) next[i] = th[i] - lr * m[i];
    common.push(next);
  }
  const delta = def(o.delta, dmath.cbrt(maxVar));
  const rows: OracleTargetRow[] = [];
  let failures = 0, targetsFailed = 0;
  for (let k = 0; k < o.targets; k++) {
    if (o.signal?.aborted) throw new AbortError("oracle simulation");
    const ws = W.data.subarray(k * d, k * d + d);
    let th = Float64Array.from(o.theta0), ex = Float64Array.from(o.theta0);
    let fails = 0, dev = 0, diverged = false;
    for (let t = 0; t < P; t++) {
      // Oracle run. While on the common path the mean gradient is means[t]; after a failure recompute it.
      const onPath = !diverged;
      const m = onPath ? means[t] : meanGradientExact({ theta: th, radius: r });
      const g = cosLossAndGradientRaw(th, ws).grad;
      let e = 0;
      for (let i = 0; i < d; i++) e += dmath.sq(g[i] - m[i]);
      const ans = Math.sqrt(e) <= delta ? m : g;
      if (ans === g) { fails++; diverged = true; }
      for (let i = 0; i < d; i++) th[i] = th[i] - lr * ans[i];
      let dd = 0;
      for (let i = 0; i < d; i++) dd += dmath.sq(th[i] - common[t + 1][i]);
      dev = Math.max(dev, Math.sqrt(dd));
      if (dd === 0) diverged = false;
      // Exact-gradient run.
      const ge = cosLossAndGradientRaw(ex, ws).grad;
      for (let i = 0; i < d; i++) ex[i] = ex[i] - lr * ge[i];
    }
    failures += fails;
    if (fails > 0) targetsFailed++;
    rows.push({
      wStar: Array.from(ws), failures: fails,
      oracleFinal: Array.from(th), oracleLoss: cosLossAndGradientRaw(th, ws).F,
      exactFinal: Array.from(ex), exactLoss: cosLossAndGradientRaw(ex, ws).F, deviation: dev,
    });
    o.onProgress?.(k + 1, o.targets);
    if (o.signal && k + 1 < o.targets && (k & 15) === 15) await new Promise((res) => setTimeout(res, 0));
  }
  const spread = (key: "oracleFinal" | "exactFinal") => {
    let s = 0;
    for (let a = 0; a < rows.length; a++) for (let b = a + 1; b < rows.length; b++) {
      let dd = 0;
      for (let i = 0; i < d; i++) dd += dmath.sq(rows[a][key][i] - rows[b][key][i]);
      s = Math.max(s, Math.sqrt(dd));
    }
    return s;
  };
  return {
    dim: d, radius: r, steps: P, learningRate: lr, delta, maxVariance: maxVar,
    failureBound: Math.min(1, P * delta),
    failureRate: failures / (o.targets * P), targetFailureRate: targetsFailed / o.targets,
    trajectoriesCoincide: rows.every((x) => x.deviation === 0),
    oracleSpread: spread("oracleFinal"), exactSpread: spread("exactFinal"),
    commonNorms: common.map(norm), rows,
  };
}
