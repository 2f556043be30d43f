// Models area: networks, conv networks, targets, halfspace encoding, Proposition 1, Theorem 2's M,
// Lemma 1's span test, periodic targets, distributions, K-SAT. Oracles: exact integer identities, naive JS
// references, closed forms (PAPERS §4), and invariants. Randomized tests print their seed on failure.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, testRng, gauss, EPS, throwsWith } from "./helpers.js";
import {
  InvalidArgumentError, reluNetForward, convNetForward, convToDense, sampleConvNetwork, clippedReluNet,
  encodeHalfspaces, decodeHalfspaces, halfspacesForward, appendOnes, booleanCube, checkHalfspaceEncoding,
  augmentIndependent, padZeros, transferMatrix, spanTest, periodicTarget, periodicTargetForward, samplePeriodicTarget,
  psiFunction, distributions, randomKSat, plantedKSat, clauseViolationNeuron, clauseViolated, hideAssignment,
  violatedFraction, smallestSingularValue, type Matrix, type ReluNet,
} from "../src/index.js";

/** Naive JS reference of sum_j a_j relu(<w_j,x> + b_j), also returning sum_j |a_j| (|<w_j,x>| + |b_j|) for tolerances. */
function naiveNet(net: ReluNet, X: Matrix, clip = false): { y: Float64Array; mag: Float64Array } {
  const d = net.W.rows, k = net.W.cols, y = new Float64Array(X.rows), mag = new Float64Array(X.rows);
  for (let t = 0; t < X.rows; t++) {
    let s = 0, g = 0;
    for (let j = 0; j < k; j++) {
      let z = net.b ? net.b[j] : 0, za = net.b ? Math.abs(net.b[j]) : 0;
      for (let p = 0; p < d; p++) { z += X.data[t * d + p] * net.W.data[p * k + j]; za += Math.abs(X.data[t * d + p] * net.W.data[p * k + j]); }
      const a = net.a ? net.a[j] : 1;
      s += a * Math.max(0, z);
      g += Math.abs(a) * za;
    }
    y[t] = clip ? Math.min(1, Math.max(0, s)) : s;
    mag[t] = g;
  }
  return { y, mag };
}

test("reluNet: odd sizes, bias, second layer and clip agree with the naive loop within (d + k + 2) eps sum|a||w||x|", async () => {
  const e = await engine();
  for (const [m, d, k] of [[1, 1, 1], [3, 2, 7], [17, 33, 5], [300, 7, 3], [513, 4, 129]]) {
    const seed = 1000 * m + 10 * d + k;
    const W = gauss(d, k, seed), X = gauss(m, d, seed + 1);
    const b = gauss(1, k, seed + 2).data, a = gauss(1, k, seed + 3).data;
    for (const net of [{ W }, { W, b }, { W, b, a }] as ReluNet[]) {
      for (const clip of [false, true]) {
        const got = reluNetForward(e, net, X, { clip });
        const ref = naiveNet(net, X, clip);
        for (let t = 0; t < m; t++) {
          const tol = (d + k + 2) * EPS * ref.mag[t] + 1e-300;
          assert.ok(Math.abs(got[t] - ref.y[t]) <= tol, `seed ${seed} m=${m} d=${d} k=${k} row ${t}: ${got[t]} vs ${ref.y[t]}`);
        }
      }
    }
  }
  assert.equal(reluNetForward(e, { W: gauss(3, 2, 1) }, { rows: 0, cols: 3, data: new Float64Array(0) }).length, 0);
});

test("reluNet: positive homogeneity N_{cW}(x) = c N_W(x) = N_W(cx) for c = 2^j (exact in binary)", async () => {
  const e = await engine();
  const W = gauss(9, 6, 5), X = gauss(40, 9, 6);
  const y = reluNetForward(e, { W }, X);
  const y2 = reluNetForward(e, { W: { ...W, data: W.data.map((v) => 4 * v) } }, X);
  const y3 = reluNetForward(e, { W }, { ...X, data: X.data.map((v) => 0.25 * v) });
  for (let t = 0; t < 40; t++) { assert.is(y2[t], 4 * y[t]); assert.is(y3[t], y[t] / 4); }
});

