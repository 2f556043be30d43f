// Whitening (engine.whiten), PAPERS.md section 1.3 (Theorem 1), rows as samples. Every check is an invariant free of
// the SVD's sign ambiguity; tolerances are derived from the condition numbers the result reports.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, randMatrix, throwsWith } from "./helpers.js";
import { EPS, fro, householderQ, mul, transpose, withSingularValues } from "./svd_helpers.js";
import { InvalidArgumentError, OverflowError, type Engine, type Matrix } from "../src/index.js";
import { setSvdPath, type SvdPath } from "../src/linalg/svd.js";

let e: Engine;
/** Which SVD algorithm this copy of the suite runs (svd-bidiag.test.ts imports this file with ?path=bidiag). */
const PATH = (new URL(import.meta.url).searchParams.get("path") ?? "jacobi") as SvdPath;
test.before(async () => { e = await engine(); setSvdPath(PATH); });
test.after(() => { setSvdPath("auto"); });

function eye(n: number): Matrix {
  const I = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++) I.data[i * n + i] = 1;
  return I;
}
function sub(A: Matrix, B: Matrix): Float64Array {
  return A.data.map((x, i) => x - B.data[i]);
}
function scale(A: Matrix, f: number): Matrix {
  return { rows: A.rows, cols: A.cols, data: A.data.map((x) => x * f) };
}

/** (1/m) Z^T Z = I_r with error <= c * m * eps (Z = sqrt(m) U_r, U_r orthonormal to the SVD's 1e-13 bar). */
function checkWhite(X: Matrix, label: string, options?: { center?: boolean; tolerance?: number }) {
  const w = e.whiten(X, options);
  const m = X.rows, d = X.cols, r = w.rank;
  assert.is(w.Z.rows, m, `${label}: Z rows`);
  assert.is(w.Z.cols, r, `${label}: Z cols`);
  assert.is(w.P.rows, d, `${label}: P rows`);
  assert.is(w.P.cols, r, `${label}: P cols`);
  const C = scale(mul(transpose(w.Z), w.Z), 1 / m);
  const err = fro(sub(C, eye(r)));
  assert.ok(err <= 1e-13, `${label}: ||(1/m) Z^T Z - I_r||_F = ${err}`);
  // Z = X P (X centered when asked): ||X P - Z||_F <= c d eps kappa_r ||Z||_F, kappa_r = D_1 / D_r.
  let Xc = X;
  if (options?.center) {
    assert.ok(w.mean instanceof Float64Array && w.mean.length === d, `${label}: mean`);
    Xc = { rows: m, cols: d, data: X.data.map((x, i) => x - w.mean![i % d]) };
  } else {
    assert.is(w.mean, undefined, `${label}: no mean without centering`);
  }
  if (r > 0) {
    const kappa = w.singularValues[0] / w.singularValues[r - 1];
    const xp = mul(Xc, w.P);
    const tol = 8 * (d + 1) * EPS * kappa * fro(w.Z.data);
    const got = fro(sub(xp, w.Z));
    assert.ok(got <= tol, `${label}: ||X P - Z|| = ${got} > ${tol}`);
  }
  return { w, Xc };
}

test("whiten: (1/m) Z^T Z = I_r and Z = X P on random tall and wide data", () => {
  for (const [m, d, seed] of [[50, 7, 1], [200, 33, 2], [17, 17, 3], [5, 12, 4], [129, 1, 5], [1, 3, 6], [300, 40, 7]]) {
    const { w } = checkWhite(randMatrix(m, d, seed), `random ${m}x${d} seed ${seed}`);
    assert.is(w.rank, Math.min(m, d), `seed ${seed}: rank`);
    assert.is(w.cutoff, Math.max(m, d) * EPS * w.singularValues[0]);
  }
});

test("whiten: P P^T = m (X^T X)^+ (Penrose conditions) for full and deficient rank", () => {
  for (const [m, d, rk, seed] of [[40, 6, 6, 11], [40, 9, 4, 12], [6, 10, 6, 13]]) {
    const s = Float64Array.from({ length: rk }, (_, i) => 3 - (2 * i) / rk);
    const X = withSingularValues(m, d, s, seed);
    const { w } = checkWhite(X, `penrose ${m}x${d} rank ${rk}`);
    assert.is(w.rank, rk);
    const G = mul(transpose(X), X); // d x d
    const H = scale(mul(w.P, transpose(w.P)), 1 / m); // candidate G^+
    // Errors: G has entries ~ s_1^2, H ~ 1/s_r^2; each product carries ~ d eps times the norms' product.
    const k2 = (s[0] / s[rk - 1]) ** 2;
    const tol = 16 * d * EPS * k2;
    const GHG = mul(mul(G, H), G), HGH = mul(mul(H, G), H);
    assert.ok(fro(sub(GHG, G)) <= tol * fro(G.data), `G H G = G: ${fro(sub(GHG, G))}`);
    assert.ok(fro(sub(HGH, H)) <= tol * fro(H.data), `H G H = H: ${fro(sub(HGH, H))}`);
    const GH = mul(G, H);
    assert.ok(fro(sub(GH, transpose(GH))) <= tol * fro(GH.data), "G H symmetric");
  }
});

