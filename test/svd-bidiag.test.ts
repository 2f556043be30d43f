// The SVD and whitening batteries (svd.test.ts, whiten.test.ts) once more, on the second SVD algorithm
// (Householder bidiagonalization + implicit-QR bidiagonal SVD, assembly/linalg/svd_bidiag_f64.ts), forced through
// the internal path switch: both algorithms must meet the same contract, whichever one the dispatch picks.
await import("./svd.test.ts?path=bidiag");
await import("./whiten.test.ts?path=bidiag");

// Large square and near-square inputs (the shapes the dispatch sends to the bidiagonal path): both algorithms
// are backward stable, so their singular values agree within c k eps s_1, and for a singular value separated
// from its neighbours by relgap * s_1 the vectors agree up to an angle O(k eps / relgap) (Wedin's theorem).
const { test } = await import("uvu");
const assert = await import("uvu/assert");
const { engine, randMatrix } = await import("./helpers.js");
const { EPS, orthError, reconError, fro, withSingularValues } = await import("./svd_helpers.js");
const { setSvdPath, svdPathFor } = await import("../src/linalg/svd.js");
type M = import("../src/index.js").Matrix;
type R = import("../src/index.js").SvdResult;

let eng: Awaited<ReturnType<typeof engine>>;
test.before(async () => { eng = await engine(); });
test.after(() => { setSvdPath("auto"); });

function both(A: M): [R, R] {
  setSvdPath("jacobi");
  const j = eng.svd(A);
  setSvdPath("bidiag");
  const b = eng.svd(A);
  setSvdPath("auto");
  return [j, b];
}

function angle(X: M, Y: M, c: number): number {
  const k = X.cols;
  // ||x - sign(x.y) y|| (not sqrt(2 (1 - |x.y|)), which cancels below sqrt(eps)).
  let dot = 0, d2 = 0;
  for (let i = 0; i < X.rows; i++) dot += X.data[i * k + c] * Y.data[i * k + c];
  const sg = dot < 0 ? -1 : 1;
  for (let i = 0; i < X.rows; i++) d2 += (X.data[i * k + c] - sg * Y.data[i * k + c]) ** 2;
  return Math.sqrt(d2);
}

function compare(A: M, label: string, separated = true): void {
  const [j, b] = both(A);
  const k = Math.min(A.rows, A.cols), s0 = j.S[0] || 1;
  const tol = 4 * k * EPS;
  const rec = reconError(A, b.U, b.S, b.V) / (fro(A.data) || 1);
  assert.ok(rec <= tol, `${label}: ||A - USV^T||/||A|| = ${rec} > ${tol}`);
  const ou = orthError(b.U), ov = orthError(b.V);
  assert.ok(ou <= tol && ov <= tol, `${label}: orthogonality ${ou}, ${ov} > ${tol}`);
  assert.is(b.rank, j.rank, `${label}: rank`);
  let worst = 0, checked = 0;
  for (let i = 0; i < k; i++) {
    worst = Math.max(worst, Math.abs(b.S[i] - j.S[i]) / s0);
    const gap = Math.min(i > 0 ? j.S[i - 1] - j.S[i] : Infinity, i + 1 < k ? j.S[i] - j.S[i + 1] : Infinity) / s0;
    if (gap < 1e-3) continue;
    checked++;
    const bound = 10 * k * EPS / gap;
    assert.ok(angle(j.U, b.U, i) <= bound, `${label}: U column ${i} angle ${angle(j.U, b.U, i)} > ${bound}`);
    assert.ok(angle(j.V, b.V, i) <= bound, `${label}: V column ${i} angle ${angle(j.V, b.V, i)} > ${bound}`);
  }
  assert.ok(worst <= tol, `${label}: max |S_bidiag - S_jacobi| / s_1 = ${worst} > ${tol}`);
  if (separated) assert.ok(checked > 0, `${label}: no separated singular value checked`);
}

test("svd paths agree: large square and near-square random, graded, rank-deficient, clustered", () => {
  compare(randMatrix(300, 300, 81), "random 300x300");
  compare(randMatrix(360, 250, 82), "random 360x250");
  compare(randMatrix(250, 360, 83), "random 250x360");
  compare(randMatrix(600, 500, 88), "random 600x500");
  const k = 240;
  compare(withSingularValues(k, k, Float64Array.from({ length: k }, (_, i) => 10 ** (-12 * i / (k - 1))), 84), "graded 240x240");
  compare(withSingularValues(260, 200, Float64Array.from({ length: 150 }, (_, i) => 1 + i / 150), 85), "rank 150 260x200");
  compare(withSingularValues(220, 220, Float64Array.from({ length: 220 }, (_, i) => (i < 100 ? 2 : 1 + 1e-9 * i)), 86), "clustered 220x220", false);
});

test("svd dispatch: square-ish k >= 100 takes the bidiagonal path, everything else Jacobi; auto results are deterministic", () => {
  assert.is(svdPathFor(100, 100), "bidiag");
  assert.is(svdPathFor(150, 100), "bidiag");
  assert.is(svdPathFor(100, 150), "bidiag");
  assert.is(svdPathFor(151, 100), "jacobi");
  assert.is(svdPathFor(99, 99), "jacobi");
  assert.is(svdPathFor(20000, 100), "jacobi");
  assert.is(svdPathFor(1000, 500), "jacobi");
  const A = randMatrix(130, 110, 87);
  const r1 = eng.svd(A), r2 = eng.svd(A);
  assert.equal(r1.S, r2.S);
  assert.equal(r1.U.data, r2.U.data);
  assert.equal(r1.V.data, r2.V.data);
  setSvdPath("bidiag");
  const rb = eng.svd(A);
  setSvdPath("auto");
  assert.equal(rb.S, r1.S, "auto = bidiag for 130x110");
});

test.run();
