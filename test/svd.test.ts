// Thin SVD (engine.svd): invariants against the issue-2 bar (LAPACK's accuracy), known constructed spectra,
// an independent reference (eigenvalues of A^T A by plain-TS Jacobi), sign convention, bad inputs, and the
// non-convergence path. Failing randomized cases print their seed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, randMatrix, throwsWith } from "./helpers.js";
import {
  EPS, fro, gradedFamily, mul, orthError, reconError, relReconScaled, symEig, transpose, withSingularValues,
} from "./svd_helpers.js";
import {
  AllocationError, ConvergenceError, createEngine, InvalidArgumentError, OverflowError, type Engine, type Matrix, type SvdResult,
} from "../src/index.js";
import { setSvdPath, svdUnchecked, type SvdPath } from "../src/linalg/svd.js";

/**
 * The acceptance bar: ||A - U S V^T||_F / ||A||_F, ||U^T U - I||_F, ||V^T V - I||_F and
 * max_i |S_i - s_i| / s_1 all <= 1e-13. LAPACK's own bound is c * k * eps; 1e-13 = 450 eps covers c = 3.5 at the
 * largest tested k = 129 (measured values are 10-100x below the bar, see the final assertions' messages).
 */
const BAR = 1e-13;

let e: Engine;
/** Which SVD algorithm this copy of the suite runs (svd-bidiag.test.ts imports this file with ?path=bidiag). */
const PATH = (new URL(import.meta.url).searchParams.get("path") ?? "jacobi") as SvdPath;
test.before(async () => { e = await engine(); setSvdPath(PATH); });
test.after(() => { setSvdPath("auto"); });

/** Every invariant of the contract on one input; returns the result for case-specific checks. */
function checkSvd(A: Matrix, label: string): SvdResult {
  const m = A.rows, n = A.cols, k = Math.min(m, n);
  const r = e.svd(A);
  assert.is(r.U.rows, m, `${label}: U rows`);
  assert.is(r.U.cols, k, `${label}: U cols`);
  assert.is(r.V.rows, n, `${label}: V rows`);
  assert.is(r.V.cols, k, `${label}: V cols`);
  assert.is(r.S.length, k, `${label}: S length`);
  for (let i = 0; i < k; i++) {
    assert.ok(r.S[i] >= 0, `${label}: S[${i}] >= 0`);
    if (i > 0) assert.ok(r.S[i] <= r.S[i - 1], `${label}: S descending at ${i}`);
  }
  const nA = fro(A.data);
  const rec = reconError(A, r.U, r.S, r.V) / (nA || 1);
  const ou = orthError(r.U), ov = orthError(r.V);
  assert.ok(rec <= BAR, `${label}: ||A - USV^T||/||A|| = ${rec}`);
  assert.ok(ou <= BAR, `${label}: ||U^T U - I|| = ${ou}`);
  assert.ok(ov <= BAR, `${label}: ||V^T V - I|| = ${ov}`);
  // Sign convention: the largest-magnitude entry of every V column (first row on ties) is positive.
  for (let c = 0; c < k; c++) {
    let big = -1, val = 0;
    for (let i = 0; i < n; i++) { const v = r.V.data[i * k + c]; if (Math.abs(v) > big) { big = Math.abs(v); val = v; } }
    assert.ok(val > 0, `${label}: sign convention, V column ${c}`);
  }
  // rank / tolerance convention
  const tol = Math.max(m, n) * EPS * (k ? r.S[0] : 0);
  assert.is(r.tolerance, tol, `${label}: tolerance`);
  assert.is(r.rank, r.S.filter((s) => s > tol).length, `${label}: rank`);
  return r;
}

const SIZES = [1, 2, 3, 7, 17, 33, 129];

test("svd: random tall, wide and square matrices at odd sizes meet the 1e-13 bar", () => {
  for (const m of SIZES) for (const n of SIZES) {
    const seed = 1000 * m + n;
    checkSvd(randMatrix(m, n, seed), `random ${m}x${n} seed ${seed}`);
  }
  checkSvd(randMatrix(300, 40, 7), "random 300x40 seed 7");
  checkSvd(randMatrix(40, 300, 8), "random 40x300 seed 8");
});

