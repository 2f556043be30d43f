// Models area: closed forms under N(0, I) (PAPERS §4.6) against independent oracles: 1-D / angular
// quadrature on the smooth pieces (composite Simpson, error O(h^4), far below the 1e-11 tolerances), reference
// values of erfc, exact identities, finite differences, and Monte Carlo with the engine's normals (z <= 5).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, testRng, EPS, throwsWith } from "./helpers.js";
import {
  InvalidArgumentError, expectedRelu, expectedReluBias, arcCosKernel, arcCosKernelGrad, expectedClippedRelu, populationLoss,
  reluNetForward, clippedReluNet,
} from "../src/index.js";
import { erfc, normalCdf } from "../src/models/closed_forms.js";

/** Composite Simpson on [a, b] with n (even) intervals. */
function simpson(f: (x: number) => number, a: number, b: number, n = 4000): number {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}
const phi = (z: number) => Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
function vec(d: number, seed: number, scale = 1): Float64Array {
  const r = testRng(seed);
  return Float64Array.from({ length: d }, () => scale * (2 * r() - 1));
}
const norm = (v: Float64Array) => Math.hypot(...Array.from(v));

test("erfc / Phi against reference values (relative <= 1e-14, A&S 7.1 / mpmath)", () => {
  const ref: [number, number][] = [
    [0, 1], [0.1, 0.8875370839817151], [0.5, 0.4795001221869535], [1, 0.15729920705028513], [1.5, 0.033894853524689274],
    [2, 0.004677734981047266], [3, 2.209049699858544e-5], [5, 1.5374597944280349e-12], [10, 2.088487583762545e-45],
    [-1, 1.8427007929497148],
  ];
  for (const [x, v] of ref) assert.ok(Math.abs(erfc(x) - v) <= 1e-14 * v, `erfc(${x}) = ${erfc(x)} vs ${v}`);
  assert.ok(Math.abs(normalCdf(-8) - 6.22096057427178e-16) <= 1e-14 * 6.22e-16);
});

test("E relu<w,x> and E relu(<w,x> + b) against Simpson quadrature on the positive part", () => {
  for (const [d, seed, b] of [[1, 1, 0], [3, 2, 0.7], [10, 3, -1.3], [5, 4, 4], [2, 5, -6], [4, 6, -2.5], [3, 7, -20]] as const) {
    const w = vec(d, seed, 1.5), s = norm(w);
    assert.ok(Math.abs(expectedRelu(w) - s / Math.sqrt(2 * Math.PI)) <= 2 * EPS * s);
    // E relu(s z + b) = int_{-b/s}^{inf} (s z + b) phi(z) dz. The integrand decays like exp(-max(z0,1) (z - z0)), so
    // integrate over a length L = 40 / max(z0, 1) (neglected tail < e^-40 relative) with h = L / 20000; Simpson's
    // error h^4 max|f''''| / 180 ~ (40/20000)^4 / 180 ~ 1e-13 relative.
    const z0 = -b / s;
    const q = simpson((z) => (s * z + b) * phi(z), z0, z0 + 40 / Math.max(z0, 1), 20000);
    const got = expectedReluBias(w, b);
    assert.ok(Math.abs(got - q) <= 1e-11 * Math.max(q, 1e-300) + 1e-300, `seed ${seed}: ${got} vs ${q}`);
  }
  assert.is(expectedReluBias(new Float64Array(3), 2), 2);
  assert.is(expectedReluBias(new Float64Array(3), -2), 0);
});

