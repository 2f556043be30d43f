/**
 * Exact gradient statistics of the cos family under x ~ N(0, I_d) (PAPERS §4.3–4.5), used as the engine's
 * "exact" mode and as test oracles for the Monte-Carlo estimator.
 *
 * Setting: predictor p_θ(x) = cos<θ, x>, target cos<w, x>, w uniform on the sphere r·S^{d-1},
 * F_w(θ) = E_x (cos<θ,x> - cos<w,x>)^2 (no 1/2 factor), t = |θ|, s = t r, E0 = exp(-(t^2 + r^2)/2).
 *
 * Two independent evaluations of every quantity:
 *  - the closed form with 0F1 (§4.5), evaluated in log space (0F1 via log0F1; M2 - 1 summed without cancellation);
 *  - the cancellation-free angular quadrature (§4.5): u = cos φ with weight sin^{d-2} φ / B(1/2, (d-1)/2),
 *    Var = E_u (h1 - μ)^2 + r^2 E_u (1 - u^2) h2^2, every factor held relative to exp(-(t^2+r^2)/2 + s) so that nothing
 *    under- or overflows (r = 8 gives about 1e-23; the log of the result is returned as well).
 * d = 1 gives exactly 0 (w and -w give the same target).
 */
import { InvalidArgumentError } from "../errors.js";
import { assertInteger, assertNonNegative, assertOptions, assertPositive, assertVector, snapshot } from "../validate.js";
import { gaussLegendre, lbeta, log0F1 } from "./special.js";
import { assertNumberArray } from "./args.js";
import * as dmath from "../math/detmath.js"; // deterministic exp/log/sin/... (same bits on every JS engine)

export interface CosExactArgs {
  /** Input dimension d >= 1. */
  dim: number;
  /** Radius r > 0 of the sphere the target direction w is uniform on. */
  radius: number;
  /** t = |θ| >= 0 (the statistics depend on θ only through its norm). */
  thetaNorm: number;
}

export interface CosExact {
  dim: number;
  radius: number;
  thetaNorm: number;
  /** Var_w ∇_θ F_w(θ) = E_w ||∇F_w - E_w ∇F_w||^2 (trace of the covariance), by the angular quadrature. */
  variance: number;
  /** ln of `variance` (finite even where `variance` underflows); -Infinity when the variance is exactly 0. */
  logVariance: number;
  /** The same quantity by the 0F1 closed form (independent evaluation; cancellation can cost a few digits). */
  varianceClosed: number;
  /** μ in E_w ∇F_w(θ) = -2 e^{-2t^2} θ + μ θ / t (quadrature). */
  meanCoefficient: number;
  /** μ by the closed form 2 E0 (t M1 - r (s/d) N1). */
  meanCoefficientClosed: number;
  /** E_w F_w(θ) (quadrature) and by closed form. */
  lossMean: number;
  lossMeanClosed: number;
  /** Var_w F_w(θ) (quadrature) and by closed form 4 E0^2 ((1 + M2)/2 - M1^2). */
  lossVariance: number;
  lossVarianceClosed: number;
  /** Theorem 3's constant for this family: G_θ^2 = E sin^2<θ,x> |x|^2 = d/2 - e^{-2t^2}(d - 4t^2)/2 (§4.3). */
  gradBound2: number;
}

/**
 * Largest s = |θ| r of the exact formulas: the 0F1 series of the closed form needs about 2 s terms before its terms
 * decrease (s = 1e5: about 40 ms), so beyond this a call would run for minutes (s = 1e9: 2e9 terms). At s = 1e5 the
 * variance is below e^{-1e4} anyway (logVariance still resolves it).
 */
export const MAX_EXACT_S = 1e5;

function checkArgs(name: string, a: CosExactArgs): void {
  assertOptions(name, a);
  if (a === undefined) throw new InvalidArgumentError(name, "an object { dim, radius, thetaNorm }", a);
  assertInteger(`${name}.dim`, a.dim, 1, 2 ** 24);
  assertPositive(`${name}.radius`, a.radius);
  assertNonNegative(`${name}.thetaNorm`, a.thetaNorm);
  const s = a.thetaNorm * a.radius;
  if (!(s <= MAX_EXACT_S)) throw new InvalidArgumentError(`${name}.thetaNorm * ${name}.radius`, `at most ${MAX_EXACT_S} (the exact formulas need about 2 |θ| r series terms)`, s);
}

