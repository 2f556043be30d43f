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
 * Overflow (README "Overflow and underflow"): inputs are finite, so a NaN or Infinity in a result can only come from
 * overflow. After the kernel, the cheaper of two checks runs: a SIMD scan of the result, or (when the operands are
 * smaller than the result, e.g. k = 8) the bound |alpha| k max|A| max|B| on every entry and partial sum, with the
 * result scanned only if the bound exceeds the range (mayHaveOverflowed). The entries hit are
 * recomputed from exactly scaled inputs 2^a A, 2^b B (max |entry| in [1, 2), so nothing overflows: the same kernel,
 * the same summation order) and scaled back, which rescues intermediate overflow (1e308 + 1e308 - 1e308); if the
 * exact entry itself exceeds 1.797e308 an OverflowError names the operation and the entry. Entries that were
 * finite are never touched, so results without overflow keep their bits.
 *
 * Determinism: blocking sizes are compile-time constants and the summation order of each entry depends only on
 * k (cut into blocks of 256); WebAssembly float64 arithmetic is IEEE-754 without contraction, so the same inputs
 * give the same bits in Node and in browsers, on every host.
 */
import type { Core } from "../core/core.js";
import type { Arena } from "../core/arena.js";
import type { Matrix } from "../types.js";
import { InternalError, InvalidArgumentError, OverflowError } from "../errors.js";
import { exponentOf, formatScaled, ldexp, log2Abs, normalizingExponent } from "./scale.js";
import * as dm from "../math/detmath.js";
import { assertBoolean, assertFiniteNumber, assertMatrix, assertOptions, def, isFloat64Array, originalOf } from "../validate.js";
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
  const alpha = def(o.alpha, 1), beta = def(o.beta, 0);
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
  /** The caller's own `options.out` object (out is its snapshot, sharing its data), returned as the result. */
  result?: Matrix;
}

/** matmul with a caller-chosen kernel (the threaded path passes its split kernel); same validation and data flow. */
export function matmulWith(core: Core, A: Matrix, B: Matrix, options: MatmulOptions | undefined, kernel: GemmKernel): Matrix {
  return matmulPlanned(core, A, B, planMatmul(A, B, options), kernel);
}

/** Validate every argument of matmul (all checks except the finiteness of the entries, done in WASM). */
export function planMatmul(A: Matrix, B: Matrix, options: MatmulOptions | undefined): MatmulPlan {
  assertOptions("options", options);
  const o = options ?? {};
  const transA = def(o.transA, false), transB = def(o.transB, false);
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
  return { transA, transB, m, n, k, alpha, beta, C: beta !== 0 ? o.C : undefined, out, result: out === undefined ? undefined : originalOf(out) };
}

/** The data flow of matmul for a validated plan: copy in, kernel (finiteness flag), copy out. */
export function matmulPlanned(core: Core, A: Matrix, B: Matrix, plan: MatmulPlan, kernel: GemmKernel): Matrix {
  const { transA, transB, m, n, k, alpha, beta, C, out, result } = plan;
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
    if (mayHaveOverflowed(core, plan, pA, A.data.length, pB, B.data.length, pC)) rescueMatmul(core, ar, A, B, plan, pC, kernel);
    if (out !== undefined) {
      out.data.set(ar.f64(pC, m * n));
      return result ?? out;
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
    if (gramMayHaveOverflowed(core, m, d, pX, pG)) rescueGram(core, ar, X, pG, kernel);
    return { rows: d, cols: d, data: ar.take(pG, d * d) };
  });
}

/** y = alpha * op(A) x + beta * y0; returns a new Float64Array of length op(A).rows. */
export function gemv(core: Core, A: Matrix, x: Float64Array, options?: GemvOptions): Float64Array {
  if (isMatrix32(A) || (x as unknown) instanceof Float32Array) return gemvF32(core, A, x, options as never) as never;
  assertOptions("options", options);
  const o = options ?? {};
  const trans = def(o.trans, false);
  assertBoolean("options.trans", trans);
  const { alpha, beta } = readScalars(o);
  assertMatrix("A", A, { finite: false });
  const rows = trans ? A.cols : A.rows, len = trans ? A.rows : A.cols;
  if (!isFloat64Array(x)) throw new InvalidArgumentError("x", "a Float64Array", x);
  if (x.length !== len) throw new InvalidArgumentError("x.length", `equal to ${trans ? "A.rows" : "A.cols"} (${len})`, x.length);
  const y0 = o.y;
  if (beta !== 0) {
    if (y0 === undefined) throw new InvalidArgumentError("options.y", "a Float64Array when options.beta != 0", y0);
    if (!isFloat64Array(y0)) throw new InvalidArgumentError("options.y", "a Float64Array", y0);
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
    // Overflow: the result (length rows) is far cheaper to scan than any bound over A (rows x len).
    if (core.x.find_nonfinite_f64(py, rows) >= 0) rescueGemv(core, ar, A, x, trans, alpha, beta, y0, py, rows);
    return ar.take(py, rows);
  });
}

