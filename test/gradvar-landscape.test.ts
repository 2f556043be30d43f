// Eq. (3) landscape (PAPERS §2.2, §4.1, §4.2, §4.7): closed forms vs finite differences and Monte Carlo,
// the five critical points for r = 2, flatness, Gaussian-mixture and triangle-wave moments.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  landscape, eq3Loss, eq3Gradient, eq3Hessian, eq3MixtureLoss, eq3MixtureGradient, mixtureCosMoments, triangleMoments,
  InvalidArgumentError,
} from "../src/index.js";
import { engine, throwsWith } from "./helpers.js";

test("landscape: exactly five critical points for r = 2 on [-4,4]^2 (max 0, minima ±w*, saddles (0, ±r/√3))", () => {
  const L = landscape({ radius: 2, extent: 4, grid: 41 });
  assert.equal(L.wStar, [2, 0]);
  const cp = L.criticalPoints;
  assert.is(cp.length, 5, JSON.stringify(cp.map((p) => p.w)));
  const kinds = cp.map((p) => p.kind).sort();
  assert.equal(kinds, ["max", "min", "min", "saddle", "saddle"]);
  const near = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1]) < 1e-9;
  const mx = cp.find((p) => p.kind === "max")!;
  assert.ok(near(mx.w, [0, 0]));
  for (const s of [1, -1]) {
    assert.ok(cp.some((p) => p.kind === "min" && near(p.w, [2 * s, 0])));
    const sd = cp.find((p) => p.kind === "saddle" && near(p.w, [0, s * 2 / Math.sqrt(3)]));
    assert.ok(sd, `saddle at (0, ${s}·r/√3)`);
    // F at the saddle and Hessian eigenvalues ±2 r^2 e^{-2r^2/3} (PAPERS §2.2)
    assert.ok(Math.abs(sd!.F - L.saddleValueClosed) < 1e-15);
    const lam = 2 * 4 * Math.exp(-8 / 3);
    assert.ok(Math.abs(sd!.eigenvalues[0] + lam) < 1e-12 && Math.abs(sd!.eigenvalues[1] - lam) < 1e-12, JSON.stringify(sd!.eigenvalues));
  }
  // 0 is the global maximum for r > sqrt(2 ln 4): F(0) > plateau.
  assert.ok(mx.F > L.plateau);
  assert.ok(L.flatShare > 0 && L.flatShare < 1);
  // grid shape and a value
  assert.is(L.grid.F.length, 41); assert.is(L.grid.F[0].length, 41);
  assert.ok(Math.abs(L.grid.F[20][20] - eq3Loss([0, 0], [2, 0])) === 0);
});

test("landscape: flatness grows with r (share of |∇F| < 1e-3 on [-2r, 2r]^2) and saddles flatten (±0.0446 at r = 3)", () => {
  const a = landscape({ radius: 2, grid: 61 }).flatShare, b = landscape({ radius: 4, grid: 61 }).flatShare;
  assert.ok(b > a, `${a} ${b}`);
  const L3 = landscape({ radius: 3, extent: 4, grid: 11 });
  const sd = L3.criticalPoints.find((p) => p.kind === "saddle")!;
  assert.ok(Math.abs(sd.eigenvalues[1] - 0.0446) < 5e-5, String(sd.eigenvalues));
});

test("landscape: ∇F and ∇²F match central finite differences (d = 2 and d = 5)", () => {
  for (const [w, ws] of [[[0.3, -0.8], [2, 0]], [[0.5, 0.1, -0.3, 0.9, 1.2], [1, -0.5, 0.2, 0.3, 0.7]]]) {
    const g = eq3Gradient(w, ws), H = eq3Hessian(w, ws), d = w.length;
    const h = 1e-5;
    for (let i = 0; i < d; i++) {
      const a = [...w], b = [...w];
      a[i] += h; b[i] -= h;
      // central difference: truncation h^2 |F'''|/6 ≲ 1e-10, rounding eps/h ≈ 2e-11
      assert.ok(Math.abs((eq3Loss(a, ws) - eq3Loss(b, ws)) / (2 * h) - g[i]) < 2e-10);
      const ga = eq3Gradient(a, ws), gb = eq3Gradient(b, ws);
      for (let j = 0; j < d; j++) assert.ok(Math.abs((ga[j] - gb[j]) / (2 * h) - H[j * d + i]) < 2e-10, `H ${i},${j}`);
    }
  }
});

test("landscape: closed form vs Monte Carlo (n = 2e5, |z| <= 4 for F and every gradient component)", async () => {
  const e = await engine();
  const seed = 31337;
  const res = e.landscapeMonteCarlo({ radius: 2, points: [[0, 0], [0.5, 0.5], [1.5, -0.3], [0, 2 / Math.sqrt(3)], [3, 3]], samples: 200000, seed });
  for (const p of res.points) {
    assert.ok(Math.abs(p.Fz) <= 4, `seed ${seed} F at ${p.w}: ${p.F} vs ${p.Fexact} z=${p.Fz}`);
    p.gradZ.forEach((z, k) => assert.ok(Math.abs(z) <= 4 || p.gradStderr[k] === 0, `seed ${seed} grad ${k} at ${p.w}: z=${z}`));
  }
});

