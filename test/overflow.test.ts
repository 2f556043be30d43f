// Overflow / underflow policy (README "Overflow and underflow"): finite inputs never give a silent NaN or Infinity.
// Where the exact result fits in float64 it is computed (exact power-of-two scaling, rescue of intermediate
// overflow); where it does not, an OverflowError (an InvalidArgumentError with code "ERANGE") names the argument.
// The SVD / whitening cases live in svd.test.ts and whiten.test.ts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, randMatrix, throwsWith } from "./helpers.js";
import { createGemmThreads, InvalidArgumentError, OverflowError, type Engine, type GemmThreads, type Matrix } from "../src/index.js";
import {
  arcCosKernel, arcCosKernelGrad, expectedClippedRelu, expectedRelu, expectedReluBias, objectiveGradient, optimizerStep,
  periodicTarget, periodicTargetForward, populationLoss, transferMatrix, triangleMoments,
} from "../src/index.js";

let e: Engine;
let t: GemmThreads;
test.before(async () => { e = await engine(); t = await createGemmThreads(e); });
test.after(async () => { await t.close(); });

const M = (rows: number[][]): Matrix => ({ rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) });
const bits = (a: Float64Array) => Array.from(a);

/**
 * [X, X, -X] (m x 3q) times [I; I; I] (3q x q) = X exactly, with |X| near 2^1023: every partial sum X + X
 * overflows, the exact result fits. In the scaled domain every sum is exact, so the rescued result must be X to
 * the bit.
 */
function cancelling(m: number, q: number, seed: number): { A: Matrix; B: Matrix; X: Float64Array } {
  const X = randMatrix(m, q, seed).data.map((x) => (1 + Math.abs(x) / 2) * 2 ** 1023 * Math.sign(x || 1));
  const A = new Float64Array(m * 3 * q), B = new Float64Array(3 * q * q);
  for (let i = 0; i < m; i++) for (let j = 0; j < q; j++) {
    A[i * 3 * q + j] = X[i * q + j];
    A[i * 3 * q + q + j] = X[i * q + j];
    A[i * 3 * q + 2 * q + j] = -X[i * q + j];
  }
  for (let b = 0; b < 3; b++) for (let j = 0; j < q; j++) B[(b * q + j) * q + j] = 1;
  return { A: { rows: m, cols: 3 * q, data: A }, B: { rows: 3 * q, cols: q, data: B }, X };
}

test("matmul / gemv: intermediate overflow is rescued to the exact result (engine and both thread paths)", () => {
  // 3 x 4 (single-thread kernels) and 200 x 100 x 300 (12 MFLOP: the threaded row split).
  for (const [m, q] of [[3, 4], [200, 100]]) {
    const { A, B, X } = cancelling(m, q, m);
    assert.equal(bits(e.matmul(A, B).data), bits(X), `engine ${m}x${q}`);
    assert.equal(bits(t.matmul(A, B).data), bits(X), `threads ${m}x${q}`);
    const out = { rows: m, cols: q, data: new Float64Array(m * q) };
    assert.ok(t.matmul(A, B, { out }) === out && bits(out.data).every((v, i) => v === X[i]), `threads out ${m}x${q}`);
    // Transposed operands take the same path.
    const At = { rows: A.cols, cols: A.rows, data: new Float64Array(A.data.length) };
    for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) At.data[j * A.rows + i] = A.data[i * A.cols + j];
    assert.equal(bits(e.matmul(At, B, { transA: true }).data), bits(X), `engine transA ${m}x${q}`);
    // gemv: A times [e_0; e_0; e_0] is column 0 of X (x + x - x per entry), again exactly.
    const sel = new Float64Array(3 * q);
    sel[0] = sel[q] = sel[2 * q] = 1;
    assert.equal(bits(e.gemv(A, sel)), bits(X.filter((_, i) => i % q === 0)), `gemv ${m}x${q}`);
  }
  // alpha scales a product that overflows back into range: (1e300 * 1e10) * 1e-5 = 1e305.
  const r = e.matmul(M([[1e300]]), M([[1e10]]), { alpha: 1e-5 });
  assert.ok(Math.abs(r.data[0] / 1e305 - 1) <= 4 * 2 ** -52, `alpha rescue ${r.data[0]}`);
});

