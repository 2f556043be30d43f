// Models area: learners' gradients vs central finite differences and vs the closed-form population
// gradient (PAPERS §4.6), optimizer updates vs their formulas, determinism, abort, and the Theorem 1 invariance table.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, testRng, gauss, EPS, rejectsWith, throwsWith } from "./helpers.js";
import {
  AbortError, InvalidArgumentError, objectiveGradient, optimizerStep, trainNetwork, trainNetworkSync, invarianceExperiment,
  populationLoss, populationLossGrad, reluNetForward, conditionedMatrix, type Matrix, type ReluNet,
} from "../src/index.js";


/**
 * Central differences of J along every parameter with step h: error <= h^2 |J'''| / 6 + eps |J| / h. With h = 1e-5 and
 * J, J''' = O(10) this is ~1e-9, far below the 1e-6 acceptance; a ReLU kink inside [theta - h, theta + h] would
 * show up as an O(1) relative error, which the fixed seeds avoid (probability ~ m k h per test).
 */
test("every learner's objective gradient (W, b, a, L2) matches central finite differences to <= 1e-6 relative", async () => {
  const e = await engine();
  for (const [m, d, k, bias, trainA, l2, seed] of [
    [40, 5, 4, false, false, 0, 1], [33, 3, 7, true, false, 0.1, 2], [50, 6, 3, true, true, 0.05, 3], [17, 4, 5, false, true, 0, 4],
  ] as const) {
    const X = gauss(m, d, seed), y = gauss(1, m, seed + 1).data;
    const net: ReluNet = { W: gauss(d, k, seed + 2, 0.7) };
    if (bias) net.b = gauss(1, k, seed + 3, 0.3).data;
    if (trainA) net.a = gauss(1, k, seed + 4).data;
    const { J, grad } = objectiveGradient(e, { X, y, net, trainSecondLayer: trainA, l2 });
    // J itself against a naive loop.
    const f = reluNetForward(e, net, X);
    let ref = 0;
    for (let t = 0; t < m; t++) ref += (f[t] - y[t]) ** 2 / m;
    if (l2) { for (const w of net.W.data) ref += l2 * w * w; if (trainA) for (const a of net.a!) ref += l2 * a * a; }
    assert.ok(Math.abs(J - ref) <= 1e-13 * Math.abs(ref), `seed ${seed}: J ${J} vs ${ref}`);
    const h = 1e-5;
    const evalJ = (n: ReluNet) => objectiveGradient(e, { X, y, net: n, trainSecondLayer: trainA, l2 }).J;
    const parts: [Float64Array, Float64Array, (v: Float64Array) => ReluNet][] = [
      [net.W.data, grad.W.data, (v) => ({ ...net, W: { ...net.W, data: v } })],
    ];
    if (bias) parts.push([net.b!, grad.b!, (v) => ({ ...net, b: v })]);
    if (trainA) parts.push([net.a!, grad.a!, (v) => ({ ...net, a: v })]);
    let num = 0, den = 0;
    for (const [theta, g, mk] of parts) {
      for (let i = 0; i < theta.length; i++) {
        const tp = theta.slice(), tm = theta.slice();
        tp[i] += h; tm[i] -= h;
        const fd = (evalJ(mk(tp)) - evalJ(mk(tm))) / (2 * h);
        num = Math.max(num, Math.abs(fd - g[i]));
        den = Math.max(den, Math.abs(g[i]));
      }
    }
    assert.ok(num / den <= 1e-6, `seed ${seed}: max |fd - grad| / max |grad| = ${num / den}`);
  }
});

/**
 * The empirical gradient on x ~ N(0, I) with labels N_U(x) is an unbiased estimate of grad_V L(U, V) (PAPERS §4.6).
 * Standard error from 20 batch means of 10^4 samples; |mean - exact| <= 6 SE for all d k entries (t with 19 dof,
 * 6 SE has two-sided tail < 1e-5 per entry).
 */