/** Closed-form moments (PAPERS §4.5) in log space. */
function closedForm(d: number, r: number, t: number) {
  const s = t * r;
  const lE0 = -(t * t + r * r) / 2;
  const lM1 = log0F1(d / 2, s * s / 4), lN1 = log0F1(d / 2 + 1, s * s / 4);
  const lM2 = log0F1(d / 2, s * s), lN2 = log0F1(d / 2 + 1, s * s);
  const lM2m1 = log0F1(d / 2, s * s, 1); // ln(M2 - 1), no cancellation
  const lM1m1 = log0F1(d / 2, s * s / 4, 1); // ln(M1 - 1)
  const mu = 2 * t * dmath.exp(lE0 + lM1) - (2 * r * s / d) * dmath.exp(lE0 + lN1);
  // Rearranged so that the O(1) parts cancel analytically (t^2 [(1+M2)/2 - M1^2] = t^2 [(M2-1)/2 - (M1-1)(M1+1)]):
  // Var/4 = t^2 (P/2 - Q) + r^2 P/2 - (2 t r s/d) R - r^2 (s/d)^2 S with
  // P = E0^2 (M2 - 1), Q = E0^2 (M1 - 1)(M1 + 1), R = E0^2 (N2 - M1 N1), S = E0^2 N1^2.
  const EM1 = dmath.exp(lE0 + lM1), EN1 = dmath.exp(lE0 + lN1);
  const P = dmath.exp(2 * lE0 + lM2m1);
  const Q = dmath.exp(lE0 + lM1m1) * (dmath.exp(lE0) + EM1);
  const R = dmath.exp(2 * lE0 + lN2) - EM1 * EN1;
  const S = EN1 * EN1;
  const v = 4 * (t * t * (P / 2 - Q) + r * r * P / 2 - (2 * t * r * s / d) * R - r * r * (s / d) * (s / d) * S);
  const c0 = 1 + (dmath.exp(-2 * r * r) + dmath.exp(-2 * t * t)) / 2;
  const lossMean = c0 - 2 * EM1;
  const lossVar = 4 * (P / 2 - Q);
  return { mu, v, lossMean, lossVar };
}

const PANELS = 24;
const NODES = 32;
const SCAN = 2000;

/**
 * Angular quadrature (PAPERS §4.5). Integrals over φ in [0, π] with weight sin^{d-2} φ (normalised numerically, so
 * B(1/2,(d-1)/2) cancels). The interval is trimmed to where the log of the integrand's envelope
 * (d-2) ln sin φ + max(2s(cos φ - 1), -2s(cos φ + 1)) is within 90 of its maximum (the rest is < e^{-90} relative),
 * then covered by PANELS composite Gauss–Legendre panels of NODES nodes (spectral accuracy for these smooth integrands;
 * doubling both changes results by < 1e-15 relative in the tests).
 */
