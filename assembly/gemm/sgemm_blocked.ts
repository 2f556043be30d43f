// SGEMM (float32): C = alpha * op(A) * op(B) + beta * C, row-major, strides in elements, beta == 0 never reads C.
// Same BLIS layering and determinism rules as the f64 GEMM (gemm_f64_blocked.ts), with its own packing
// (sgemm_pack.ts), macro-kernel (below) and register tile (sgemm_4x8_simd.ts, or sgemm_6x8_simd.ts when tuned); block sizes in sgemm_params.ts.
//
// Per-entry arithmetic (float32, no FMA): k is cut at multiples of KC; block 0 gives C = alpha*acc0 + beta*C (or
// alpha*acc0), each later block C = alpha*acc_b + C, each acc_b summed in order of p. This depends on neither the
// column range nor the tile an entry is in, so column splits (gemm_f32_cols) give identical bits.
import { sgemm_mr, sgemm_kernel, SGEMM_NR, SGEMM_MC, SGEMM_KC, SGEMM_NC, SGEMM_PACK_A_F32, SGEMM_PACK_B_F32, SGEMM_WS_BYTES } from "./sgemm_params";
import { sgemm_pack_a, sgemm_pack_b } from "./sgemm_pack";
import { sgemm_4x8_simd } from "./sgemm_4x8_simd";
import { sgemm_6x8_simd } from "./sgemm_6x8_simd";

// @ts-ignore: decorator
@inline function tile(kernel: i32, kc: i32, pa: usize, pb: usize, alpha: f32, beta: f32, c: usize, ldc: i32): void {
  if (kernel == 1) sgemm_6x8_simd(kc, pa, pb, alpha, beta, c, ldc);
  else sgemm_4x8_simd(kc, pa, pb, alpha, beta, c, ldc);
}

/** C[0:m, 0:n] *= beta (float32), with beta == 0 writing zeros without reading C. */
function sgemm_scale_c(m: i32, n: i32, beta: f32, c: usize, ldc: i32): void {
  for (let i = 0; i < m; i++) {
    const row = c + (<usize>i * ldc << 2);
    for (let j = 0; j < n; j++) {
      const q = row + (<usize>j << 2);
      store<f32>(q, beta == 0 ? <f32>0 : beta * load<f32>(q));
    }
  }
}

/**
 * Macro-kernel: C[0:mc, 0:nc] = alpha * Apacked * Bpacked + beta * C, one MR x NR tile at a time (jr outer, ir
 * inner). upper != 0 (Gram): tiles strictly below the global diagonal (diag = ic - jc) are skipped.
 */
function sgemm_macro(
  mc: i32, nc: i32, kc: i32, alpha: f32, beta: f32,
  pa: usize, pb: usize, c: usize, ldc: i32, edge: usize, upper: i32, diag: i32,
): void {
  const MR = sgemm_mr, kernel = sgemm_kernel;
  const panelA = <usize>MR * kc << 2, panelB = <usize>SGEMM_NR * kc << 2;
  for (let jr = 0; jr < nc; jr += SGEMM_NR) {
    const nr = min(SGEMM_NR, nc - jr);
    const bp = pb + <usize>(jr / SGEMM_NR) * panelB;
    for (let ir = 0; ir < mc; ir += MR) {
      if (upper != 0 && ir + diag >= jr + nr) break;
      const mr = min(MR, mc - ir);
      const ap = pa + <usize>(ir / MR) * panelA;
      const cp = c + ((<usize>ir * ldc + jr) << 2);
      if (mr == MR && nr == SGEMM_NR) {
        tile(kernel, kc, ap, bp, alpha, beta, cp, ldc);
      } else {
        // Edge rule: full tile into scratch (= alpha * acc), then merge the valid part with the same formula.
        tile(kernel, kc, ap, bp, alpha, 0, edge, SGEMM_NR);
        for (let i = 0; i < mr; i++) {
          const crow = cp + (<usize>i * ldc << 2), trow = edge + (<usize>i * SGEMM_NR << 2);
          if (beta == 0) {
            for (let j = 0; j < nr; j++) store<f32>(crow + (<usize>j << 2), load<f32>(trow + (<usize>j << 2)));
          } else {
            for (let j = 0; j < nr; j++) {
              const q = crow + (<usize>j << 2);
              store<f32>(q, load<f32>(trow + (<usize>j << 2)) + beta * load<f32>(q));
            }
          }
        }
      }
    }
  }
}

