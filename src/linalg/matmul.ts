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
import { InternalError, InvalidArgumentError } from "../errors.js";
import { assertBoolean, assertFiniteNumber, assertMatrix, assertOptions } from "../validate.js";
import { gemvF32, gramF32, isMatrix32, matmulF32 } from "./matmul_f32.js";
import { assertAffordable, costGemv, costGram, costMatmul } from "../cost.js";

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
 * Throw for the first non-finite entry of `data` (already copied to p), with the same message as
 * validate.ts/assertFiniteArray ("<name>[i] must be a finite number"). The scan runs in WASM on the copy
 * (find_nonfinite_f64), an order of magnitude faster than a JS loop.
 */
export function checkFinite(core: Core, name: string, p: number, data: Float64Array): void {
  const bad = core.x.find_nonfinite_f64(p, data.length);
  if (bad >= 0) throw new InvalidArgumentError(`${name}[${bad}]`, "a finite number", data[bad]);
}

/** Copy `data` into the arena and check that every entry is finite (checkFinite) before any kernel runs. */
export function putFinite(core: Core, ar: Arena, name: string, data: Float64Array): number {
  const p = ar.put(data);
  checkFinite(core, name, p, data);
  return p;
}

/**
 * The kernels report non-finite inputs seen while packing (a flag, no extra pass); this turns the flag into
 * the same error the up-front scan would give: the first bad entry of the first bad input, inputs in the
 * given order (the order of the arguments, as every validation in the library).
 */
export function throwFirstNonFinite(core: Core, inputs: Array<[name: string, p: number, data: Float64Array]>): never {
  for (const [name, p, data] of inputs) checkFinite(core, name, p, data);
  throw new InternalError("GEMM kernel reported a non-finite input that the scan did not find");
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
  // float32 operands (either one) go to the SGEMM path, which rejects a float64 partner with a typed error.
  if (isMatrix32(A) || isMatrix32(B)) return matmulF32(core, A, B, options as never) as never;
  return matmulWith(core, A, B, options, core.x.gemm_f64_checked);
}

/**
 * Kernel with the gemm_f64 signature (arguments already validated, operands in the core's memory) that returns
 * nonzero if it packed a NaN or +-Infinity of op(A) or op(B) (gemm_f64_checked). With alpha == 0 it reads
 * neither input and may return 0: the caller checks them itself.
 */
export type GemmKernel = (transA: number, transB: number, m: number, n: number, k: number, alpha: number,
  a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number) => number;

/** A validated matmul call: op(A) m x k, op(B) k x n, scalars, addend C (beta != 0) and output matrix. */
export interface MatmulPlan {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  /** The addend (only when beta != 0). */
  C?: Matrix;
  out?: Matrix;
}

/** matmul with a caller-chosen kernel (the threaded path passes its split kernel); same validation and data flow. */
export function matmulWith(core: Core, A: Matrix, B: Matrix, options: MatmulOptions | undefined, kernel: GemmKernel): Matrix {
  return matmulPlanned(core, A, B, planMatmul(A, B, options), kernel);
}

/** Validate every argument of matmul (all checks except the finiteness of the entries, done in WASM). */
export function planMatmul(A: Matrix, B: Matrix, options: MatmulOptions | undefined): MatmulPlan {
  assertOptions("options", options);
  const o = options ?? {};
  const transA = o.transA ?? false, transB = o.transB ?? false;
  assertBoolean("options.transA", transA);
  assertBoolean("options.transB", transB);
  const { alpha, beta } = readScalars(o);
  assertMatrix("A", A, { finite: false }); // entries are checked in WASM after the copy (see below)
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
  return { transA, transB, m, n, k, alpha, beta, C: beta !== 0 ? o.C : undefined, out };
}

/** The data flow of matmul for a validated plan: copy in, kernel (finiteness flag), copy out. */
export function matmulPlanned(core: Core, A: Matrix, B: Matrix, plan: MatmulPlan, kernel: GemmKernel): Matrix {
  const { transA, transB, m, n, k, alpha, beta, C, out } = plan;
  assertAffordable(core, costMatmul(m, n, k, out !== undefined)); // before any allocation: memory never grows for a refused call
  core.tuneFor(m * n * k);
  return core.scope((ar) => {
    const pC = C !== undefined ? putFinite(core, ar, "options.C.data", C.data) : ar.allocF64(m * n);
    const pA = ar.put(A.data), pB = ar.put(B.data);
    // Finiteness of A and B: checked by the kernel while packing (k >= 1 here, so every entry is packed),
    // except for alpha == 0, where the kernel reads neither and they are scanned up front.
    if (alpha === 0) {
      checkFinite(core, "A.data", pA, A.data);
      checkFinite(core, "B.data", pB, B.data);
    }
    const bad = kernel(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, pA, A.cols, pB, B.cols, beta, pC, n);
    if (bad !== 0) throwFirstNonFinite(core, [["A.data", pA, A.data], ["B.data", pB, B.data]]);
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
  if (isMatrix32(X)) return gramF32(core, X) as never;
  return gramWith(core, X, core.x.gram_f64_checked);
}

/** Kernel with the gram_f64 signature that returns nonzero if it packed a NaN or +-Infinity of X (gram_f64_checked). */
export type GramKernel = (m: number, d: number, alpha: number, x: number, ldx: number, c: number, ldc: number) => number;

/** Validate the argument of gram (all checks except the finiteness of the entries, done in WASM). */
export function planGram(X: Matrix): { m: number; d: number } {
  assertMatrix("X", X, { finite: false });
  return { m: X.rows, d: X.cols };
}

/** gram with a caller-chosen kernel (used by the threaded path). */
export function gramWith(core: Core, X: Matrix, kernel: GramKernel): Matrix {
  const { m, d } = planGram(X);
  assertAffordable(core, costGram(m, d));
  core.tuneFor((m * d * d) / 2);
  return core.scope((ar) => {
    const pG = ar.allocF64(d * d);
    const pX = ar.put(X.data);
    // Finiteness of X: checked by the kernel while packing (alpha = 1, m >= 1: every entry of X is packed).
    if (kernel(m, d, 1, pX, d, pG, d) !== 0) throwFirstNonFinite(core, [["X.data", pX, X.data]]);
    return { rows: d, cols: d, data: ar.take(pG, d * d) };
  });
}

/** y = alpha * op(A) x + beta * y0; returns a new Float64Array of length op(A).rows. */
export function gemv(core: Core, A: Matrix, x: Float64Array, options?: GemvOptions): Float64Array {
  if (isMatrix32(A) || (x as unknown) instanceof Float32Array) return gemvF32(core, A, x, options as never) as never;
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
  assertAffordable(core, costGemv(A.rows, A.cols));
  return core.scope((ar) => {
    const py = beta !== 0 ? putFinite(core, ar, "options.y", y0!) : ar.allocF64(rows);
    const pA = ar.put(A.data), px = ar.put(x);
    // A is checked by the kernel as it reads it (no extra pass over A); x (short) is scanned afterwards, so the
    // first reported error is still y, then A, then x.
    if (core.x.gemv_f64_checked(trans ? 1 : 0, A.rows, A.cols, alpha, pA, A.cols, px, beta, py) !== 0) {
      throwFirstNonFinite(core, [["A.data", pA, A.data]]);
    }
    checkFinite(core, "x", px, x);
    return ar.take(py, rows);
  });
}