test("conv net equals the block-diagonal dense net within 2 p eps sum|w||x| (PAPERS §3.3)", async () => {
  const e = await engine();
  for (const [p, q, m] of [[1, 1, 3], [3, 4, 17], [5, 7, 300], [16, 3, 2]]) {
    const seed = 100 * p + q;
    const { w, dense } = sampleConvNetwork(e, { n: p * q, patch: p, seed });
    assert.is(dense.W.rows, p * q);
    assert.is(dense.W.cols, q);
    const X = gauss(m, p * q, seed + 1);
    const c = convNetForward(e, w, X), dn = reluNetForward(e, dense, X), ref = naiveNet(dense, X);
    for (let t = 0; t < m; t++) {
      const tol = 2 * p * EPS * ref.mag[t] + 1e-300;
      assert.ok(Math.abs(c[t] - dn[t]) <= tol, `seed ${seed}: conv ${c[t]} dense ${dn[t]}`);
    }
  }
  const dense = convToDense(Float64Array.from([1, 2]), 3);
  assert.equal(Array.from(dense.W.data), [1, 0, 0, 2, 0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 1, 0, 0, 2]);
});

test("halfspaces <-> 1 - clipped ReLU: exhaustive over {0,1}^d for every d <= 10, 200 instances each, 0 mismatches", async () => {
  const e = await engine();
  let total = 0;
  for (let d = 1; d <= 10; d++) {
    const r = checkHalfspaceEncoding(e, { dim: d, instances: 200, seed: 77 + d });
    assert.is(r.checked, 200 * 2 ** d);
    assert.is(r.mismatches, 0, `d=${d} seed ${77 + d}`);
    assert.ok(r.positiveFraction > 0.05 && r.positiveFraction < 0.95, `d=${d}: labels are not trivial (${r.positiveFraction})`);
    total += r.checked;
  }
  assert.is(total, 200 * (2 ** 11 - 2));
  // Larger weights, up to 12 halfspaces.
  const r = checkHalfspaceEncoding(e, { dim: 8, instances: 300, seed: 5, maxK: 12, maxWeight: 50 });
  assert.is(r.mismatches, 0);
});

test("halfspace encoding: hand example, decode(encode(H)) == H, strict inequality convention", async () => {
  const e = await engine();
  // h(x) = 1{x0 + x1 - 1 > 0} AND 1{-x2 + 1 > 0}  ==  x0 AND x1 AND NOT x2
  const H = { W: { rows: 3, cols: 2, data: Float64Array.from([1, 0, 1, 0, 0, -1]) }, b: Float64Array.from([-1, 1]) };
  const X = booleanCube(3);
  const h = halfspacesForward(H, X);
  for (let t = 0; t < 8; t++) assert.is(h[t], (t & 1) && (t & 2) && !(t & 4) ? 1 : 0);
  const net = encodeHalfspaces(H);
  assert.equal(Array.from(net.W.data), [-1, 0, -1, 0, 0, 1, 2, 0]);
  const f = clippedReluNet(e, net.W, appendOnes(X));
  for (let t = 0; t < 8; t++) assert.is(1 - f[t], h[t]);
  const back = decodeHalfspaces(net);
  assert.equal(Array.from(back.W.data), Array.from(H.W.data));
  assert.equal(Array.from(back.b), Array.from(H.b));
});

