/**
 * Which thin-SVD algorithm runs for a shape (src/linalg/svd.ts calls both; src/cost.ts sizes the scratch of the one
 * used). A module of its own so that the cost model and the SVD driver need not import each other.
 */
/** The two SVD algorithms: QR-preconditioned one-sided Jacobi, or bidiagonalization + implicit QR. */
export type SvdPath = "jacobi" | "bidiag";

let forcedPath: SvdPath | "auto" = "auto";

/**
 * Internal (tests and benchmarks only): force one SVD algorithm for every engine in this JS realm, or "auto" for
 * the dispatch rule of svdPathFor. Returns the previous setting so callers can restore it.
 */
export function setSvdPath(path: SvdPath | "auto"): SvdPath | "auto" {
  const old = forcedPath;
  forcedPath = path;
  return old;
}

/** Smallest k = min(m, n) for the bidiagonal path (measured, same process: 64x64 Jacobi 1.1 ms vs 1.6 ms; 100x100 2.6 vs 1.8). */
export const SVD_BIDIAG_MIN_K = 100;

/**
 * Which algorithm an m x n SVD uses: bidiagonalization + implicit QR for square-ish shapes (k >= 100 and
 * max(m, n) <= 1.5 k), QR-preconditioned Jacobi otherwise. Measured interleaved in one process (seconds, Jacobi /
 * bidiagonal): 200x200 0.0157 / 0.0118, 500x500 0.246 / 0.172, 1000x1000 2.31 / 1.36, 600x400 0.131 / 0.117,
 * 800x400 0.141 / 0.153, 1000x500 0.284 / 0.332, 300x100 0.0033 / 0.0042: Jacobi's QR preconditioning wins once
 * the matrix is 2x taller than wide. The rule depends on the shape only, so results stay a deterministic
 * function of A.
 */
export function svdPathFor(m: number, n: number): SvdPath {
  if (forcedPath !== "auto") return forcedPath;
  const k = Math.min(m, n), M = Math.max(m, n);
  return k >= SVD_BIDIAG_MIN_K && 2 * M <= 3 * k ? "bidiag" : "jacobi";
}