function quadrature(d: number, r: number, t: number) {
  const s = t * r;
  const L0 = -(t * t + r * r) / 2 + s; // every amplitude is exp(L0) * (normalised factor <= ~ (t + r))
  const env = (phi: number) => {
    const c = dmath.cos(phi);
    const ls = d === 2 ? 0 : (d - 2) * dmath.log(dmath.sin(phi));
    return ls + Math.max(2 * s * (c - 1), -2 * s * (c + 1));
  };
  let M = -Infinity;
  const E = new Float64Array(SCAN + 1);
  for (let k = 0; k <= SCAN; k++) {
    E[k] = k === 0 || k === SCAN ? (d === 2 ? env(k === 0 ? 0 : Math.PI) : -Infinity) : env(Math.PI * k / SCAN);
    if (E[k] > M) M = E[k];
  }
  let k0 = 0, k1 = SCAN;
  while (k0 < SCAN && !(E[k0] > M - 90)) k0++;
  while (k1 > 0 && !(E[k1] > M - 90)) k1--;
  const lo = Math.PI * Math.max(0, k0 - 1) / SCAN, hi = Math.PI * Math.min(SCAN, k1 + 1) / SCAN;
  const gl = gaussLegendre(NODES);
  const m = PANELS * NODES;
  const phi = new Float64Array(m), lw = new Float64Array(m), sinPhi = new Float64Array(m);
  let lwMax = -Infinity;
  const h = (hi - lo) / PANELS;
  for (let p = 0; p < PANELS; p++) {
    for (let i = 0; i < NODES; i++) {
      const f = lo + h * (p + (gl.x[i] + 1) / 2);
      const j = p * NODES + i;
      phi[j] = f;
      sinPhi[j] = dmath.sin(f);
      lw[j] = dmath.log(gl.w[i] * h / 2) + (d === 2 ? 0 : (d - 2) * dmath.log(sinPhi[j]));
      if (lw[j] > lwMax) lwMax = lw[j];
    }
  }
  // Pass 1: normalisation, means.
  let W = 0, mu = 0, mF = 0;
  const es = dmath.exp(-s); // loop invariant e^{-s}
  const h1 = new Float64Array(m), h2 = new Float64Array(m), cf = new Float64Array(m), wt = new Float64Array(m), sn2 = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const u = dmath.cos(phi[j]);
    const su = s * u;
    const a = dmath.exp(su - s), b = dmath.exp(-su - s);
    const amb = Math.abs(su) < 0.5 ? 2 * es * dmath.sinh(su) : a - b;
    // a + b = 2e^{-s} + apb1 with apb1 = 2e^{-s}(cosh(su) - 1) = 4e^{-s} sinh^2(su/2): the constant 2e^{-s} is split
    // off so that deviations from the mean (all the variance needs) carry no cancellation for small s u.
    const sh = Math.abs(su) < 1 ? dmath.sinh(su / 2) : 0; // only needed on that branch
    const apb1 = Math.abs(su) < 1 ? 4 * es * sh * sh : a + b - 2 * es;
    h1[j] = t * apb1 - r * u * amb; // h1 / e^{L0} minus the constant 2 t e^{-s}
    h2[j] = amb;
    cf[j] = apb1; // 2 E0 cosh(su) / e^{L0} minus the constant 2 e^{-s}
    const sn = sinPhi[j];
    sn2[j] = sn * sn;
    wt[j] = dmath.exp(lw[j] - lwMax);
    W += wt[j]; mu += wt[j] * h1[j]; mF += wt[j] * cf[j];
  }
  mu /= W; mF /= W;
  let v1 = 0, v2 = 0, vF = 0;
  for (let j = 0; j < m; j++) {
    const e = h1[j] - mu, g = cf[j] - mF;
    v1 += wt[j] * e * e;
    v2 += wt[j] * sn2[j] * h2[j] * h2[j];
    vF += wt[j] * g * g;
  }
  const Vn = (v1 + r * r * v2) / W;
  const c0 = 1 + (dmath.exp(-2 * r * r) + dmath.exp(-2 * t * t)) / 2;
  const e0 = dmath.exp(-s);
  return {
    variance: dmath.exp(2 * L0) * Vn,
    logVariance: Vn > 0 ? 2 * L0 + dmath.log(Vn) : -Infinity,
    mu: dmath.exp(L0) * (mu + 2 * t * e0),
    lossMean: c0 - dmath.exp(L0) * (mF + 2 * e0),
    lossVariance: dmath.exp(2 * L0) * vF / W,
  };
}

/**
 * Exact Var_w ∇_θ F_w(θ) and companions for the cos family under N(0, I_d) (PAPERS §4.3–4.5).
 *
 * Formula (closed form): Var = 4 E0^2 [ t^2 (1+M2)/2 + r^2 (M2-1)/2 - t r (2s/d) N2 ] - μ^2 with
 * M_k, N_k values of 0F1 (§4.5); primary value by the cancellation-free quadrature. Accuracy: the two agree to
 * <= 1e-13 relative on d in [2, 1000], r <= 8, t <= 2 (tested; PAPERS §4.9 quotes mpmath agreement <= 4e-14).
 * Special cases: d = 1 → exactly 0 (w and -w give identical targets); t = 0 → exactly 0 (∇F_w(0) = 0).
 * Deterministic (pure arithmetic); cost about 1e4 flops. PAPERS §4.5.
 */
export function gradVarianceExact(args: CosExactArgs): CosExact {
  args = snapshot(args, "args");
  checkArgs("args", args);
  const { dim: d, radius: r, thetaNorm: t } = args;
  const gradBound2 = d / 2 - dmath.exp(-2 * t * t) * (d - 4 * t * t) / 2;
  const c0 = 1 + (dmath.exp(-2 * r * r) + dmath.exp(-2 * t * t)) / 2;
  if (d === 1 || t === 0) {
    // d = 1: u = ±1 and F_w = F_{-w}; every w gives the same gradient. t = 0: ∇F_w(0) = 0 and F_w(0) = c0 - 2E0.
    const E0 = dmath.exp(-(t * t + r * r) / 2);
    const cosh = d === 1 || t === 0 ? dmath.cosh(t * r) : 1;
    const mu = d === 1 ? 2 * E0 * (t * dmath.cosh(t * r) - r * dmath.sinh(t * r)) : 0;
    return {
      dim: d, radius: r, thetaNorm: t, variance: 0, logVariance: -Infinity, varianceClosed: 0,
      meanCoefficient: mu, meanCoefficientClosed: mu,
      lossMean: c0 - 2 * E0 * cosh, lossMeanClosed: c0 - 2 * E0 * cosh, lossVariance: 0, lossVarianceClosed: 0, gradBound2,
    };
  }
  const q = quadrature(d, r, t);
  const c = closedForm(d, r, t);
  return {
    dim: d, radius: r, thetaNorm: t,
    variance: q.variance, logVariance: q.logVariance, varianceClosed: c.v,
    meanCoefficient: q.mu, meanCoefficientClosed: c.mu,
    lossMean: q.lossMean, lossMeanClosed: c.lossMean,
    lossVariance: q.lossVariance, lossVarianceClosed: c.lossVar,
    gradBound2,
  };
}

