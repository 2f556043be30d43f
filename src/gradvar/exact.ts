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
import { gaussLegendre, log0F1 } from "./special.js";
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

/** Supported range of gradVarianceExact: d <= 1e6, s = r |θ| <= 1e6, r and |θ| <= 1e150 (their squares stay finite). */
export const MAX_DIM = 1_000_000;
export const MAX_S = 1e6;
export const MAX_NORM = 1e150;
/**
 * Smallest nonzero s = r |θ| the exact values support: for small s the variance scales like s^2 (times smooth
 * factors), and below about 1e-50 its log-space evaluation underflows (s = 1e-100 gave logVariance = -Infinity
 * instead of a finite value near -460, and s = 1e-160 a ConvergenceError in the 0F1 series). θ = 0 (and d = 1) stay
 * supported: there the variance is exactly 0 and logVariance is exactly -Infinity (log 0).
 */
export const MIN_S = 1e-40;
/** The largest s = r |θ| the exact values support (callers leave `exact` undefined beyond it). */
export const MAX_EXACT_S = MAX_S;

function checkArgs(name: string, a: CosExactArgs): void {
  assertOptions(name, a);
  if (a === undefined) throw new InvalidArgumentError(name, "an object { dim, radius, thetaNorm }", a);
  assertInteger(`${name}.dim`, a.dim, 1, MAX_DIM);
  assertPositive(`${name}.radius`, a.radius);
  assertNonNegative(`${name}.thetaNorm`, a.thetaNorm);
  if (!(a.radius <= MAX_NORM)) throw new InvalidArgumentError(`${name}.radius`, `at most ${MAX_NORM} (supported range of the exact values)`, a.radius);
  if (!(a.thetaNorm <= MAX_NORM)) throw new InvalidArgumentError(`${name}.thetaNorm`, `at most ${MAX_NORM} (supported range of the exact values)`, a.thetaNorm);
  if (a.thetaNorm !== 0 && !(a.radius * a.thetaNorm >= MIN_S)) {
    throw new InvalidArgumentError(`${name}.radius * ${name}.thetaNorm`, `0 (θ = 0) or at least ${MIN_S} (supported range of the exact values)`, a.radius * a.thetaNorm);
  }
  if (!(a.radius * a.thetaNorm <= MAX_S)) {
    throw new InvalidArgumentError(`${name}.radius * ${name}.thetaNorm`, `at most ${MAX_S} (supported range of the exact values: d <= ${MAX_DIM}, r |θ| <= ${MAX_S})`, a.radius * a.thetaNorm);
  }
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
  const v = 4 * (t * t * (P / 2 - Q) + r * r * (P / 2) - (2 * t * r * s / d) * R - r * r * ((s / d) * (s / d) * S)); // S, P first: r² may be ~1e300
  const c0 = 1 + (dmath.exp(-2 * r * r) + dmath.exp(-2 * t * t)) / 2;
  const lossMean = c0 - 2 * EM1;
  const lossVar = 4 * (P / 2 - Q);
  return { mu, v, lossMean, lossVar };
}

/** Composite Gauss–Legendre: panels x nodes on each integration interval. */
const PANELS = 32;
const NODES = 32;
/** An integrand is kept where its log is within T_DROP of its maximum (the rest is < e^{-80} relative). */
const T_DROP = 80;
/** Largest s = r |θ| for the centred method (its amplitudes e^{s(u-1)} stay above e^{-2s}, far from underflow). */
const S_CENTRED_MAX = 300;

/** ln sin φ on [0, π], accurate to a few ulp also near π/2 (where it is tiny and (d-2) ln sin φ is O(1) for huge d). */
function logSin(phi: number): number {
  if (phi > Math.PI / 4 && phi < 3 * Math.PI / 4) {
    const h = dmath.sin((Math.PI / 2 - phi) / 2); // π/2 - φ is exact here (Sterbenz)
    return dmath.log1p(-2 * h * h);
  }
  return dmath.log(dmath.sin(phi));
}

/** ln of the angular weight times e^{k s (cos φ - 1)}: G_k(φ) = (d-2) ln sin φ - 2 k s sin²(φ/2) (all terms <= 0). */
function G(d: number, ks: number, phi: number): number {
  const h = dmath.sin(phi / 2);
  return (d === 2 ? 0 : (d - 2) * logSin(phi)) - 2 * ks * h * h;
}

/**
 * The interval of [0, π] where G_k is within T_DROP of its maximum. G_k is concave with its maximum at
 * cos φ* = 2ks / ((d-2) + sqrt((d-2)² + 4k²s²)) (π/2 for k s = 0), so each side is found by bisection.
 */
