/**
 * Shamir §4.1, Eq. (3) and Fig. 2: the landscape of F(w) = E (cos<w*,x> - cos<w,x>)^2 in d = 2 with w* = (r, 0),
 * for several r: grid of F, critical points (Newton search by the landscape API), flatness share, and
 * gradient-descent paths from fixed starts (PAPERS §2.2).
 */
import { eq3 } from "../../gradvar/landscape.js";
import { cosLossAndGradient } from "../../gradvar/exact.js";
import { gaussLegendre } from "../../gradvar/special.js";
import { claim, fmt, PAPER_A, steps, type ExperimentDef } from "../experiment.js";
import { CRITICAL_POINTS_FAILS_IF, CRITICAL_POINTS_RULE, criticalPointsVerdict, engineCheck, FLAT_TOL, FLATNESS_FAILS_IF, FLATNESS_RULE, flatnessVerdict, type FlatnessRow } from "../verdicts.js";
import { flatnessSpec, landscapeSpec, type PathPoint } from "../specs.js";
import type { Figure, Table } from "../types.js";
import * as dmath from "../../math/detmath.js"; // deterministic exp/log/sin/... (same bits on every JS engine)

type GradFn = (w: Float64Array, wStar: Float64Array) => { F: number; grad: Float64Array };

/** Gradient-descent starts (fractions of the extent): on the plateau, near the saddle axis, near a minimum. */
/** The flatness share is also measured on [-WIDE_FACTOR r, WIDE_FACTOR r]^2. */
export const WIDE_FACTOR = 4;

/** Dimensions and radii of the flatness table (fixed: cheap exact integrals). */
export const FLAT_DIMS = [2, 3, 5, 10, 20, 50, 100];
export const FLAT_RADII = [2, 3, 4];

/** |∇F(w)| for |w| = ρ, |w*| = r and cos∠(w, w*) = u (PAPERS §2.2; F depends on w only through ρ and u). */
export function gradNormAt(rho: number, r: number, u: number): number {
  const A = dmath.exp(-(rho * rho + r * r - 2 * rho * r * u) / 2), B = dmath.exp(-(rho * rho + r * r + 2 * rho * r * u) / 2);
  const c = -2 * dmath.exp(-2 * rho * rho) + A + B, m = A - B;
  const g2 = rho * rho * c * c + r * r * m * m - 2 * c * m * rho * r * u;
  return Math.sqrt(Math.max(0, g2));
}

/**
 * Pr(|∇F(w)| > tol) for w uniform on the sphere |w| = ρ in R^d (w* fixed, |w*| = r): a one-dimensional integral over
 * φ = ∠(w, w*) with density ∝ sin^{d-2} φ. The steep set is found on a 4000-point scan refined by bisection, then
 * each steep interval and the normaliser are integrated by 64-panel composite Gauss–Legendre (16 nodes).
 */
export function steepProbability(d: number, r: number, rho: number, tol: number): number {
  const N = 4000;
  const steep = (phi: number) => gradNormAt(rho, r, dmath.cos(phi)) > tol;
  const edges: number[] = [0];
  let prev = steep(0);
  const flags: boolean[] = [prev];
  for (let k = 1; k <= N; k++) {
    const phi = Math.PI * k / N, cur = steep(phi);
    if (cur !== prev) {
      let a = Math.PI * (k - 1) / N, b = phi;
      for (let it = 0; it < 60; it++) { const m = (a + b) / 2; if (steep(m) === prev) a = m; else b = m; }
      edges.push((a + b) / 2);
      flags.push(cur);
      prev = cur;
    }
  }
  edges.push(Math.PI);
  const gl = gaussLegendre(16);
  const integ = (lo: number, hi: number) => {
    const P = 64, h = (hi - lo) / P;
    let s = 0;
    for (let p = 0; p < P; p++) for (let i = 0; i < 16; i++) {
      const phi = lo + h * (p + (gl.x[i] + 1) / 2);
      s += gl.w[i] * h / 2 * (d === 2 ? 1 : dmath.exp((d - 2) * dmath.log(dmath.sin(phi))));
    }
    return s;
  };
  let num = 0, den = 0;
  for (let k = 0; k + 1 < edges.length; k++) {
    const v = integ(edges[k], edges[k + 1]);
    den += v;
    if (flags[k]) num += v;
  }
  return num / den;
}

