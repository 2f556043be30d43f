// Monte-Carlo gradient-variance estimator (src/gradvar/estimator.ts): naive reference, finite differences,
// agreement with the exact values (|z| <= 3), honesty at tiny variances, determinism across workers and shards,
// progress/abort, and typed errors for bad inputs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AbortError, InvalidArgumentError, mergeShards, type GradVarianceOptions } from "../src/index.js";
import { engine, rejectsWith, testRng } from "./helpers.js";
import { chunkStats, chunkFinish } from "../src/gradvar/chunk.js";

const psiFn = { cos: Math.cos, triangle: (z: number) => 2 * Math.abs(z - Math.round(z)), sawtooth: (z: number) => z - Math.floor(z) };

/** Naive TS reference of the whole estimator (same X, W and row blocks), O(J K n p). */
async function naive(o: GradVarianceOptions & { samples: number }) {
  const e = await engine();
  const d = o.dim, n = o.samples, J = o.directions, K = o.blocks ?? Math.min(8, n);
  const X = e.rng(o.seed).stream(0).normal(n * d);
  const W = e.rng(o.seed).stream(1).sphere(J, d, o.radius).data;
  const psi = psiFn[o.psi ?? "cos"];
  const pred = o.predictor ?? "cos";
  const relu = pred !== "cos";
  const train = typeof pred === "object" && pred.kind === "relu" && !!pred.trainSecondLayer;
  const width = relu ? o.theta.length / (d + (train ? 1 : 0)) : 1;
  const p = relu ? width * d + (train ? width : 0) : d;
  // f and per-sample gradient P_i
  const f = new Float64Array(n), P = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const x = X.subarray(i * d, i * d + d);
    if (!relu) {
      let h = 0;
      for (let k = 0; k < d; k++) h += o.theta[k] * x[k];
      f[i] = Math.cos(h);
      for (let k = 0; k < d; k++) P[i * p + k] = -Math.sin(h) * x[k];
    } else {
      for (let u = 0; u < width; u++) {
        let h = 0;
        for (let k = 0; k < d; k++) h += o.theta[u * d + k] * x[k];
        const a = train ? o.theta[width * d + u] : 1;
        f[i] += a * Math.max(h, 0);
        for (let k = 0; k < d; k++) P[i * p + u * d + k] = h > 0 ? a * x[k] : 0;
        if (train) P[i * p + width * d + u] = Math.max(h, 0);
      }
    }
  }
  const bs = Array.from({ length: K + 1 }, (_, b) => Math.floor((b * n) / K));
  // g[b][j] = full block gradient (2/n_b) sum (f - psi) P
  const g: Float64Array[][] = [];
  for (let b = 0; b < K; b++) {
    g.push([]);
    for (let j = 0; j < J; j++) {
      const v = new Float64Array(p);
      for (let i = bs[b]; i < bs[b + 1]; i++) {
        let z = 0;
        for (let k = 0; k < d; k++) z += W[j * d + k] * X[i * d + k];
        const c = (2 / (bs[b + 1] - bs[b])) * (f[i] - psi(z));
        for (let r = 0; r < p; r++) v[r] += c * P[i * p + r];
      }
      g[b].push(v);
    }
  }
  const mean = g.map((gb) => { const m = new Float64Array(p); gb.forEach((v) => v.forEach((x, r) => (m[r] += x / J))); return m; });
  let est = 0;
  for (let b = 0; b < K; b++) for (let l = 0; l < K; l++) if (b !== l) {
    let s = 0;
    for (let j = 0; j < J; j++) for (let r = 0; r < p; r++) s += (g[b][j][r] - mean[b][r]) * (g[l][j][r] - mean[l][r]);
    est += s / (J - 1);
  }
  est /= K * (K - 1);
  const om = Array.from({ length: K }, (_, b) => (bs[b + 1] - bs[b]) / n);
  let fin = 0;
  const mg = new Float64Array(p);
  for (let j = 0; j < J; j++) {
    let s = 0;
    for (let r = 0; r < p; r++) {
      let dv = 0, gv = 0;
      for (let b = 0; b < K; b++) { dv += om[b] * (g[b][j][r] - mean[b][r]); gv += om[b] * g[b][j][r]; }
      s += dv * dv;
      mg[r] += gv / J;
    }
    fin += s / (J - 1);
  }
  // empirical mean loss over directions, for finite differences
  const loss = (theta: Float64Array) => {
    let L = 0;
    for (let i = 0; i < n; i++) {
      const x = X.subarray(i * d, i * d + d);
      let fi = 0;
      if (!relu) { let h = 0; for (let k = 0; k < d; k++) h += theta[k] * x[k]; fi = Math.cos(h); }
      else for (let u = 0; u < width; u++) {
        let h = 0; for (let k = 0; k < d; k++) h += theta[u * d + k] * x[k];
        fi += (train ? theta[width * d + u] : 1) * Math.max(h, 0);
      }
      for (let j = 0; j < J; j++) {
        let z = 0; for (let k = 0; k < d; k++) z += W[j * d + k] * x[k];
        L += (fi - psi(z)) ** 2;
      }
    }
    return L / (n * J);
  };
  return { est, fin, mg, loss };
}

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b));