test("objective gradient agrees with the closed-form population gradient grad_V L(U, V) (PAPERS §4.6)", async () => {
  const e = await engine();
  const d = 4, kt = 3, k = 2, seed = 2024, B = 20, nb = 10000;
  const U = gauss(d, kt, seed, 0.8), V = gauss(d, k, seed + 1, 0.8);
  const exact = populationLossGrad(U, V), Lexact = populationLoss(U, V);
  const rng = e.rng(seed);
  const means: Float64Array[] = [];
  const Js: number[] = [];
  for (let b = 0; b < B; b++) {
    const X = { rows: nb, cols: d, data: rng.normal(nb * d) };
    const y = reluNetForward(e, { W: U }, X);
    const { J, grad } = objectiveGradient(e, { X, y, net: { W: V } });
    means.push(grad.W.data);
    Js.push(J);
  }
  for (let i = 0; i < d * k; i++) {
    const xs = means.map((g) => g[i]), mu = xs.reduce((s, v) => s + v, 0) / B;
    const se = Math.sqrt(xs.reduce((s, v) => s + (v - mu) ** 2, 0) / (B - 1) / B);
    assert.ok(Math.abs(mu - exact.data[i]) <= 6 * se, `seed ${seed} entry ${i}: MC ${mu} exact ${exact.data[i]} se ${se}`);
  }
  const muJ = Js.reduce((s, v) => s + v, 0) / B, seJ = Math.sqrt(Js.reduce((s, v) => s + (v - muJ) ** 2, 0) / (B - 1) / B);
  assert.ok(Math.abs(muJ - Lexact) <= 6 * seJ, `seed ${seed}: MC loss ${muJ} vs L(U,V) ${Lexact}`);
  // Closed-form gradient vs central differences of the closed-form loss (both exact: tolerance 1e-8 relative).
  const h = 1e-6;
  let num = 0, den = 0;
  for (let i = 0; i < d * k; i++) {
    const p = V.data.slice(), q = V.data.slice();
    p[i] += h; q[i] -= h;
    const fd = (populationLoss(U, { ...V, data: p }) - populationLoss(U, { ...V, data: q })) / (2 * h);
    num = Math.max(num, Math.abs(fd - exact.data[i]));
    den = Math.max(den, Math.abs(exact.data[i]));
  }
  assert.ok(num / den <= 1e-8, `closed-form gradient vs FD: ${num / den}`);
  assert.ok(Math.abs(populationLoss(U, U)) <= 1e-14 * kt * kt);
});

test("optimizer steps (SGD, Adagrad, Adam) follow their formulas exactly", async () => {
  const e = await engine();
  const r = testRng(5), n = 13;
  const theta = Float64Array.from({ length: n }, () => r() - 0.5), g = Float64Array.from({ length: n }, () => r() - 0.5);
  const s1 = Float64Array.from({ length: n }, () => r() * 0.1), s2 = Float64Array.from({ length: n }, () => r() * 0.1);
  const lr = 0.03, b1 = 0.9, b2 = 0.999, eps = 1e-8, t = 3;
  const sgd = optimizerStep(e, "sgd", theta, g, { s1, s2, t }, { lr });
  for (let i = 0; i < n; i++) assert.is(sgd.theta[i], theta[i] - lr * g[i]);
  const ada = optimizerStep(e, "adagrad", theta, g, { s1, s2, t }, { lr, eps });
  for (let i = 0; i < n; i++) {
    const acc = s1[i] + g[i] * g[i];
    assert.is(ada.s1[i], acc);
    assert.is(ada.theta[i], theta[i] - lr * g[i] / (Math.sqrt(acc) + eps));
  }
  const adam = optimizerStep(e, "adam", theta, g, { s1, s2, t }, { lr, beta1: b1, beta2: b2, eps });
  for (let i = 0; i < n; i++) {
    const mi = b1 * s1[i] + (1 - b1) * g[i], vi = b2 * s2[i] + (1 - b2) * g[i] * g[i];
    const want = theta[i] - lr * (mi / (1 - b1 ** t)) / (Math.sqrt(vi / (1 - b2 ** t)) + eps);
    assert.ok(Math.abs(adam.theta[i] - want) <= 4 * EPS * Math.abs(theta[i]) + 4 * EPS * lr, `entry ${i}`);
  }
});