/**
 * Columns [j0, j1) of C = alpha * op(A) * op(B) + beta * C with workspace ws (SGEMM_WS_BYTES bytes); upper != 0
 * (m == n, Gram) computes only tiles touching the upper triangle. alpha == 0 or k == 0: C = beta * C, A and B unread.
 * Returns the packing finiteness indicator: 0 if every packed entry is finite, NaN otherwise (0 if nothing is read).
 */
export function sgemm_blocked(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32,
  ws: usize, upper: i32, j0: i32, j1: i32,
): f32 {
  if (m <= 0 || j1 <= j0) return 0;
  if (k <= 0 || alpha == 0) {
    sgemm_scale_c(m, j1 - j0, beta, c + (<usize>j0 << 2), ldc);
    return 0;
  }
  let bad: f32 = 0;
  const pa = ws;
  const pb = pa + (<usize>SGEMM_PACK_A_F32 << 2);
  const edge = pb + (<usize>SGEMM_PACK_B_F32 << 2);
  for (let jc = j0; jc < j1; jc += SGEMM_NC) {
    const nc = min(SGEMM_NC, j1 - jc);
    for (let pc = 0; pc < k; pc += SGEMM_KC) {
      const kc = min(SGEMM_KC, k - pc);
      const betaBlock: f32 = pc == 0 ? beta : 1.0;
      bad += sgemm_pack_b(transB, kc, nc, b, ldb, pc, jc, pb);
      for (let ic = 0; ic < m; ic += SGEMM_MC) {
        if (upper != 0 && ic >= jc + nc) break;
        const mc = min(SGEMM_MC, m - ic);
        bad += sgemm_pack_a(transA, mc, kc, a, lda, ic, pc, pa);
        sgemm_macro(mc, nc, kc, alpha, betaBlock, pa, pb, c + ((<usize>ic * ldc + jc) << 2), ldc, edge, upper, ic - jc);
      }
    }
  }
  return bad;
}

/** Columns [j0, j1) of the same product with caller workspace ws (gemm_f32_ws_bytes() bytes): identical bits. */
export function gemm_f32_cols(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32,
  ws: usize, j0: i32, j1: i32,
): i32 {
  const bad = sgemm_blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ws, 0, max(0, j0), min(n, j1));
  return bad != bad ? 1 : 0;
}

/**
 * Columns [j0, j1) of the upper triangle of the float32 Gram C = alpha * X^T X (X m x d, row-major) with caller
 * workspace ws: the same tiles and bits as gram_f32_checked (mirror with sgemm_mirror_upper once all columns are
 * done). Returns 1 if a packed entry of X is NaN or +-Infinity, else 0.
 */
export function gram_f32_cols(m: i32, d: i32, alpha: f32, x: usize, ldx: i32, c: usize, ldc: i32, ws: usize, j0: i32, j1: i32): i32 {
  const bad = sgemm_blocked(1, 0, d, d, m, alpha, x, ldx, x, ldx, 0, c, ldc, ws, 1, max(0, j0), min(d, j1));
  return bad != bad ? 1 : 0;
}

/** Bytes of workspace gemm_f32_cols needs. */
export function gemm_f32_ws_bytes(): i32 {
  return SGEMM_WS_BYTES;
}

/** Copy the strict upper triangle of the d x d float32 matrix C into its strict lower triangle. */
export function sgemm_mirror_upper(d: i32, c: usize, ldc: i32): void {
  for (let i = 1; i < d; i++) {
    const row = c + (<usize>i * ldc << 2);
    for (let j = 0; j < i; j++) store<f32>(row + (<usize>j << 2), load<f32>(c + ((<usize>j * ldc + i) << 2)));
  }
}