test("chunk statistics: the SIMD kernel gv_chunk_gram_f64 equals the naive TS reference at odd sizes", async () => {
  const e = await engine();
  for (const [nb, p, jc] of [[2, 1, 1], [3, 7, 17], [8, 33, 129], [5, 2, 3]]) {
    const r = testRng(nb * 1000 + p * 10 + jc);
    const G = Float64Array.from({ length: nb * p * jc }, () => 2 * r() - 1 + 3);
    const omega = Float64Array.from({ length: nb }, () => 1 / nb);
    const ref = chunkStats(G, nb, p, jc, omega);
    const got = e.core.scope((ar) => {
      const pg = ar.put(G), pm = ar.allocF64(nb * p), pgr = ar.allocF64(((nb * (nb + 1)) / 2) * jc), pd = ar.allocF64(nb * jc);
      e.core.x.gv_chunk_gram_f64(pg, nb, p, jc, pm, pgr, pd);
      return chunkFinish(ar.take(pm, nb * p), ar.take(pgr, ((nb * (nb + 1)) / 2) * jc), nb, jc, omega);
    });
    // same operations in the same order except SIMD pairing of independent j: identical up to a few ulp
    for (const k of ["mean", "cross", "q", "h"] as const) {
      got[k].forEach((v, i) => assert.ok(Math.abs(v - ref[k][i]) <= 1e-13 * (1 + Math.abs(ref[k][i])), `${k}[${i}] ${v} vs ${ref[k][i]} (${nb},${p},${jc})`));
    }
  }
});

