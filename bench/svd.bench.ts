/**
 * Thin SVD: seconds per call (items = 1 call) for hardlearn's SVD (auto dispatch: QR-preconditioned one-sided Jacobi,
 * or bidiagonalization + implicit QR for square-ish k >= 100; both paths also forced, with the bidiagonal path's
 * stage split) against
 * ml-matrix (`new SingularValueDecomposition(M, { autoTranspose: true })`, JAMA's Golub–Kahan–Reinsch, economy
 * U) and numeric (`numeric.svd`, Golub & Reinsch 1970) in the same run.
 * Sizes: 2000x50, 20000x100, 1000x500, 500x500, 1000x1000 (random uniform entries in [-1, 1)), and an ill-conditioned 1000x200 with
 * singular values graded 1 .. 1e-12 (A = Q1 diag(s) Q2^T, Q's products of three Householder reflectors).
 * Targets: 20000x100 >= 20x ml-matrix, 1000x500 >= 15x ml-matrix. Peers get their own input format,
 * built outside the timed region. Smoke mode: 30x7 and 12x20.
 */
import { numpyTime } from "./peers/numpy.js";
import type { BenchTask, BenchContext } from "./harness.js";
import { testRng as rng } from "../test/helpers.js"; // mulberry32: deterministic inputs, never Math.random
import { createEngine, type Matrix } from "../src/index.js";
import { setSvdPath, svdPathFor, type SvdPath } from "../src/linalg/svd.js";
import { Matrix as MlMatrix, SingularValueDecomposition } from "ml-matrix";
// @ts-expect-error numeric ships no types
import numeric from "numeric";


function randomMatrix(m: number, n: number, seed: number): Matrix {
  const r = rng(seed);
  const data = new Float64Array(m * n);
  for (let i = 0; i < data.length; i++) data[i] = 2 * r() - 1;
  return { rows: m, cols: n, data };
}

/** First k columns of H1 H2 H3 (m x k, row-major), H = I - 2 u u^T / u^T u with random u. */
function householderQ(m: number, k: number, seed: number): Float64Array {
  const r = rng(seed);
  const Q = new Float64Array(m * k);
  for (let j = 0; j < k; j++) Q[j * k + j] = 1;
  const u = new Float64Array(m), s = new Float64Array(k);
  for (let h = 0; h < 3; h++) {
    let uu = 0;
    for (let i = 0; i < m; i++) { u[i] = 2 * r() - 1; uu += u[i] * u[i]; }
    s.fill(0);
    for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) s[j] += u[i] * Q[i * k + j];
    for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) Q[i * k + j] -= (2 * s[j] / uu) * u[i];
  }
  return Q;
}

/** m x n with singular values 10^(-12 i / (k-1)), k = min(m, n). */
function gradedMatrix(m: number, n: number, seed: number): Matrix {
  const k = Math.min(m, n);
  const Q1 = householderQ(m, k, seed), Q2 = householderQ(n, k, seed + 1);
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let c = 0; c < k; c++) {
    const a = Q1[i * k + c] * 10 ** (-12 * (k === 1 ? 0 : c / (k - 1)));
    for (let j = 0; j < n; j++) data[i * n + j] += a * Q2[j * k + c];
  }
  return { rows: m, cols: n, data };
}

function toRows(A: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < A.rows; i++) out.push(Array.from(A.data.subarray(i * A.cols, (i + 1) * A.cols)));
  return out;
}

export default async function svdBench(ctx: BenchContext): Promise<void> {
  const e = await createEngine();
  const cases: { title: string; A: Matrix; numeric: boolean }[] = ctx.smoke
    ? [
      { title: "svd 30x7", A: randomMatrix(30, 7, 1), numeric: true },
      { title: "svd 12x20", A: randomMatrix(12, 20, 2), numeric: false },
    ]
    : [
      { title: "svd 2000x50", A: randomMatrix(2000, 50, 1), numeric: true },
      { title: "svd 20000x100", A: randomMatrix(20000, 100, 2), numeric: true },
      { title: "svd 1000x500", A: randomMatrix(1000, 500, 3), numeric: true },
      { title: "svd 1000x200 graded 1..1e-12", A: gradedMatrix(1000, 200, 4), numeric: true },
      { title: "svd 500x500", A: randomMatrix(500, 500, 6), numeric: false },
      { title: "svd 1000x1000", A: randomMatrix(1000, 1000, 5), numeric: false },
    ];
  const x = e.core.x;
  /** One SVD on a forced path; stage > 0 stops the bidiagonal path after that stage (benchmark hook). */
  const forced = (A: Matrix, path: SvdPath, stage = 0) => () => {
    setSvdPath(path);
    x.svd_gk_f64_stop_after(stage);
    try { return e.svd(A).S; } finally { x.svd_gk_f64_stop_after(0); setSvdPath("auto"); }
  };
  for (const { title, A, numeric: withNumeric } of cases) {
    if (ctx.filter && !title.includes(ctx.filter)) continue;
    const rows = toRows(A);
    const ml = new MlMatrix(rows);
    const tasks: BenchTask[] = [
      { name: `hardlearn svd (auto: ${svdPathFor(A.rows, A.cols) === "bidiag" ? "bidiagonalization + implicit QR" : "QR + one-sided Jacobi"}, wasm)`, self: true, fn: () => e.svd(A).S },
      { name: "numpy linalg.svd (LAPACK gesdd, 1 thread, child python3)", fn: () => 0, external: () => numpyTime({ op: "svd", m: A.rows, n: A.cols }).seconds },
      { name: "ml-matrix SingularValueDecomposition", fn: () => new SingularValueDecomposition(ml, { autoTranspose: true }).diagonal },
    ];
    // Both paths forced, and the bidiagonal path's stage split (cumulative: stop after bidiagonalization, after the
    // explicit Q and P, after the bidiagonal QR; the differences are the stages' times), on the shapes near the
    // dispatch boundary and beyond.
    if (ctx.smoke || (Math.min(A.rows, A.cols) >= 100 && !title.includes("20000"))) {
      tasks.push({ name: "hardlearn svd, Jacobi path forced", fn: forced(A, "jacobi") });
      tasks.push({ name: "hardlearn svd, bidiagonal path forced", fn: forced(A, "bidiag") });
      tasks.push({ name: "  bidiagonal path: stop after bidiagonalization", fn: forced(A, "bidiag", 1) });
      tasks.push({ name: "  bidiagonal path: stop after explicit Q, P", fn: forced(A, "bidiag", 2) });
      tasks.push({ name: "  bidiagonal path: stop after bidiagonal QR", fn: forced(A, "bidiag", 3) });
    }
    // numeric.svd (Golub–Reinsch) needs m >= n.
    if (withNumeric) tasks.push({ name: "numeric.svd", fn: () => (numeric.svd(rows) as { S: number[] }).S });
    await ctx.group({ title, items: 1, tasks });
  }
}
