/**
 * The Eq. (3) landscape of PAPERS §2.2 (Shamir, Section 4.1, Figure 2):
 *   F(w) = E_{x~N(0,I)} (cos<w*,x> - cos<w,x>)^2
 *        = 1 + (e^{-2|w*|^2} + e^{-2|w|^2})/2 - e^{-|w-w*|^2/2} - e^{-|w+w*|^2/2}
 * with gradient and Hessian in closed form, its critical points in d = 2 located numerically (Newton from a grid of
 * starts, deduplicated, classified by the Hessian's eigenvalues), the flatness share and a grid of values.
 * For w* = (r, 0) there are FIVE critical points (max at 0, minima ±w*, saddles (0, ±r/√3)), not three as the
 * paper's text says (PAPERS §2.2, "Discrepancy to flag").
 */
import { InvalidArgumentError } from "../errors.js";
import { assertInteger, assertOptions, assertPositive, assertVector, snapshot, def } from "../validate.js";
import { assertNumberArray } from "./args.js";
import * as dmath from "../math/detmath.js"; // deterministic exp/log/sin/... (same bits on every JS engine)

/** Public-wrapper validation of (w, wStar): numbers arrays, finite, same length. */
function checkPair(w: unknown, wStar: unknown): void {
  assertNumberArray("w", w);
  assertNumberArray("wStar", wStar, (w as ArrayLike<number>).length);
}

/**
 * F(w) for target w* (any dimension; both vectors of the same length). Exact up to rounding. PAPERS §2.2.
 * w, wStar: Float64Arrays or plain arrays of finite numbers, wStar.length = w.length; otherwise InvalidArgumentError
 * naming the argument ("w", "wStar[1]", "wStar.length", ...).
 */
export function eq3Loss(w: ArrayLike<number>, wStar: ArrayLike<number>): number {
  w = snapshot(w, "w"); wStar = snapshot(wStar, "wStar");
  checkPair(w, wStar);
  return eq3LossRaw(w, wStar);
}

/** @internal eq3Loss without validation (hot loops on inputs built internally; same bits). */
export function eq3LossRaw(w: ArrayLike<number>, wStar: ArrayLike<number>): number {
  let w2 = 0, s2 = 0, dm = 0, dp = 0;
  for (let i = 0; i < w.length; i++) {
    w2 += w[i] * w[i]; s2 += wStar[i] * wStar[i];
    dm += dmath.sq(w[i] - wStar[i]); dp += dmath.sq(w[i] + wStar[i]);
  }
  return 1 + (dmath.exp(-2 * s2) + dmath.exp(-2 * w2)) / 2 - dmath.exp(-dm / 2) - dmath.exp(-dp / 2);
}

/**
 * ∇F(w) = -2 e^{-2|w|^2} w + (w - w*) e^{-|w-w*|^2/2} + (w + w*) e^{-|w+w*|^2/2}. PAPERS §2.2.
 * Arguments validated as in {@link eq3Loss}.
 */
export function eq3Gradient(w: ArrayLike<number>, wStar: ArrayLike<number>): Float64Array {
  w = snapshot(w, "w"); wStar = snapshot(wStar, "wStar");
  checkPair(w, wStar);
  return eq3GradientRaw(w, wStar);
}

/** @internal eq3Gradient without validation (hot loops on inputs built internally; same bits). */
export function eq3GradientRaw(w: ArrayLike<number>, wStar: ArrayLike<number>): Float64Array {
  const d = w.length;
  let w2 = 0, dm = 0, dp = 0;
  for (let i = 0; i < d; i++) { w2 += w[i] * w[i]; dm += dmath.sq(w[i] - wStar[i]); dp += dmath.sq(w[i] + wStar[i]); }
  const e = dmath.exp(-2 * w2), A = dmath.exp(-dm / 2), B = dmath.exp(-dp / 2);
  const g = new Float64Array(d);
  for (let i = 0; i < d; i++) g[i] = -2 * e * w[i] + (w[i] - wStar[i]) * A + (w[i] + wStar[i]) * B;
  return g;
}

/**
 * ∇²F(w) = -2e^{-2|w|^2}(I - 4ww^T) + e^{-|w-w*|^2/2}(I - (w-w*)(w-w*)^T) + e^{-|w+w*|^2/2}(I - (w+w*)(w+w*)^T),
 * returned row-major d x d. PAPERS §2.2. Arguments validated as in {@link eq3Loss}.
 */
export function eq3Hessian(w: ArrayLike<number>, wStar: ArrayLike<number>): Float64Array {
  w = snapshot(w, "w"); wStar = snapshot(wStar, "wStar");
  checkPair(w, wStar);
  return eq3HessianRaw(w, wStar);
}