test("estimator: equals a naive TS reference (cos and ReLU predictors, cos/triangle/sawtooth ψ, K = 2, 3, 8)", async () => {
  const e = await engine();
  const cases: (GradVarianceOptions & { samples: number })[] = [
    { dim: 3, radius: 1.5, theta: Float64Array.from([0.4, -0.3, 0.2]), directions: 7, samples: 53, seed: 1, blocks: 3 },
    { dim: 4, radius: 2, theta: Float64Array.from([0.4, -0.3, 0.2, 0.1]), directions: 9, samples: 40, seed: 2, psi: "triangle" },
    { dim: 2, radius: 1, theta: Float64Array.from([0.5, 0.5]), directions: 5, samples: 31, seed: 3, psi: "sawtooth", blocks: 2 },
    { dim: 3, radius: 1, theta: Float64Array.from([0.3, -0.2, 0.5, -0.4, 0.1, 0.6]), directions: 6, samples: 45, seed: 4, predictor: "relu", psi: "triangle" },
    { dim: 3, radius: 1.2, theta: Float64Array.from([0.3, -0.2, 0.5, -0.4, 0.1, 0.6, 0.7, -1.1]), directions: 6, samples: 45, seed: 5,
      predictor: { kind: "relu", trainSecondLayer: true }, blocks: 4 },
  ];
  for (const o of cases) {
    const r = await e.gradVariance(o);
    const ref = await naive(o);
    // Both sides sum O(n p) products of O(1) terms: agreement to ~1e-12 relative of the gradient scale; the variance
    // is a difference of such sums, so compare at 1e-9 of its own size.
    assert.ok(close(r.estimate, ref.est, 1e-9), `seed ${o.seed}: estimate ${r.estimate} vs naive ${ref.est}`);
    assert.ok(close(r.finiteSampleVariance, ref.fin, 1e-9), `seed ${o.seed}: finite ${r.finiteSampleVariance} vs ${ref.fin}`);
    r.meanGradient.forEach((v, i) => assert.ok(Math.abs(v - ref.mg[i]) <= 1e-12 * (1 + Math.abs(ref.mg[i])), `seed ${o.seed} mg[${i}]`));
    // The mean gradient is the gradient of the empirical mean loss: central finite differences.
    const h = 1e-6;
    for (let i = 0; i < o.theta.length; i++) {
      const a = Float64Array.from(o.theta), b = Float64Array.from(o.theta);
      a[i] += h; b[i] -= h;
      const fd = (ref.loss(a) - ref.loss(b)) / (2 * h);
      // error h^2 |L'''|/6 + eps |L| / h ≈ 1e-9 (ReLU kinks are crossed with probability O(h n))
      assert.ok(Math.abs(fd - r.meanGradient[i]) < 1e-7, `seed ${o.seed} FD[${i}] ${fd} vs ${r.meanGradient[i]}`);
    }
  }
});

test("estimator: agrees with the exact values, |z| <= 3, on a representative subset of the acceptance grid", async () => {
  const e = await engine();
  const rows: string[] = [];
  for (const [d, r, t] of [[2, 1, 0.5], [3, 2, 1], [10, 2, 1], [10, 4, 2], [100, 1, 1], [100, 2, 0.5], [3, 4, 2]]) {
    const theta = new Float64Array(d); theta[0] = t;
    const seed = 1000 + d * 10 + r;
    const res = await e.gradVariance({ dim: d, radius: r, theta, directions: 300, samples: 8000, seed });
    rows.push(`${d} ${r} ${t} exact ${res.exact} est ${res.estimate} se ${res.stderr} z ${res.z}`);
    assert.ok(Math.abs(res.z!) <= 3, `seed ${seed}: ${rows.at(-1)}`);
    assert.ok(res.stderr > 0 && res.floor === 3 * res.stderr);
    // E_w ∇F estimate vs exact, component 0, within 4 * (rough SE from the direction spread).
    const se0 = Math.sqrt((res.finiteSampleVariance + 1e-12) / 300) + 1e-3;
    assert.ok(Math.abs(res.meanGradient[0] - res.meanGradientExact![0]) < 4 * se0 + 0.05, `mean gradient ${res.meanGradient[0]} vs ${res.meanGradientExact![0]}`);
  }
});

