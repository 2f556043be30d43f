// Blocking loops (BLIS bli_gemm_blk_var*): jc over NC columns of C, pc over KC-deep slices of k, ic over MC rows.
// For each (jc, pc) one KC x NC panel of op(B) is packed; for each ic one MC x KC block of op(A); then the
// macro-kernel runs. Block sizes are the fixed constants of gemm_f64_params.ts.
import { gemm_mc, GEMM_KC, GEMM_NC, GEMM_PACK_A_F64, GEMM_PACK_B_F64, GEMM_WS_BYTES } from "./gemm_f64_params";
import { gemm_f64_pack_a, gemm_f64_pack_b } from "./gemm_f64_pack";
import { gemm_f64_macro } from "./gemm_f64_macro";

/** C[0:m, 0:n] *= beta, with beta == 0 writing zeros without reading C. */
export function gemm_f64_scale_c(m: i32, n: i32, beta: f64, c: usize, ldc: i32): void {
  for (let i = 0; i < m; i++) {
    const row = c + (<usize>i * ldc << 3);
    for (let j = 0; j < n; j++) {
      const q = row + (<usize>j << 3);
      store<f64>(q, beta == 0 ? 0.0 : beta * load<f64>(q));
    }
  }
}

/**
 * C = alpha * op(A) * op(B) + beta * C on the columns [j0, j1) of C only, with caller-supplied workspace
 * ws (GEMM_WS_BYTES bytes). Row-major, strides in elements; beta == 0 never reads C. Trusts its inputs.
 *
 * Per-entry arithmetic: k is cut at multiples of KC; block 0 gives C = alpha*acc0 + beta*C (or alpha*acc0),
 * each later block C = alpha*acc_b + C, each acc_b summed in order of p by the micro-kernel. This depends on
 * neither the column range nor the tile an entry is in, so splitting C between threads gives identical bits.
 *
 * upper != 0 (requires m == n, used by gram): compute only tiles touching the upper triangle.
 * alpha == 0 or k == 0: C = beta * C without reading A or B (BLAS rule).
 * Returns the packing finiteness indicator (gemm_f64_pack.ts): 0 if every packed entry of op(A) and op(B) is
 * finite, NaN otherwise. With k >= 1 and alpha != 0 every entry of op(A) (rows of C) and of op(B)[:, j0:j1] is
 * packed, in upper mode too (all of op(B)[:, j0:j1] is packed; for gram op(B) = X covers X). 0 when nothing is read.
 */
export function gemm_f64_blocked(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32,
  ws: usize, upper: i32, j0: i32, j1: i32,
): f64 {
  if (m <= 0 || j1 <= j0) return 0;
  if (k <= 0 || alpha == 0) {
    gemm_f64_scale_c(m, j1 - j0, beta, c + (<usize>j0 << 3), ldc);
    return 0;
  }
  let bad: f64 = 0;
  const pa = ws;
  const pb = pa + (<usize>GEMM_PACK_A_F64 << 3);
  const tile = pb + (<usize>GEMM_PACK_B_F64 << 3);
  for (let jc = j0; jc < j1; jc += GEMM_NC) {
    const nc = min(GEMM_NC, j1 - jc);
    for (let pc = 0; pc < k; pc += GEMM_KC) {
      const kc = min(GEMM_KC, k - pc);
      const betaBlock = pc == 0 ? beta : 1.0;
      bad += gemm_f64_pack_b(transB, kc, nc, b, ldb, pc, jc, pb);
      const MC = gemm_mc;
      for (let ic = 0; ic < m; ic += MC) {
        // Whole block strictly below the diagonal of C: nothing to do in upper mode.
        if (upper != 0 && ic >= jc + nc) break;
        const mc = min(MC, m - ic);
        bad += gemm_f64_pack_a(transA, mc, kc, a, lda, ic, pc, pa);
        gemm_f64_macro(mc, nc, kc, alpha, betaBlock, pa, pb, c + ((<usize>ic * ldc + jc) << 3), ldc, tile, upper, ic - jc);
      }
    }
  }
  return bad;
}

/**
 * Columns [j0, j1) of the same product, with caller workspace ws (gemm_f64_ws_bytes() bytes).
 * Every entry gets the same bits as from gemm_f64: this is the unit of work of the threaded path.
 * Returns 1 if a packed entry of op(A) or op(B)[:, j0:j1] was NaN or +-Infinity, else 0 (always 0 when
 * alpha == 0 or k == 0: then A and B are not read and the caller must check them itself).
 */
export function gemm_f64_cols(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32,
  ws: usize, j0: i32, j1: i32,
): i32 {
  const bad = gemm_f64_blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ws, 0, max(0, j0), min(n, j1));
  return bad != bad ? 1 : 0;
}

/**
 * Depth of one k block (GEMM_KC). Splitting a product into calls over k ranges that start at multiples of it,
 * with beta for the first range and 1 for the others, gives the same bits as one call (the per-entry order is
 * the same sequence of blocks); the threaded path uses this to start before all of op(B) is copied in.
 */
export function gemm_f64_kc(): i32 {
  return GEMM_KC;
}

/** Bytes of workspace gemm_f64_cols needs (packed A, packed B, edge tile). */
export function gemm_f64_ws_bytes(): i32 {
  return GEMM_WS_BYTES;
}
