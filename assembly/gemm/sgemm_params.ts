// Fixed SGEMM (float32) blocking constants, BLIS names (MR x NR register tile, KC x NC panel of B, MC x KC block
// of A). As for the f64 GEMM (gemm_f64_params.ts), the summation order of every C entry depends only on KC (k is cut
// into blocks [0, KC), [KC, 2KC), ...), so results depend only on the inputs, never on the host, on the tile an
// entry falls in, or on how C is split between column ranges. MC and NC never change a result bit.
// Sizes: B micro-panel KC*NR*4 = 8 KiB (L1), A block MC*KC*4 = 192 KiB (L2), B panel KC*NC*4 = 2 MiB.
// MC = 192 rather than 96 since A is packed without splatting (same L2 footprint as before): 1-5% faster at
// n = 256..1024 in two A/B runs of both builds in one process.

/** Rows of the register tile (micro-kernel sgemm_4x8_simd). */
export const SGEMM_MR: i32 = 4;
/** Columns of the register tile (two f32x4 vectors). */
export const SGEMM_NR: i32 = 8;
/** Depth of one k block. */
export const SGEMM_KC: i32 = 256;
/** Rows of op(A) packed at once (multiple of MR). */
export const SGEMM_MC: i32 = 192;
/** Columns of op(B) packed at once (multiple of NR). */
export const SGEMM_NC: i32 = 2048;

/** Floats of packed A one SGEMM needs (one MC x KC block). */
export const SGEMM_PACK_A_F32: i32 = SGEMM_MC * SGEMM_KC;
/** Floats of packed B one SGEMM needs (one KC x NC panel). */
export const SGEMM_PACK_B_F32: i32 = SGEMM_KC * SGEMM_NC;
/** Bytes of workspace one SGEMM call needs: packed A, packed B and one MR x NR edge tile. */
export const SGEMM_WS_BYTES: i32 = (SGEMM_PACK_A_F32 + SGEMM_PACK_B_F32 + SGEMM_MR * SGEMM_NR) * 4;