test("Proposition 1: W~^T x~ = W^T x, s_min(W~) = sqrt(1 + s_min(W)^2) >= 1, column norms grow by <= 1", async () => {
  const e = await engine();
  for (const [d, k, seed] of [[5, 3, 1], [10, 10, 2], [3, 6, 3], [20, 4, 4]]) {
    const W = gauss(d, k, seed);
    const Wt = augmentIndependent(W);
    assert.is(Wt.rows, d + k);
    const X = gauss(25, d, seed + 9);
    const a = reluNetForward(e, { W }, X), b = reluNetForward(e, { W: Wt }, padZeros(X, k));
    const ref = naiveNet({ W }, X);
    for (let t = 0; t < 25; t++) assert.ok(Math.abs(a[t] - b[t]) <= 2 * (d + k) * EPS * ref.mag[t], `seed ${seed}`);
    const smin = smallestSingularValue(e, Wt);
    assert.ok(smin >= 1 - 4 * (d + k) * EPS, `seed ${seed}: s_min ${smin}`);
    const s0 = d >= k ? smallestSingularValue(e, W) : 0;
    assert.ok(Math.abs(smin - Math.sqrt(1 + s0 * s0)) <= 1e-13 * smin * (d + k), `seed ${seed}: ${smin} vs ${Math.sqrt(1 + s0 * s0)}`);
    for (let j = 0; j < k; j++) {
      let n0 = 0, n1 = 0;
      for (let p = 0; p < d; p++) n0 += W.data[p * k + j] ** 2;
      for (let p = 0; p < d + k; p++) n1 += Wt.data[p * k + j] ** 2;
      assert.ok(Math.sqrt(n1) <= Math.sqrt(n0) + 1 + 1e-15);
    }
  }
  // Integer data: labels of the clipped net are bit-identical.
  const r = testRng(9);
  const H = { W: { rows: 6, cols: 3, data: Float64Array.from({ length: 18 }, () => Math.floor(7 * r()) - 3) }, b: Float64Array.from([1, 2, 0]) };
  const net = encodeHalfspaces(H);
  const X = appendOnes(booleanCube(6));
  const f1 = clippedReluNet(e, net.W, X), f2 = clippedReluNet(e, augmentIndependent(net.W), padZeros(X, 3));
  assert.equal(Array.from(f1), Array.from(f2));
});

test("Theorem 2: W^T M = W'^T to c d k eps ||W'|| cond(W); labels transfer; ||M|| <= ||W'||/s_min(W) + 1", async () => {
  const e = await engine();
  const d0 = 6, k = 3, d = d0 + 1 + k;
  for (const seed of [11, 12, 13]) {
    const r = testRng(seed);
    // Hard instance W' (Proposition 1 applied to an encoded integer halfspace intersection).
    const H = { W: { rows: d0, cols: k, data: Float64Array.from({ length: d0 * k }, () => Math.floor(7 * r()) - 3) }, b: Float64Array.from({ length: k }, () => Math.floor(5 * r()) - 1) };
    const Wp = augmentIndependent(encodeHalfspaces(H).W);
    const W = gauss(d, k, seed + 100);
    const M = transferMatrix(W, Wp);
    const svd = e.svd(W), svdP = e.svd(Wp), svdM = e.svd(M);
    const condW = svd.S[0] / svd.S[k - 1];
    // W^T M vs W'^T
    let err = 0;
    for (let j = 0; j < k; j++) for (let c = 0; c < d; c++) {
      let s = 0;
      for (let p = 0; p < d; p++) s += W.data[p * k + j] * M.data[p * d + c];
      err = Math.max(err, Math.abs(s - Wp.data[c * k + j]));
    }
    assert.ok(err <= 10 * d * k * EPS * svdP.S[0] * condW, `seed ${seed}: ||W^T M - W'^T|| = ${err}`);
    assert.ok(svdM.S[0] <= svdP.S[0] / svd.S[k - 1] + 1 + 1e-12, `seed ${seed}: ||M|| bound`);
    assert.ok(svdM.S[d - 1] > 0, "M invertible");
    // Labels: x' in {0,1}^d0 x {1} x {0}^k, x = M x'  (rows: X = X' M^T).
    const Xp = padZeros(appendOnes(booleanCube(d0)), k);
    const X = e.matmul(Xp, M, { transB: true });
    const fTarget = clippedReluNet(e, Wp, Xp), fFixed = clippedReluNet(e, W, X);
    const h = halfspacesForward(H, booleanCube(d0));
    for (let t = 0; t < Xp.rows; t++) {
      assert.is(1 - fTarget[t], h[t]);
      assert.ok(Math.abs(fFixed[t] - fTarget[t]) <= 1e-12, `seed ${seed} row ${t}: ${fFixed[t]} vs ${fTarget[t]}`);
      assert.is(fFixed[t] > 0.5 ? 1 : 0, fTarget[t]);
    }
  }
  throwsWith(() => transferMatrix(gauss(4, 2, 1), { rows: 4, cols: 2, data: new Float64Array(8) }), InvalidArgumentError, "Wp must be a matrix with linearly independent columns");
  throwsWith(() => transferMatrix(gauss(4, 2, 1), gauss(5, 2, 2)), InvalidArgumentError, "Wp.rows must be equal to W.rows (4)");
});

