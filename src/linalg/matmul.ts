/**
 * Matrix products on the GEMM kernel: C = alpha * op(A) * op(B) + beta * C0.
 */
import type { Core } from "../core/core.js";
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
}

export function matmul(core: Core, A: Matrix, B: Matrix, options?: MatmulOptions): Matrix {
  assertOptions("options", options);
  const o = options ?? {};
  const transA = o.transA ?? false, transB = o.transB ?? false;
  assertBoolean("options.transA", transA);
  assertBoolean("options.transB", transB);
  const alpha = o.alpha ?? 1, beta = o.beta ?? 0;
  assertFiniteNumber("options.alpha", alpha);
  assertFiniteNumber("options.beta", beta);
  assertMatrix("A", A);
  assertMatrix("B", B);
  const m = transA ? A.cols : A.rows, k = transA ? A.rows : A.cols;
  const kb = transB ? B.cols : B.rows, n = transB ? B.rows : B.cols;
  if (kb !== k) {
    throw new InvalidArgumentError(transB ? "B.cols" : "B.rows", `equal to the inner dimension of op(A) (${k})`, kb);
  }
  if (beta !== 0) {
    if (o.C === undefined) throw new InvalidArgumentError("options.C", "a matrix when options.beta != 0", o.C);
    assertMatrix("options.C", o.C);
    if (o.C.rows !== m || o.C.cols !== n) {
      throw new InvalidArgumentError("options.C", `a ${m} x ${n} matrix`, o.C);
    }
  }
  return core.scope((ar) => {
    const pA = ar.put(A.data), pB = ar.put(B.data);
    const pC = beta !== 0 ? ar.put(o.C!.data) : ar.allocF64(m * n);
    core.x.gemm_f64(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, pA, A.cols, pB, B.cols, beta, pC, n);
    return { rows: m, cols: n, data: ar.take(pC, m * n) };
  });
}