test("matmul / gram / gemv: an exact result beyond float64 is an OverflowError naming the entry; out untouched", () => {
  throwsWith(() => e.matmul(M([[1e308, 1e308]]), M([[1], [1]])), OverflowError,
    "invalid argument. A, B must be matrices whose product alpha * op(A) * op(B) fits in float64",
    "entry (0, 0) is about 2.0000e+308");
  throwsWith(() => e.matmul(M([[1e300]]), M([[1e10]]), { alpha: -1, beta: 1, C: M([[1e308]]) }), OverflowError,
    "alpha * op(A) * op(B) + beta * C", "about -1.0000e+310");
  // beta * C alone can overflow too (alpha = 0: the product is not even formed).
  throwsWith(() => e.matmul(M([[1]]), M([[1]]), { alpha: 0, beta: 1e10, C: M([[1e300]]) }), OverflowError, "about 1.0000e+310");
  try { e.matmul(M([[1e308, 1e308]]), M([[1], [1]])); assert.unreachable(); } catch (err) {
    assert.instance(err, InvalidArgumentError);
    assert.is((err as OverflowError).code, "ERANGE");
    assert.is((err as OverflowError).operation, "matmul");
    assert.is((err as OverflowError).name, "OverflowError");
  }
  // A big product where only one entry overflows, through the threaded row split with options.out: out untouched.
  const A = randMatrix(200, 300, 5), B = randMatrix(300, 100, 6);
  A.data[150 * 300 + 7] = 1.7e308; B.data[7 * 100 + 42] = 2;
  for (const f of [(o?: object) => e.matmul(A, B, o), (o?: object) => t.matmul(A, B, o)]) {
    const out = { rows: 200, cols: 100, data: new Float64Array(200 * 100).fill(7) };
    throwsWith(() => f({ out }), OverflowError, "entry (150, 42) is about 3.4");
    assert.ok(out.data.every((v) => v === 7), "options.out untouched");
  }
  // gram: X^T X with 4 rows of 2^511 is 2^1024: one past the range; 3 rows (1.5 * 2^1023) fit exactly.
  throwsWith(() => e.gram(M([[2 ** 511], [2 ** 511], [2 ** 511], [2 ** 511]])), OverflowError,
    "invalid argument. X must be a matrix whose Gram matrix X^T X fits in float64", "entry (0, 0) is about 1.7977e+308");
  assert.is(e.gram(M([[2 ** 511], [2 ** 511], [2 ** 511]])).data[0], 1.5 * 2 ** 1023);
  const G = randMatrix(300, 64, 9); G.data[5] = 1e200;
  throwsWith(() => t.gram(G), OverflowError, "X^T X fits in float64", "entry (5, 5) is about 1.0000e+400");
  const G2 = randMatrix(1000, 64, 10); G2.data[700 * 64 + 3] = 1e200; // 4.1 MFLOP, m > KC: the overlapped row path
  throwsWith(() => t.gram(G2), OverflowError, "X^T X fits in float64", "entry (3, 3) is about 1.0000e+400");
  throwsWith(() => e.gram(G2), OverflowError, "entry (3, 3) is about 1.0000e+400");
  throwsWith(() => e.gemv(M([[1e308, 1e308]]), Float64Array.from([1, 1])), OverflowError,
    "invalid argument. A, x must be a matrix and vector whose product alpha * op(A) x fits in float64", "entry 0 is about 2.0000e+308");
  // Products without overflow are untouched (bit-identical to the threaded path, which shares no rescue code path).
  assert.equal(bits(e.matmul(randMatrix(40, 30, 1), randMatrix(30, 20, 2)).data), bits(t.matmul(randMatrix(40, 30, 1), randMatrix(30, 20, 2)).data));
  assert.equal(bits(e.matmul(M([[1, 2], [3, 4]]), M([[5], [6]])).data), [17, 39], "engine still works");
});