test("svd: singular values agree with sqrt(eig(A^T A)) from an independent Jacobi eigensolver", () => {
  for (const [m, n, seed] of [[17, 7, 1], [7, 17, 2], [33, 33, 3], [60, 25, 4], [25, 60, 5]]) {
    const A = randMatrix(m, n, seed);
    const r = checkSvd(A, `ref ${m}x${n} seed ${seed}`);
    const G = m >= n ? mul(transpose(A), A) : mul(A, transpose(A));
    const ev = symEig(G);
    for (let i = 0; i < r.S.length; i++) {
      // Eigenvalues of the Gram matrix carry error ~ k eps ||G||, hence sqrt error ~ k eps s_1^2 / (2 s_i).
      const ref = Math.sqrt(Math.max(ev[i], 0));
      const tol = 8 * Math.min(m, n) * EPS * r.S[0] ** 2 / ref + BAR * r.S[0];
      assert.ok(Math.abs(r.S[i] - ref) <= tol, `seed ${seed}: S[${i}] = ${r.S[i]} vs ${ref} (tol ${tol})`);
    }
  }
});

test("svd: graded singular values 1 .. 1e-12 are recovered within 1e-13 * s_1", () => {
  for (const [m, n, seed] of [[40, 40, 11], [129, 33, 12], [33, 129, 13], [300, 40, 14], [17, 17, 15], [200, 100, 16]]) {
    const k = Math.min(m, n);
    const s = Float64Array.from({ length: k }, (_, i) => 10 ** (-12 * (k === 1 ? 0 : i / (k - 1))));
    const A = withSingularValues(m, n, s, seed);
    const r = checkSvd(A, `graded ${m}x${n} seed ${seed}`);
    let worst = 0;
    for (let i = 0; i < k; i++) worst = Math.max(worst, Math.abs(r.S[i] - s[i]) / s[0]);
    assert.ok(worst <= BAR, `graded ${m}x${n} seed ${seed}: max |S_i - s_i| / s_1 = ${worst}`);
    assert.is(r.rank, k, `graded ${m}x${n}: full rank (1e-12 > max(m,n) eps)`);
  }
});

test("svd: column- and row-graded matrices A = D1 B D2 (scales 1 .. 1e-12) meet the bar", () => {
  for (const [m, n, rows, cols, seed] of [[200, 60, false, true, 81], [200, 60, true, false, 82], [90, 90, true, true, 83], [40, 120, false, true, 84]] as const) {
    const A = randMatrix(m, n, seed);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      // Scales in a scrambled order so that pivoting has work to do.
      if (cols) A.data[i * n + j] *= 10 ** (-12 * ((j * 7919) % n) / (n - 1));
      if (rows) A.data[i * n + j] *= 10 ** (-12 * ((i * 104729) % m) / (m - 1));
    }
    checkSvd(A, `graded D1 B D2 ${m}x${n} rows ${rows} cols ${cols} seed ${seed}`);
  }
});

test("svd: exact rank-deficient matrices report the rank and still reconstruct", () => {
  for (const [m, n, rk, seed] of [[30, 20, 5, 21], [20, 30, 7, 22], [129, 17, 1, 23], [33, 33, 32, 24], [50, 10, 9, 25], [9, 9, 3, 26]]) {
    const s = Float64Array.from({ length: rk }, (_, i) => 1 + 0.5 * (rk - i));
    const A = withSingularValues(m, n, s, seed);
    const r = checkSvd(A, `rank ${rk} ${m}x${n} seed ${seed}`);
    assert.is(r.rank, rk, `rank ${rk} ${m}x${n} seed ${seed}: reported rank ${r.rank}`);
    for (let i = 0; i < rk; i++) assert.ok(Math.abs(r.S[i] - s[i]) <= BAR * s[0], `seed ${seed}: S[${i}]`);
    for (let i = rk; i < r.S.length; i++) assert.ok(r.S[i] <= r.tolerance, `seed ${seed}: tail S[${i}] = ${r.S[i]}`);
  }
});

test("svd: k >= 64 (eigenvector-preconditioned Jacobi path, used for k >= 32): random, graded, rank-deficient, repeated, zero", () => {
  checkSvd(randMatrix(150, 80, 61), "random 150x80 seed 61");
  checkSvd(randMatrix(64, 200, 62), "random 64x200 seed 62");
  const k = 90;
  const g = Float64Array.from({ length: k }, (_, i) => 10 ** (-12 * i / (k - 1)));
  const rg = checkSvd(withSingularValues(120, k, g, 63), "graded 120x90 seed 63");
  for (let i = 0; i < k; i++) assert.ok(Math.abs(rg.S[i] - g[i]) <= BAR * g[0], `graded 120x90: S[${i}]`);
  for (const [m, n, rk, seed] of [[150, 80, 20, 64], [80, 150, 79, 65], [100, 100, 1, 66]]) {
    const s = Float64Array.from({ length: rk }, (_, i) => 2 - i / rk);
    const r = checkSvd(withSingularValues(m, n, s, seed), `rank ${rk} ${m}x${n} seed ${seed}`);
    assert.is(r.rank, rk, `rank ${rk} ${m}x${n} seed ${seed}: reported ${r.rank}`);
    for (let i = 0; i < rk; i++) assert.ok(Math.abs(r.S[i] - s[i]) <= BAR * s[0], `seed ${seed}: S[${i}]`);
  }
  const rep = Float64Array.from({ length: 70 }, (_, i) => (i < 30 ? 3 : i < 60 ? 1 : 0.25));
  const rr = checkSvd(withSingularValues(100, 70, rep, 67), "repeated 100x70 seed 67");
  for (let i = 0; i < 70; i++) assert.ok(Math.abs(rr.S[i] - rep[i]) <= BAR * 3, `repeated: S[${i}]`);
  const Z = checkSvd({ rows: 70, cols: 70, data: new Float64Array(4900) }, "zero 70x70");
  assert.is(Z.rank, 0);
});