test("Lemma 1 span test: full-rank data spans everything, fewer samples leave fresh points outside", async () => {
  const X = gauss(30, 8, 1), fresh = gauss(50, 8, 2);
  const a = spanTest(X, fresh);
  assert.is(a.rank, 8);
  assert.is(a.outside, 0);
  const b = spanTest(gauss(5, 8, 3), fresh);
  assert.is(b.rank, 5);
  assert.is(b.fraction, 1);
  // Points inside the span (combinations of the rows) are inside.
  const Xs = gauss(3, 6, 4);
  const inside = { rows: 2, cols: 6, data: new Float64Array(12) };
  for (let p = 0; p < 6; p++) { inside.data[p] = Xs.data[p] + 2 * Xs.data[6 + p]; inside.data[6 + p] = Xs.data[12 + p] - Xs.data[p]; }
  assert.is(spanTest(Xs, inside).outside, 0);
  // Cube data: the bound E[fraction] <= d/(m+1) (Lemma 1), checked on average over 40 repetitions.
  const e = await engine();
  let mean = 0;
  const d = 6, m = 20;
  for (let rep = 0; rep < 40; rep++) {
    const rng = e.rng(900 + rep);
    mean += spanTest(rng.cube01(m, d), rng.cube01(200, d)).fraction / 40;
  }
  assert.ok(mean <= d / (m + 1), `mean fraction ${mean} > d/(m+1)`);
});

test("periodic targets: psi values, |w| = r, evaluation, and E cos<w,x> = exp(-r^2/2) (PAPERS §4.1) by MC", async () => {
  const e = await engine();
  const T = psiFunction("triangle"), S = psiFunction("sawtooth");
  assert.is(T(0), 0); assert.is(T(0.5), 1); assert.is(T(0.25), 0.5); assert.is(T(-1.25), 0.5); assert.is(T(3), 0);
  assert.is(S(0), 0); assert.is(S(0.25), 0.25); assert.is(S(-0.25), 0.75); assert.is(S(2.5), 0.5);
  const tgt = periodicTarget({ direction: Float64Array.from([3, 4]), r: 2, psi: "triangle" });
  assert.ok(Math.abs(Math.hypot(tgt.w[0], tgt.w[1]) - 2) <= 4 * EPS);
  const X = gauss(20, 2, 3);
  const y = periodicTargetForward(e, tgt, X);
  for (let t = 0; t < 20; t++) {
    const z = tgt.w[0] * X.data[2 * t] + tgt.w[1] * X.data[2 * t + 1];
    assert.ok(Math.abs(y[t] - T(z)) <= 2 * 4 * EPS * (Math.abs(z) + 1));
  }
  const zero = periodicTarget({ direction: Float64Array.from([0, 0]), r: 0, psi: "cos" });
  assert.equal(Array.from(periodicTargetForward(e, zero, X)), new Array(20).fill(1));
  const seed = 31, N = 200000, r = 1.3;
  const tc = samplePeriodicTarget(e, { d: 5, r, psi: "cos", seed });
  const Xg = { rows: N, cols: 5, data: e.rng(seed + 1).normal(5 * N) };
  const v = periodicTargetForward(e, tc, Xg);
  let mean = 0, m2 = 0;
  for (const x of v) { mean += x / N; m2 += (x * x) / N; }
  const se = Math.sqrt((m2 - mean * mean) / N);
  assert.ok(Math.abs(mean - Math.exp(-r * r / 2)) <= 5 * se, `seed ${seed}: ${mean} vs ${Math.exp(-r * r / 2)} (se ${se})`);
});

