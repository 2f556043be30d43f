/**
 * Special functions for the exact gradient-variance oracles (PAPERS §4.4–4.5): log-gamma, the confluent
 * hypergeometric limit function 0F1 in log space, and Gauss–Legendre nodes by Newton's method on P_m.
 * Pure TypeScript: these are cheap (microseconds) and run once per configuration.
 */
import { ConvergenceError } from "../errors.js";
import * as dmath from "../math/detmath.js"; // deterministic exp/log/sin/... (same bits on every JS engine)

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/**
 * ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error about 1e-15 in the result's magnitude).
 * Half-integers and integers (the only arguments used here: d/2, (d-1)/2) are exact to a few ulp.
 */
export function lgamma(x: number): number {
  if (x < 0.5) return dmath.log(Math.PI / dmath.sin(Math.PI * x)) - lgamma(1 - x);
  // Exact small integers and half-integers by the product form (keeps d <= 60 to ulp accuracy).
  if (x <= 30 && Number.isInteger(2 * x)) {
    let v = Number.isInteger(x) ? 1 : Math.sqrt(Math.PI);
    let y = Number.isInteger(x) ? 1 : 0.5;
    while (y < x - 0.25) { v *= y; y += 1; }
    return dmath.log(v);
  }
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * dmath.log(2 * Math.PI) + (z + 0.5) * dmath.log(t) - t + dmath.log(a);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b). */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** A value held as scale * 2^0 * exp(logScale); `log` = ln(value). value may underflow; log never does. */
export interface LogValue { value: number; log: number }

/**
 * ln 0F1(; b; z) for b > 0, z >= 0, by the positive series sum_k z^k / ((b)_k k!) with rescaling
 * (no overflow for any z). `skip` = number of leading terms dropped (skip = 1 gives 0F1 - 1 without
 * cancellation). Stops when a term is below 1e-17 of the sum and k > 2 sqrt(z) + 2 (terms decrease from there on).
 * Iteration cap 10^6 + 4 sqrt(z): reaching it (impossible for finite input) throws ConvergenceError.
 */
export function log0F1(b: number, z: number, skip = 0): number {
  if (!(z >= 0) || !(b > 0)) return NaN;
  if (z === 0) return skip === 0 ? 0 : -Infinity;
  let term = 1, sum = skip === 0 ? 1 : 0, scale = 0;
  const kmin = 2 * Math.sqrt(z) + 2;
  const cap = 1e6 + 4 * Math.sqrt(z);
  for (let k = 0; k < cap; k++) {
    term *= z / ((b + k) * (k + 1));
    if (k + 1 >= skip) sum += term;
    if (sum > 1e250) { sum *= 1e-250; term *= 1e-250; scale += 250 * Math.LN10; }
    if (k > kmin && term < 1e-17 * sum) return dmath.log(sum) + scale;
    if (!Number.isFinite(term)) break;
  }
  throw new ConvergenceError("0F1 series", cap, `b = ${b}, z = ${z}`);
}

/** 0F1(; b; z) (may overflow to Infinity for huge z; use log0F1 there). */
export function hyp0f1(b: number, z: number): number {
  return dmath.exp(log0F1(b, z));
}

export interface GaussRule { x: Float64Array; w: Float64Array }
const glCache = new Map<number, GaussRule>();

/**
 * Gauss–Legendre rule on [-1, 1] with m nodes: nodes are the roots of P_m found by Newton's method from
 * the Tricomi initial guess cos(pi (i - 1/4)/(m + 1/2)); weights 2 / ((1 - x^2) P_m'(x)^2). Exact for polynomials
 * of degree <= 2m - 1. Newton is capped at 100 steps per node (it converges in <= 6 from this guess).
 */
export function gaussLegendre(m: number): GaussRule {
  const hit = glCache.get(m);
  if (hit) return hit;
  const x = new Float64Array(m), w = new Float64Array(m);
  for (let i = 0; i < Math.ceil(m / 2); i++) {
    let z = dmath.cos(Math.PI * (i + 0.75) / (m + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1, p1 = z;
      for (let k = 2; k <= m; k++) { const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k; p0 = p1; p1 = p2; }
      if (m === 1) { p1 = z; p0 = 1; }
      dp = m * (z * p1 - p0) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) <= 1e-16 * Math.max(1, Math.abs(z))) break;
    }
    {
      // Final derivative at the converged node.
      let p0 = 1, p1 = z;
      for (let k = 2; k <= m; k++) { const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k; p0 = p1; p1 = p2; }
      dp = m === 1 ? 1 : m * (z * p1 - p0) / (z * z - 1);
    }
    x[i] = -z; x[m - 1 - i] = z;
    const wi = 2 / ((1 - z * z) * dp * dp);
    w[i] = wi; w[m - 1 - i] = wi;
  }
  if (m % 2 === 1) x[(m - 1) / 2] = 0;
  const rule = { x, w };
  glCache.set(m, rule);
  return rule;
}