test("arc-cosine kernel: angular quadrature, kappa(a,a) = |a|^2/2, kappa(a,-a) = 0, symmetry, grad vs FD, grad(b,b) = b/2", () => {
  for (const [d, seed] of [[2, 1], [3, 2], [8, 3], [20, 4]] as const) {
    const a = vec(d, seed), b = vec(d, seed + 50, 2);
    const na = norm(a), nb = norm(b);
    let c = 0;
    for (let i = 0; i < d; i++) c += a[i] * b[i];
    const alpha = Math.acos(Math.max(-1, Math.min(1, c / (na * nb))));
    // kappa = (1/pi) int relu(|a| cos t) relu(|b| cos(t - alpha)) dt over the arc where both are positive.
    const q = simpson((t) => na * Math.cos(t) * nb * Math.cos(t - alpha), alpha - Math.PI / 2, Math.PI / 2, 4000) / Math.PI;
    const k = arcCosKernel(a, b);
    assert.ok(Math.abs(k - q) <= 1e-11 * Math.abs(q) + 1e-15, `seed ${seed}: kappa ${k} vs quadrature ${q}`);
    assert.ok(Math.abs(k - arcCosKernel(b, a)) <= 4 * EPS * Math.abs(k));
    assert.ok(Math.abs(arcCosKernel(a, a) - (na * na) / 2) <= 8 * EPS * na * na);
    assert.ok(Math.abs(arcCosKernel(a, a.map((v) => -v))) <= 8 * EPS * na * na);
    // grad_b kappa vs central differences (h = 1e-6, error ~ h^2 + eps/h ~ 1e-10 relative).
    const g = arcCosKernelGrad(a, b), h = 1e-6;
    for (let i = 0; i < d; i++) {
      const bp = b.slice(), bm = b.slice();
      bp[i] += h; bm[i] -= h;
      const fd = (arcCosKernel(a, bp) - arcCosKernel(a, bm)) / (2 * h);
      assert.ok(Math.abs(fd - g[i]) <= 1e-8 * (norm(g) + 1), `seed ${seed} coord ${i}: ${fd} vs ${g[i]}`);
    }
    const gbb = arcCosKernelGrad(b, b);
    for (let i = 0; i < d; i++) assert.ok(Math.abs(gbb[i] - b[i] / 2) <= 8 * EPS * nb);
  }
  // Nearly parallel vectors: Kahan's angle keeps the gradient accurate (acos would lose half the digits).
  const a = Float64Array.from([1, 0, 0]), b = Float64Array.from([1, 1e-9, 0]);
  const g = arcCosKernelGrad(a, b);
  // g_1 = sin(alpha) (b_1/|b|) / (2 pi) with alpha = b_1/|b| = 1e-9 to 1e-27: acos(<a^,b^>) = acos(1) would give 0.
  const want = (1e-9 * 1e-9) / (2 * Math.PI);
  assert.ok(Math.abs(g[1] - want) <= 1e-14 * want, `near-parallel gradient ${g[1]} vs ${want}`);
});

test("E clip01(relu<w,x>) (k = 1 of Shamir's class) against quadrature, and by MC through the WASM clipped net", async () => {
  for (const s of [0.1, 0.5, 1.17, 3, 20]) {
    const w = Float64Array.from([s * 0.6, -s * 0.8]);
    const q = simpson((z) => s * z * phi(z), 0, 1 / s, 4000) + simpson(phi, 1 / s, 1 / s + 40, 20000);
    const got = expectedClippedRelu(w);
    assert.ok(Math.abs(got - q) <= 1e-11 * q, `|w| = ${s}: ${got} vs ${q}`);
  }
  const e = await engine();
  const seed = 77, N = 400000, d = 3;
  const W = { rows: d, cols: 1, data: Float64Array.from([0.9, -0.4, 0.5]) };
  const X = { rows: N, cols: d, data: e.rng(seed).normal(N * d) };
  const v = clippedReluNet(e, W, X);
  let mu = 0, m2 = 0;
  for (const x of v) { mu += x / N; m2 += (x * x) / N; }
  const se = Math.sqrt((m2 - mu * mu) / N), exact = expectedClippedRelu(W.data);
  assert.ok(Math.abs(mu - exact) <= 5 * se, `seed ${seed}: MC ${mu} vs ${exact} (se ${se})`);
});

test("population loss L(U,V) by Monte Carlo through the WASM networks (z <= 5); L(U,U) = 0; L >= 0", async () => {
  const e = await engine();
  const d = 4, seed = 91, N = 400000;
  const U = { rows: d, cols: 3, data: vec(d * 3, seed) }, V = { rows: d, cols: 2, data: vec(d * 2, seed + 1) };
  const X = { rows: N, cols: d, data: e.rng(seed).normal(N * d) };
  const fu = reluNetForward(e, { W: U }, X), fv = reluNetForward(e, { W: V }, X);
  let mu = 0, m2 = 0;
  for (let i = 0; i < N; i++) { const r = (fu[i] - fv[i]) ** 2; mu += r / N; m2 += (r * r) / N; }
  const se = Math.sqrt((m2 - mu * mu) / N), L = populationLoss(U, V);
  assert.ok(L >= 0);
  assert.ok(Math.abs(mu - L) <= 5 * se, `seed ${seed}: MC ${mu} vs L ${L} (se ${se})`);
  assert.ok(Math.abs(populationLoss(U, U)) <= 1e-14 * 9);
  throwsWith(() => populationLoss(U, { rows: 3, cols: 2, data: new Float64Array(6) }), InvalidArgumentError, "V.rows must be equal to U.rows (4)");
  throwsWith(() => arcCosKernel(new Float64Array(2), new Float64Array(3)), InvalidArgumentError, "b.length must be 2");
});

test.run();
