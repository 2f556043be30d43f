import { InvalidArgumentError } from "./errors.js";
import { assertInteger, MAX_DIM, snapshot, typedArrayKind } from "./validate.js";

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

/**
 * Create a zero-filled rows x cols matrix.
 * Throws InvalidArgumentError unless rows and cols are nonnegative integers with rows * cols <= 2^28 entries
 * (2 GiB of float64, the engine's default memory limit).
 */
export function zeros(rows: number, cols: number): Matrix {
  assertInteger("rows", rows, 0);
  assertInteger("cols", cols, 0);
  if (rows * cols > MAX_DIM) throw new InvalidArgumentError("rows * cols", `at most ${MAX_DIM}`, rows * cols);
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/**
 * Build a Matrix from an array of equally long rows of finite numbers (copied), e.g. `fromRows([[1, 2], [3, 4]])`.
 * Throws InvalidArgumentError naming the first bad row or entry (ragged rows, non-numbers, NaN, +-Infinity).
 */
export function fromRows(rows: ArrayLike<number>[]): Matrix {
  rows = snapshot(rows, "rows");
  if (!Array.isArray(rows)) throw new InvalidArgumentError("rows", "an array of rows", rows);
  const m = rows.length;
  const first = rows[0] as unknown;
  const n = m ? (isRow(first) ? first.length : -1) : 0;
  const data = new Float64Array(Math.max(0, m * n));
  for (let i = 0; i < m; i++) {
    const r = rows[i] as unknown;
    if (!isRow(r) || r.length !== n) throw new InvalidArgumentError(`rows[${i}]`, `an array of ${n} numbers like rows[0]`, r);
    for (let j = 0; j < n; j++) {
      const x = r[j];
      if (typeof x !== "number" || !Number.isFinite(x)) throw new InvalidArgumentError(`rows[${i}][${j}]`, "a finite number", x);
      data[i * n + j] = x;
    }
  }
  return { rows: m, cols: Math.max(0, n), data };
}

function isRow(r: unknown): r is ArrayLike<number> {
  return Array.isArray(r) || typedArrayKind(r) !== undefined;
}
