// float32 training (src/models/learners_f32.ts, assembly/models/relu_net_f32.ts): agreement with float64 training
// within the bound of an error analysis, determinism, dtype inference and typed errors.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, testRng, throwsWith, rejectsWith } from "./helpers.js";
import { InvalidArgumentError, trainNetworkSync, type Matrix32 } from "../src/index.js";
import type { Matrix } from "../src/types.js";

const U = 2 ** -24, U64 = 2 ** -53;
const gamma = (n: number, u = U) => (n * u) / (1 - n * u);

/**
 * A well-conditioned problem whose ReLU pattern cannot change: X > 0 entrywise, W0 >= 0.5 entrywise, y = X v with
 * v = sum_j w0_j + small. Every value is a float32 number, so both runs start from the same data and weights.
 */
function stableProblem(m: number, d: number, k: number, seed: number) {
  const r = testRng(seed);
  const X = new Float64Array(m * d).map(() => Math.fround(0.5 + r()));
  const W0 = new Float64Array(d * k).map(() => Math.fround(0.5 + 0.5 * r()));
  const v = new Float64Array(d);
  for (let p = 0; p < d; p++) {
    for (let j = 0; j < k; j++) v[p] += W0[p * k + j];
    v[p] += 0.01 * (2 * r() - 1);
  }
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let p = 0; p < d; p++) s += X[i * d + p] * v[p];
    y[i] = Math.fround(s);
  }
  return { X: { rows: m, cols: d, data: X } as Matrix, W0: { rows: d, cols: k, data: W0 } as Matrix, y, v };
}

/** Largest eigenvalue of X^T X (power iteration in float64; 200 steps on a positive matrix converge to ~1e-12). */
function lambdaMax(X: Matrix): number {
  const { rows: m, cols: d, data } = X;
  let b = new Float64Array(d).fill(1), lam = 0;
  for (let it = 0; it < 200; it++) {
    const Xb = new Float64Array(m);
    for (let i = 0; i < m; i++) for (let p = 0; p < d; p++) Xb[i] += data[i * d + p] * b[p];
    const c = new Float64Array(d);
    for (let i = 0; i < m; i++) for (let p = 0; p < d; p++) c[p] += data[i * d + p] * Xb[i];
    lam = Math.hypot(...c);
    b = c.map((x) => x / lam);
  }
  return lam;
}

test("float32 GD agrees with float64 GD within the summed per-step float32 rounding bound (stable ReLU pattern)", async () => {
  // Analysis. With every unit active (X > 0, W > 0 throughout), f(x) = x . sum_j w_j is linear in theta = W and
  // J(W) = (1/m) |X W 1 - y|^2 is a convex quadratic with Hessian H[D] = (2/m) X^T X (D 1) 1^T, whose largest
  // eigenvalue is k (2/m) lambda_max(X^T X). With lr <= 2 / that, the GD map Phi(W) = W - lr grad J(W) is affine and
  // non-expansive in the Frobenius norm. The float32 iterates satisfy W32_{t+1} = Phi(W32_t) + E_t, so
  //   |W32_T - W64_T|_F <= sum_t |E_t|_F  (+ the float64 run's own rounding, 2^-29 times smaller, covered by 1.001).
  // |E_t| entrywise, first order, from the kernel's operations (relu_net_f32.ts), with Z = X W (GEMM, inner d):
  //   |dZ_ij| <= gamma_{d+4} (|X||W|)_ij;  |df_i| <= gamma_k sum_j Z_ij + sum_j |dZ_ij|;  |dr_i| <= |df_i| + u |r_i|;
  //   |dG_ij| <= (2/m)(|dr_i| + 3u |r_i|)  (G_ij = (2 (1/m) r_i) a_j, three roundings);
  //   |dg_pj| <= gamma_{m+4} (|X|^T |G|)_pj + (|X|^T |dG|)_pj   (GEMM X^T G, inner m);
  //   |E_pj| <= lr (|dg_pj| + u |g_pj|) + u |W_new,pj|   (the product lr g and the subtraction).
  // Magnitudes are taken from the float64 run (they differ from the float32 ones by O(u), a second-order effect).
  const e = await engine();
  const [m, d, k, T] = [200, 12, 4, 40];
  const { X, W0, y, v } = stableProblem(m, d, k, 7);
  const lr = 0.9 * 2 / (k * (2 / m) * lambdaMax(X));
  const opts = { X, y, width: k, init: { W: W0 }, optimizer: "gd" as const, lr: Math.fround(lr), epochs: 1, history: false };
  let W64 = Float64Array.from(W0.data), W32 = Float64Array.from(W0.data);
  let bound = 0;
  for (let t = 0; t < T; t++) {
    // Per-step error bound at the float64 iterate.
    const Z = new Float64Array(m * k), absZX = new Float64Array(m * k);
    for (let i = 0; i < m; i++) for (let p = 0; p < d; p++) {
      const x = X.data[i * d + p];
      for (let j = 0; j < k; j++) { Z[i * k + j] += x * W64[p * k + j]; absZX[i * k + j] += Math.abs(x * W64[p * k + j]); }
    }
    const absG = new Float64Array(m), dG = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let f = 0, dz = 0;
      for (let j = 0; j < k; j++) { assert.ok(Z[i * k + j] > 0, "pattern stable: every unit active"); f += Z[i * k + j]; dz += gamma(d + 4) * absZX[i * k + j]; }
      const r = f - y[i];
      const df = gamma(k) * f + dz, dr = df + U * Math.abs(r);
      absG[i] = (2 / m) * Math.abs(r);
      dG[i] = (2 / m) * (dr + 3 * U * Math.abs(r));
    }
    const next = trainNetworkSync(e, { ...opts, init: { W: { rows: d, cols: k, data: W64 } } }).trainedNet.W.data;
    let e2 = 0;
    for (let p = 0; p < d; p++) {
      let xg = 0, xdg = 0, g = 0;
      for (let i = 0; i < m; i++) {
        const x = X.data[i * d + p];
        xg += x * absG[i];
        xdg += x * dG[i];
        g += x * absG[i]; // |g_pj| <= sum_i |x_ip| |G_ij| (a_j = 1 for every j)
      }
      const dg = gamma(m + 4) * xg + xdg;
      for (let j = 0; j < k; j++) {
        const E = Math.fround(lr) * (dg + U * g) + U * Math.abs(next[p * k + j]);
        e2 += E * E;
      }
    }
    bound += Math.sqrt(e2);
    W64 = Float64Array.from(next);
  }
  // The same T steps in one call each, float64 and float32 (the single-call float64 run equals the stepwise one).
  const r64 = trainNetworkSync(e, { ...opts, epochs: T });
  const r32 = trainNetworkSync(e, { ...opts, epochs: T, dtype: "float32" });
  assert.is(r32.dtype, "float32");
  assert.equal(Array.from(r64.trainedNet.W.data), Array.from(W64), "stepwise float64 == one call");
  W32 = Float64Array.from(r32.trainedNet.W.data);
  let diff = 0;
  for (let i = 0; i < W32.length; i++) diff += (W32[i] - W64[i]) ** 2;
  diff = Math.sqrt(diff);
  assert.ok(diff <= 1.001 * bound, `|W32 - W64|_F = ${diff} > bound ${bound}`);
  // Not vacuous: float32 really differs, and the bound is within a few orders of magnitude of what happens.
  assert.ok(diff > 0 && bound < 1e4 * diff, `diff ${diff}, bound ${bound}`);
  // The run made progress: training loss fell by more than the float32 noise.
  assert.ok(r32.trainPredictions.every((p, i) => Math.abs(p - y[i]) < 0.05 * Math.abs(y[i])), "fits y = X v");
  void v;
});

