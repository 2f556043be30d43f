// Fixed GEMM blocking constants (BLIS names: MR x NR register tile, KC x NC panel of B, MC x KC block of A).
// They are compile-time constants on purpose: the summation order of every C entry depends only on KC
// (k is cut into blocks [0, KC), [KC, 2KC), ...), so results depend only on the inputs, never on the host,
// on the tile an entry falls in, or on how C is split between threads.
// Sizes for this x86 machine (L1d 32 KiB, L2 1 MiB per core, shared L3 32 MiB):
//   B micro-panel KC*NR*8 = 8 KiB stays in L1, A block 2*MC*KC*8 = 384 KiB (pre-splatted) stays in L2,
//   B panel KC*NC*8 = 4 MiB stays in L3. A sweep of KC in 192..384, MC in 64..256 moved GFLOP/s by < 3%.
//   MC = 96 instead of 128 (A block 384 instead of 512 KiB, more of the 1 MiB L2 left for B and C) measured
//   +1..2% at n = 256..1024 (best of runs: 21.9 vs 21.5, 21.3 vs 20.9, 21.3 vs 21.0 GFLOP/s). MC and NC never
//   change any result bit (only KC does), so they may be retuned freely.

/** Rows of the default register tile (micro-kernel gemm_f64_4x4_simd); the 6 x 4 kernel uses 6 (gemm_mr). */
export const GEMM_MR: i32 = 4;
/** Largest tile height of any micro-kernel (sizes the edge tile; GEMM_MC_MAX is a multiple of it). */
export const GEMM_MR_MAX: i32 = 6;
/** Columns of the register tile. */
export const GEMM_NR: i32 = 4;
/** Depth of one k block. */
export const GEMM_KC: i32 = 256;
/** Default rows of op(A) packed at once (multiple of MR). */
export const GEMM_MC: i32 = 96;
/** Largest MC the workspace holds (the tuned MC may be anything from MR to this, a multiple of MR). */
export const GEMM_MC_MAX: i32 = 192;
/** Columns of op(B) packed at once (multiple of NR). */
export const GEMM_NC: i32 = 2048;

/**
 * Doubles of packed A one GEMM needs (one MC x KC block at the largest MC, values stored twice). Partial micro-panels
 * are padded to the tile height MR (4 or 6), which still fits: GEMM_MC_MAX is a multiple of both.
 */
export const GEMM_PACK_A_F64: i32 = 2 * GEMM_MC_MAX * GEMM_KC;
/** Doubles of packed B one GEMM needs (one KC x NC panel). */
export const GEMM_PACK_B_F64: i32 = GEMM_KC * GEMM_NC;
/** Bytes of workspace one GEMM call needs: packed A, packed B and one MR x NR edge tile. */
export const GEMM_WS_BYTES: i32 = (GEMM_PACK_A_F64 + GEMM_PACK_B_F64 + GEMM_MR_MAX * GEMM_NR) * 8;

// ---- Tuning that never changes a result bit (see gemm_f64_tune.ts): the A block height MC and the micro-kernel
// (the 4 x 4 variants share the packed layout; the 6 x 4 kernel packs A 6 rows per micro-panel; all have the same
// per-entry operation order). Instance globals, so each
// thread of the threaded build keeps its own.

/** Current MC (multiple of MR, MR..GEMM_MC_MAX). */
export let gemm_mc: i32 = GEMM_MC;
/** Current micro-kernel: 0 = 4x4 tile, k loop unrolled by 8, 1 = by 4, 2 = not unrolled; 3 = 6x4 tile. */
export let gemm_kernel: i32 = 0;
/** Tile height of the current micro-kernel (the packed A micro-panel height): 4, or 6 for kernel 3. */
export let gemm_mr: i32 = GEMM_MR;
/** Number of micro-kernels gemm_f64_tune accepts. */
export const GEMM_KERNEL_COUNT: i32 = 4;

/** Set MC and the micro-kernel; returns 1 if accepted, 0 (nothing changed) if out of range. */
export function gemm_f64_tune(mc: i32, kernel: i32): i32 {
  if (mc < GEMM_MR || mc > GEMM_MC_MAX || mc % GEMM_MR != 0 || kernel < 0 || kernel >= GEMM_KERNEL_COUNT) return 0;
  gemm_mc = mc;
  gemm_kernel = kernel;
  gemm_mr = kernel == 3 ? 6 : GEMM_MR;
  return 1;
}

/** Current tuning as mc * 16 + kernel. */
export function gemm_f64_tuning(): i32 {
  return gemm_mc * 16 + gemm_kernel;
}
