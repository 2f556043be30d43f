// Models area: natural weight families of PAPERS §3.2 — support, mean, variance, norms, covariance — with
// tolerances derived from the sampling distribution of each statistic (5 standard errors; the statistics are
// averages of N >= 10^4 i.i.d. terms, so the CLT applies and the two-sided tail of 5 SE is 6e-7 per check).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, EPS, throwsWith } from "./helpers.js";
import { InvalidArgumentError, sampleNaturalWeights, sampleNetwork, sampleConvNetwork, resolveFamily, type Matrix } from "../src/index.js";

function moments(x: ArrayLike<number>): { mean: number; m2: number; m4: number; N: number } {
  let s = 0, s2 = 0, s4 = 0;
  for (let i = 0; i < x.length; i++) { s += x[i]; s2 += x[i] ** 2; s4 += x[i] ** 4; }
  const N = x.length;
  return { mean: s / N, m2: s2 / N, m4: s4 / N, N };
}
function colNorms(W: Matrix): number[] {
  const out: number[] = [];
  for (let j = 0; j < W.cols; j++) { let s = 0; for (let i = 0; i < W.rows; i++) s += W.data[i * W.cols + j] ** 2; out.push(Math.sqrt(s)); }
  return out;
}

/**
 * For i.i.d. entries with variance v and fourth moment mu4: SE(mean) = sqrt(v / N), SE(mean of squares) =
 * sqrt((mu4 - v^2) / N) (mean-zero families). Checks: |mean| <= 5 SE, |m2 - v| <= 5 SE(m2) + N eps v.
 */
function checkIid(name: string, seed: number, x: Float64Array, v: number, mu4: number): void {
  const m = moments(x);
  const seMean = Math.sqrt(v / m.N);
  assert.ok(Math.abs(m.mean) <= 5 * seMean, `${name} seed ${seed}: mean ${m.mean} vs 0 (SE ${seMean})`);
  const se2 = Math.sqrt((mu4 - v * v) / m.N);
  // + N eps v: rounding of the running sum of N squares (matters when SE = 0, e.g. Rademacher).
  assert.ok(Math.abs(m.m2 - v) <= 5 * se2 + m.N * EPS * v, `${name} seed ${seed}: variance ${m.m2} vs ${v} (SE ${se2})`);
}

test("iid families: support, mean, variance with the documented default scalings (n = 50, 20000 entries)", async () => {
  const e = await engine();
  const n = 50, width = 400, seed = 17;
  // iid-normal, sigma = 1/sqrt(n): v = 1/n, mu4 = 3 v^2.
  const N1 = sampleNaturalWeights(e, { n, width, family: "iid-normal", seed });
  checkIid("iid-normal", seed, N1.data, 1 / n, 3 / n ** 2);
  // iid-uniform, a = sqrt(3/n): support [-a, a), v = a^2/3 = 1/n, mu4 = a^4/5.
  const a = Math.sqrt(3 / n);
  const U = sampleNaturalWeights(e, { n, width, family: "iid-uniform", seed });
  assert.ok(U.data.every((x) => x >= -a && x < a));
  checkIid("iid-uniform", seed, U.data, a * a / 3, a ** 4 / 5);
  // rademacher, a = 1/sqrt(n): |x| = a exactly, v = a^2, mu4 = a^4 (so SE(m2) = 0: m2 must equal a^2 up to rounding).
  const R = sampleNaturalWeights(e, { n, width, family: "rademacher", seed });
  assert.ok(R.data.every((x) => Math.abs(x) === 1 / Math.sqrt(n)));
  checkIid("rademacher", seed, R.data, 1 / n, 1 / n ** 2);
  // bernoulli(p): support {0,1}, mean p, SE sqrt(p(1-p)/N).
  for (const p of [0.5, 0.1]) {
    const B = sampleNaturalWeights(e, { n, width, family: { family: "bernoulli", p }, seed });
    assert.ok(B.data.every((x) => x === 0 || x === 1));
    const m = moments(B.data);
    assert.ok(Math.abs(m.mean - p) <= 5 * Math.sqrt(p * (1 - p) / m.N), `bernoulli(${p}) seed ${seed}: ${m.mean}`);
  }
});

