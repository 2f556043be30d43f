/**
 * Monte-Carlo evaluation of the Eq. (3) objective and its gradient (PAPERS §2.2), to check the closed form:
 *   F̂(w) = (1/n) sum_i (cos<w*,x_i> - cos<w,x_i>)^2,   ∇̂F(w) = (1/n) sum_i 2 (cos<w*,x_i> - cos<w,x_i>) sin<w,x_i> x_i,
 * x_i ~ N(0, I_d) from rng(seed).stream(0); standard errors are sample standard deviations / sqrt(n);
 * z = (estimate - closed form) / stderr. cos/sin are the engine's deterministic WASM kernels.
 */
import type { Engine } from "../engine.js";
import { InvalidArgumentError } from "../errors.js";
import { assertInteger, assertOptions, assertPositive, assertSeed, def } from "../validate.js";
import { eq3GradientRaw, eq3LossRaw } from "./landscape.js";
import { assertAffordable, costLandscapeMonteCarlo } from "../cost.js";

export interface LandscapeMCOptions {
  /** w* = (radius, 0, ..., 0) in dimension `dim` (default 2). */
  radius: number;
  dim?: number;
  /** Evaluation points (each of length dim). */
  points: ArrayLike<number>[];
  /** Number of x samples n >= 2. */
  samples: number;
  seed: number | bigint;
}

export interface LandscapeMCPoint {
  w: number[];
  F: number; Fstderr: number; Fexact: number; Fz: number;
  grad: number[]; gradStderr: number[]; gradExact: number[]; gradZ: number[];
}

export interface LandscapeMCResult { wStar: number[]; samples: number; points: LandscapeMCPoint[] }

export function landscapeMonteCarlo(engine: Engine, o: LandscapeMCOptions): LandscapeMCResult {
  assertOptions("options", o);
  if (o === undefined) throw new InvalidArgumentError("options", "an object", o);
  assertPositive("options.radius", o.radius);
  const d = def(o.dim, 2);
  assertInteger("options.dim", d, 1, 1 << 16);
  assertInteger("options.samples", o.samples, 2, 1 << 26);
  assertSeed("options.seed", o.seed);
  if (!Array.isArray(o.points) || o.points.length < 1) throw new InvalidArgumentError("options.points", "a non-empty array of points", o.points);
  o.points.forEach((p, i) => {
    if (!p || p.length !== d) throw new InvalidArgumentError(`options.points[${i}].length`, `equal to the dimension (${d})`, p?.length);
    for (let k = 0; k < d; k++) if (!Number.isFinite(p[k])) throw new InvalidArgumentError(`options.points[${i}][${k}]`, "a finite number", p[k]);
  });
  const n = o.samples, P = o.points.length;
  assertAffordable(engine.core, costLandscapeMonteCarlo(n, d, P));
  const ws = new Float64Array(d); ws[0] = o.radius;
  const X = engine.rng(o.seed).stream(0).normal(n * d);
  const core = engine.core;
  // Columns: w*, then the points. Z = X [w*, w_1..w_P] (n x (P+1)); C = cos Z, S = sin Z.
  const M = new Float64Array(d * (P + 1));
  for (let k = 0; k < d; k++) M[k * (P + 1)] = ws[k];
  o.points.forEach((p, j) => { for (let k = 0; k < d; k++) M[k * (P + 1) + j + 1] = p[k]; });
  const { C, S } = core.scope((ar) => {
    const px = ar.put(X), pm = ar.put(M), pz = ar.allocF64(n * (P + 1)), pc = ar.allocF64(n * (P + 1)), ps = ar.allocF64(n * (P + 1));
    core.x.gemm_f64(0, 0, n, P + 1, d, 1, px, d, pm, P + 1, 0, pz, P + 1);
    core.x.vm_cos_f64(pz, pc, n * (P + 1));
    core.x.vm_sin_f64(pz, ps, n * (P + 1));
    return { C: ar.take(pc, n * (P + 1)), S: ar.take(ps, n * (P + 1)) };
  });
  const out: LandscapeMCPoint[] = [];
  for (let j = 0; j < P; j++) {
    let sF = 0, sF2 = 0;
    const sg = new Float64Array(d), sg2 = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const diff = C[i * (P + 1)] - C[i * (P + 1) + j + 1];
      const f = diff * diff;
      sF += f; sF2 += f * f;
      const c = 2 * diff * S[i * (P + 1) + j + 1];
      for (let k = 0; k < d; k++) { const g = c * X[i * d + k]; sg[k] += g; sg2[k] += g * g; }
    }
    const w = Array.from(o.points[j]);
    const F = sF / n, Fse = Math.sqrt(Math.max(0, (sF2 / n - F * F)) * n / (n - 1) / n);
    const Fexact = eq3LossRaw(w, ws);
    const ge = Array.from(eq3GradientRaw(w, ws));
    const grad: number[] = [], gse: number[] = [], gz: number[] = [];
    for (let k = 0; k < d; k++) {
      const m = sg[k] / n;
      const se = Math.sqrt(Math.max(0, sg2[k] / n - m * m) * n / (n - 1) / n);
      grad.push(m); gse.push(se); gz.push(se > 0 ? (m - ge[k]) / se : 0);
    }
    out.push({ w, F, Fstderr: Fse, Fexact, Fz: Fse > 0 ? (F - Fexact) / Fse : 0, grad, gradStderr: gse, gradExact: ge, gradZ: gz });
  }
  return { wStar: Array.from(ws), samples: n, points: out };
}