/**
 * E_w ∇_θ F_w(θ) = -2 e^{-2t^2} θ + μ θ / t (PAPERS §4.5), w uniform on r·S^{d-1}, x ~ N(0, I_d); zero-safe at θ = 0.
 * Shapes: θ has length d. Exact up to rounding (μ from the quadrature).
 */
export function meanGradientExact(args: { theta: Float64Array; radius: number }): Float64Array {
  args = snapshot(args, "args");
  assertOptions("args", args);
  assertVector("args.theta", args?.theta);
  assertPositive("args.radius", args.radius);
  const th = args.theta, d = th.length;
  let t2 = 0;
  for (let i = 0; i < d; i++) t2 += th[i] * th[i];
  const t = Math.sqrt(t2);
  const { meanCoefficient: mu } = gradVarianceExact({ dim: d, radius: args.radius, thetaNorm: t });
  const out = new Float64Array(d);
  const c = -2 * dmath.exp(-2 * t2) + (t > 0 ? mu / t : 0);
  for (let i = 0; i < d; i++) out[i] = c * th[i];
  return out;
}

/**
 * F_w(θ) = E_x (cos<θ,x> - cos<w,x>)^2 = 1 + (e^{-2|w|^2} + e^{-2|θ|^2})/2 - e^{-|θ-w|^2/2} - e^{-|θ+w|^2/2}
 * and ∇_θ F_w(θ) = -2 e^{-2|θ|^2} θ + θ (A + B) - w (A - B), A = e^{-|θ-w|^2/2}, B = e^{-|θ+w|^2/2} (PAPERS §4.3, §2.2:
 * the same formula is Eq. (3) with θ as the variable and w as w*). Exact up to rounding.
 * Shapes: θ and w are Float64Arrays or plain arrays of finite numbers with the same length d (d = 0 allowed).
 * Throws InvalidArgumentError naming `theta` or `w` (type, finite entries, `w.length` equal to `theta.length`).
 */
export function cosLossAndGradient(theta: ArrayLike<number>, w: ArrayLike<number>): { F: number; grad: Float64Array } {
  theta = snapshot(theta, "theta"); w = snapshot(w, "w");
  assertNumberArray("theta", theta);
  assertNumberArray("w", w, theta.length);
  return cosLossAndGradientRaw(theta, w);
}

/**
 * @internal cosLossAndGradient without validation, for internal loops whose inputs are already valid
 * (same arithmetic, same bits). Trusts: equal lengths, finite entries.
 */
export function cosLossAndGradientRaw(theta: ArrayLike<number>, w: ArrayLike<number>): { F: number; grad: Float64Array } {
  const d = theta.length;
  let t2 = 0, w2 = 0, dm = 0, dp = 0;
  for (let i = 0; i < d; i++) {
    t2 += theta[i] * theta[i]; w2 += w[i] * w[i];
    dm += dmath.sq(theta[i] - w[i]); dp += dmath.sq(theta[i] + w[i]);
  }
  const A = dmath.exp(-dm / 2), B = dmath.exp(-dp / 2), e = dmath.exp(-2 * t2);
  const F = 1 + (dmath.exp(-2 * w2) + e) / 2 - A - B;
  const grad = new Float64Array(d);
  for (let i = 0; i < d; i++) grad[i] = -2 * e * theta[i] + theta[i] * (A + B) - w[i] * (A - B);
  return { F, grad };
}

/** Validation shared with the public wrappers: a finite vector of length >= 1. */
export function assertTheta(name: string, th: unknown): asserts th is Float64Array {
  assertVector(name, th);
  if ((th as Float64Array).length < 1) throw new InvalidArgumentError(`${name}.length`, "a positive integer", 0);
}