/** (mantissa in [1, 2), exponent) of a finite nonzero x: x = mant * 2^exp exactly. */
function split(x: number): [number, number] {
  const e = exponentOf(x);
  return [ldexp(x, -e), e];
}

/**
 * alpha * t * 2^e + beta * c for finite alpha, t, beta, c, without intermediate overflow (each term is kept as a
 * mantissa product in [1, 4) times a power of two until the last step). Returns +-Infinity only when the exact
 * value's magnitude is beyond float64 (up to the rounding of the two mantissa products and of the sum).
 */
export function combineScaled(alpha: number, t: number, e: number, beta: number, c: number): number {
  const terms: Array<[number, number]> = [];
  if (alpha !== 0 && t !== 0) {
    const [ma, ea] = split(alpha), [mt, et] = split(t);
    terms.push([ma * mt, ea + et + e]);
  }
  if (beta !== 0 && c !== 0) {
    const [mb, eb] = split(beta), [mc, ec] = split(c);
    terms.push([mb * mc, eb + ec]);
  }
  if (terms.length === 0) return 0;
  const F = Math.max(...terms.map(([, x]) => x));
  let v = 0;
  for (const [mant, x] of terms) v += ldexp(mant, x - F);
  return ldexp(v, F);
}

/** A copy of data scaled by 2^e (exact unless entries fall below 2^-1022) in fresh arena space. */
function putScaled(ar: Arena, data: Float64Array, e: number): number {
  const p = ar.allocF64(data.length);
  const view = ar.f64(p, data.length);
  for (let i = 0; i < data.length; i++) view[i] = ldexp(data[i], e);
  return p;
}

/** matmul's result at pC has a non-finite entry although A, B, C are finite: recompute those entries (see module doc). */
export function rescueMatmul(core: Core, ar: Arena, A: Matrix, B: Matrix, plan: MatmulPlan, pC: number, kernel: GemmKernel): void {
  const { transA, transB, m, n, k, alpha, beta, C } = plan;
  const ea = normalizingExponent(A.data), eb = normalizingExponent(B.data);
  const pT = ar.allocF64(m * n);
  if (alpha !== 0) {
    const pA = putScaled(ar, A.data, ea), pB = putScaled(ar, B.data, eb);
    kernel(transA ? 1 : 0, transB ? 1 : 0, m, n, k, 1, pA, A.cols, pB, B.cols, 0, pT, n);
  }
  const T = ar.f64(pT, m * n), out = ar.f64(pC, m * n);
  for (let i = 0; i < m * n; i++) {
    if (Number.isFinite(out[i])) continue;
    const c = beta !== 0 ? C!.data[i] : 0;
    const v = combineScaled(alpha, alpha !== 0 ? T[i] : 0, -(ea + eb), beta, c);
    if (!Number.isFinite(v)) {
      throw new OverflowError("matmul", "A, B", `matrices whose product alpha * op(A) * op(B)${beta !== 0 ? " + beta * C" : ""} ` +
        `fits in float64 (|entry| <= ${Number.MAX_VALUE}; entry (${Math.floor(i / n)}, ${i % n}) is about ` +
        `${estimate(alpha, alpha !== 0 ? T[i] : 0, -(ea + eb), beta, c)})`, { rows: m, cols: n });
    }
    out[i] = v;
  }
}

/** Decimal estimate of alpha * t * 2^e + beta * c beyond the float64 range (error messages only). */
function estimate(alpha: number, t: number, e: number, beta: number, c: number): string {
  // The larger term decides the magnitude (they can only cancel below the range, where no error is raised).
  const a = alpha !== 0 && t !== 0 ? log2Abs(alpha) + log2Abs(t) + e : -Infinity;
  const b = beta !== 0 && c !== 0 ? log2Abs(beta) + log2Abs(c) : -Infinity;
  const sgn = a >= b ? Math.sign(alpha) * Math.sign(t) : Math.sign(beta) * Math.sign(c);
  const l = Math.max(a, b), E = Math.floor(l);
  return formatScaled(sgn * dm.exp((l - E) * Math.LN2), E);
}