test("training: every optimizer decreases the loss; full-batch GD step equals theta - lr * grad; deterministic bits", async () => {
  const e = await engine();
  const m = 120, d = 6, seed = 8;
  const X = gauss(m, d, seed), U = gauss(d, 3, seed + 1, 1 / Math.sqrt(d));
  const y = reluNetForward(e, { W: U }, X);
  for (const optimizer of ["gd", "sgd", "adagrad", "adam"] as const) {
    const opts = { X, y, width: 8, optimizer, lr: optimizer === "adagrad" ? 0.05 : 0.01, epochs: 25, batchSize: 16, seed, bias: true, trainSecondLayer: optimizer === "adam" };
    const a = await trainNetwork(e, opts);
    const b = trainNetworkSync(e, opts);
    assert.ok(a.history[25].trainLoss < 0.5 * a.history[0].trainLoss, `${optimizer}: ${a.history[0].trainLoss} -> ${a.history[25].trainLoss}`);
    assert.equal(Array.from(a.net.W.data), Array.from(b.net.W.data), `${optimizer}: async and sync give the same bits`);
    assert.equal(Array.from(a.trainPredictions), Array.from(b.trainPredictions));
  }
  // One GD step by hand.
  const init = { W: gauss(d, 5, 99, 0.4) };
  const one = trainNetworkSync(e, { X, y, width: 5, init, epochs: 1, lr: 0.02, history: false });
  const { grad } = objectiveGradient(e, { X, y, net: init });
  for (let i = 0; i < d * 5; i++) assert.is(one.net.W.data[i], init.W.data[i] - 0.02 * grad.W.data[i]);
  assert.is(one.steps, 1);
});

test("training: test loss history, whitening returns the input-frame net, exact population loss in the history", async () => {
  const e = await engine();
  const m = 200, d = 5, seed = 12;
  const rng = e.rng(seed);
  const X = { rows: m, cols: d, data: rng.normal(m * d) }, Xt = { rows: 50, cols: d, data: rng.normal(50 * d) };
  const U = gauss(d, 2, seed, 0.5);
  const y = reluNetForward(e, { W: U }, X), yt = reluNetForward(e, { W: U }, Xt);
  const r = await trainNetwork(e, { X, y, Xtest: Xt, ytest: yt, width: 6, epochs: 30, lr: 0.05, whiten: true, seed });
  assert.is(r.history.length, 31);
  assert.ok(r.history.every((h) => typeof h.testLoss === "number"));
  // net (input frame) on X equals trainedNet on Z = X P: same predictions to rounding.
  const p1 = reluNetForward(e, r.net, X);
  for (let t = 0; t < m; t++) assert.ok(Math.abs(p1[t] - r.trainPredictions[t]) <= 1e-10 * (1 + Math.abs(p1[t])));
  const g = await trainNetwork(e, { X, y, width: 4, epochs: 20, lr: 0.05, seed, populationTarget: U });
  assert.ok(g.history.every((h) => typeof h.populationLoss === "number"));
  assert.ok(g.history[20].populationLoss! < g.history[0].populationLoss!);
  assert.ok(Math.abs(g.history[20].populationLoss! - populationLoss(U, g.net.W)) <= 1e-15 * g.history[20].populationLoss!);
});

test("training: AbortSignal rejects with AbortError, progress is reported, bad options name the argument", async () => {
  const e = await engine();
  const X = gauss(400, 20, 1), y = gauss(1, 400, 2).data;
  const ac = new AbortController();
  let calls = 0;
  const p = trainNetwork(e, { X, y, width: 50, epochs: 1e6, lr: 1e-4, history: false, signal: ac.signal, onProgress: () => { if (++calls === 2) ac.abort(); } });
  await rejectsWith(p, AbortError, "training was aborted");
  assert.ok(calls >= 2);
  const pre = new AbortController();
  pre.abort();
  await rejectsWith(trainNetwork(e, { X, y, width: 2, signal: pre.signal }), AbortError);
  throwsWith(() => trainNetworkSync(e, { X, y, width: 0 }), InvalidArgumentError, "options.width must be a positive integer");
  throwsWith(() => trainNetworkSync(e, { X, y: new Float64Array(3), width: 2 }), InvalidArgumentError, "options.y.length must be 400");
  throwsWith(() => trainNetworkSync(e, { X, y, width: 2, optimizer: "lbfgs" as never }), InvalidArgumentError, "options.optimizer must be one of");
  throwsWith(() => trainNetworkSync(e, { X, y, width: 2, lr: -1 }), InvalidArgumentError, "options.lr must be a finite number > 0");
  throwsWith(() => trainNetworkSync(e, { X, y, width: 2, init: { W: gauss(3, 2, 1) } }), InvalidArgumentError, "options.init.W.rows must be equal to the training input dimension (20)");
  throwsWith(() => trainNetworkSync(e, { X, y, width: 2, Xtest: gauss(3, 5, 1), ytest: new Float64Array(3) }), InvalidArgumentError, "options.Xtest.cols");
  throwsWith(() => trainNetworkSync(e, { X: { ...X, data: X.data.map((v, i) => (i === 7 ? Infinity : v)) }, y, width: 2 }), InvalidArgumentError, "options.X.data[7] must be a finite number");
  throwsWith(() => objectiveGradient(e, { X, y, net: { W: gauss(20, 3, 1) }, l2: -1 }), InvalidArgumentError, "options.l2");
});

