/**
 * Closed forms under x ~ N(0, I_d) for ReLU networks (PAPERS §4.6, all [D]): test oracles and the "exact"
 * (population) evaluation mode of the models area. Vectors are Float64Arrays; networks have all-ones second layers
 * and weights as the COLUMNS of d x k matrices (PAPERS writes rows; the formulas are the same).
 */
import type { Matrix } from "../types.js";
import { InvalidArgumentError, OverflowError } from "../errors.js";
import { norm } from "../linalg/scale.js";
import { assertFiniteNumber, assertMatrix, assertVector, snapshot } from "../validate.js";
import * as dmath from "../math/detmath.js"; // deterministic exp/log/sin/... (same bits on every JS engine)

const SQRT2PI = Math.sqrt(2 * Math.PI);

/** Standard normal density phi_N(z) = exp(-z^2/2) / sqrt(2 pi). */
export function normalPdf(z: number): number {
  return dmath.exp(-0.5 * z * z) / SQRT2PI;
}

/**
 * erfc(x) for real x, relative error about 1e-15 for x <= 2 (absolute 1e-16) and 1e-15 relative beyond.
 * |x| < 2: erf x = (2/sqrt(pi)) e^{-x^2} sum_n (2x^2)^n x / (2n+1)!! (all terms positive, no cancellation;
 * Abramowitz & Stegun 7.1.6), erfc = 1 - erf. x >= 2: Lentz's continued fraction
 * erfc x = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) (A&S 7.1.14). Loops capped at 500 terms.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    const x2 = x * x;
    let term = x, sum = x;
    for (let n = 1; n < 500; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * dmath.exp(-x2) * sum;
  }
  if (x > 27) return 0;
  // Modified Lentz for f = x + a1/(x + a2/(x + ...)), a_n = n/2.
  const tiny = 1e-300;
  let f = x, C = x, D = 0;
  for (let n = 1; n < 500; n++) {
    const an = n / 2;
    D = x + an * D;
    D = D === 0 ? tiny : 1 / D;
    C = x + an / C;
    if (C === 0) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return dmath.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** Standard normal CDF Phi_N(z) = erfc(-z / sqrt 2) / 2 (relative error ~1e-15, also deep in the left tail). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}


/** Overflow policy: a closed form whose value does not fit in float64 is an OverflowError, never an Infinity. */
function fits(op: string, arg: string, v: number, value: unknown): number {
  if (!Number.isFinite(v)) {
    throw new OverflowError(op, arg, `vectors whose ${op} fits in float64 (|value| > ${Number.MAX_VALUE}; scale them down)`, value);
  }
  return v;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** `E relu(<w,x>) = |w| / sqrt(2 pi)` (PAPERS §4.6). Exact to rounding. Throws naming `w`. */
export function expectedRelu(w: Float64Array): number {
  w = snapshot(w, "w");
  assertVector("w", w);
  return norm(w) / SQRT2PI;
}

/**
 * `E relu(<w,x> + b) = |w| phi_N(b/|w|) + b Phi_N(b/|w|)` (PAPERS §4.6); for w = 0 it is relu(b).
 * Relative accuracy ~1e-14 everywhere: for b/|w| < -2 the cancelling form is replaced by the Mills-ratio continued
 * fraction (see the code). Throws naming `w`, `b`.
 */
export function expectedReluBias(w: Float64Array, b: number): number {
  w = snapshot(w, "w");
  assertVector("w", w);
  assertFiniteNumber("b", b);
  const s = norm(w);
  if (s === 0) return Math.max(b, 0);
  const t = b / s;
  // b / s overflowing to -Infinity (s subnormal, b < 0): the exact value s φ(|t|)(…) is far below the smallest double.
  if (t === -Infinity) return 0;
  if (t > -2) return s * normalPdf(t) + b * normalCdf(t);
  // Left tail, x = -t >= 2: s (phi(x) - x Q(x)) = s phi(x) (1 - x R(x)) with the Mills ratio
  // R(x) = Q(x)/phi(x) = 1/(x + c), c = 1/(x + 2/(x + 3/(x + ...))) (Laplace's continued fraction), so
  // 1 - x R(x) = c / (x + c) without cancellation.
  const x = -t;
  const c = 1 / millsTail(x);
  return s * normalPdf(x) * (c / (x + c));
}

/** T(x) = x + 2/(x + 3/(x + 4/(x + ...))) by the modified Lentz method (x >= 2: < 200 terms to 1e-16). */
function millsTail(x: number): number {
  const tiny = 1e-300;
  let f = x, C = x, D = 0;
  for (let n = 2; n < 5000; n++) {
    D = x + n * D;
    D = D === 0 ? tiny : 1 / D;
    C = x + n / C;
    if (C === 0) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return f;
}

/**
 * The arc-cosine kernel of order 1 (Cho & Saul 2009; PAPERS §4.6):
 * `kappa(a,b) = E[relu<a,x> relu<b,x>] = |a||b| (sin alpha + (pi - alpha) cos alpha) / (2 pi)`, alpha = angle(a,b).
 * kappa(a,a) = |a|^2/2, kappa(a,-a) = 0, kappa = 0 when a or b is 0. alpha from
 * Kahan's formula 2 atan2(|a^ - b^|, |a^ + b^|), accurate to ~1e-15 relative for every angle. Throws naming `a`, `b`, `b.length`.
 */
export function arcCosKernel(a: Float64Array, b: Float64Array): number {
  a = snapshot(a, "a"); b = snapshot(b, "b");
  assertVector("a", a);
  assertVector("b", b, a.length);
  return fits("arcCosKernel", "a, b", kappa(a, b), a);
}

function angleParts(a: ArrayLike<number>, b: ArrayLike<number>): { na: number; nb: number; alpha: number; sin: number; cos: number } {
  const na = norm(a), nb = norm(b);
  if (na === 0 || nb === 0) return { na, nb, alpha: Math.PI / 2, sin: 1, cos: 0 };
  // Kahan's angle formula alpha = 2 atan2(|a^ - b^|, |a^ + b^|) (a^ = a/|a|): accurate to ~eps for every alpha,
  // including alpha near 0 and pi where acos(<a^,b^>) loses half the digits.
  let dm = 0, dp = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] / na, y = b[i] / nb;
    dm += (x - y) * (x - y);
    dp += (x + y) * (x + y);
  }
  const alpha = 2 * dmath.atan2(Math.sqrt(dm), Math.sqrt(dp));
  return { na, nb, alpha, sin: dmath.sin(alpha), cos: dmath.cos(alpha) };
}

