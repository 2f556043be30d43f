/**
 * Type of the WASM module's exports (assembly/index.ts). Pointers are byte addresses in the core's memory.
 * Keep in the same order as assembly/index.ts.
 */
export interface CoreExports {
  memory: WebAssembly.Memory;
  heap_base(): number;
  gemm_f64_ref(transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number): void;
  gemm_f64(transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number): void;
  // ---- region: gemm ----
  // ---- region: svd ----
  // ---- region: random ----
  // ---- region: models ----
  // ---- region: gradvar ----
  [name: string]: unknown;
}