test("estimator: honest at tiny variances (r = 8: exact 1.9e-23) — not resolved, finite-sample variance is noise", async () => {
  const e = await engine();
  const theta = new Float64Array(10); theta[0] = 1;
  const res = await e.gradVariance({ dim: 10, radius: 8, theta, directions: 200, samples: 4000, seed: 9 });
  assert.ok(Math.abs(res.exact! - 1.898374258e-23) < 1e-31);
  assert.is(res.resolved, false);
  assert.ok(Math.abs(res.z!) <= 3, `z = ${res.z}`);
  assert.ok(res.floor > 1e6 * res.exact!, `floor ${res.floor}`);
  assert.ok(res.finiteSampleVariance > 1e6 * res.exact!, `finite ${res.finiteSampleVariance}`);
  // d = 1: w and -w give the same target; the estimate is rounding-level (directions have |w| = r to ~1 ulp).
  const r1 = await e.gradVariance({ dim: 1, radius: 2, theta: Float64Array.from([1]), directions: 50, samples: 1000, seed: 9 });
  assert.is(r1.exact, 0);
  assert.ok(Math.abs(r1.estimate) < 1e-25 && r1.finiteSampleVariance < 1e-25, `${r1.estimate}`);
});

test("estimator: identical bits with 1 and 2 workers (cos and ReLU), progress reaches the total", async () => {
  const e = await engine();
  const theta = new Float64Array(20); theta[0] = 1; theta[3] = -0.5;
  const o: GradVarianceOptions = { dim: 20, radius: 2, theta, directions: 300, samples: 3000, seed: 5, blocks: 5 };
  const prog: number[] = [];
  const a = await e.gradVariance({ ...o, onProgress: (dn, tot) => prog.push(dn / tot) });
  const b = await e.gradVariance({ ...o, workers: 2 });
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  assert.is(prog.at(-1), 1);
  const th2 = new Float64Array(4 * 6).map((_, i) => Math.sin(i + 1));
  const o2: GradVarianceOptions = { dim: 6, radius: 1.5, theta: th2, directions: 260, samples: 2000, seed: 6, predictor: "relu", psi: "triangle" };
  const c = await e.gradVariance(o2), dres = await e.gradVariance({ ...o2, workers: 2 });
  assert.equal(JSON.stringify(c), JSON.stringify(dres));
  await e.closeWorkers();
});

test("estimator: a given training set X equals the sampled one bit for bit; mixture input is deterministic across workers", async () => {
  const e = await engine();
  const d = 5, n = 3000, theta = Float64Array.from([0.5, -0.2, 0.1, 0, 0.3]);
  const o: GradVarianceOptions = { dim: d, radius: 1.5, theta, directions: 64, samples: n, seed: 77 };
  const a = await e.gradVariance(o);
  const X = { rows: n, cols: d, data: e.rng(77).stream(0).normal(n * d) };
  const b = await e.gradVariance({ ...o, samples: undefined, X });
  assert.is(b.estimate, a.estimate);
  assert.is(b.finiteSampleVariance, a.finiteSampleVariance);
  assert.is(b.exact, undefined);
  const I = { rows: d, cols: d, data: new Float64Array(d * d).map((_, i) => (i % (d + 1) === 0 ? 0.5 : 0)) };
  const mix = { kind: "mixture" as const, weights: Float64Array.from([0.5, 0.5]),
    means: { rows: 2, cols: d, data: Float64Array.from([1, 0, 0, 0, 0, -1, 0, 0, 0, 0]) }, covs: [I, I] };
  const m1 = await e.gradVariance({ ...o, input: mix }), m2 = await e.gradVariance({ ...o, input: mix, workers: 2 });
  assert.equal(JSON.stringify(m1), JSON.stringify(m2));
  assert.ok(Number.isFinite(m1.estimate) && m1.stderr > 0);
  await e.closeWorkers();
});

test("sweep: shards merged (any order) reproduce the unsharded sweep exactly", async () => {
  const e = await engine();
  const base = { dims: [2, 5], radii: [1, 2], thetaNorms: [0.5, 1], samples: 1500, directions: 40, seed: 123 };
  const all = await e.gradVarianceSweep(base);
  const s0 = await e.gradVarianceSweep({ ...base, shard: { index: 0, count: 3 } });
  const s1 = await e.gradVarianceSweep({ ...base, shard: { index: 1, count: 3 } });
  const s2 = await e.gradVarianceSweep({ ...base, shard: { index: 2, count: 3 } });
  const merged = mergeShards(JSON.parse(JSON.stringify([s2, s0, s1])));
  assert.equal(JSON.stringify(merged), JSON.stringify(all));
  assert.is(all.rows.length, 8);
  for (const r of all.rows) for (const k of ["dim", "radius", "thetaNorm", "exact", "estimate", "stderr", "floor"]) assert.ok(k in r);
  try { mergeShards([s0, s1]); assert.unreachable(); } catch (err) { assert.instance(err, InvalidArgumentError); }
});

