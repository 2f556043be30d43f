// Static SGEMM workspace (packed A, packed B, edge tile) in the module's data segment, below heap_base, separate
// from the f64 one (gemm_f64_workspace.ts) so that neither kernel family depends on the other's block sizes.
// One workspace: gemm_f32 is not re-entrant within one instance (kernels never call back into JS).
import { SGEMM_WS_BYTES } from "./sgemm_params";

/** Address of the single-thread SGEMM workspace (SGEMM_WS_BYTES bytes, 64-byte aligned). */
export const SGEMM_WS: usize = memory.data(SGEMM_WS_BYTES, 64);

/** Accumulator strip for gemv_f32 with op(A) = A^T (SGEMV_JB floats). */
export const SGEMV_JB: i32 = 1024;
export const SGEMV_WS: usize = memory.data(SGEMV_JB * 4, 64);
