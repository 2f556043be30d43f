/**
 * Matrix products on the GEMM kernels (assembly/gemm/): general product, Gram matrix, matrix-vector product.
 *
 * Layering (BLIS / stdlib-js): this file validates every argument once and throws typed errors; the WASM
 * kernels trust their inputs. Data flow follows the engine's memory model: inputs are copied into the scratch
 * arena, kernels run on raw pointers, results are copied out into fresh arrays owned by the caller.
 *
 * Accuracy (all three functions): every output entry is alpha times one dot product of length k, summed in a
 * fixed order in float64 without FMA, so |computed - exact| <= gamma_k * sum_p |a_ip| |b_pj| * |alpha|
 * + (rounding of the alpha and beta scalings), gamma_k = k*eps/(1 - k*eps), eps = 2^-52 (Higham, Accuracy and
 * Stability of Numerical Algorithms, 2nd ed., section 3.5). The tests check exactly this bound.
 *
 * Determinism: blocking sizes are compile-time constants and the summation order of each entry depends only on
 * k (cut into blocks of 256); WebAssembly float64 arithmetic is IEEE-754 without contraction, so the same inputs
 * give the same bits in Node and in browsers, on every host.
 */
import type { Core } from "../core/core.js";
import type { Arena } from "../core/arena.js";
import type { Matrix } from "../types.js";
import { InvalidArgumentError } from "../errors.js";
import { assertBoolean, assertFiniteNumber, assertMatrix, assertOptions } from "../validate.js";

export interface MatmulOptions {
  /** Use A^T instead of A. Default false. */
  transA?: boolean;
  /** Use B^T instead of B. Default false. */
  transB?: boolean;
  /** Scale of the product. Default 1. */
  alpha?: number;
  /** Scale of the addend C. Default 0; when 0, C is not read (it may even hold NaN). */
  beta?: number;
  /** Addend, shape op(A).rows x op(B).cols. Required when beta != 0. Not modified. */
  C?: Matrix;
  /**
   * Write the result into this m x n matrix and return it instead of a fresh one (may alias A, B or C: inputs are
   * copied first). Saves the first-touch page faults of a fresh array, which dominate for big outputs
   * (e.g. ~75 ms for a 20000 x 1000 result, most of a 100 ms product).
   */
  out?: Matrix;
}

export interface GemvOptions {
  /** Use A^T instead of A. Default false. */
  trans?: boolean;
  /** Scale of the product. Default 1. */
  alpha?: number;
  /** Scale of the addend y. Default 0; when 0, y is not read. */
  beta?: number;
  /** Addend, length op(A).rows. Required when beta != 0. Not modified. */
  y?: Float64Array;
}

/**
 * Copy `data` into the arena and check that every entry is finite, with the same message as
 * validate.ts/assertFiniteArray ("<name>[i] must be a finite number"). The scan runs in WASM on the copy
 * (find_nonfinite_f64), an order of magnitude faster than a JS loop; it still happens before any kernel runs.
 */
function putFinite(core: Core, ar: Arena, name: string, data: Float64Array): number {
  const p = ar.put(data);
  const bad = core.x.find_nonfinite_f64(p, data.length);
  if (bad >= 0) throw new InvalidArgumentError(`${name}[${bad}]`, "a finite number", data[bad]);
  return p;
}

function readScalars(o: { alpha?: unknown; beta?: unknown }): { alpha: number; beta: number } {
  const alpha = o.alpha ?? 1, beta = o.beta ?? 0;
  assertFiniteNumber("options.alpha", alpha);
  assertFiniteNumber("options.beta", beta);
  return { alpha, beta };
}

/**
 * C = alpha * op(A) * op(B) + beta * C0 (float64, row-major), op(X) = X or X^T.
 * Shapes: op(A) m x k, op(B) k x n, C0 and the result m x n. See the module comment for accuracy/determinism.
 */
export function matmul(core: Core, A: Matrix, B: Matrix, options?: MatmulOptions): Matrix {
  return matmulWith(core, A, B, options, core.x.gemm_f64);
}

/** Kernel with the gemm_f64 signature (arguments already validated, operands in the core's memory). */
export type GemmKernel = (transA: number, transB: number, m: number, n: number, k: number, alpha: number,
  a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number) => void;