test("mixture (§4.1): N(0, I) as a one-component mixture reproduces Eq. (3); ∇F vs finite differences; MC of C(v)", async () => {
  const I2 = { rows: 2, cols: 2, data: Float64Array.from([1, 0, 0, 1]) };
  const std = { weights: Float64Array.from([1]), means: { rows: 1, cols: 2, data: new Float64Array(2) }, covs: [I2] };
  const w = Float64Array.from([0.4, -0.2]), ws = Float64Array.from([2, 0]);
  assert.ok(Math.abs(eq3MixtureLoss(w, ws, std) - eq3Loss(w, ws)) < 1e-15);
  const mix = {
    weights: Float64Array.from([0.3, 0.7]),
    means: { rows: 2, cols: 2, data: Float64Array.from([1, -1, -0.5, 0.25]) },
    covs: [{ rows: 2, cols: 2, data: Float64Array.from([1, 0.3, 0.3, 0.5]) }, { rows: 2, cols: 2, data: Float64Array.from([0.4, 0, 0, 2]) }],
  };
  const g = eq3MixtureGradient(w, ws, mix);
  const h = 1e-5;
  for (let i = 0; i < 2; i++) {
    const a = Float64Array.from(w), b = Float64Array.from(w);
    a[i] += h; b[i] -= h;
    assert.ok(Math.abs((eq3MixtureLoss(a, ws, mix) - eq3MixtureLoss(b, ws, mix)) / (2 * h) - g[i]) < 2e-10);
  }
  // MC of C(v) = E cos<v,x> and S(v) under the mixture, with the engine's sampler.
  const e = await engine();
  const seed = 777, N = 200000;
  const { X } = e.rng(seed).mixture(N, mix);
  const v = Float64Array.from([0.7, 0.4]);
  let sc = 0, sc2 = 0, ss = 0, ss2 = 0;
  for (let i = 0; i < N; i++) {
    const z = v[0] * X.data[2 * i] + v[1] * X.data[2 * i + 1];
    const c = Math.cos(z), s = Math.sin(z);
    sc += c; sc2 += c * c; ss += s; ss2 += s * s;
  }
  const { C, S } = mixtureCosMoments(v, mix);
  const zc = (sc / N - C) / Math.sqrt((sc2 / N - (sc / N) ** 2) / N), zs = (ss / N - S) / Math.sqrt((ss2 / N - (ss / N) ** 2) / N);
  assert.ok(Math.abs(zc) <= 4 && Math.abs(zs) <= 4, `seed ${seed}: zc=${zc} zs=${zs}`);
});

test("triangle wave (§4.7): E T and E T T vs Monte Carlo; E T^2 -> 1/3 for large |a|", async () => {
  const e = await engine();
  const seed = 4711, N = 200000, d = 3;
  const X = e.rng(seed).normal(N * d);
  const a = Float64Array.from([0.2, 0.1, -0.15]), b = Float64Array.from([-0.1, 0.25, 0.05]);
  const T = (z: number) => 2 * Math.abs(z - Math.round(z));
  let s1 = 0, s1q = 0, s2 = 0, s2q = 0;
  for (let i = 0; i < N; i++) {
    let za = 0, zb = 0;
    for (let k = 0; k < d; k++) { za += a[k] * X[i * d + k]; zb += b[k] * X[i * d + k]; }
    const ta = T(za), tt = ta * T(zb);
    s1 += ta; s1q += ta * ta; s2 += tt; s2q += tt * tt;
  }
  const m = triangleMoments(a, b);
  const z1 = (s1 / N - m.ET_a) / Math.sqrt((s1q / N - (s1 / N) ** 2) / N);
  const z2 = (s2 / N - m.ETT!) / Math.sqrt((s2q / N - (s2 / N) ** 2) / N);
  assert.ok(Math.abs(z1) <= 4 && Math.abs(z2) <= 4, `seed ${seed}: z1=${z1} z2=${z2}`);
  const big = Float64Array.from([5, 0, 0]);
  assert.ok(Math.abs(triangleMoments(big, big).ETT! - 1 / 3) < 1e-8);
  assert.ok(Math.abs(triangleMoments(big).ET_a - 0.5) < 1e-15);
});

test("landscape: bad inputs give typed errors", () => {
  throwsWith(() => landscape({ radius: 0 }), InvalidArgumentError, "options.radius");
  throwsWith(() => landscape({ radius: 2, grid: 1 }), InvalidArgumentError, "options.grid");
  throwsWith(() => landscape({ radius: 2, extent: -1 }), InvalidArgumentError, "options.extent");
  throwsWith(() => landscape(undefined as never), InvalidArgumentError, "options");
});

test.run();
