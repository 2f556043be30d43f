// Fixed SGEMM (float32) blocking constants, BLIS names (MR x NR register tile, KC x NC panel of B, MC x KC block
// of A). As for the f64 GEMM (gemm_f64_params.ts), the summation order of every C entry depends only on KC (k is cut
// into blocks [0, KC), [KC, 2KC), ...), so results depend only on the inputs, never on the host, on the tile an
// entry falls in, or on how C is split between column ranges. MC and NC never change a result bit.
// Sizes: B micro-panel KC*NR*4 = 8 KiB (L1), A block MC*KC*4 = 192 KiB (L2), B panel KC*NC*4 = 2 MiB.
// MC = 192 rather than 96 since A is packed without splatting (same L2 footprint as before): 1-5% faster at
// n = 256..1024 in two A/B runs of both builds in one process.

/** Rows of the default register tile (micro-kernel sgemm_4x8_simd); the 6 x 8 kernel uses 6 (sgemm_mr). */
export const SGEMM_MR: i32 = 4;
/** Largest tile height of any f32 micro-kernel (sizes the edge tile; SGEMM_MC is a multiple of it). */
export const SGEMM_MR_MAX: i32 = 6;
/** Columns of the register tile (two f32x4 vectors). */
export const SGEMM_NR: i32 = 8;
/** Depth of one k block. */
export const SGEMM_KC: i32 = 256;
/** Rows of op(A) packed at once (a multiple of both tile heights, 4 and 6). */
export const SGEMM_MC: i32 = 192;
/** Columns of op(B) packed at once (multiple of NR). */
export const SGEMM_NC: i32 = 2048;

/** Floats of packed A one SGEMM needs (one MC x KC block; partial micro-panels are padded to 4 or 6 rows, and MC
 * is a multiple of both). */
export const SGEMM_PACK_A_F32: i32 = SGEMM_MC * SGEMM_KC;
/** Floats of packed B one SGEMM needs (one KC x NC panel). */
export const SGEMM_PACK_B_F32: i32 = SGEMM_KC * SGEMM_NC;
/** Bytes of workspace one SGEMM call needs: packed A, packed B and one MR_MAX x NR edge tile. */
export const SGEMM_WS_BYTES: i32 = (SGEMM_PACK_A_F32 + SGEMM_PACK_B_F32 + SGEMM_MR_MAX * SGEMM_NR) * 4;

// ---- Bit-neutral kernel choice (src/linalg/tune.ts): the 4 x 8 tile or the 6 x 8 tile (sgemm_6x8_simd.ts). Both
// compute every entry in the same order with the same madd32, and MC is a multiple of both heights, so the choice
// never changes a result bit. Instance globals: each thread of the threaded build keeps its own (default 4 x 8).

/** Current f32 micro-kernel: 0 = 4 x 8 tile (sgemm_4x8_simd), 1 = 6 x 8 tile (sgemm_6x8_simd). */
export let sgemm_kernel: i32 = 0;
/** Tile height of the current f32 micro-kernel (the packed A micro-panel height): 4 or 6. */
export let sgemm_mr: i32 = SGEMM_MR;
/** Number of f32 micro-kernels sgemm_f32_tune accepts. */
export const SGEMM_KERNEL_COUNT: i32 = 2;

/** Select the f32 micro-kernel; returns 1 if accepted, 0 (nothing changed) if out of range. */
export function sgemm_f32_tune(kernel: i32): i32 {
  if (kernel < 0 || kernel >= SGEMM_KERNEL_COUNT) return 0;
  sgemm_kernel = kernel;
  sgemm_mr = kernel == 1 ? 6 : SGEMM_MR;
  return 1;
}

/** Current f32 micro-kernel (0 or 1). */
export function sgemm_f32_tuning(): i32 {
  return sgemm_kernel;
}