test("float32 training: inferred from a float32 X, deterministic (sync == async, repeat), every optimizer finite and decreasing", async () => {
  const e = await engine();
  const m = 300, d = 10;
  const r = testRng(3);
  const X32: Matrix32 = { rows: m, cols: d, data: new Float32Array(m * d).map(() => 2 * r() - 1) };
  const y32 = new Float32Array(m).map((_, i) => Math.max(0, X32.data[i * d] - X32.data[i * d + 1]));
  for (const optimizer of ["gd", "sgd", "adagrad", "adam"] as const) {
    const o = { X: X32, y: y32, width: 16, optimizer, lr: optimizer === "adam" ? 0.01 : 0.05, epochs: 15, batchSize: 32, seed: 9, bias: true, trainSecondLayer: true, l2: 1e-4 };
    const a = await e.train(o);
    assert.is(a.dtype, "float32", "inferred from X");
    const b = trainNetworkSync(e, o);
    assert.equal(Array.from(a.trainedNet.W.data), Array.from(b.trainedNet.W.data), `${optimizer}: async == sync`);
    assert.equal(Array.from(a.trainPredictions), Array.from(b.trainPredictions));
    const c = await e.train(o);
    assert.equal(Array.from(a.trainedNet.W.data), Array.from(c.trainedNet.W.data), `${optimizer}: repeat`);
    // Weights are float32 values.
    assert.ok(a.trainedNet.W.data.every((w) => Math.fround(w) === w), "float32 weights");
    assert.ok(a.history.at(-1)!.trainLoss < a.history[0].trainLoss, `${optimizer}: loss decreased`);
    // dtype "float64" on the same float32 data trains in float64 from the same start (exact copies).
    const f = await e.train({ ...o, dtype: "float64" });
    assert.is(f.dtype, "float64");
    assert.ok(Math.abs(f.history.at(-1)!.trainLoss - a.history.at(-1)!.trainLoss) < 0.05 * a.history[0].trainLoss, `${optimizer}: float32 and float64 end close`);
  }
  // Whitening stays float64 (converted explicitly) and works with float32 data.
  const w = await e.train({ X: X32, y: y32, width: 8, whiten: true, epochs: 5, seed: 1 });
  assert.is(w.dtype, "float32");
  assert.ok(w.whitening && w.whitening.P.data instanceof Float64Array);
});

test("float32 training errors: typed, naming the option", async () => {
  const e = await engine();
  const X = { rows: 4, cols: 2, data: new Float64Array(8).fill(1) };
  const y = new Float64Array(4);
  await rejectsWith(e.train({ X, y, width: 2, dtype: "float16" as never }), InvalidArgumentError, "options.dtype must be one of");
  await rejectsWith(e.train({ X: { rows: 4, cols: 2, data: new Float64Array(8).fill(1e39) }, y, width: 2, dtype: "float32" }),
    InvalidArgumentError, "options.X.data[0] must be finite in float32");
  await rejectsWith(e.train({ X: { rows: 4, cols: 2, data: new Float32Array(8) }, y: new Float32Array(3), width: 2 }), InvalidArgumentError, "options.y.length");
  throwsWith(() => trainNetworkSync(e, { X: { rows: 4, cols: 2, data: new Float32Array(8).fill(NaN) }, y, width: 2 }), InvalidArgumentError, "options.X.data[0] must be a finite number");
});

test.run();