/** Monte-Carlo check of steepProbability: n starts uniform on the sphere (engine rng), |∇F| by the closed form. */
export function steepProbabilityMc(rngNormal: (n: number) => Float64Array, d: number, r: number, rho: number, tol: number, n: number): { p: number; se: number } {
  const z = rngNormal(n * d);
  const ws = new Float64Array(d);
  ws[0] = r;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const w = z.subarray(i * d, (i + 1) * d);
    let nn = 0;
    for (let k = 0; k < d; k++) nn += w[k] * w[k];
    const sc = rho / Math.sqrt(nn);
    const wv = Float64Array.from(w, (v) => v * sc);
    const g = cosLossAndGradient(wv, ws).grad;
    let gg = 0;
    for (let k = 0; k < d; k++) gg += g[k] * g[k];
    if (Math.sqrt(gg) > tol) hits++;
  }
  const p = hits / n;
  return { p, se: Math.sqrt(Math.max(p * (1 - p), 1 / n) / n) };
}

export const GD_STARTS: [number, number][] = [[0.05, 0.9], [0.5, 0.75], [-0.9, -0.3], [0.3, -0.15]];

/** Plain GD w <- w - lr ∇F(w) from `start`, recording every iterate; uses the public eq3 gradient. */
export function gradientDescent(eq3: GradFn, wStar: [number, number], start: [number, number], stepsN: number, lr: number): { path: [number, number][]; final: { w: [number, number]; F: number; gradNorm: number } } {
  const ws = Float64Array.from(wStar);
  let w = Float64Array.from(start);
  const path: [number, number][] = [[w[0], w[1]]];
  let last = eq3(w, ws);
  for (let t = 0; t < stepsN; t++) {
    w = Float64Array.from([w[0] - lr * last.grad[0], w[1] - lr * last.grad[1]]);
    path.push([w[0], w[1]]);
    last = eq3(w, ws);
  }
  return { path, final: { w: [w[0], w[1]], F: last.F, gradNorm: dmath.hypot(last.grad[0], last.grad[1]) } };
}