test("B-N columns: default Sigma = I/n (E|w|^2 = 1), sigma option, user Sigma (sample covariance within 5 SE)", async () => {
  const e = await engine();
  const n = 40, width = 500, seed = 23;
  const W = sampleNaturalWeights(e, { n, width, seed });
  checkIid("normal default", seed, W.data, 1 / n, 3 / n ** 2);
  // Squared column norms: chi^2_n / n, mean 1, variance 2/n; average over width columns.
  const sq = colNorms(W).map((x) => x * x);
  const msq = sq.reduce((s, v) => s + v, 0) / width;
  assert.ok(Math.abs(msq - 1) <= 5 * Math.sqrt(2 / n / width), `seed ${seed}: E|w|^2 ${msq}`);
  const W2 = sampleNaturalWeights(e, { n, width, seed, family: { family: "normal", sigma: 2 } });
  checkIid("normal sigma 2", seed, W2.data, 4, 48);
  // User covariance (d = 3): Sigma_ij estimated by (1/width) sum_c w_ic w_jc, SE sqrt((S_ii S_jj + S_ij^2) / width).
  const S = { rows: 3, cols: 3, data: Float64Array.from([2, 0.5, -0.3, 0.5, 1, 0.2, -0.3, 0.2, 0.5]) };
  const wc = 20000;
  const C = sampleNaturalWeights(e, { n: 3, width: wc, seed, family: { family: "normal", cov: S } });
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    let s = 0;
    for (let c = 0; c < wc; c++) s += C.data[i * wc + c] * C.data[j * wc + c];
    const est = s / wc, Sij = S.data[3 * i + j];
    const se = Math.sqrt((S.data[4 * i] * S.data[4 * j] + Sij * Sij) / wc);
    assert.ok(Math.abs(est - Sij) <= 5 * se, `seed ${seed}: Sigma[${i},${j}] ${est} vs ${Sij}`);
  }
});

test("B-S sphere: every column has norm rho to (n/4 + 3) eps, entries mean 0 and variance rho^2/n", async () => {
  const e = await engine();
  const n = 30, width = 600, seed = 29;
  for (const rho of [1, Math.sqrt(n), 0.25]) {
    const W = sampleNaturalWeights(e, { n, width, seed, family: { family: "sphere", radius: rho } });
    for (const c of colNorms(W)) assert.ok(Math.abs(c - rho) <= 2 * (n / 4 + 3) * EPS * rho + n * EPS * rho, `rho ${rho}: ${c}`);
    // Entries of a uniform unit vector: variance 1/n, fourth moment 3/(n(n+2)).
    checkIid(`sphere rho=${rho}`, seed, W.data, rho * rho / n, 3 * rho ** 4 / (n * (n + 2)));
  }
});

test("networks and conv filters: determinism for a seed, substreams differ, defaults use the patch size", async () => {
  const e = await engine();
  const a = sampleNetwork(e, { n: 7, width: 5, seed: 3, bias: true });
  const b = sampleNetwork(e, { n: 7, width: 5, seed: 3, bias: true });
  assert.equal(Array.from(a.W.data), Array.from(b.W.data));
  assert.equal(Array.from(a.b!), Array.from(b.b!));
  const c = sampleNetwork(e, { n: 7, width: 5, seed: 4 });
  assert.not.equal(Array.from(a.W.data), Array.from(c.W.data));
  assert.is(resolveFamily("iid-uniform", 12).a, Math.sqrt(3 / 12));
  const conv = sampleConvNetwork(e, { n: 12, patch: 4, family: "rademacher", seed: 1 });
  assert.ok(Array.from(conv.w).every((x) => Math.abs(x) === 0.5));
  assert.is(conv.q, 3);
  throwsWith(() => sampleNaturalWeights(e, { n: 3, width: 2, seed: 1, family: { family: "bernoulli", p: 1.5 } }), InvalidArgumentError, "options.family.p must be a number in [0, 1]");
  throwsWith(() => sampleNaturalWeights(e, { n: 3, width: 2, seed: 1, family: { family: "normal", cov: { rows: 2, cols: 2, data: new Float64Array(4) } } }), InvalidArgumentError, "options.family.cov must be a matrix of shape 3 x 3");
  throwsWith(() => sampleNaturalWeights(e, { n: 3, width: 2, seed: -1 }), InvalidArgumentError, "options.seed");
});

test.run();
