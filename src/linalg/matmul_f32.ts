/**
 * float32 matrix products on the SGEMM kernels (assembly/gemm/sgemm_*.ts, sgemv_simd.ts): general product, Gram
 * matrix, matrix-vector product. Reached through engine.matmul / gram / gemv when the operands' `data` are
 * Float32Arrays (src/linalg/matmul.ts dispatches here); results are Float32Arrays.
 *
 * Dtype rule: every matrix/vector operand of one call has the same dtype. Mixing float32 and float64 operands is an
 * InvalidArgumentError naming the operand (no silent promotion): convert explicitly with Float32Array.from /
 * Float64Array.from. alpha and beta are JS numbers rounded to float32 (Math.fround) and must stay finite there.
 *
 * Accuracy (float32, eps = 2^-24): every output entry is fl32(alpha) times one dot product of length k summed in a
 * fixed order in float32 without FMA, so |computed - exact| <= gamma_N |alpha| sum_p |a_ip| |b_pj| + |beta c0_ij|
 * gamma_3-terms, gamma_N = N eps / (1 - N eps), N = k + ceil(k / 256) + 3 (Higham, ASNA 2nd ed., section 3.5),
 * exact being the product of the float32 inputs and the float32-rounded scalars. The tests check this bound.
 *
 * Overflow: float32 overflows at 3.4e38, so finite inputs can give an infinite product. Every result is scanned
 * (O(m n), about 1/k of the product's time) and an overflow throws OverflowError (an InvalidArgumentError, code ERANGE)
 * instead of returning Infinity or NaN.
 *
 * Determinism: fixed blocking (KC = 256) and summation order, IEEE float32 without contraction in WebAssembly:
 * the same inputs give the same bits on every host.
 */
import type { Core } from "../core/core.js";
import type { Arena } from "../core/arena.js";
import { InternalError, InvalidArgumentError, OverflowError } from "../errors.js";
import { assertBoolean, assertInteger, assertOptions, originalOf } from "../validate.js";
import { assertAffordable, costGemv, costGram, costMatmul, type CostEstimate } from "../cost.js";

/** The float64 estimate of src/cost.ts with float32 element sizes (bytes halved; same work). */
function f32Cost(est: CostEstimate): CostEstimate {
  return { ...est, what: `float32 ${est.what}`, wasmBytes: Math.ceil(est.wasmBytes / 2) + 256, jsBytes: Math.ceil(est.jsBytes / 2) };
}

/** A dense float32 matrix, row-major: element (i, j) is data[i * cols + j]. */
export interface Matrix32 {
  rows: number;
  cols: number;
  data: Float32Array;
}

/** Element type of an engine computation. */
export type Dtype = "float64" | "float32";
export const DTYPES = ["float64", "float32"] as const;

export interface MatmulOptions32 {
  transA?: boolean;
  transB?: boolean;
  /** Scale of the product, rounded to float32. Default 1. */
  alpha?: number;
  /** Scale of the addend C, rounded to float32. Default 0; when 0, C is not read. */
  beta?: number;
  /** float32 addend, shape op(A).rows x op(B).cols. Required when beta != 0. Not modified. */
  C?: Matrix32;
  /** Write the result into this float32 m x n matrix and return it (may alias an input: inputs are copied first). */
  out?: Matrix32;
}

export interface GemvOptions32 {
  trans?: boolean;
  alpha?: number;
  beta?: number;
  /** float32 addend of length op(A).rows, required when beta != 0. */
  y?: Float32Array;
}

/** Largest finite float32. */
export const F32_MAX = 3.4028234663852886e38;

/** True when `M` looks like a matrix whose data is a Float32Array. */
export function isMatrix32(M: unknown): M is Matrix32 {
  return typeof M === "object" && M !== null && (M as { data?: unknown }).data instanceof Float32Array;
}

