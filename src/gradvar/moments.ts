/**
 * Closed-form moments beyond the standard Gaussian (PAPERS §4.1, §4.7):
 *  - cos / sin moments of a Gaussian mixture sum_i α_i N(μ_i, Σ_i), and Eq. (3)'s F and ∇F under it;
 *  - Gaussian moments of the triangle wave T(z) = 2|z - round z| (period 1), by its Fourier series.
 */
import { InvalidArgumentError } from "../errors.js";
import { exponentOf, ldexp } from "../linalg/scale.js";
import type { Matrix } from "../types.js";
import { assertMatrix, assertOptions, assertVector, snapshot } from "../validate.js";
import * as dmath from "../math/detmath.js"; // deterministic exp/log/sin/... (same bits on every JS engine)

export interface GaussianMixture {
  /** K weights α_i >= 0 (normalised internally). */
  weights: Float64Array;
  /** K x d means. */
  means: Matrix;
  /** K covariance matrices d x d. */
  covs: Matrix[];
}

function checkMixture(name: string, m: GaussianMixture, d: number): number[] {
  assertOptions(name, m);
  if (m === undefined) throw new InvalidArgumentError(name, "an object { weights, means, covs }", m);
  assertVector(`${name}.weights`, m.weights);
  const K = m.weights.length;
  assertMatrix(`${name}.means`, m.means);
  if (m.means.rows !== K) throw new InvalidArgumentError(`${name}.means.rows`, `equal to ${name}.weights.length (${K})`, m.means.rows);
  if (m.means.cols !== d) throw new InvalidArgumentError(`${name}.means.cols`, `equal to the dimension (${d})`, m.means.cols);
  if (!Array.isArray(m.covs) || m.covs.length !== K) throw new InvalidArgumentError(`${name}.covs`, `an array of ${K} matrices`, m.covs);
  m.covs.forEach((c, i) => {
    assertMatrix(`${name}.covs[${i}]`, c);
    if (c.rows !== d || c.cols !== d) throw new InvalidArgumentError(`${name}.covs[${i}].rows`, `equal to ${d} (square d x d)`, c.rows);
    // Necessary conditions of a covariance (positive semidefinite, symmetric): a negative variance would make
    // exp(-θᵀΣθ/2) overflow instead of being a characteristic function.
    for (let a = 0; a < d; a++) {
      const v = c.data[a * d + a];
      if (!(v >= 0)) throw new InvalidArgumentError(`${name}.covs[${i}].data[${a * d + a}]`, "a variance >= 0 (a covariance matrix is positive semidefinite)", v);
      for (let b = 0; b < a; b++) {
        if (c.data[a * d + b] !== c.data[b * d + a]) {
          throw new InvalidArgumentError(`${name}.covs[${i}].data[${a * d + b}]`, `equal to its transpose entry ${c.data[b * d + a]} (a covariance matrix is symmetric)`, c.data[a * d + b]);
        }
      }
    }
  });
  let tot = 0;
  for (let i = 0; i < K; i++) {
    if (!(m.weights[i] >= 0)) throw new InvalidArgumentError(`${name}.weights[${i}]`, "a finite number >= 0", m.weights[i]);
    tot += m.weights[i];
  }
  if (!(tot > 0)) throw new InvalidArgumentError(`${name}.weights`, "nonnegative with a positive sum", m.weights);
  return Array.from(m.weights, (w) => w / tot);
}

/**
 * C(v) = E cos<v,x> = sum_i α_i cos(<v,μ_i>) e^{-v^TΣ_i v/2}, S(v) = E sin<v,x> (same with sin), and
 * ∇C(v) = -sum_i α_i e^{-v^TΣ_i v/2} [ sin(<v,μ_i>) μ_i + cos(<v,μ_i>) Σ_i v ]. PAPERS §4.1. Exact up to rounding.
 */
export function mixtureCosMoments(v: Float64Array, mix: GaussianMixture): { C: number; S: number; gradC: Float64Array } {
  v = snapshot(v, "v"); mix = snapshot(mix, "mix");
  assertVector("v", v);
  const d = v.length;
  const al = checkMixture("mixture", mix, d);
  let C = 0, S = 0;
  const g = new Float64Array(d);
  const Sv = new Float64Array(d);
  for (let i = 0; i < al.length; i++) {
    const mu = mix.means.data.subarray(i * d, i * d + d), Sig = mix.covs[i].data;
    let vm = 0, q = 0;
    for (let a = 0; a < d; a++) {
      vm += v[a] * mu[a];
      let s = 0;
      for (let b = 0; b < d; b++) s += Sig[a * d + b] * v[b];
      Sv[a] = s;
      q += v[a] * s;
    }
    const e = dmath.exp(-q / 2), cs = dmath.cos(vm), sn = dmath.sin(vm);
    C += al[i] * cs * e;
    S += al[i] * sn * e;
    for (let a = 0; a < d; a++) g[a] -= al[i] * e * (sn * mu[a] + cs * Sv[a]);
  }
  return { C, S, gradC: g };
}

/** Eq. (3) under a Gaussian mixture: F(w) = 1 + (C(2w*) + C(2w))/2 - C(w - w*) - C(w + w*). PAPERS §4.1. */
export function eq3MixtureLoss(w: Float64Array, wStar: Float64Array, mix: GaussianMixture): number {
  w = snapshot(w, "w"); wStar = snapshot(wStar, "wStar"); mix = snapshot(mix, "mix");
  assertVector("w", w);
  assertVector("wStar", wStar, w.length);
  const d = w.length;
  const v = (f: (i: number) => number) => Float64Array.from({ length: d }, (_, i) => f(i));
  return 1 + (mixtureCosMoments(v((i) => 2 * wStar[i]), mix).C + mixtureCosMoments(v((i) => 2 * w[i]), mix).C) / 2
    - mixtureCosMoments(v((i) => w[i] - wStar[i]), mix).C - mixtureCosMoments(v((i) => w[i] + wStar[i]), mix).C;
}