test("svd: zero matrix gives S = 0, rank 0 and orthonormal U, V", () => {
  for (const [m, n] of [[1, 1], [5, 3], [3, 5], [17, 17]]) {
    const A = { rows: m, cols: n, data: new Float64Array(m * n) };
    const r = checkSvd(A, `zero ${m}x${n}`);
    assert.ok(r.S.every((s) => s === 0));
    assert.is(r.rank, 0);
    assert.is(r.tolerance, 0);
  }
});

test("svd: 1x1, a row and a column have closed forms", () => {
  const r = e.svd({ rows: 1, cols: 1, data: Float64Array.of(-3) });
  assert.equal([r.S[0], r.U.data[0], r.V.data[0]], [3, -1, 1]);
  const row = e.svd({ rows: 1, cols: 2, data: Float64Array.of(3, -4) });
  assert.ok(Math.abs(row.S[0] - 5) <= 2 * EPS * 5);
  assert.ok(Math.abs(row.V.data[0] + 0.6) <= 4 * EPS && Math.abs(row.V.data[1] - 0.8) <= 4 * EPS, "V = -(3,-4)/5 by the sign rule");
  assert.is(row.U.data[0], -1);
  const col = e.svd({ rows: 2, cols: 1, data: Float64Array.of(3, -4) });
  assert.ok(Math.abs(col.S[0] - 5) <= 2 * EPS * 5);
  assert.is(col.V.data[0], 1);
  assert.ok(Math.abs(col.U.data[0] - 0.6) <= 4 * EPS && Math.abs(col.U.data[1] + 0.8) <= 4 * EPS);
});

test("svd: repeated singular values", () => {
  const s = [2, 2, 2, 1, 1, 0.5, 0.5, 0.5];
  for (const [m, n, seed] of [[20, 8, 31], [8, 20, 32], [8, 8, 33]]) {
    const A = withSingularValues(m, n, s, seed);
    const r = checkSvd(A, `repeated ${m}x${n} seed ${seed}`);
    for (let i = 0; i < s.length; i++) assert.ok(Math.abs(r.S[i] - s[i]) <= BAR * 2, `seed ${seed}: S[${i}]`);
  }
  // The identity: every singular value 1.
  const I = { rows: 5, cols: 5, data: new Float64Array(25) };
  for (let i = 0; i < 5; i++) I.data[i * 6] = 1;
  const r = checkSvd(I, "identity 5");
  assert.ok(r.S.every((x) => x === 1));
});

test("svd: deterministic bits, sign convention under A -> -A, exact power-of-two scaling", () => {
  const A = randMatrix(23, 11, 41);
  const r1 = e.svd(A), r2 = e.svd(A);
  assert.equal(Array.from(r1.U.data), Array.from(r2.U.data));
  assert.equal(Array.from(r1.S), Array.from(r2.S));
  assert.equal(Array.from(r1.V.data), Array.from(r2.V.data));
  const neg = e.svd({ rows: 23, cols: 11, data: A.data.map((x) => -x) });
  // -A = (-U) S V^T: V is pinned by the sign rule, so only U changes sign (distinct singular values).
  for (let i = 0; i < r1.V.data.length; i++) assert.ok(Math.abs(neg.V.data[i] - r1.V.data[i]) <= 1e-12, `V[${i}]`);
  for (let i = 0; i < r1.U.data.length; i++) assert.ok(Math.abs(neg.U.data[i] + r1.U.data[i]) <= 1e-12, `U[${i}]`);
  // Inputs are scaled internally by a power of two, so huge / tiny inputs give exactly scaled singular values.
  for (const f of [2 ** 600, 2 ** -600]) {
    const rs = e.svd({ rows: 23, cols: 11, data: A.data.map((x) => x * f) });
    assert.equal(Array.from(rs.S), Array.from(r1.S).map((x) => x * f));
    assert.equal(Array.from(rs.V.data), Array.from(r1.V.data));
  }
  // Extreme ranges: entries near the overflow threshold, and subnormal entries (2^-1060 keeps ~14 bits).
  for (const f of [2 ** 1000, 2 ** -1060]) {
    const As = { rows: 23, cols: 11, data: A.data.map((x) => x * f) };
    const rs = e.svd(As);
    for (let i = 0; i < 11; i++) {
      const tol = f > 1 ? BAR : 2 ** -13; // relative precision of the subnormal input itself
      assert.ok(Math.abs(rs.S[i] / f - r1.S[i]) <= tol * r1.S[0], `scale ${f}: S[${i}]`);
    }
    assert.ok(orthError(rs.U) <= BAR && orthError(rs.V) <= BAR, `scale ${f}: orthonormal factors`);
  }
});