/** A well-formed float32 matrix (shape, data type and length; entries are checked in WASM). */
export function assertMatrix32(name: string, M: unknown, opts: { minRows?: number; minCols?: number; other?: string } = {}): asserts M is Matrix32 {
  if (typeof M !== "object" || M === null) throw new InvalidArgumentError(name, "a matrix { rows, cols, data: Float32Array }", M);
  const m = M as Partial<Matrix32>;
  assertInteger(`${name}.rows`, m.rows, opts.minRows ?? 1);
  assertInteger(`${name}.cols`, m.cols, opts.minCols ?? 1);
  if (!(m.data instanceof Float32Array)) {
    const rule = (m.data as unknown) instanceof Float64Array && opts.other
      ? `a Float32Array like ${opts.other} (float32 and float64 operands are not mixed: convert one explicitly)`
      : "a Float32Array";
    throw new InvalidArgumentError(`${name}.data`, rule, m.data);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new InvalidArgumentError(`${name}.data.length`, `rows * cols = ${m.rows * m.cols}`, m.data.length);
  }
}

/**
 * Mixed dtypes between two operands: the error names the float32 one (the operand that differs from the float64
 * default), e.g. A float32 with B float64 -> "A.data must be a Float64Array like B.data (...)".
 */
function mixedF64(nameA: string, A: unknown, nameB: string, B: unknown): void {
  const dataB = B instanceof Float64Array ? B : (B as { data?: unknown } | null)?.data;
  if (isMatrix32(A) && dataB instanceof Float64Array) {
    throw new InvalidArgumentError(`${nameA}.data`, `a Float64Array like ${nameB}${B instanceof Float64Array ? "" : ".data"} (float32 and float64 operands are not mixed: convert one explicitly)`, A.data);
  }
  const dataA = (A as { data?: unknown } | null)?.data;
  if (isMatrix32(B) && dataA instanceof Float64Array) {
    throw new InvalidArgumentError(`${nameB}.data`, `a Float64Array like ${nameA}.data (float32 and float64 operands are not mixed: convert one explicitly)`, B.data);
  }
}

/** A float32 scalar option: a finite JS number whose float32 rounding is finite. Returns the rounded value. */
export function f32Scalar(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || !Number.isFinite(Math.fround(v))) {
    throw new InvalidArgumentError(name, `a finite number representable in float32 (|x| <= ${F32_MAX})`, v);
  }
  return Math.fround(v);
}

/** Copy a Float32Array into fresh arena space; returns its address. */
export function putF32(ar: Arena, src: Float32Array): number {
  const p = ar.alloc(src.length * 4);
  viewF32(ar, p, src.length).set(src);
  return p;
}

/** A live view of n float32s at p (invalid after the next allocation). */
export function viewF32(ar: Arena, p: number, n: number): Float32Array {
  return new Float32Array(ar.memory.buffer, p, n);
}

/** A copy of n float32s at p, owned by the caller. */
export function takeF32(ar: Arena, p: number, n: number): Float32Array {
  return viewF32(ar, p, n).slice();
}

/** Throw for the first non-finite entry of `data` (copied to p), like checkFinite for float64. */
export function checkFiniteF32(core: Core, name: string, p: number, data: Float32Array): void {
  const bad = core.x.find_nonfinite_f32(p, data.length) as number;
  if (bad >= 0) throw new InvalidArgumentError(`${name}[${bad}]`, "a finite number", data[bad]);
}

function firstNonFinite(core: Core, inputs: Array<[string, number, Float32Array]>): never {
  for (const [name, p, data] of inputs) checkFiniteF32(core, name, p, data);
  throw new InternalError("SGEMM kernel reported a non-finite input that the scan did not find");
}

/** Throw OverflowError when a float32 result overflowed (an entry is +-Infinity or NaN although every input was finite). */
function checkOverflow(core: Core, what: string, p: number, n: number, inputs: string): void {
  const bad = core.x.find_nonfinite_f32(p, n) as number;
  if (bad >= 0) {
    const op = what === "Gram matrix" ? "gram" : inputs === "A, x" ? "gemv" : "matmul";
    throw new OverflowError(op, inputs, `small enough that the float32 ${what} stays finite (entry ${bad} of the result overflowed float32; use float64 data)`, "overflow");
  }
}