function region(d: number, ks: number): { lo: number; hi: number; peak: number; Gmax: number } {
  if (d === 2 && ks === 0) return { lo: 0, hi: Math.PI, peak: 0, Gmax: 0 };
  const c = ks === 0 ? 0 : 2 * ks / ((d - 2) + Math.sqrt((d - 2) * (d - 2) + 4 * ks * ks));
  const peak = c >= 1 ? 0 : c === 0 ? Math.PI / 2 : dmath.atan2(Math.sqrt((1 - c) * (1 + c)), c);
  const Gmax = G(d, ks, peak);
  const side = (a: number, b: number) => { // a: the end of [0, π], b: the peak; returns the last point below the drop
    if (G(d, ks, a) >= Gmax - T_DROP) return a;
    for (let it = 0; it < 80; it++) { const m = (a + b) / 2; if (G(d, ks, m) >= Gmax - T_DROP) b = m; else a = m; }
    return a;
  };
  const lo = peak === 0 ? 0 : side(0, peak);
  const hi = side(Math.PI, peak);
  return { lo, hi, peak, Gmax };
}

/** Nodes and weights of composite Gauss–Legendre on [lo, hi]. */
function nodes(lo: number, hi: number): { phi: Float64Array; w: Float64Array } {
  const gl = gaussLegendre(NODES);
  const m = PANELS * NODES;
  const phi = new Float64Array(m), w = new Float64Array(m);
  const h = (hi - lo) / PANELS;
  for (let p = 0; p < PANELS; p++) {
    for (let i = 0; i < NODES; i++) {
      phi[p * NODES + i] = lo + h * (p + (gl.x[i] + 1) / 2);
      w[p * NODES + i] = gl.w[i] * h / 2;
    }
  }
  return { phi, w };
}

/**
 * Σ_i w_i e^{G_k(φ_i) - G_k*} f_j(φ_i) for several f_j on the region of G_k, and G_k*: ∫ e^{G_k} f_j = e^{G_k*} · sum_j.
 */
function integrate(d: number, ks: number, fs: ((phi: number) => number)[]): { Gmax: number; sums: number[] } {
  const R = region(d, ks);
  const { phi, w } = nodes(R.lo, R.hi);
  const sums = fs.map(() => 0);
  for (let i = 0; i < phi.length; i++) {
    const e = w[i] * dmath.exp(G(d, ks, phi[i]) - R.Gmax);
    if (e === 0) continue;
    for (let j = 0; j < fs.length; j++) sums[j] += e * fs[j](phi[i]);
  }
  return { Gmax: R.Gmax, sums };
}

/**
 * Separated-moment evaluation (PAPERS §4.5 rewritten with u → -u symmetry):
 *   Var = 2 E0² E[(t² + r² - 2tru) e^{2su}] + 2 E0² (t² - r²) - μ²,   μ = 2 E0 E[(t - ru) e^{su}],
 * each expectation a separate integral over φ placed where its own integrand lives (e^{2su} concentrates near u = 1
 * with width ~ 1/s, the weight sin^{d-2} φ near u = 0 with width ~ 1/√d), held in log space. t² + r² - 2tru =
 * (t - r)² + 4 s sin²(φ/2) and t - ru = (t - r) + 2 r sin²(φ/2) carry no cancellation; E0 e^{s} = e^{-(t-r)²/2}.
 * Accurate where μ² is well below the first term (the exponential weights separate), i.e. large s or s² ≫ d.
 */
function separated(d: number, r: number, t: number) {
  const s = t * r, tr = t - r;
  const sh2 = (phi: number) => { const h = dmath.sin(phi / 2); return h * h; };
  const I0 = integrate(d, 0, [() => 1]);
  const I1 = integrate(d, s, [(p) => tr + 2 * r * sh2(p), () => 1]);
  const I2 = integrate(d, 2 * s, [(p) => tr * tr + 4 * s * sh2(p), () => 1]);
  const l0 = I0.Gmax + dmath.log(I0.sums[0]);
  // E[q e^{2s(u-1)}] = e^{lS2}, E[(t - ru) e^{s(u-1)}] = ±e^{lS1}; the factors e^{-(t-r)²} cancel analytically in the
  // ratios below (no difference of two huge exponents is ever formed).
  const lS2 = I2.Gmax - l0 + dmath.log(I2.sums[0]);
  const lS1 = I1.Gmax - l0 + dmath.log(Math.abs(I1.sums[0]));
  const lX = dmath.log(2) - tr * tr + lS2; // ln 2E0² E[q e^{2su}]
  const lmu = dmath.log(2) - tr * tr / 2 + lS1; // ln |μ| (μ itself may underflow while μ² / X does not)
  const mu = Math.sign(I1.sums[0]) * dmath.exp(lmu);
  const c = (t * t - r * r) * dmath.exp(-2 * s - lS2); // 2E0²(t² - r²) / X
  const m2 = I1.sums[0] === 0 ? 0 : dmath.exp(dmath.log(2) + 2 * lS1 - lS2); // μ² / X
  const rest = c - m2;
  const logVariance = lX + dmath.log1p(rest);
  const EM1 = 2 * I1.sums[1] * dmath.exp(-tr * tr / 2 + I1.Gmax - l0); // 2 E0 M1
  const E2M2 = 2 * I2.sums[1] * dmath.exp(-tr * tr + I2.Gmax - l0); // 2 E0² M2
  const c0 = 1 + (dmath.exp(-2 * r * r) + dmath.exp(-2 * t * t)) / 2;
  return {
    variance: dmath.exp(logVariance), logVariance, mu,
    lossMean: c0 - EM1, lossVariance: 2 * dmath.exp(-(t * t + r * r)) + E2M2 - EM1 * EM1,
    /** Cancellation of the subtraction: |rest| (1 = total loss); small when the method is accurate. */
    cancellation: Math.abs(rest),
  };
}