/**
 * Theorem 1 / Definitions 1–2. Tolerances: under an orthogonal A everything is coupled exactly in real arithmetic, so
 * only GEMM rounding (~ d eps per step, amplified by the GD map) remains: 1e-12. Under an invertible A, fl(X A)
 * perturbs the column space by ~ eps cond(A) cond(X) ~ 1e-16 * 1e6 * 3 and the acceptance bound is 1e-9 relative.
 */
test("invariance table: whitened GD is linearly invariant (<= 1e-9 up to cond 1e6), plain GD only orthogonally", async () => {
  const e = await engine();
  for (const seed of [1, 2]) {
    const rows = await invarianceExperiment(e, { m: 300, d: 12, width: 16, steps: 150, conds: [10, 1e3, 1e6], seed });
    assert.is(rows.length, 8);
    for (const r of rows) {
      assert.ok(Object.keys(r).includes("learner") && Object.keys(r).includes("transform") && Object.keys(r).includes("cond") && Object.keys(r).includes("maxDiff"));
      if (r.learner === "whitened") assert.ok(r.maxDiff <= 1e-9, `seed ${seed}: whitened ${r.transform} cond ${r.cond}: ${r.maxDiff}`);
      if (r.transform === "orthogonal") assert.ok(r.maxDiff <= 1e-12, `seed ${seed}: ${r.learner} orthogonal: ${r.maxDiff}`);
      if (r.learner === "plain" && r.transform === "invertible" && r.cond >= 1e3) assert.ok(r.maxDiff > 1e-3, `seed ${seed}: plain cond ${r.cond}: ${r.maxDiff}`);
    }
  }
});

test("whitened learners: data-frame init makes GD and SGD linearly invariant; input-frame init does not", async () => {
  const e = await engine();
  const seed = 41, m = 300, d = 12;
  const rng = e.rng(seed);
  const X = { rows: m, cols: d, data: rng.normal(m * d) };
  const y = reluNetForward(e, { W: { rows: d, cols: 3, data: rng.normal(d * 3, 0, 0.3) } }, X);
  const { A } = conditionedMatrix(rng.stream(5), d, 100);
  const XA = e.matmul(X, A);
  const diff = (o: Partial<Parameters<typeof trainNetworkSync>[1]>) => {
    const base = { y, width: 16, epochs: 40, lr: 0.03, whiten: true, history: false, seed, ...o };
    const p = trainNetworkSync(e, { ...base, X }).trainPredictions, q = trainNetworkSync(e, { ...base, X: XA }).trainPredictions;
    let dm = 0, pm = 0;
    for (let i = 0; i < m; i++) { dm = Math.max(dm, Math.abs(p[i] - q[i])); pm = Math.max(pm, Math.abs(p[i])); }
    return dm / pm;
  };
  // eps cond(A) cond(X) ~ 1e-16 * 100 * 3: allow 1e-11.
  assert.ok(diff({ optimizer: "gd" }) <= 1e-11, "gd, data-frame init");
  assert.ok(diff({ optimizer: "sgd", batchSize: 32 }) <= 1e-11, "sgd, data-frame init");
  assert.ok(diff({ optimizer: "gd", initFrame: "input" }) > 1e-3, "gd, input-frame init breaks invariance");
});

test.run();