/** ∇F(w) = ∇C(2w) - ∇C(w - w*) - ∇C(w + w*) (Eq. (3) under a mixture). PAPERS §4.1. */
export function eq3MixtureGradient(w: Float64Array, wStar: Float64Array, mix: GaussianMixture): Float64Array {
  w = snapshot(w, "w"); wStar = snapshot(wStar, "wStar"); mix = snapshot(mix, "mix");
  assertVector("w", w);
  assertVector("wStar", wStar, w.length);
  const d = w.length;
  const v = (f: (i: number) => number) => Float64Array.from({ length: d }, (_, i) => f(i));
  const a = mixtureCosMoments(v((i) => 2 * w[i]), mix).gradC;
  const b = mixtureCosMoments(v((i) => w[i] - wStar[i]), mix).gradC;
  const c = mixtureCosMoments(v((i) => w[i] + wStar[i]), mix).gradC;
  return v((i) => a[i] - b[i] - c[i]);
}

/**
 * Gaussian moments of the triangle wave T(z) = 2|z - round z| = 1/2 - sum_{n odd} c_n cos(2π n z), c_n = 4/(π^2 n^2),
 * x ~ N(0, I) (PAPERS §4.7):
 *   E T<a,x> = 1/2 - sum_{n odd} c_n e^{-2π^2 n^2 |a|^2}
 *   E T<a,x> T<b,x> = 1/4 - (1/2) sum c_n (e^{-2π^2n^2|a|^2} + e^{-2π^2n^2|b|^2})
 *                     + sum_{n,m odd} c_n c_m (e^{-2π^2|na - mb|^2} + e^{-2π^2|na + mb|^2})/2.
 * Single series are summed until the exponential factor is below 1e-20 (accuracy ~1e-15 for |a| >= 0.01); the double
 * series runs over n, m <= max(401, ...) (its near-collinear terms decay only like c_n c_m: truncation <= ~1e-9).
 */
export function triangleMoments(a: Float64Array, b?: Float64Array): { ET_a: number; ET_b?: number; ETT?: number } {
  a = snapshot(a, "a"); b = snapshot(b, "b");
  assertVector("a", a);
  if (b !== undefined) assertVector("b", b, a.length);
  const d = a.length;
  let a2 = 0, b2 = 0, ab = 0;
  for (let i = 0; i < d; i++) { a2 += a[i] * a[i]; if (b) { b2 += b[i] * b[i]; ab += a[i] * b[i]; } }
  // Overflow: huge |a|, |b| (> ~1e154) make a2, b2, ab infinite and n^2 a2 + m^2 b2 - 2 n m ab = Inf - Inf = NaN.
  // Then the quadratic forms are formed on 2^-e a, 2^-e b and scaled back by 4^e (each exponential is then 0,
  // or 1 for an exactly cancelling pair, as in exact arithmetic). e = 0 otherwise: the same bits as before.
  let e2 = 0;
  if (!Number.isFinite(a2) || !Number.isFinite(b2) || !Number.isFinite(ab)) {
    let amax = 0;
    for (let i = 0; i < d; i++) amax = Math.max(amax, Math.abs(a[i]), b ? Math.abs(b[i]) : 0);
    const e = exponentOf(amax);
    a2 = 0; b2 = 0; ab = 0;
    for (let i = 0; i < d; i++) {
      const x = ldexp(a[i], -e), y = b ? ldexp(b[i], -e) : 0;
      a2 += x * x; b2 += y * y; ab += x * y;
    }
    e2 = 2 * e;
  }
  const q = (v: number) => (e2 === 0 ? v : ldexp(v, e2));
  const c = (n: number) => 4 / (Math.PI * Math.PI * n * n);
  const K2 = 2 * Math.PI * Math.PI;
  const single = (s2: number) => {
    let acc = 0;
    for (let n = 1; n < 2_000_001; n += 2) {
      const e = dmath.exp(-K2 * n * n * q(s2));
      acc += c(n) * e;
      if (e < 1e-20) break;
    }
    return acc;
  };
  const ET_a = 0.5 - single(a2);
  if (!b) return { ET_a };
  const ET_b = 0.5 - single(b2);
  let dbl = 0;
  const N = (s2: number) => Math.min(20001, Math.ceil(Math.sqrt(46 / (K2 * Math.max(q(s2), 1e-12)))) + 2);
  // Near-collinear n a ≈ m b terms do not decay exponentially (only like c_n c_m), so never stop before 401:
  // the neglected tail is then <= sum_{n > 401} c_n^2 · O(1) ≈ 1e-9.
  const Na = Math.max(N(a2), 401), Nb = Math.max(N(b2), 401);
  for (let n = 1; n <= Na; n += 2) {
    for (let m = 1; m <= Nb; m += 2) {
      const dm = q(n * n * a2 + m * m * b2 - 2 * n * m * ab), dp = q(n * n * a2 + m * m * b2 + 2 * n * m * ab);
      dbl += c(n) * c(m) * (dmath.exp(-K2 * dm) + dmath.exp(-K2 * dp)) / 2;
    }
  }
  const ETT = 0.25 - 0.5 * (single(a2) + single(b2)) + dbl;
  return { ET_a, ET_b, ETT };
}