test("distributions: finite support frequencies, zero-weight points never drawn, push-forward, cubes, sphere, gaussian", async () => {
  const e = await engine();
  const pts = { rows: 4, cols: 2, data: Float64Array.from([0, 0, 1, 0, 0, 1, 1, 1]) };
  const w = Float64Array.from([1, 0, 2, 1]);
  const D = distributions.finiteSupport(pts, w);
  const N = 40000, seed = 4;
  const S = D.sample(e.rng(seed), N);
  const counts = [0, 0, 0, 0];
  for (let t = 0; t < N; t++) counts[S.data[2 * t] + 2 * S.data[2 * t + 1]]++;
  assert.is(counts[1], 0);
  for (const [i, p] of [[0, 0.25], [2, 0.5], [3, 0.25]] as const) {
    assert.ok(Math.abs(counts[i] / N - p) <= 5 * Math.sqrt(p * (1 - p) / N), `seed ${seed}: point ${i} freq ${counts[i] / N}`);
  }
  assert.equal(Array.from(D.sample(e.rng(seed), 10).data), Array.from(D.sample(e.rng(seed), 10).data));
  const M = gauss(3, 2, 8);
  const P = distributions.pushForward(e, D, M);
  const Xp = D.sample(e.rng(5), 7), X = P.sample(e.rng(5), 7);
  for (let t = 0; t < 7; t++) for (let i = 0; i < 3; i++) {
    const ref = M.data[2 * i] * Xp.data[2 * t] + M.data[2 * i + 1] * Xp.data[2 * t + 1];
    assert.ok(Math.abs(X.data[3 * t + i] - ref) <= 4 * EPS * (Math.abs(M.data[2 * i]) + Math.abs(M.data[2 * i + 1])));
  }
  const c = distributions.cube01(5).sample(e.rng(1), 100);
  assert.ok(c.data.every((v) => v === 0 || v === 1));
  const pm = distributions.cubePM1(5).sample(e.rng(1), 100);
  assert.ok(pm.data.every((v) => v === -1 || v === 1));
  const sp = distributions.sphere(4, 3).sample(e.rng(2), 50);
  for (let t = 0; t < 50; t++) {
    const n = Math.hypot(...Array.from(sp.data.subarray(4 * t, 4 * t + 4)));
    assert.ok(Math.abs(n - 3) <= 3 * (4 / 4 + 3) * EPS * 4);
  }
  const mu = Float64Array.from([1, -2]);
  const G = distributions.gaussian({ mean: mu, sd: 0.5 }).sample(e.rng(3), 20000);
  for (let p = 0; p < 2; p++) {
    let s = 0;
    for (let t = 0; t < 20000; t++) s += G.data[2 * t + p];
    assert.ok(Math.abs(s / 20000 - mu[p]) <= 5 * 0.5 / Math.sqrt(20000));
  }
  const mix = distributions.gaussianMixture({ weights: Float64Array.from([1, 3]), means: { rows: 2, cols: 1, data: Float64Array.from([-5, 5]) }, covs: [{ rows: 1, cols: 1, data: Float64Array.from([1]) }, { rows: 1, cols: 1, data: Float64Array.from([1]) }] });
  const Xm = mix.sample(e.rng(6), 10000);
  let pos = 0;
  for (const v of Xm.data) pos += v > 0 ? 1 : 0;
  assert.ok(Math.abs(pos / 10000 - 0.75) <= 5 * Math.sqrt(0.75 * 0.25 / 10000));
});

test("K-SAT toy (inspired by RSAT, not the paper's reduction): violation neuron, planted vs random, sign hiding", async () => {
  const e = await engine();
  const n = 30, K = 3, m = 4000;
  const rnd = randomKSat(e, { n, K, m, seed: 1 });
  for (let c = 0; c < m; c++) {
    const vs = new Set(Array.from(rnd.vars.subarray(c * K, c * K + K)));
    assert.is(vs.size, K);
    for (const v of vs) assert.ok(v >= 0 && v < n);
  }
  const psi = e.rng(2).rademacher(n, 1);
  const neuron = clauseViolationNeuron(rnd, psi);
  for (let c = 0; c < m; c++) assert.is(neuron[c], clauseViolated(rnd, c, psi));
  const frac = violatedFraction(rnd, psi), p = 2 ** -K;
  assert.ok(Math.abs(frac - p) <= 5 * Math.sqrt(p * (1 - p) / m), `random fraction ${frac} vs 2^-K`);
  const { formula, psi: planted } = plantedKSat(e, { n, K, m: 500, seed: 3 });
  assert.is(violatedFraction(formula, planted), 0);
  const hid = hideAssignment(e, { formula: rnd, psi, seed: 4 });
  for (let j = 0; j < n; j++) assert.is(Math.sign(hid.net.W.data[j]), psi[j]);
  for (let c = 0; c < m; c++) assert.ok(Math.abs(hid.labels[c] - neuron[c]) <= 4 * (K + 1) * EPS * K, `clause ${c}`);
  const hp = hideAssignment(e, { formula, psi: planted, seed: 5 });
  assert.ok(hp.labels.every((v) => v <= 4 * (K + 1) * EPS * K));
});