function kappa(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const { na, nb, alpha, sin, cos } = angleParts(a, b);
  if (na === 0 || nb === 0) return 0;
  const k = (na * nb * (sin + (Math.PI - alpha) * cos)) / (2 * Math.PI);
  // |a||b| may overflow where kappa (<= |a||b| / 2) does not: then the factor in [0, 1/2] is applied first.
  return Number.isFinite(k) ? k : na * (nb * ((sin + (Math.PI - alpha) * cos) / (2 * Math.PI)));
}

/**
 * Gradient of kappa in its second argument (PAPERS §4.6):
 * `grad_b kappa(a,b) = E[relu<a,x> 1{<b,x> > 0} x] = ((pi - alpha) a + |a| sin(alpha) b/|b|) / (2 pi)`;
 * grad_b kappa(b,b) = b/2. For a = 0 the gradient is 0; for b = 0 kappa is not differentiable and the zero vector is
 * returned by convention [E]. Accuracy ~1e-15 relative (Kahan's angle formula). Throws naming `a`, `b`.
 */
export function arcCosKernelGrad(a: Float64Array, b: Float64Array): Float64Array {
  a = snapshot(a, "a"); b = snapshot(b, "b");
  assertVector("a", a);
  assertVector("b", b, a.length);
  const g = kappaGrad(a, b);
  for (let i = 0; i < g.length; i++) fits("arcCosKernelGrad", "a, b", g[i], a);
  return g;
}

function kappaGrad(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const d = a.length, out = new Float64Array(d);
  const { na, nb, alpha, sin } = angleParts(a, b);
  if (na === 0 || nb === 0) return out;
  for (let i = 0; i < d; i++) {
    out[i] = ((Math.PI - alpha) * a[i] + (na * sin * b[i]) / nb) / (2 * Math.PI);
    // |a| b_i may overflow although |a| sin(alpha) b_i / |b| does not (|b_i| <= |b|): reorder only then.
    if (!Number.isFinite(out[i])) out[i] = ((Math.PI - alpha) / (2 * Math.PI)) * a[i] + (na * sin) * (b[i] / nb) / (2 * Math.PI);
  }
  return out;
}

