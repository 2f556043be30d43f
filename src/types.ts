/**
 * A dense float64 matrix, row-major: element (i, j) is data[i * cols + j].
 * Samples are rows. JS owns the data; the engine copies it into WASM scratch memory per call
 * and returns fresh arrays, so there is nothing to dispose.
 */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** Progress report for long computations: `done` of `total` units of work. */
export type ProgressCallback = (done: number, total: number) => void;

/** Options shared by long computations. */
export interface LongRunOptions {
  /** Called now and then with (done, total). Never called after the promise settles. */
  onProgress?: ProgressCallback;
  /** Cancels the computation; the promise rejects with AbortError. */
  signal?: AbortSignal;
}

/** Create a zero-filled rows x cols matrix. */
export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** Build a Matrix from an array of rows (copied). */
export function fromRows(rows: ArrayLike<number>[]): Matrix {
  const m = rows.length, n = m ? rows[0].length : 0;
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) data[i * n + j] = rows[i][j];
  return { rows: m, cols: n, data };
}
