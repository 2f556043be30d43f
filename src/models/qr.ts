/**
 * A small Householder QR with optional column pivoting, in TypeScript, for the k-column problems of the models area
 * (orthonormal complements for Theorem 2's transfer matrix, Lemma 1's span test, Haar-like orthogonal matrices).
 * Sizes here are small (n up to a few hundred), so O(n^2 c) JS loops are fine; large factorizations belong to
 * engine.svd. Algorithm: Golub & Van Loan, "Matrix Computations", 4th ed., Alg. 5.2.1 (Householder QR) and
 * 5.4.1 (column pivoting). Backward stable: Q^T A P = R with ||E|| <= c n eps ||A||.
 * @internal
 */
import type { Matrix } from "../types.js";

export interface QRResult {
  /** Full n x n orthogonal Q (row-major). */
  Q: Matrix;
  /** n x c upper-triangular R (row-major): A P = Q R. */
  R: Matrix;
  /** Column permutation: column j of A P is column perm[j] of A. Identity without pivoting. */
  perm: Int32Array;
  /** Numerical rank: number of |R_jj| > tol (tol = max(n, c) eps |R_00| unless given). */
  rank: number;
  /** Tolerance used for the rank. */
  tol: number;
}

const EPS = 2 ** -52;

export function householderQR(A: Matrix, options: { pivot?: boolean; tol?: number } = {}): QRResult {
  const n = A.rows, c = A.cols, pivot = options.pivot ?? false;
  const R = Float64Array.from(A.data);
  const perm = new Int32Array(c);
  for (let j = 0; j < c; j++) perm[j] = j;
  const steps = Math.min(n, c);
  const vs: Float64Array[] = [];
  const betas: number[] = [];
  const colNorm2 = (j: number, from: number): number => {
    let s = 0;
    for (let i = from; i < n; i++) s += R[i * c + j] * R[i * c + j];
    return s;
  };
  for (let p = 0; p < steps; p++) {
    if (pivot) {
      // Recompute the trailing column norms (exact, no downdating: sizes are small).
      let best = p, bestNorm = -1;
      for (let j = p; j < c; j++) {
        const s = colNorm2(j, p);
        if (s > bestNorm) { bestNorm = s; best = j; }
      }
      if (best !== p) {
        for (let i = 0; i < n; i++) { const t = R[i * c + p]; R[i * c + p] = R[i * c + best]; R[i * c + best] = t; }
        const t = perm[p]; perm[p] = perm[best]; perm[best] = t;
      }
    }
    // Householder vector v with v[0] = 1 for column p, rows p..n-1.
    const len = n - p;
    const v = new Float64Array(len);
    let sigma = 0;
    for (let i = 1; i < len; i++) { v[i] = R[(p + i) * c + p]; sigma += v[i] * v[i]; }
    const x0 = R[p * c + p];
    let beta = 0;
    v[0] = 1;
    if (sigma === 0) {
      beta = 0;
    } else {
      const mu = Math.sqrt(x0 * x0 + sigma);
      const v0 = x0 <= 0 ? x0 - mu : -sigma / (x0 + mu);
      beta = (2 * v0 * v0) / (sigma + v0 * v0);
      for (let i = 1; i < len; i++) v[i] /= v0;
    }
    // Apply H = I - beta v v^T to R[p:, p:].
    if (beta !== 0) {
      for (let j = p; j < c; j++) {
        let s = 0;
        for (let i = 0; i < len; i++) s += v[i] * R[(p + i) * c + j];
        s *= beta;
        for (let i = 0; i < len; i++) R[(p + i) * c + j] -= s * v[i];
      }
    }
    for (let i = 1; i < len; i++) R[(p + i) * c + p] = 0;
    vs.push(v);
    betas.push(beta);
  }
  // Q = H_0 H_1 ... H_{s-1}, accumulated backwards on the identity.
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  for (let p = steps - 1; p >= 0; p--) {
    const v = vs[p], beta = betas[p], len = n - p;
    if (beta === 0) continue;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < len; i++) s += v[i] * Q[(p + i) * n + j];
      s *= beta;
      for (let i = 0; i < len; i++) Q[(p + i) * n + j] -= s * v[i];
    }
  }
  const r00 = steps > 0 ? Math.abs(R[0]) : 0;
  const tol = options.tol ?? Math.max(n, c) * EPS * r00;
  let rank = 0;
  for (let p = 0; p < steps; p++) if (Math.abs(R[p * c + p]) > tol) rank++;
  else if (pivot) break;
  return { Q: { rows: n, cols: n, data: Q }, R: { rows: n, cols: c, data: R }, perm, rank, tol };
}

/** Columns [from, to) of a row-major matrix, as a new matrix. */
export function columns(M: Matrix, from: number, to: number): Matrix {
  const w = to - from, out = new Float64Array(M.rows * w);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < w; j++) out[i * w + j] = M.data[i * M.cols + from + j];
  return { rows: M.rows, cols: w, data: out };
}

/** Plain JS product A B (small sizes only). */
export function mulJS(A: Matrix, B: Matrix, transA = false, transB = false): Matrix {
  const m = transA ? A.cols : A.rows, k = transA ? A.rows : A.cols, n = transB ? B.rows : B.cols;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const a = transA ? A.data[p * A.cols + i] : A.data[i * A.cols + p];
      if (a === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += a * (transB ? B.data[j * B.cols + p] : B.data[p * B.cols + j]);
    }
  }
  return { rows: m, cols: n, data: out };
}

export function transpose(A: Matrix): Matrix {
  const out = new Float64Array(A.rows * A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) out[j * A.rows + i] = A.data[i * A.cols + j];
  return { rows: A.cols, cols: A.rows, data: out };
}