/**
 * Centred angular quadrature (PAPERS §4.5) for small s: u = cos φ with weight sin^{d-2} φ (normalised numerically),
 * Var = E_u (h1 - μ)² + r² E_u (1 - u²) h2², every factor held relative to exp(-(t²+r²)/2 + s), the constant part of
 * h1 split off so that deviations from the mean carry no cancellation for small s u. Nodes cover the union of the
 * regions of the weight and of e^{±2su} sin^{d-2} φ.
 */
function centred(d: number, r: number, t: number) {
  const s = t * r;
  const L0 = -(t * t + r * r) / 2 + s;
  const R0 = region(d, 0), R2 = region(d, 2 * s);
  const lo = Math.min(R0.lo, R2.lo), hi = Math.max(R0.hi, Math.PI - R2.lo);
  const { phi, w } = nodes(lo, hi);
  const m = phi.length;
  let W = 0, mu = 0, mF = 0;
  const es = dmath.exp(-s);
  const h1 = new Float64Array(m), h2 = new Float64Array(m), cf = new Float64Array(m), wt = new Float64Array(m), sn2 = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const u = dmath.cos(phi[j]);
    const su = s * u;
    const a = dmath.exp(su - s), b = dmath.exp(-su - s);
    const amb = Math.abs(su) < 0.5 ? 2 * es * dmath.sinh(su) : a - b;
    const sh = Math.abs(su) < 1 ? dmath.sinh(su / 2) : 0;
    const apb1 = Math.abs(su) < 1 ? 4 * es * sh * sh : a + b - 2 * es;
    h1[j] = t * apb1 - r * u * amb; // h1 / e^{L0} minus the constant 2 t e^{-s}
    h2[j] = amb;
    cf[j] = apb1;
    const sn = dmath.sin(phi[j]);
    sn2[j] = sn * sn;
    wt[j] = w[j] * dmath.exp(G(d, 0, phi[j]) - R0.Gmax);
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
  return {
    variance: dmath.exp(2 * L0) * Vn,
    logVariance: Vn > 0 ? 2 * L0 + dmath.log(Vn) : -Infinity,
    mu: dmath.exp(L0) * (mu + 2 * t * es),
    lossMean: c0 - dmath.exp(L0) * (mF + 2 * es),
    lossVariance: dmath.exp(2 * L0) * vF / W,
  };
}

/** The accurate one of the two methods: separated moments unless their subtraction cancels (then centred, small s). */
function quadrature(d: number, r: number, t: number) {
  const sep = separated(d, r, t);
  if (sep.cancellation <= 0.5 || t * r > S_CENTRED_MAX) return sep;
  return centred(d, r, t);
}

/**
 * Exact Var_w ∇_θ F_w(θ) and companions for the cos family under N(0, I_d) (PAPERS §4.3–4.5).
 *
 * Formula (closed form): Var = 4 E0^2 [ t^2 (1+M2)/2 + r^2 (M2-1)/2 - t r (2s/d) N2 ] - μ^2 with
 * M_k, N_k values of 0F1 (§4.5); primary value by quadrature: separated moments (each integral on the region where
 * its own integrand lives, in log space) or, where their subtraction would cancel (small s, s² ≲ d), the centred form.
 * Accuracy: within 1e-12 relative of 120-digit mpmath references (`variance` where it is a normal double,
 * `logVariance` everywhere) for d <= 1e6 and s = r |θ| <= 1e6 (test/gradvar-exact-ref.test.ts). Outside that range
 * (d > 1e6, r |θ| > 1e6, r or |θ| > 1e150): InvalidArgumentError naming the supported range. `varianceClosed` can lose
 * digits to cancellation (about log10(s/d) of them for s ≫ d).
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