test("models: forward passes, closed forms, targets and moments: finite where the value fits, OverflowError where not", () => {
  const big = M([[1e300, -1e300], [1e300, 1e300]]), X = M([[1e300, 1e300], [-1e300, 1e300], [1e300, 0]]);
  throwsWith(() => e.reluNet({ W: big }, X), OverflowError, "invalid argument. X must be inputs and weights whose network output fits in float64");
  throwsWith(() => e.convNet(Float64Array.from([1e300, 1e300]), X), OverflowError, "output 0 overflows");
  assert.equal(bits(e.reluNet({ W: M([[2, 0], [0, 1]]) }, M([[1, 1]]))), [3], "engine still works");
  // Norms of vectors near 1e300 (|w|^2 overflows) are formed on scaled entries: exact closed forms still come out.
  const w = Float64Array.from([3e300, 4e300]);
  assert.ok(Math.abs(expectedRelu(w) / (5e300 / Math.sqrt(2 * Math.PI)) - 1) <= 4 * 2 ** -52, `expectedRelu ${expectedRelu(w)}`);
  assert.ok(Math.abs(expectedReluBias(w, 0) / (5e300 / Math.sqrt(2 * Math.PI)) - 1) <= 8 * 2 ** -52);
  assert.ok(Math.abs(expectedClippedRelu(w) - 0.5) <= 2 ** -52, `expectedClippedRelu ${expectedClippedRelu(w)}`);
  assert.is(expectedRelu(Float64Array.from([3e-310, 4e-310])), 5e-310 / Math.sqrt(2 * Math.PI), "tiny w: same as 5e-310 / sqrt(2 pi)");
  // kappa(a, a) = |a|^2 / 2: 1.28e308 fits although |a| |a| = 2.56e308 does not.
  const a = Float64Array.from([1.6e154]);
  assert.ok(Math.abs(arcCosKernel(a, a) / (1.6e154 * 0.8e154) - 1) <= 8 * 2 ** -52, `kappa ${arcCosKernel(a, a)}`);
  assert.ok(arcCosKernelGrad(Float64Array.from([1e300, 0]), Float64Array.from([1e300, 1e300])).every(Number.isFinite));
  throwsWith(() => arcCosKernel(Float64Array.from([1e300]), Float64Array.from([1e300])), OverflowError,
    "invalid argument. a, b must be vectors whose arcCosKernel fits in float64");
  throwsWith(() => populationLoss(M([[1e300]]), M([[-1e300]])), OverflowError, "U, V must be vectors whose populationLoss fits");
  // Periodic targets: a projection beyond float64 has no phase.
  throwsWith(() => periodicTargetForward(e, periodicTarget({ direction: Float64Array.from([1, 0]), r: 1e300 }), X), OverflowError,
    "X must be inputs whose projections <w, x> fit in float64 (row 0");
  // Triangle-wave moments at |a| ~ 1e300: every exponential vanishes, E T = 1/2, E T T = 1/4 for non-collinear a, b.
  const tm = triangleMoments(Float64Array.from([1e300, 0]), Float64Array.from([0, 1e300]));
  assert.is(tm.ET_a, 0.5);
  assert.ok(Math.abs(tm.ETT! - 0.25) <= 1e-15, `ETT ${tm.ETT}`);
  // transferMatrix is scale-invariant (W^T M = Wp^T for W, Wp scaled alike): 2^+-1000 gives the unscaled M.
  const W = randMatrix(5, 2, 3), Wp = randMatrix(5, 2, 4);
  const M0 = transferMatrix(W, Wp);
  for (const k of [1000, -1000]) {
    const f = (A: Matrix) => ({ rows: A.rows, cols: A.cols, data: A.data.map((x) => x * 2 ** k) });
    const Mk = transferMatrix(f(W), f(Wp));
    for (let i = 0; i < 25; i++) assert.ok(Math.abs(Mk.data[i] - M0.data[i]) <= 1e-12 * (1 + Math.abs(M0.data[i])), `2^${k}: M[${i}]`);
  }
});

