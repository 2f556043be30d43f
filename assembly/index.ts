// The WASM module's exports. One file per idea under each folder; this file only re-exports.
export { heap_base } from "./core/memory";
export { gemm_f64_ref } from "./gemm/gemm_f64_ref";
export { gemm_f64 } from "./gemm/gemm_f64";
// ---- region: gemm ----
// ---- region: svd ----
// ---- region: random ----
// ---- region: models ----
// ---- region: gradvar ----