function scalars(o: { alpha?: unknown; beta?: unknown }): { alpha: number; beta: number } {
  return { alpha: f32Scalar("options.alpha", o.alpha ?? 1), beta: f32Scalar("options.beta", o.beta ?? 0) };
}

/**
 * A float32 GEMM kernel with the gemm_f32 signature (operands in the core's memory, arguments validated) returning
 * nonzero if it packed a NaN or +-Infinity of op(A) or op(B) (gemm_f32_checked; the threaded path passes its split).
 */
export type GemmKernel32 = (transA: number, transB: number, m: number, n: number, k: number, alpha: number,
  a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number) => number;

/** C = alpha op(A) op(B) + beta C0 in float32 (see the module comment). A and B must both be float32 matrices. */
export function matmulF32(core: Core, A: unknown, B: unknown, options?: MatmulOptions32): Matrix32 {
  return matmulF32With(core, A, B, options, core.x.gemm_f32_checked);
}

/** matmulF32 with a caller-chosen kernel (same validation, data flow, checks and bits). */
export function matmulF32With(core: Core, A: unknown, B: unknown, options: MatmulOptions32 | undefined, kernel: GemmKernel32): Matrix32 {
  assertOptions("options", options);
  const o = options ?? {};
  const transA = o.transA ?? false, transB = o.transB ?? false;
  assertBoolean("options.transA", transA);
  assertBoolean("options.transB", transB);
  const betaGiven = o.beta ?? 0;
  const { alpha, beta } = scalars(o);
  mixedF64("A", A, "B", B);
  assertMatrix32("A", A);
  assertMatrix32("B", B);
  const m = transA ? A.cols : A.rows, k = transA ? A.rows : A.cols;
  const kb = transB ? B.cols : B.rows, n = transB ? B.rows : B.cols;
  if (kb !== k) throw new InvalidArgumentError(transB ? "B.cols" : "B.rows", `equal to the inner dimension of op(A) (${k})`, kb);
  let C: Matrix32 | undefined;
  if (betaGiven !== 0) {
    if (o.C === undefined) throw new InvalidArgumentError("options.C", "a matrix when options.beta != 0", o.C);
    assertMatrix32("options.C", o.C, { other: "A.data" });
    if (o.C.rows !== m || o.C.cols !== n) throw new InvalidArgumentError("options.C", `a ${m} x ${n} matrix`, o.C);
    C = o.C;
  }
  const out = o.out;
  if (out !== undefined) {
    assertMatrix32("options.out", out, { other: "A.data" });
    if (out.rows !== m || out.cols !== n) throw new InvalidArgumentError("options.out", `a ${m} x ${n} matrix`, out);
  }
  assertAffordable(core, f32Cost(costMatmul(m, n, k, out !== undefined))); // before any allocation
  if (alpha !== 0) core.tuneForF32(m * n * k); // bit-neutral choice of the register tile (src/linalg/tune.ts)
  return core.scope((ar) => {
    const pC = C !== undefined ? putF32(ar, C.data) : ar.alloc(4 * m * n);
    if (C !== undefined) checkFiniteF32(core, "options.C.data", pC, C.data);
    const pA = putF32(ar, A.data), pB = putF32(ar, B.data);
    if (alpha === 0) {
      checkFiniteF32(core, "A.data", pA, A.data);
      checkFiniteF32(core, "B.data", pB, B.data);
    }
    const bad = kernel(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, pA, A.cols, pB, B.cols, C !== undefined ? beta : 0, pC, n);
    if (bad !== 0) firstNonFinite(core, [["A.data", pA, A.data], ["B.data", pB, B.data]]);
    checkOverflow(core, "product", pC, m * n, "A, B");
    if (out !== undefined) {
      out.data.set(viewF32(ar, pC, m * n));
      return originalOf(out); // the caller's own object (out may be the entry's snapshot of it, sharing its data)
    }
    return { rows: m, cols: n, data: takeF32(ar, pC, m * n) };
  });
}

