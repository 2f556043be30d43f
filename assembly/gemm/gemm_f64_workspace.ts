// Static GEMM workspace (packed A, packed B, edge tile) in the module's data segment, below heap_base,
// so it never collides with the JS scratch arena and the kernels never allocate. One workspace means
// gemm_f64 is not re-entrant within one instance; the threaded path gives each worker its own workspace.
import { GEMM_WS_BYTES } from "./gemm_f64_params";

/** Address of the single-thread GEMM workspace (GEMM_WS_BYTES bytes, 64-byte aligned). */
export const GEMM_WS: usize = memory.data(GEMM_WS_BYTES, 64);

/** Accumulator strip for gemv with op(A) = A^T (GEMV_JB doubles). */
export const GEMV_JB: i32 = 512;
export const GEMV_WS: usize = memory.data(GEMV_JB * 8, 64);