/** @internal eq3Hessian without validation (hot loops on inputs built internally; same bits). */
export function eq3HessianRaw(w: ArrayLike<number>, wStar: ArrayLike<number>): Float64Array {
  const d = w.length;
  let w2 = 0, dm = 0, dp = 0;
  for (let i = 0; i < d; i++) { w2 += w[i] * w[i]; dm += dmath.sq(w[i] - wStar[i]); dp += dmath.sq(w[i] + wStar[i]); }
  const e = dmath.exp(-2 * w2), A = dmath.exp(-dm / 2), B = dmath.exp(-dp / 2);
  const H = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const I = i === j ? 1 : 0;
      const mi = w[i] - wStar[i], mj = w[j] - wStar[j], pi = w[i] + wStar[i], pj = w[j] + wStar[j];
      // Each exponential factor multiplies its polynomial only when it is nonzero: for |w| ~ 1e160 the factor underflows
      // to 0 while w_i w_j overflows, and the exact limit of the product is 0 (not 0 * Infinity = NaN).
      H[i * d + j] = (e === 0 ? 0 : -2 * e * (I - 4 * w[i] * w[j])) + (A === 0 ? 0 : A * (I - mi * mj)) + (B === 0 ? 0 : B * (I - pi * pj));
    }
  }
  return H;
}

export interface CriticalPoint {
  w: [number, number];
  F: number;
  kind: "max" | "min" | "saddle";
  /** Hessian eigenvalues, ascending. */
  eigenvalues: [number, number];
  gradNorm: number;
}

export interface LandscapeOptions {
  /** r = |w*| > 0; w* = (r, 0). */
  radius: number;
  /** Half-width of the square [-extent, extent]^2. Default 2 r. */
  extent?: number;
  /** Grid points per side for values and flatness (>= 2). Default 101. */
  grid?: number;
  /** Newton starts per side (>= 2). Default 33 (PAPERS §2.2 uses 33 x 33 starts on [-4,4]^2 for r = 2). */
  starts?: number;
  /** Flatness threshold on |∇F|. Default 1e-3. */
  flatTol?: number;
}

export interface LandscapeResult {
  /** [r, 0]. */
  wStar: [number, number];
  radius: number;
  extent: number;
  /** Deduplicated critical points inside the square, sorted by kind (max, saddle, min) then by coordinates. */
  criticalPoints: CriticalPoint[];
  /** Values on the grid: x[i], y[j], F[j][i] and |∇F|[j][i] (row j is y = y[j]). */
  grid: { x: number[]; y: number[]; F: number[][]; gradNorm: number[][] };
  /** Share of grid points with |∇F| < flatTol. */
  flatShare: number;
  flatTol: number;
  /** F at the plateau (|w| → ∞): 1 + e^{-2r^2}/2; 0 is the global maximum iff r > sqrt(2 ln 4) ≈ 1.6651. */
  plateau: number;
  /** The closed-form saddle value 1 + e^{-2r^2}/2 - (3/2) e^{-2r^2/3} at (0, ±r/√3). */
  saddleValueClosed: number;
}

/** Largest finite coordinate scale accepted by `landscape` (radius, extent): squares stay far from overflow. */
export const MAX_COORD = 1e150;

/** Sizes of the terms of ∇F and ∇²F at w = (w0, w1), w* = (r, 0): what "zero" is relative to at that point. */
function termScales(w0: number, w1: number, r: number): { grad: number; hess: number } {
  const w2 = w0 * w0 + w1 * w1, dm = dmath.sq(w0 - r) + w1 * w1, dp = dmath.sq(w0 + r) + w1 * w1;
  const e = dmath.exp(-2 * w2), A = dmath.exp(-dm / 2), B = dmath.exp(-dp / 2);
  return {
    grad: 2 * e * Math.sqrt(w2) + A * Math.sqrt(dm) + B * Math.sqrt(dp),
    hess: 2 * e * (1 + 4 * w2) + A * (1 + dm) + B * (1 + dp),
  };
}

function eig2(H: Float64Array): [number, number] {
  const a = H[0], b = H[1], c = H[3];
  const m = (a + c) / 2, q = dmath.hypot((a - c) / 2, b);
  return [m - q, m + q];
}

/**
 * The landscape of Eq. (3) in d = 2 with w* = (r, 0): grid of F and |∇F|, flatness share, critical points.
 * Critical points: Newton w <- w - H^{-1} ∇F from starts x starts grid points, at most 200 steps each; a point is
 * accepted when |∇F| <= 1e-11 (1 + |w|) and the Hessian is non-degenerate (min |eigenvalue| >= 1e-8, which rejects the
 * asymptotically flat plateau), deduplicated within 1e-6, and classified by the signs of the Hessian eigenvalues.
 * Deterministic. PAPERS §2.2.
 */