test("estimator: AbortSignal rejects with AbortError (in-process and pool)", async () => {
  const e = await engine();
  const theta = new Float64Array(10); theta[0] = 1;
  const ac = new AbortController();
  ac.abort();
  await rejectsWith(e.gradVariance({ dim: 10, radius: 1, theta, directions: 1000, samples: 2000, seed: 1, signal: ac.signal }), AbortError);
  const ac2 = new AbortController();
  const p = e.gradVariance({ dim: 10, radius: 1, theta, directions: 2000, samples: 5000, seed: 1, signal: ac2.signal,
    onProgress: (dn) => { if (dn >= 1) ac2.abort(); } });
  await rejectsWith(p, AbortError);
  const ac3 = new AbortController();
  const p3 = e.gradVariance({ dim: 10, radius: 1, theta, directions: 2000, samples: 5000, seed: 1, workers: 2, signal: ac3.signal,
    onProgress: (dn) => { if (dn >= 1) ac3.abort(); } });
  await rejectsWith(p3, AbortError);
  // still works afterwards
  const ok = await e.gradVariance({ dim: 10, radius: 1, theta, directions: 20, samples: 200, seed: 1, workers: 2 });
  assert.ok(Number.isFinite(ok.estimate));
  await e.closeWorkers();
});

test("estimator: bad inputs give typed errors naming the argument", async () => {
  const e = await engine();
  const th = Float64Array.from([1, 0, 0]);
  const ok: GradVarianceOptions = { dim: 3, radius: 1, theta: th, directions: 10, samples: 100, seed: 1 };
  const bad: [Partial<GradVarianceOptions> & Record<string, unknown>, string][] = [
    [{ radius: 0 }, "options.radius"], [{ radius: -2 }, "options.radius"], [{ radius: NaN }, "options.radius"],
    [{ directions: 1 }, "options.directions"], [{ directions: 2.5 }, "options.directions"],
    [{ samples: 1 }, "options.samples"], [{ theta: Float64Array.from([1, 0]) }, "options.theta.length"],
    [{ psi: "square" as never }, "options.psi"], [{ theta: Float64Array.from([1, NaN, 0]) }, "options.theta[1]"],
    [{ theta: Float64Array.from([1, Infinity, 0]) }, "options.theta[1]"], [{ theta: [1, 0, 0] as never }, "options.theta"],
    [{ dim: 0 }, "options.dim"], [{ seed: -1 }, "options.seed"], [{ blocks: 1 }, "options.blocks"],
    [{ workers: 0 }, "options.workers"], [{ predictor: "sigmoid" as never }, "options.predictor"],
    [{ predictor: "relu", theta: Float64Array.from([1, 2, 3, 4]) }, "options.theta.length"],
    [{ X: { rows: 5, cols: 2, data: new Float64Array(10) }, samples: undefined }, "options.X.cols"],
    [{ input: { kind: "uniform" } as never }, "options.input.kind"],
  ];
  for (const [patch, name] of bad) {
    await rejectsWith(e.gradVariance({ ...ok, ...patch } as GradVarianceOptions), InvalidArgumentError, name);
  }
  await rejectsWith(e.gradVariance(undefined as never), InvalidArgumentError, "options");
  // engine still fine
  const r = await e.gradVariance(ok);
  assert.ok(Number.isFinite(r.estimate));
});

test.run();