/** gram's result at pG has a non-finite entry although X is finite: recompute those entries from 2^e X. */
export function rescueGram(core: Core, ar: Arena, X: Matrix, pG: number, kernel: GramKernel): void {
  const m = X.rows, d = X.cols;
  const ex = normalizingExponent(X.data);
  const pX = putScaled(ar, X.data, ex), pT = ar.allocF64(d * d);
  kernel(m, d, 1, pX, d, pT, d);
  const T = ar.f64(pT, d * d), out = ar.f64(pG, d * d);
  for (let i = 0; i < d * d; i++) {
    if (Number.isFinite(out[i])) continue;
    const v = ldexp(T[i], -2 * ex);
    if (!Number.isFinite(v)) {
      throw new OverflowError("gram", "X", `a matrix whose Gram matrix X^T X fits in float64 (|entry| <= ` +
        `${Number.MAX_VALUE}; entry (${Math.floor(i / d)}, ${i % d}) is about ${formatScaled(T[i], -2 * ex)})`, X);
    }
    out[i] = v;
  }
}

/** gemv's result at py has a non-finite entry although A, x, y0 are finite: recompute those entries. */
function rescueGemv(core: Core, ar: Arena, A: Matrix, x: Float64Array, trans: boolean, alpha: number, beta: number,
  y0: Float64Array | undefined, py: number, rows: number): void {
  const ea = normalizingExponent(A.data), ex = normalizingExponent(x);
  const pT = ar.allocF64(rows);
  if (alpha !== 0) {
    const pA = putScaled(ar, A.data, ea), px = putScaled(ar, x, ex);
    core.x.gemv_f64(trans ? 1 : 0, A.rows, A.cols, 1, pA, A.cols, px, 0, pT);
  }
  const T = ar.f64(pT, rows), out = ar.f64(py, rows);
  for (let i = 0; i < rows; i++) {
    if (Number.isFinite(out[i])) continue;
    const c = beta !== 0 ? y0![i] : 0, t = alpha !== 0 ? T[i] : 0;
    const v = combineScaled(alpha, t, -(ea + ex), beta, c);
    if (!Number.isFinite(v)) {
      throw new OverflowError("gemv", "A, x", `a matrix and vector whose product alpha * op(A) x${beta !== 0 ? " + beta * y" : ""} ` +
        `fits in float64 (|entry| <= ${Number.MAX_VALUE}; entry ${i} is about ${estimate(alpha, t, -(ea + ex), beta, c)})`, { rows: A.rows, cols: A.cols });
    }
    out[i] = v;
  }
}

/**
 * True when no entry or partial sum of alpha op(A) op(B) + beta C can overflow: |alpha| k max|A| max|B| +
 * |beta| max|C| bounds every |entry| and partial sum; it must stay below float64's maximum with a factor 2 of room
 * for the rounding of the bound itself. (Almost always true: then the result is not scanned at all.)
 */
export function productCannotOverflow(alpha: number, k: number, maxA: number, maxB: number, beta: number, maxC: number): boolean {
  // The sum before alpha, alpha times it (or alpha folded into A first) and beta C: all below the range.
  const sum = k * maxA * maxB, lim = Number.MAX_VALUE / 2, a = Math.abs(alpha);
  return sum <= lim && a * maxA <= lim && a * sum + (beta !== 0 ? Math.abs(beta) * maxC : 0) <= lim;
}

/** True when no entry or partial sum of X^T X (m rows) can overflow: m max|X|^2 <= max / 2. */
export function gramCannotOverflow(m: number, maxX: number): boolean {
  return m * maxX * maxX <= Number.MAX_VALUE / 2;
}

type ScanExports = { find_nonfinite_f64(p: number, n: number): number; max_abs_f64(p: number, n: number): number };

/**
 * After a product kernel (finite inputs): may an entry of C have overflowed? Runs the cheaper of two sufficient
 * checks: a scan of C itself (m n entries) or, when the operands are smaller than C and there is no addend, the
 * bound |alpha| k max|A| max|B| (m k + k n entries), scanning C only if the bound allows an overflow. The extra
 * pass is therefore at most min(size of C, size of the operands): a few % of any product.
 */
export function mayHaveOverflowed(core: Core, plan: MatmulPlan, pA: number, lenA: number, pB: number, lenB: number, pC: number): boolean {
  const { m, n, k, alpha, beta } = plan;
  const x = core.x as unknown as ScanExports;
  if (beta === 0 && lenA + lenB < m * n && productCannotOverflow(alpha, k, x.max_abs_f64(pA, lenA), x.max_abs_f64(pB, lenB), 0, 0)) {
    return false;
  }
  return x.find_nonfinite_f64(pC, m * n) >= 0;
}

/** gram's version of mayHaveOverflowed: scan G (d^2 entries) when d <= m, else the bound m max|X|^2 first. */
export function gramMayHaveOverflowed(core: Core, m: number, d: number, pX: number, pG: number): boolean {
  const x = core.x as unknown as ScanExports;
  if (d > m && gramCannotOverflow(m, x.max_abs_f64(pX, m * d))) return false;
  return x.find_nonfinite_f64(pG, d * d) >= 0;
}