test("svd: orthonormal U and V on graded matrices with scales spread up to 1e-300 .. 1e300 (zero singular values completed)", () => {
  // Column-, row- and doubly-graded Gaussian matrices, tall / wide / very tall (two-stage QR) / small (no
  // preconditioner) / rank-deficient. Most singular values underflow to exactly 0 relative to S[0] here; their
  // columns of U and V must still complete an orthonormal basis. Bar: the same 1e-13 as everywhere (measured
  // <= 1e-14, see the messages); reconstruction on the scaled A, S (the measurement would overflow otherwise).
  const shapes: Array<[number, number, "cols" | "rows" | "both", number]> = [
    [200, 100, "cols", 0], [200, 100, "rows", 0], [100, 200, "cols", 0], [100, 200, "rows", 0], [200, 100, "both", 0],
    [200, 100, "cols", 5], [120, 90, "both", 7], [500, 60, "cols", 0], [60, 500, "rows", 0], [40, 20, "cols", 0], [20, 40, "both", 3],
  ];
  let worst = 0;
  for (const [m, n, mode, def] of shapes) for (const spread of [0, 50, 80, 100, 150, 200, 250, 300]) {
    const label = `${m}x${n} ${mode} deficient ${def} spread 1e±${spread}`;
    const A = gradedFamily(m, n, spread, mode, 1000 + m + spread, def);
    const r = e.svd(A);
    const ou = orthError(r.U), ov = orthError(r.V), rec = relReconScaled(A, r.U, r.S, r.V);
    assert.ok(ou <= BAR, `${label}: ||U^T U - I|| = ${ou}`);
    assert.ok(ov <= BAR, `${label}: ||V^T V - I|| = ${ov}`);
    assert.ok(rec <= BAR, `${label}: ||A - USV^T|| / ||A|| = ${rec}`);
    for (let i = 1; i < r.S.length; i++) assert.ok(r.S[i] <= r.S[i - 1] && r.S[i] >= 0, `${label}: S order at ${i}`);
    if (spread === 0) assert.is(r.rank, Math.min(m, n - def), `${label}: rank`);
    worst = Math.max(worst, ou, ov, rec);
  }
  assert.ok(worst <= BAR, `worst ${worst}`);
});

test("svd: results beyond float64 raise OverflowError; near the limits they are exact (scaled internally)", () => {
  const M = (rows: number[][]): Matrix => ({ rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) });
  // sqrt(2) * 1.5e308 = 2.1213e308 > 1.7977e308: not representable, so a typed error, never Infinity / rank 0.
  throwsWith(() => e.svd(M([[1.5e308], [1.5e308], [0]])), OverflowError,
    "invalid argument. A must be a matrix whose largest singular value fits in float64", "here 2.1213e+308", "Value: `{ rows: 3, cols: 1 }`.");
  try { e.svd(M([[1.5e308, 1.5e308]])); assert.unreachable(); } catch (err) {
    assert.instance(err, InvalidArgumentError);
    assert.is((err as OverflowError).code, "ERANGE");
    assert.is((err as OverflowError).operation, "svd");
    assert.is((err as OverflowError).argument, "A");
  }
  // Just inside the range: S = sqrt(2) * 1e308 to rounding, rank 1, orthonormal factors.
  const r = e.svd(M([[1e308], [1e308], [0]]));
  assert.ok(Math.abs(r.S[0] / 1e308 - Math.SQRT2) <= 4 * EPS, `S = ${r.S[0]}`);
  assert.is(r.rank, 1);
  assert.ok(Number.isFinite(r.tolerance) && r.tolerance > 0);
  // Tiny: the rank is decided before scaling back, so a subnormal S[0] still gives the right rank.
  const t = e.svd(M([[2 ** -1060, 2 ** -1061], [2 ** -1061, 2 ** -1060]]));
  assert.is(t.rank, 2);
  assert.ok(Math.abs(t.S[0] - 1.5 * 2 ** -1060) <= 2 ** -1074 && Math.abs(t.S[1] - 0.5 * 2 ** -1060) <= 2 ** -1074, `S = ${Array.from(t.S)}`);
  assert.is(e.svd(M([[1, 2], [3, 4]])).rank, 2, "engine still works");
});