export function landscape(options: LandscapeOptions): LandscapeResult {
  options = snapshot(options, "options");
  assertOptions("options", options);
  if (options === undefined) throw new InvalidArgumentError("options", "an object { radius, extent?, grid? }", options);
  assertPositive("options.radius", options.radius);
  const r = options.radius;
  const extent = def(options.extent, 2 * r);
  assertPositive("options.extent", extent);
  if (!(r <= MAX_COORD)) throw new InvalidArgumentError("options.radius", `at most ${MAX_COORD} (so that |w ± w*|² stays finite)`, r);
  if (!(extent <= MAX_COORD)) throw new InvalidArgumentError("options.extent", `at most ${MAX_COORD} (so that |w ± w*|² stays finite)`, extent);
  const G = def(options.grid, 101);
  assertInteger("options.grid", G, 2, 4096);
  const S = def(options.starts, 33);
  assertInteger("options.starts", S, 2, 1024);
  const flatTol = def(options.flatTol, 1e-3);
  assertPositive("options.flatTol", flatTol);
  const ws: [number, number] = [r, 0];

  const x: number[] = [], y: number[] = [];
  // extent * (2i/(G-1) - 1): no intermediate 2 * extent (which overflows near the largest doubles).
  for (let i = 0; i < G; i++) { const v = extent * ((2 * i) / (G - 1) - 1); x.push(v); y.push(v); }
  const F: number[][] = [], gn: number[][] = [];
  let flat = 0;
  for (let j = 0; j < G; j++) {
    const fr: number[] = [], gr: number[] = [];
    for (let i = 0; i < G; i++) {
      const w = [x[i], y[j]];
      fr.push(eq3LossRaw(w, ws));
      const g = eq3GradientRaw(w, ws);
      const n = dmath.hypot(g[0], g[1]);
      gr.push(n);
      if (n < flatTol) flat++;
    }
    F.push(fr); gn.push(gr);
  }

  const found: CriticalPoint[] = [];
  for (let a = 0; a < S; a++) {
    for (let b = 0; b < S; b++) {
      let w0 = extent * ((2 * a) / (S - 1) - 1), w1 = extent * ((2 * b) / (S - 1) - 1);
      let ok = false;
      for (let it = 0; it < 200; it++) {
        const g = eq3GradientRaw([w0, w1], ws);
        const H = eq3HessianRaw([w0, w1], ws);
        const det = H[0] * H[3] - H[1] * H[2];
        if (!(Math.abs(det) > 0) || !Number.isFinite(det)) break;
        const s0 = (H[3] * g[0] - H[1] * g[1]) / det, s1 = (-H[2] * g[0] + H[0] * g[1]) / det;
        w0 -= s0; w1 -= s1;
        if (!Number.isFinite(w0) || !Number.isFinite(w1) || Math.abs(w0) > 10 * extent || Math.abs(w1) > 10 * extent) break;
        if (dmath.hypot(s0, s1) < 1e-14 * (1 + dmath.hypot(w0, w1))) { ok = true; break; }
      }
      if (!ok) continue;
      if (Math.abs(w0) > extent * (1 + 1e-9) || Math.abs(w1) > extent * (1 + 1e-9)) continue;
      const g = eq3GradientRaw([w0, w1], ws);
      const gnorm = dmath.hypot(g[0], g[1]);
      // Scale-aware tests: the gradient and the Hessian are compared with the size of their own terms, so that the
      // exponentially shallow saddles of large r (Hessian eigenvalues ±2r² e^{-2r²/3}, 4e-17 at r = 8) are kept while
      // points on the plateau (where every term underflows together) are rejected.
      const sc = termScales(w0, w1, r);
      if (!(gnorm <= 1e-11 * sc.grad) || !(sc.grad > 0)) continue;
      const ev = eig2(eq3HessianRaw([w0, w1], ws));
      if (!(Math.min(Math.abs(ev[0]), Math.abs(ev[1])) >= 1e-8 * sc.hess)) continue;
      if (found.some((p) => dmath.hypot(p.w[0] - w0, p.w[1] - w1) < 1e-6)) continue;
      const kind = ev[0] > 0 ? "min" : ev[1] < 0 ? "max" : "saddle";
      // Snap -0 and rounding-level coordinates to 0 for a clean report.
      const c0 = Math.abs(w0) < 1e-13 ? 0 : w0, c1 = Math.abs(w1) < 1e-13 ? 0 : w1;
      found.push({ w: [c0, c1], F: eq3LossRaw([c0, c1], ws), kind, eigenvalues: ev, gradNorm: gnorm });
    }
  }
  const order = { max: 0, saddle: 1, min: 2 } as const;
  found.sort((p, q) => order[p.kind] - order[q.kind] || p.w[0] - q.w[0] || p.w[1] - q.w[1]);
  return {
    wStar: ws, radius: r, extent, criticalPoints: found,
    grid: { x, y, F, gradNorm: gn }, flatShare: flat / (G * G), flatTol,
    plateau: 1 + dmath.exp(-2 * r * r) / 2,
    saddleValueClosed: 1 + dmath.exp(-2 * r * r) / 2 - 1.5 * dmath.exp(-2 * r * r / 3),
  };
}

/** eq3Loss, eq3Gradient and eq3Hessian in one call (validated once: Float64Arrays of finite entries, same length). */
export function eq3(w: Float64Array, wStar: Float64Array): { F: number; grad: Float64Array; hessian: Float64Array } {
  w = snapshot(w, "w"); wStar = snapshot(wStar, "wStar");
  assertVector("w", w);
  assertVector("wStar", wStar, w.length);
  return { F: eq3LossRaw(w, wStar), grad: eq3GradientRaw(w, wStar), hessian: eq3HessianRaw(w, wStar) };
}