export const landscapeExperiment: ExperimentDef = {
  id: "landscape",
  title: "Fig. 2: the landscape of Eq. (3)",
  paper: PAPER_A,
  section: "§4.1, Eq. (3), Fig. 2",
  seedOffset: 1,
  claims: [
    { id: "A.fig2.critical-points", source: "Shamir 2018, §4.1, Fig. 2", claim: "in two dimensions F has only three critical points: a global maximum at 0 and global minima at ±w*", rule: CRITICAL_POINTS_RULE, failsIf: CRITICAL_POINTS_FAILS_IF },
    { id: "A.fig2.flat", source: "Shamir 2018, §4.1", claim: "F is extremely flat except close to the critical points, more so in high dimension: a random start lies on the plateau", rule: FLATNESS_RULE, failsIf: FLATNESS_FAILS_IF },
  ],
  async run(ctx) {
    const cfg = ctx.config.landscape;
    const land = ctx.engine.landscape.bind(ctx.engine);
    const perR = await steps(cfg.radii.length, ctx, (i) => {
      const r = cfg.radii[i];
      const res = land({ radius: r, extent: cfg.extent, grid: cfg.grid });
      // Flatness on a wider square [-4r, 4r]^2 as well (the paper's plotting range was not recovered, PAPERS §2.2).
      const wide = land({ radius: r, extent: WIDE_FACTOR * r, grid: 101, starts: 2 });
      const gd = GD_STARTS.map((s) => gradientDescent(eq3 as GradFn, res.wStar, [s[0] * cfg.extent, s[1] * cfg.extent], cfg.gdSteps, cfg.gdRate));
      return { r, res, gd, wideFlat: wide.flatShare, wideExtent: wide.extent };
    });

    const figures: Figure[] = [];
    const tables: Table[] = [];
    const cpRows: (string | number)[][] = [];
    const data: Record<string, unknown> = {};
    const panels: Record<string, unknown>[] = [];
    for (const { r, res, gd, wideFlat, wideExtent } of perR) {
      const cells = [];
      for (let j = 0; j < res.grid.y.length; j++) for (let i = 0; i < res.grid.x.length; i++) cells.push({ x: res.grid.x[i], y: res.grid.y[j], F: res.grid.F[j][i] });
      const path: PathPoint[] = gd.flatMap((g, k) => g.path.filter((_, t) => t % Math.max(1, Math.floor(g.path.length / 60)) === 0 || t === g.path.length - 1).map((p, t) => ({ x: p[0], y: p[1], step: t, run: `start ${k + 1}` })));
      const { $schema: _s, config: _c, ...panel } = landscapeSpec({ cells, cellSize: res.grid.x[1] - res.grid.x[0], criticalPoints: res.criticalPoints.map((c) => ({ x: c.w[0], y: c.w[1], F: c.F, kind: c.kind })), path, size: 230, title: `r = ${r}` });
      panels.push(panel);
      for (const c of res.criticalPoints) cpRows.push([r, c.kind, c.w[0], c.w[1], c.F, c.eigenvalues[0], c.eigenvalues[1]]);
      data[`r=${r}`] = {
        wStar: res.wStar, extent: res.extent, criticalPoints: res.criticalPoints, flatShare: res.flatShare, flatTol: res.flatTol,
        wide: { extent: wideExtent, grid: 101, flatShare: wideFlat },
        plateau: res.plateau, saddleValueClosed: res.saddleValueClosed, F0: res.grid.F[(res.grid.y.length - 1) / 2]?.[(res.grid.x.length - 1) / 2],
        grid: res.grid,
        gradientDescent: gd.map((g, k) => ({ start: [GD_STARTS[k][0] * cfg.extent, GD_STARTS[k][1] * cfg.extent], final: g.final })),
      };
    }
    if (panels.length) {
      const { $schema, config } = landscapeSpec({ cells: [{ x: 0, y: 0, F: 0 }], cellSize: 1, criticalPoints: [] });
      figures.push({
        id: "landscape",
        title: "Fig. 2: F(w) of Eq. (3) in d = 2",
        caption: `w* = (r, 0) for r = ${perR.map((x) => x.r).join(", ")}; grid ${cfg.grid}×${cfg.grid} on [-${cfg.extent}, ${cfg.extent}]², one colour scale for all panels. Triangle: maximum, circles: minima, diamonds: saddles (at (0, ±r/√3), only 1.5·e^{−2r²/3} below the plateau, hence invisible in the colours). Orange: ${GD_STARTS.length} gradient-descent paths (${cfg.gdSteps} steps, step size ${cfg.gdRate}).`,
        spec: { $schema, config, hconcat: panels, resolve: { scale: { color: "shared" }, legend: { color: "shared", shape: "shared" } } },
      });
    }
    tables.push({ id: "critical-points", title: "Critical points of Eq. (3) (w* = (r, 0))", header: ["r", "kind", "w₁", "w₂", "F", "Hessian λ₁", "Hessian λ₂"], rows: cpRows });

    const counts = perR.map(({ r, res }) => {
      const k = (kind: string) => res.criticalPoints.filter((c) => c.kind === kind).length;
      return { r, total: res.criticalPoints.length, max: k("max"), min: k("min"), saddle: k("saddle"), res };
    });
    const near = (p: { w: [number, number] }, x: number, y: number) => dmath.hypot(p.w[0] - x, p.w[1] - y) < 1e-6 * (1 + dmath.hypot(x, y));
    const cpJ = criticalPointsVerdict(counts.map((c) => ({
      r: c.r, max: c.max, min: c.min, saddle: c.saddle,
      foundNamed: c.res.criticalPoints.some((p) => p.kind === "max" && near(p, 0, 0)) && [1, -1].every((sg) => c.res.criticalPoints.some((p) => p.kind === "min" && near(p, sg * c.r, 0))),
    })));
    const sentences = counts.map((c) => {
      const sad = c.res.criticalPoints.filter((p) => p.kind === "saddle");
      const depth = c.res.plateau - c.res.saddleValueClosed;
      const sadTxt = sad.length ? `saddles at ${sad.map((p) => `(${fmt(p.w[0])}, ${fmt(p.w[1])})`).join(" and ")} (r/√3 = ${fmt(c.r / Math.sqrt(3))}), only 1.5·e^{−2r²/3} = ${fmt(depth, 3)} below the plateau` : "no saddles";
      const mx = c.res.criticalPoints.find((p) => p.kind === "max");
      const globalMax = mx ? (mx.F > c.res.plateau ? "global" : `only local (F(0) = ${fmt(mx.F)} < plateau ${fmt(c.res.plateau)}, since r < √(2 ln 4) ≈ 1.665)`) : "";
      return `r = ${c.r}: ${c.total} critical points — ${c.max} max${mx ? `, ${globalMax}` : ""}, ${c.min} minima at ±w*, ${sadTxt}`;
    });

    // Flatness as the paper argues it: probability of a steep random start against d (exact 1-D integral + Monte Carlo).
    const flatRows: (FlatnessRow & { mc: number; mcSe: number })[] = [];
    const mcN = ctx.config.size === "small" ? 400 : 4000;
    const rng = ctx.engine.rng(ctx.seed);
    FLAT_RADII.forEach((r, ri) => FLAT_DIMS.forEach((d, di) => {
      const pSteep = steepProbability(d, r, r, FLAT_TOL);
      const mc = steepProbabilityMc((n) => rng.stream(100 * ri + di).normal(n), d, r, r, FLAT_TOL, mcN);
      flatRows.push({ d, r, pSteep, mc: mc.p, mcSe: mc.se });
    }));
    const flatJ = flatnessVerdict(flatRows);
    const rTop = Math.max(...FLAT_RADII);
    const flatText = FLAT_RADII.map((r) => `r = ${r}: ${flatRows.filter((x) => x.r === r).map((x) => `${fmt(x.pSteep, 3)} (d = ${x.d})`).join(", ")}`).join("; ");
    const worstZ = Math.max(...flatRows.map((x) => Math.abs(x.mc - x.pSteep) / x.mcSe));
    const saddleErr = Math.max(0, ...perR.flatMap(({ res }) => res.criticalPoints.filter((p) => p.kind === "saddle").map((p) => Math.abs(p.F - res.saddleValueClosed) + Math.abs(Math.abs(p.w[1]) - res.radius / Math.sqrt(3)))));
    data.flatness = { tol: FLAT_TOL, start: "w uniform on the sphere |w| = r", rows: flatRows, monteCarloStarts: mcN };
    tables.push({ id: "flatness", title: `Probability that a random start w (uniform on |w| = r) is steep, |∇F(w)| > ${FLAT_TOL}`, header: ["r", "d", "exact (1-D integral)", "Monte Carlo", "MC SE"], rows: flatRows.map((x) => [x.r, x.d, x.pSteep, x.mc, x.mcSe]) });
    figures.push({
      id: "flatness",
      title: "Steep random starts against the dimension",
      caption: `Pr(|∇F(w)| > ${FLAT_TOL}) for w uniform on the sphere of radius r (the target's norm), w* = r e₁, exact one-dimensional integral (lines) and Monte Carlo with ${mcN} starts (points). Log scale; zero probabilities are not drawn.`,
      spec: flatnessSpec(flatRows),
    });
    return {
      seeds: { experiment: ctx.seed, flatnessMonteCarlo: ctx.seed },
      params: { ...cfg, starts: 33, flatness: { dims: FLAT_DIMS, radii: FLAT_RADII, tol: FLAT_TOL, monteCarloStarts: mcN }, note: "critical points: deterministic Newton search from 33 x 33 starts" },
      data,
      claims: [
        claim(this, "A.fig2.critical-points", cpJ, `${cpJ.verdict === "contradicts the paper" ? "F has five critical points, not three: " : ""}${sentences.join("; ")}. For d ≥ 3 the two saddles become a whole (d−2)-sphere {w ⊥ w*, |w| = r/√3}: F depends on w only through |w| and <w, w*>. The saddles are too shallow to see in a plot at r ≥ 2, which likely explains the paper's sentence.`),
        claim(this, "A.fig2.flat", flatJ, `Probability of a steep start: ${flatText}. At r = ${rTop} it ${flatJ.verdict === "reproduced" ? "falls" : "does not fall"} with d to ${fmt(flatRows.filter((x) => x.r === rTop).slice(-1)[0]?.pSteep ?? NaN, 3)} at d = ${FLAT_DIMS[FLAT_DIMS.length - 1]}. On the 2-D square of Fig. 2 the flat share is ${perR.map((c) => `${fmt(100 * c.res.flatShare, 3)}% (r = ${c.r})`).join(", ")} — the 2-D picture alone does not show the paper's point.`),
      ],
      checks: [
        engineCheck("landscape.flat-mc", "flatness integral vs Monte Carlo", "every |MC − exact| ≤ 4 SE", worstZ <= 4, `largest |MC − exact| / SE = ${fmt(worstZ, 3)} over ${flatRows.length} (d, r) cells`),
        engineCheck("landscape.saddle-closed", "Newton saddles vs the closed form (0, ±r/√3), F = 1 + e^{−2r²}/2 − 1.5 e^{−2r²/3}", "position + value error ≤ 1e-9", saddleErr <= 1e-9, `largest error ${fmt(saddleErr, 3)}`),
      ],
      figures,
      tables,
    };
  },
};