test("whiten: the whitened Gram Z Z^T is the same for X and X M (M invertible, cond up to 1e6)", () => {
  const m = 60, d = 8;
  const X = randMatrix(m, d, 21);
  const base = checkWhite(X, "base").w;
  for (const [condM, seed] of [[1, 22], [1e3, 23], [1e6, 24]]) {
    // M = Q1 diag(1 .. 1/condM) Q2^T
    const sM = Float64Array.from({ length: d }, (_, i) => condM ** (-i / (d - 1)));
    const M = withSingularValues(d, d, sM, seed);
    const wm = checkWhite(mul(X, M), `X M cond ${condM}`).w;
    assert.is(wm.rank, base.rank);
    const G1 = mul(base.Z, transpose(base.Z)), G2 = mul(wm.Z, transpose(wm.Z));
    // Z Z^T = m U_r U_r^T, the orthogonal projector onto range(X) scaled by m; the computed range of X M is off by
    // an angle <= c d eps kappa(X M) (Wedin), so ||G1 - G2||_F <= 2 m sqrt(r) c d eps (kappa(X) + kappa(X M)).
    const kX = base.singularValues[0] / base.singularValues[d - 1], kXM = wm.singularValues[0] / wm.singularValues[d - 1];
    const tol = 2 * m * Math.sqrt(d) * 8 * d * EPS * (kX + kXM);
    const diff = fro(sub(G1, G2));
    assert.ok(diff <= tol, `cond(M) = ${condM}: ||Z Z^T - Z_M Z_M^T||_F = ${diff} > ${tol}`);
  }
  // Orthogonal M: the same up to rounding.
  const Q = householderQ(d, d, 25);
  const wq = e.whiten(mul(X, Q));
  const diff = fro(sub(mul(base.Z, transpose(base.Z)), mul(wq.Z, transpose(wq.Z))));
  assert.ok(diff <= 1e-12 * m, `orthogonal M: ${diff}`);
});

test("whiten: centering subtracts the mean, Z has zero column means and rank drops to m - 1 when m <= d", () => {
  const m = 40, d = 5;
  const X = randMatrix(m, d, 31);
  const off = [100, -3, 0.5, 7, 1e3];
  const Xo = { rows: m, cols: d, data: X.data.map((x, i) => x + off[i % d]) };
  const { w } = checkWhite(Xo, "centered", { center: true });
  for (let j = 0; j < d; j++) {
    let mu = 0;
    for (let i = 0; i < m; i++) mu += Xo.data[i * d + j];
    mu /= m;
    assert.ok(Math.abs(w.mean![j] - mu) <= 4 * m * EPS * Math.abs(off[j] + 1), `mean[${j}]`);
    let zs = 0;
    for (let i = 0; i < m; i++) zs += w.Z.data[i * w.rank + j];
    assert.ok(Math.abs(zs) <= 1e-10, `column mean of Z[:, ${j}] = ${zs / m}`);
  }
  // Without centering the offset dominates: still white, but Z has nonzero means.
  checkWhite(Xo, "uncentered");
  // m <= d: centered data has rank m - 1.
  const wide = checkWhite(randMatrix(6, 10, 32), "centered wide", { center: true }).w;
  assert.is(wide.rank, 5);
  const one = e.whiten(randMatrix(1, 4, 33), { center: true });
  assert.is(one.rank, 0);
  assert.is(one.Z.cols, 0);
});

test("whiten: rank-deficient and zero data; the tolerance option sets the cutoff", () => {
  const B = randMatrix(30, 3, 41), C = randMatrix(3, 9, 42);
  const { w } = checkWhite(mul(B, C), "rank 3");
  assert.is(w.rank, 3);
  const z = e.whiten({ rows: 4, cols: 3, data: new Float64Array(12) });
  assert.is(z.rank, 0);
  assert.is(z.cutoff, 0);
  assert.equal([z.Z.rows, z.Z.cols, z.P.rows, z.P.cols], [4, 0, 3, 0]);
  const X = withSingularValues(20, 3, [1, 1e-3, 1e-6], 43);
  assert.is(e.whiten(X).rank, 3);
  const t = checkWhite(X, "tolerance 1e-4", { tolerance: 1e-4 }).w;
  assert.is(t.rank, 2);
  assert.is(t.cutoff, 1e-4);
  assert.is(e.whiten(X, { tolerance: 0.5 }).rank, 1);
  assert.is(e.whiten(X, { tolerance: 2 }).rank, 0);
});