test("svd: bad inputs throw InvalidArgumentError with the template message; engine still works", () => {
  const ok = () => assert.is(e.svd(randMatrix(4, 3, 5)).S.length, 3);
  const nan = randMatrix(3, 3, 1); nan.data[4] = NaN;
  const inf = randMatrix(3, 3, 1); inf.data[2] = -Infinity;
  const cases: [unknown, string][] = [
    [null, "invalid argument. A must be a matrix { rows, cols, data: Float64Array }. Value: `null`."],
    [nan, "invalid argument. A.data[4] must be a finite number. Value: `NaN`."],
    [inf, "invalid argument. A.data[2] must be a finite number. Value: `-Infinity`."],
    [{ rows: 2.5, cols: 2, data: new Float64Array(5) }, "invalid argument. A.rows must be a positive integer"],
    [{ rows: 2, cols: -1, data: new Float64Array(2) }, "invalid argument. A.cols must be a positive integer"],
    [{ rows: 0, cols: 2, data: new Float64Array(0) }, "invalid argument. A.rows must be a positive integer"],
    [{ rows: 2, cols: 2, data: new Float64Array(3) }, "invalid argument. A.data.length must be rows * cols = 4. Value: `3`."],
    [{ rows: 2, cols: 2, data: [1, 2, 3, 4] }, "invalid argument. A.data must be a Float64Array"],
    [{ rows: 2 ** 40, cols: 2, data: new Float64Array(4) }, "invalid argument. A.rows must be a positive integer <= 268435456"],
  ];
  for (const [A, msg] of cases) {
    throwsWith(() => e.svd(A as Matrix), InvalidArgumentError, msg);
    ok();
  }
});

test("svd: non-convergence and NaN below validation surface as ConvergenceError, never a trap or a hang", () => {
  const A = randMatrix(30, 30, 9);
  // Jacobi caps sweeps; the bidiagonal QR caps maxSweeps * k QR steps (it needs about 2 k on random input).
  throwsWith(() => svdUnchecked(e.core, 30, 30, A.data, 1), ConvergenceError, PATH === "jacobi"
    ? "svd (one-sided Jacobi) did not converge after 1 iterations (sweep cap reached)"
    : "svd (bidiagonal QR) did not converge after 30 iterations (step cap reached)");
  throwsWith(() => svdUnchecked(e.core, 30, 30, A.data, 0), ConvergenceError, "did not converge after 0 iterations");
  const bad = Float64Array.from(A.data); bad[77] = NaN;
  throwsWith(() => svdUnchecked(e.core, 30, 30, bad, 60), ConvergenceError, "NaN or Infinity met");
  bad[77] = 0; bad[3] = Infinity;
  throwsWith(() => svdUnchecked(e.core, 5, 6, bad.subarray(0, 30), 60), ConvergenceError, "NaN or Infinity met");
  // Engine still works and the default cap converges with room to spare.
  const r = svdUnchecked(e.core, 30, 30, A.data);
  // Jacobi: 2-15 sweeps; bidiagonal QR: steps per singular value, rounded up (1-3 on random input).
  if (PATH === "jacobi") assert.ok(r.sweeps >= 2 && r.sweeps <= 15, `sweeps ${r.sweeps}`);
  else assert.ok(r.sweeps >= 1 && r.sweeps <= 3, `sweeps ${r.sweeps}`);
  checkSvd(A, "after errors");
});

test("svd: a problem beyond the engine's memory limit throws AllocationError; the engine keeps working", async () => {
  const small = await createEngine({ memoryLimit: 2 ** 20 });
  // 200 x 200: A, U, V copies (3 * 320 KB) plus scratch exceed 1 MiB.
  throwsWith(() => small.svd(randMatrix(200, 200, 71)), AllocationError, "engine memory");
  const r = small.svd(randMatrix(20, 10, 72));
  assert.ok(orthError(r.U) <= BAR && orthError(r.V) <= BAR);
});

test.run();