/** G = X^T X (d x d, float32, exactly symmetric) for a float32 X (m x d, rows as samples). */
export function gramF32(core: Core, X: unknown): Matrix32 {
  return gramF32With(core, X, core.x.gram_f32_checked);
}

/**
 * A float32 Gram kernel with the gram_f32_checked signature (X in the core's memory; writes the whole symmetric
 * d x d result) returning nonzero if it packed a NaN or +-Infinity of X (the threaded path passes its split).
 */
export type GramKernel32 = (m: number, d: number, alpha: number, x: number, ldx: number, c: number, ldc: number) => number;

/** gramF32 with a caller-chosen kernel (same validation, data flow, checks and bits). */
export function gramF32With(core: Core, X: unknown, kernel: GramKernel32): Matrix32 {
  assertMatrix32("X", X);
  const m = X.rows, d = X.cols;
  assertAffordable(core, f32Cost(costGram(m, d)));
  core.tuneForF32((m * d * d) / 2);
  return core.scope((ar) => {
    const pG = ar.alloc(4 * d * d);
    const pX = putF32(ar, X.data);
    if (kernel(m, d, 1, pX, d, pG, d) !== 0) firstNonFinite(core, [["X.data", pX, X.data]]);
    checkOverflow(core, "Gram matrix", pG, d * d, "X");
    return { rows: d, cols: d, data: takeF32(ar, pG, d * d) };
  });
}

/** y = alpha op(A) x + beta y0 in float32; A a float32 matrix, x (and y0) Float32Arrays. */
export function gemvF32(core: Core, A: unknown, x: unknown, options?: GemvOptions32): Float32Array {
  assertOptions("options", options);
  const o = options ?? {};
  const trans = o.trans ?? false;
  assertBoolean("options.trans", trans);
  const betaGiven = o.beta ?? 0;
  const { alpha, beta } = scalars(o);
  mixedF64("A", A, "x", x);
  if (x instanceof Float32Array && (A as { data?: unknown } | null)?.data instanceof Float64Array) {
    throw new InvalidArgumentError("x", "a Float64Array like A.data (float32 and float64 operands are not mixed: convert one explicitly)", x);
  }
  assertMatrix32("A", A);
  const rows = trans ? A.cols : A.rows, len = trans ? A.rows : A.cols;
  if (!(x instanceof Float32Array)) throw new InvalidArgumentError("x", "a Float32Array", x);
  if (x.length !== len) throw new InvalidArgumentError("x.length", `equal to ${trans ? "A.rows" : "A.cols"} (${len})`, x.length);
  const y0 = o.y;
  if (betaGiven !== 0) {
    if (y0 === undefined) throw new InvalidArgumentError("options.y", "a Float32Array when options.beta != 0", y0);
    if (!(y0 instanceof Float32Array)) throw new InvalidArgumentError("options.y", "a Float32Array like A.data", y0);
    if (y0.length !== rows) throw new InvalidArgumentError("options.y.length", `equal to ${trans ? "A.cols" : "A.rows"} (${rows})`, y0.length);
  }
  assertAffordable(core, f32Cost(costGemv(A.rows, A.cols)));
  return core.scope((ar) => {
    const py = betaGiven !== 0 ? putF32(ar, y0!) : ar.alloc(4 * rows);
    if (betaGiven !== 0) checkFiniteF32(core, "options.y", py, y0!);
    const pA = putF32(ar, A.data), px = putF32(ar, x);
    if ((core.x.gemv_f32_checked(trans ? 1 : 0, A.rows, A.cols, alpha, pA, A.cols, px, betaGiven !== 0 ? beta : 0, py) as number) !== 0) {
      firstNonFinite(core, [["A.data", pA, A.data]]);
    }
    checkFiniteF32(core, "x", px, x);
    checkOverflow(core, "product", py, rows, "A, x");
    return takeF32(ar, py, rows);
  });
}