test("bad inputs give typed errors naming the argument; the engine still works after", async () => {
  const e = await engine();
  const W = gauss(4, 3, 1), X = gauss(5, 4, 2);
  throwsWith(() => reluNetForward(e, { W }, gauss(5, 3, 1)), InvalidArgumentError, "X.cols must be equal to the network input dimension (4)");
  throwsWith(() => reluNetForward(e, { W: { rows: 4, cols: 0, data: new Float64Array(0) } }, X), InvalidArgumentError, "net.W.cols must be a positive integer");
  throwsWith(() => reluNetForward(e, { W: { ...W, data: W.data.map((v, i) => (i === 5 ? NaN : v)) } }, X), InvalidArgumentError, "net.W.data[5] must be a finite number");
  throwsWith(() => reluNetForward(e, { W, b: new Float64Array(2) }, X), InvalidArgumentError, "net.b.length must be 3");
  throwsWith(() => e.sampleNetwork({ n: 4, width: 0, seed: 1 }), InvalidArgumentError, "options.width must be a positive integer");
  throwsWith(() => e.sampleNetwork({ n: 4, width: 2, seed: 1, family: { family: "sphere", radius: -1 } }), InvalidArgumentError, "options.family.radius");
  throwsWith(() => e.sampleNetwork({ n: 4, width: 2, seed: 1, family: "cauchy" as never }), InvalidArgumentError, "options.family.family must be one of");
  throwsWith(() => periodicTarget({ direction: Float64Array.from([1, 0]), r: -1 }), InvalidArgumentError, "options.r must be a finite number >= 0");
  throwsWith(() => samplePeriodicTarget(e, { d: 3, r: -0.5 }), InvalidArgumentError, "options.r");
  throwsWith(() => encodeHalfspaces({ W: { rows: 2, cols: 1, data: Float64Array.from([1.5, 2]) }, b: Float64Array.from([0]) }), InvalidArgumentError, "H.W.data[0] must be an integer");
  throwsWith(() => encodeHalfspaces({ W: { rows: 2, cols: 1, data: Float64Array.from([1, 2]) }, b: Float64Array.from([0.5]) }), InvalidArgumentError, "H.b[0] must be an integer");
  throwsWith(() => convNetForward(e, new Float64Array(3), gauss(2, 7, 1)), InvalidArgumentError, "X.cols must be a multiple of the patch size (3)");
  throwsWith(() => sampleConvNetwork(e, { n: 10, patch: 3, seed: 1 }), InvalidArgumentError, "options.patch must be a divisor of options.n (10)");
  throwsWith(() => distributions.finiteSupport(gauss(2, 2, 1), Float64Array.from([1, -1])), InvalidArgumentError, "weights[1] must be a finite number >= 0");
  throwsWith(() => distributions.finiteSupport(gauss(2, 2, 1), Float64Array.from([0, 0])), InvalidArgumentError, "weights must be weights with a positive sum");
  throwsWith(() => distributions.pushForward(e, distributions.cube01(3), gauss(2, 4, 1)), InvalidArgumentError, "M.cols must be equal to the base dimension (3)");
  throwsWith(() => checkHalfspaceEncoding(e, { dim: 0, instances: 3 }), InvalidArgumentError, "options.dim");
  throwsWith(() => randomKSat(e, { n: 2, K: 3, m: 1 }), InvalidArgumentError, "options.K must be at most options.n (2)");
  throwsWith(() => decodeHalfspaces({ W: { rows: 2, cols: 1, data: Float64Array.from([0.5, 1]) } }), InvalidArgumentError, "net.W.data[0] must be an integer");
  assert.is(reluNetForward(e, { W }, X).length, 5);
});

test.run();
