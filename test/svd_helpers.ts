/** Test-only linear algebra for the SVD / whitening tests (plain TS, independent of the engine). */
import type { Matrix } from "../src/types.js";
import { randn, testRng } from "./helpers.js";

export const EPS = 2 ** -52;

/** C = A B (plain triple loop). */
export function mul(A: Matrix, B: Matrix): Matrix {
  const { rows: m, cols: k } = A, n = B.cols;
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) {
    const a = A.data[i * k + p];
    if (a === 0) continue;
    for (let j = 0; j < n; j++) C[i * n + j] += a * B.data[p * n + j];
  }
  return { rows: m, cols: n, data: C };
}

export function transpose(A: Matrix): Matrix {
  const T = new Float64Array(A.data.length);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) T[j * A.rows + i] = A.data[i * A.cols + j];
  return { rows: A.cols, cols: A.rows, data: T };
}

export function fro(d: Float64Array): number {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i] * d[i];
  return Math.sqrt(s);
}

/** ||A - U diag(S) V^T||_F. */
export function reconError(A: Matrix, U: Matrix, S: Float64Array, V: Matrix): number {
  const m = A.rows, n = A.cols, k = S.length;
  let e = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += U.data[i * k + c] * S[c] * V.data[j * k + c];
    const r = A.data[i * n + j] - s;
    e += r * r;
  }
  return Math.sqrt(e);
}

/** ||Q^T Q - I||_F for a matrix with (supposedly) orthonormal columns. */
export function orthError(Q: Matrix): number {
  const r = Q.rows, c = Q.cols;
  let f = 0;
  for (let a = 0; a < c; a++) for (let b = a; b < c; b++) {
    let s = 0;
    for (let i = 0; i < r; i++) s += Q.data[i * c + a] * Q.data[i * c + b];
    const e = s - (a === b ? 1 : 0);
    f += a === b ? e * e : 2 * e * e;
  }
  return Math.sqrt(f);
}

/**
 * m x k matrix with orthonormal columns: the first k columns of H_1 H_2 H_3, H_i = I - 2 u u^T / (u^T u) with
 * random u (three reflectors make every entry nonzero).
 */
export function householderQ(m: number, k: number, seed: number): Matrix {
  const r = testRng(seed);
  const Q = new Float64Array(m * k);
  for (let j = 0; j < k; j++) Q[j * k + j] = 1;
  for (let h = 0; h < 3; h++) {
    const u = new Float64Array(m);
    let uu = 0;
    for (let i = 0; i < m; i++) { u[i] = 2 * r() - 1; uu += u[i] * u[i]; }
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += u[i] * Q[i * k + j];
      const f = (2 * s) / uu;
      for (let i = 0; i < m; i++) Q[i * k + j] -= f * u[i];
    }
  }
  return { rows: m, cols: k, data: Q };
}

/** A = Q1 diag(s) Q2^T (m x n) with known singular values s (length <= min(m, n)). */
export function withSingularValues(m: number, n: number, s: ArrayLike<number>, seed: number): Matrix {
  const k = s.length;
  const Q1 = householderQ(m, k, seed), Q2 = householderQ(n, k, seed + 7919);
  const A = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let c = 0; c < k; c++) {
    const a = Q1.data[i * k + c] * s[c];
    if (a === 0) continue;
    for (let j = 0; j < n; j++) A[i * n + j] += a * Q2.data[j * k + c];
  }
  return { rows: m, cols: n, data: A };
}

/**
 * Eigenvalues of a symmetric matrix by the cyclic two-sided Jacobi method (plain TS reference, Jacobi 1846 /
 * Rutishauser), sorted descending. Capped at 100 sweeps.
 */
export function symEig(G: Matrix): Float64Array {
  const n = G.rows;
  const a = Float64Array.from(G.data);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, diag = 0;
    for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) (p === q ? (diag += a[p * n + p] ** 2) : (off += a[p * n + q] ** 2));
    if (off <= (EPS * EPS) * diag * 1e-4) break;
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) {
      const apq = a[p * n + q];
      if (apq === 0) continue;
      const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
      const c = 1 / Math.sqrt(1 + t * t), s = t * c;
      for (let k = 0; k < n; k++) { // columns p, q
        const x = a[k * n + p], y = a[k * n + q];
        a[k * n + p] = c * x - s * y; a[k * n + q] = s * x + c * y;
      }
      for (let k = 0; k < n; k++) { // rows p, q
        const x = a[p * n + k], y = a[q * n + k];
        a[p * n + k] = c * x - s * y; a[q * n + k] = s * x + c * y;
      }
    }
  }
  const ev = new Float64Array(n);
  for (let i = 0; i < n; i++) ev[i] = a[i * n + i];
  return ev.sort().reverse();
}

/**
 * Graded test family: an m x n standard Gaussian matrix whose column j (mode "cols") is scaled by
 * 10^(-spread + 2 spread j / (n - 1)), or row i (mode "rows") likewise, or both with half the spread each
 * ("both"), so entries span 10^-spread .. 10^spread. `deficient` > 0 first copies columns 0.. into the last
 * `deficient` columns (exact rank min(m, n) - deficient, kept by the diagonal scalings).
 */
export function gradedFamily(m: number, n: number, spread: number, mode: "cols" | "rows" | "both", seed: number, deficient = 0): Matrix {
  const r = testRng(seed);
  const A = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) A[i] = randn(r);
  for (let j = n - deficient; j < n; j++) for (let i = 0; i < m; i++) A[i * n + j] = A[i * n + j - (n - deficient)];
  const half = mode === "both" ? 0.5 : 1;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let ex = 0;
    if (mode !== "rows") ex += half * (-spread + (2 * spread * j) / Math.max(1, n - 1));
    if (mode !== "cols") ex += half * (-spread + (2 * spread * i) / Math.max(1, m - 1));
    A[i * n + j] *= 10 ** ex;
  }
  return { rows: m, cols: n, data: A };
}

/**
 * ||A - U diag(S) V^T||_F / ||A||_F computed on 2^-e A and 2^-e S (e = exponent of max |a_ij|), so that the
 * measurement itself cannot overflow or underflow for entries near 1e+-308.
 */
export function relReconScaled(A: Matrix, U: Matrix, S: Float64Array, V: Matrix): number {
  let amax = 0;
  for (let i = 0; i < A.data.length; i++) amax = Math.max(amax, Math.abs(A.data[i]));
  if (amax === 0) return 0;
  const e = Math.floor(Math.log2(amax));
  const f = (x: number) => x * 2 ** -Math.ceil(e / 2) * 2 ** -Math.floor(e / 2);
  const As = { rows: A.rows, cols: A.cols, data: A.data.map(f) };
  return reconError(As, U, S.map(f), V) / fro(As.data);
}