function col(M: Matrix, j: number): Float64Array {
  const out = new Float64Array(M.rows);
  for (let i = 0; i < M.rows; i++) out[i] = M.data[i * M.cols + j];
  return out;
}

function checkPair(U: Matrix, V: Matrix): void {
  assertMatrix("U", U);
  assertMatrix("V", V);
  if (V.rows !== U.rows) throw new InvalidArgumentError("V.rows", `equal to U.rows (${U.rows})`, V.rows);
}

/**
 * Exact population loss between two all-ones depth-2 networks under N(0, I_d) (PAPERS §4.6):
 * `L(U,V) = E[(N_U(x) - N_V(x))^2] = sum_{i,i'} kappa(u_i,u_i') - 2 sum_{i,j} kappa(u_i,v_j) + sum_{j,j'} kappa(v_j,v_j')`.
 * U is d x k (target neurons as columns), V is d x k' (learner). Cost O((k + k')^2 d).
 * Accuracy: each kappa to ~1e-15 relative; the sum may cancel when V is close to U (absolute error
 * ~ eps (sum|kappa|)). No 1/2 factor. Throws naming `U`, `V`, `V.rows`.
 */
export function populationLoss(U: Matrix, V: Matrix): number {
  U = snapshot(U, "U"); V = snapshot(V, "V");
  checkPair(U, V);
  const us = Array.from({ length: U.cols }, (_, i) => col(U, i));
  const vs = Array.from({ length: V.cols }, (_, j) => col(V, j));
  let s = 0;
  for (const a of us) for (const b of us) s += kappa(a, b);
  for (const a of us) for (const b of vs) s -= 2 * kappa(a, b);
  for (const a of vs) for (const b of vs) s += kappa(a, b);
  return fits("populationLoss", "U, V", s, U);
}

/**
 * Gradient of {@link populationLoss} in the learner's neurons (PAPERS §4.6):
 * `grad_{v_j} L = 2 sum_{j'} grad_b kappa(v_j', v_j) - 2 sum_i grad_b kappa(u_i, v_j)` (the j' = j term is v_j).
 * Returns a d x k' matrix (column j = grad wrt v_j), matching V's layout. Throws like populationLoss.
 */
export function populationLossGrad(U: Matrix, V: Matrix): Matrix {
  U = snapshot(U, "U"); V = snapshot(V, "V");
  checkPair(U, V);
  const d = U.rows, k2 = V.cols;
  const us = Array.from({ length: U.cols }, (_, i) => col(U, i));
  const vs = Array.from({ length: k2 }, (_, j) => col(V, j));
  const out = new Float64Array(d * k2);
  for (let j = 0; j < k2; j++) {
    const g = new Float64Array(d);
    for (const vp of vs) { const t = kappaGrad(vp, vs[j]); for (let p = 0; p < d; p++) g[p] += 2 * t[p]; }
    for (const u of us) { const t = kappaGrad(u, vs[j]); for (let p = 0; p < d; p++) g[p] -= 2 * t[p]; }
    for (let p = 0; p < d; p++) out[p * k2 + j] = fits("populationLossGrad", "U, V", g[p], U);
  }
  return { rows: d, cols: k2, data: out };
}

/**
 * `E[ [relu<w,x>]_[0,1] ] = s (phi_N(0) - phi_N(1/s)) + 1 - Phi_N(1/s)`, s = |w| (PAPERS §4.6, k = 1 of Shamir's
 * clipped class); 0 for w = 0. Relative accuracy ~1e-14. Throws naming `w`.
 */
export function expectedClippedRelu(w: Float64Array): number {
  w = snapshot(w, "w");
  assertVector("w", w);
  const s = norm(w);
  if (s === 0) return 0;
  // phi(0) - phi(1/s) = -phi(0) expm1(-1/(2 s^2)): no cancellation for large s.
  return -s * normalPdf(0) * dmath.expm1(-0.5 / (s * s)) + normalCdf(-1 / s);
}