/** matmul with a caller-chosen kernel (the threaded path passes its split kernel); same validation and data flow. */
export function matmulWith(core: Core, A: Matrix, B: Matrix, options: MatmulOptions | undefined, kernel: GemmKernel): Matrix {
  assertOptions("options", options);
  const o = options ?? {};
  const transA = o.transA ?? false, transB = o.transB ?? false;
  assertBoolean("options.transA", transA);
  assertBoolean("options.transB", transB);
  const { alpha, beta } = readScalars(o);
  assertMatrix("A", A, { finite: false }); // entries are checked in WASM after the copy (putFinite)
  assertMatrix("B", B, { finite: false });
  const m = transA ? A.cols : A.rows, k = transA ? A.rows : A.cols;
  const kb = transB ? B.cols : B.rows, n = transB ? B.rows : B.cols;
  if (kb !== k) {
    throw new InvalidArgumentError(transB ? "B.cols" : "B.rows", `equal to the inner dimension of op(A) (${k})`, kb);
  }
  if (beta !== 0) {
    if (o.C === undefined) throw new InvalidArgumentError("options.C", "a matrix when options.beta != 0", o.C);
    assertMatrix("options.C", o.C, { finite: false });
    if (o.C.rows !== m || o.C.cols !== n) {
      throw new InvalidArgumentError("options.C", `a ${m} x ${n} matrix`, o.C);
    }
  }
  const out = o.out;
  if (out !== undefined) {
    assertMatrix("options.out", out, { finite: false });
    if (out.rows !== m || out.cols !== n) throw new InvalidArgumentError("options.out", `a ${m} x ${n} matrix`, out);
  }
  return core.scope((ar) => {
    const pC = beta !== 0 ? putFinite(core, ar, "options.C.data", o.C!.data) : ar.allocF64(m * n);
    const pA = putFinite(core, ar, "A.data", A.data), pB = putFinite(core, ar, "B.data", B.data);
    kernel(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, pA, A.cols, pB, B.cols, beta, pC, n);
    if (out !== undefined) {
      out.data.set(ar.f64(pC, m * n));
      return out;
    }
    return { rows: m, cols: n, data: ar.take(pC, m * n) };
  });
}

/**
 * G = X^T X (d x d) for X m x d, rows as samples. Exactly symmetric (the upper triangle is computed, the
 * lower one mirrored); entry (i, j) = sum_p x_pi x_pj with the GEMM summation order.
 */
export function gram(core: Core, X: Matrix): Matrix {
  return gramWith(core, X, core.x.gram_f64);
}

/** Kernel with the gram_f64 signature. */
export type GramKernel = (m: number, d: number, alpha: number, x: number, ldx: number, c: number, ldc: number) => void;

/** gram with a caller-chosen kernel (used by the threaded path). */
export function gramWith(core: Core, X: Matrix, kernel: GramKernel): Matrix {
  assertMatrix("X", X, { finite: false });
  const m = X.rows, d = X.cols;
  return core.scope((ar) => {
    const pG = ar.allocF64(d * d);
    const pX = putFinite(core, ar, "X.data", X.data);
    kernel(m, d, 1, pX, d, pG, d);
    return { rows: d, cols: d, data: ar.take(pG, d * d) };
  });
}

/** y = alpha * op(A) x + beta * y0; returns a new Float64Array of length op(A).rows. */
export function gemv(core: Core, A: Matrix, x: Float64Array, options?: GemvOptions): Float64Array {
  assertOptions("options", options);
  const o = options ?? {};
  const trans = o.trans ?? false;
  assertBoolean("options.trans", trans);
  const { alpha, beta } = readScalars(o);
  assertMatrix("A", A, { finite: false });
  const rows = trans ? A.cols : A.rows, len = trans ? A.rows : A.cols;
  if (!(x instanceof Float64Array)) throw new InvalidArgumentError("x", "a Float64Array", x);
  if (x.length !== len) throw new InvalidArgumentError("x.length", `equal to ${trans ? "A.rows" : "A.cols"} (${len})`, x.length);
  const y0 = o.y;
  if (beta !== 0) {
    if (y0 === undefined) throw new InvalidArgumentError("options.y", "a Float64Array when options.beta != 0", y0);
    if (!(y0 instanceof Float64Array)) throw new InvalidArgumentError("options.y", "a Float64Array", y0);
    if (y0.length !== rows) {
      throw new InvalidArgumentError("options.y.length", `equal to ${trans ? "A.cols" : "A.rows"} (${rows})`, y0.length);
    }
  }
  return core.scope((ar) => {
    const py = beta !== 0 ? putFinite(core, ar, "options.y", y0!) : ar.allocF64(rows);
    const pA = putFinite(core, ar, "A.data", A.data), px = putFinite(core, ar, "x", x);
    core.x.gemv_f64(trans ? 1 : 0, A.rows, A.cols, alpha, pA, A.cols, px, beta, py);
    return ar.take(py, rows);
  });
}
