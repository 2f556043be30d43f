// Entry of the "threads" build (asconfig target "threads" -> build/threads.wasm): the GEMM kernels alone, compiled
// with an imported shared memory (--importMemory --sharedMemory) so that worker threads can run the same kernels on
// the same operands. Used by src/parallel/gemm-threads.ts; each thread owns a workspace (GEMM_WS_BYTES) in the arena
// and computes a column range of C with gemm_f64_cols / gram_f64_cols, giving the same bits as one thread.
export { heap_base } from "../core/memory";
// Only the caller-workspace entry points: the static workspace of gemm_f64 / gram_f64 would become a 4 MiB
// zero data segment here (an imported memory is not known to be zeroed) and be rewritten by every instantiation.
export { gemm_f64_cols, gemm_f64_ws_bytes, gemm_f64_kc } from "./gemm_f64_blocked";
export { gram_f64_cols, gram_f64_cols_beta, gemm_f64_mirror_upper } from "./gram_f64_blocked";
export { find_nonfinite_f64, max_abs_f64 } from "./find_nonfinite_f64";
// float32: the caller-workspace SGEMM entry point and the float32 scan (src/parallel/gemm-threads.ts, matmul32).
export { gemm_f32_cols, gemm_f32_ws_bytes, gram_f32_cols, sgemm_mirror_upper } from "./sgemm_blocked";
export { find_nonfinite_f32 } from "./find_nonfinite_f32";