test("whiten: tiny and huge data whiten exactly like scaled data, or refuse with OverflowError (never Infinity)", () => {
  const X = randMatrix(7, 3, 61);
  const bits = (a: Float64Array) => Array.from(a);
  for (const center of [false, true]) {
    const w0 = e.whiten(X, { center });
    // 2^k X: Z is unchanged, P scales by 2^-k, D and the mean by 2^k, all exactly (power-of-two scaling is exact
    // and the engine computes on 2^E X internally). 2^1021 * 7 entries in [-1, 1): ||X||_2 < 2^1023, representable.
    for (const k of [1021, 600, -600, -1000]) {
      const w = e.whiten(scale(X, 2 ** k), { center });
      const label = `center ${center} scale 2^${k}`;
      assert.equal(bits(w.Z.data), bits(w0.Z.data), `${label}: Z`);
      assert.equal(bits(w.P.data), bits(w0.P.data.map((x) => x * 2 ** -k)), `${label}: P`);
      assert.equal(bits(w.singularValues), bits(w0.singularValues.map((x) => x * 2 ** k)), `${label}: D`);
      if (center) assert.equal(bits(w.mean!), bits(w0.mean!.map((x) => x * 2 ** k)), `${label}: mean`);
      assert.is(w.rank, w0.rank, `${label}: rank`);
    }
  }
  const M = (rows: number[][]): Matrix => ({ rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) });
  // Data near 1e-310: P = sqrt(3) / 2.24e-310 ~ 7.7e309 does not fit in float64.
  throwsWith(() => e.whiten(M([[1e-310], [2e-310], [0]])), OverflowError,
    "invalid argument. X must be a matrix whose kept singular values give a finite whitening matrix", "Value: `{ rows: 3, cols: 1 }`.");
  // Near 1e-300 it fits: P = sqrt(3) / (sqrt(5) 1e-300).
  const t = e.whiten(M([[1e-300], [2e-300], [0]]));
  assert.ok(Math.abs(t.P.data[0] / (Math.sqrt(3) / (Math.sqrt(5) * 1e-300)) - 1) <= 8 * EPS, `P = ${t.P.data[0]}`);
  // 1e308 entries with centering: the mean and the differences are formed without overflow...
  const c = e.whiten(M([[1e308, 0], [-1e308, 1e307], [0.5e308, -1e307]]), { center: true });
  assert.is(c.rank, 2);
  assert.ok(c.mean![0] === 0.5e308 / 3 || Math.abs(c.mean![0] / (0.5e308 / 3) - 1) <= 4 * EPS, `mean ${c.mean![0]}`);
  const zz = mul(transpose(c.Z), c.Z).data.map((x) => x / 3);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) assert.ok(Math.abs(zz[i * 2 + j] - (i === j ? 1 : 0)) <= 1e-13, "Z^T Z / m = I");
  // ...and a result that does not fit (largest singular value 2e308) is refused with a typed error.
  throwsWith(() => e.whiten(M([[1e308, -1e308], [-1e308, 1e308], [1e308, 1e308]]), { center: true }), OverflowError,
    "X must be a matrix whose singular values fit in float64", "the largest is 2.0000e+308");
  assert.is(e.whiten(X).rank, 3, "engine still works");
});

test("whiten: bad inputs throw InvalidArgumentError with the template message; engine still works", () => {
  const X = randMatrix(6, 3, 51);
  const ok = () => assert.is(e.whiten(X).rank, 3);
  const nan = randMatrix(3, 2, 1); nan.data[1] = NaN;
  const cases: [unknown, unknown, string][] = [
    [X, 5, "invalid argument. options must be an object or undefined. Value: `5`."],
    [X, { center: "yes" }, "invalid argument. options.center must be a boolean. Value: `\"yes\"`."],
    [X, { tolerance: -1 }, "invalid argument. options.tolerance must be a finite number >= 0. Value: `-1`."],
    [X, { tolerance: NaN }, "invalid argument. options.tolerance must be a finite number >= 0. Value: `NaN`."],
    [X, { tolerance: Infinity }, "invalid argument. options.tolerance must be a finite number >= 0. Value: `Infinity`."],
    [nan, undefined, "invalid argument. X.data[1] must be a finite number. Value: `NaN`."],
    [{ rows: 3, cols: 1.5, data: new Float64Array(3) }, undefined, "invalid argument. X.cols must be a positive integer"],
    [{ rows: -2, cols: 1, data: new Float64Array(2) }, undefined, "invalid argument. X.rows must be a positive integer"],
    [{ rows: 2, cols: 2, data: new Float64Array(5) }, undefined, "invalid argument. X.data.length must be rows * cols = 4. Value: `5`."],
    [undefined, undefined, "invalid argument. X must be a matrix"],
  ];
  for (const [A, o, msg] of cases) {
    throwsWith(() => e.whiten(A as Matrix, o as never), InvalidArgumentError, msg);
    ok();
  }
});

test.run();