test("rng: normal draws that could leave float64 are refused up front (same answer for every seed)", () => {
  throwsWith(() => e.rng(4).normal(4, 1e308, 1e308), OverflowError,
    "invalid argument. sd must be such that every draw mean + sd z fits in float64: |mean| + 8.58 sd <= 1.7976931348623157e+308",
    "Value: `1e+308`.");
  throwsWith(() => e.rng(4).normalInto(new Float64Array(3), -1e308, 1e307), OverflowError, "|mean| + 8.58 sd");
  throwsWith(() => e.rng(4).truncatedNormal(4, 0, 1e308, 2), OverflowError, "|mean| + 2 sd");
  // The bound is sharp enough to keep every representable case: 8.58 sd just below the limit works, and the
  // largest possible |z| (sqrt(-2 ln 2^-53) = 8.5717) stays below 8.58.
  const sd = Number.MAX_VALUE / 8.58 * (1 - 1e-15);
  for (let seed = 0; seed < 20; seed++) assert.ok(e.rng(seed).normal(1000, 0, sd).every(Number.isFinite), `seed ${seed}`);
  assert.ok(Math.sqrt(-2 * Math.log(2 ** -53)) < 8.58);
  assert.ok(e.rng(4).truncatedNormal(100, 0, Number.MAX_VALUE / 2.0000001, 2).every(Number.isFinite));
  // mvnormal: huge and tiny covariances are factored on a scaled copy (same bits as the unscaled factor).
  const cov = M([[2, 1], [1, 3]]), mean = Float64Array.from([0, 0]);
  const base = e.rng(7).mvnormal(5, mean, cov).data;
  for (const k of [500, -500, -530]) {
    const s = e.rng(7).mvnormal(5, mean, { rows: 2, cols: 2, data: cov.data.map((x) => x * 2 ** (2 * k)) }).data;
    const tol = k < -520 ? 2 ** -1074 * 4 : 0;
    for (let i = 0; i < s.length; i++) assert.ok(Math.abs(s[i] - base[i] * 2 ** k) <= tol, `mvnormal 2^${2 * k}: ${s[i]} vs ${base[i] * 2 ** k}`);
  }
  // A mean at the limit cannot be pushed past it: |P L z| <= 8.58 sqrt(d) 1.34e154 is far below half an ulp of
  // 1.8e308 (2^970), so mvnormal draws always fit (the guard in applyFactor is defensive).
  const edge = e.rng(7).mvnormal(50, Float64Array.from([Number.MAX_VALUE, -Number.MAX_VALUE]), M([[1.7e308, 0], [0, 1.7e308]]));
  assert.ok(edge.data.every(Number.isFinite));
  assert.is(e.rng(1).normal(3).length, 3, "engine still works");
});

test("train / objectiveGradient / optimizerStep: a loss or update beyond float64 is an OverflowError, never Infinity", async () => {
  const X = M([[1, 0], [0, 1], [1, 1], [-1, 2]]);
  const y = (v: number) => new Float64Array(4).fill(v);
  try {
    await e.train({ X, y: y(1e300), width: 3, epochs: 2, seed: 1 });
    assert.unreachable("train with y = 1e300 must throw");
  } catch (err) {
    assert.instance(err, OverflowError);
    assert.ok((err as Error).message.startsWith("invalid argument. options.y must be labels whose mean squared error fits in float64 (the train loss at epoch 0 overflows"), (err as Error).message);
  }
  // 1e150 labels: the loss (~1e300) fits, and every recorded loss is finite.
  const ok = await e.train({ X, y: y(1e150), width: 3, epochs: 2, seed: 1 });
  assert.ok(ok.history.every((h) => Number.isFinite(h.trainLoss) && h.trainLoss > 1e299), JSON.stringify(ok.history));
  // A mean squared error whose plain sum of squares overflows but whose mean fits: computed by scaling.
  const big = await e.train({ X: M([[0, 0], [0, 0], [0, 0], [0, 0]]), y: y(1e154), width: 2, epochs: 1, seed: 1 });
  assert.ok(Math.abs(big.history[0].trainLoss / 1e308 - 1) <= 1e-15, `loss ${big.history[0].trainLoss}`);
  const net = { W: M([[1e200, 0], [0, 1]]) };
  throwsWith(() => objectiveGradient(e, { X: M([[1e200, 1]]), y: Float64Array.from([0]), net }), OverflowError,
    "invalid argument. options must be data and a network whose objective J fits in float64");
  const st = { s1: new Float64Array(2), s2: new Float64Array(2), t: 1 };
  throwsWith(() => optimizerStep(e, "adagrad", new Float64Array(2), Float64Array.from([1e200, 0]), st, { lr: 0.1 }), OverflowError,
    "invalid argument. g must be a gradient whose update of theta and of the optimizer state fits in float64");
  assert.ok((await e.train({ X, y: y(1), width: 2, epochs: 1, seed: 1 })).history.length === 2, "engine still works");
});

test("gradVariance: <θ, x> beyond float64 is an OverflowError naming θ and r (was a NaN estimate); the engine keeps working", async () => {
  const e = await engine();
  const base = e.core.arena.mark();
  const opts = { dim: 2, directions: 4, radius: 1, samples: 10, seed: 1 };
  let err: unknown;
  try { await e.gradVariance({ ...opts, theta: new Float64Array([0.8, 1.7976931348623157e308]) }); } catch (x) { err = x; }
  assert.instance(err, OverflowError);
  assert.is((err as OverflowError).argument, "options.theta and options.radius");
  assert.is(e.core.arena.mark(), base);
  const ok = await e.gradVariance({ ...opts, theta: new Float64Array([0.8, 0.3]) });
  assert.ok(Number.isFinite(ok.estimate));
});

test.run();
