// The WASM module's exports. One file per idea under each folder; this file only re-exports.
export { heap_base } from "./core/memory";
export { gemm_f64_ref } from "./gemm/gemm_f64_ref";
export { gemm_f64 } from "./gemm/gemm_f64";
// ---- region: gemm ----
export { gemm_f64_cols, gemm_f64_ws_bytes } from "./gemm/gemm_f64_blocked";
export { gemm_f64_4x4_simd } from "./gemm/gemm_f64_4x4_simd";
export { gemm_f64_tune, gemm_f64_tuning } from "./gemm/gemm_f64_params";
export { gemm_f64_pack_a, gemm_f64_pack_b } from "./gemm/gemm_f64_pack";
export { gram_f64, gram_f64_checked } from "./gemm/gram_f64";
export { gemm_f64_checked } from "./gemm/gemm_f64";
export { gemv_f64, gemv_f64_checked } from "./gemm/gemv_f64_simd";
export { gemv_f64_ref } from "./gemm/gemv_f64_ref";
export { find_nonfinite_f64, max_abs_f64 } from "./gemm/find_nonfinite_f64";
export { peak_f64, peak_f64_flops_per_step, peak_f64_buffer_bytes, madd_is_fused } from "./gemm/peak_f64";
export { peak_f64_10, peak_f64_10_flops_per_step } from "./gemm/peak_f64";
// ---- region: svd ----
export { svd_f64, svd_f64_work_size, svd_f64_scale_exp } from "./linalg/svd_f64";
export { svd_gk_f64, svd_gk_f64_work_size, svd_gk_f64_scale_exp, svd_gk_f64_stop_after } from "./linalg/svd_bidiag_f64";
// ---- region: random ----
export { philox4x32_10, rng_fill_u32, rng_fill_uniform_f64, rng_fill_uniform_f64_ref, rng_fill_normal_f64, rng_fill_normal_scaled_f64, rng_fill_normal_f64_ref, rng_fill_bits_f64, rng_fill_bernoulli_f64, rng_fill_integers_i32 } from "./random/philox";
export { rng_sphere_rows_f64 } from "./random/sphere_rows_f64";
export { cholesky_pivoted_f64 } from "./random/cholesky_pivoted_f64";
// ---- region: models ----
export { relu_net_rows_block, relu_net_forward_f64, relu_conv_forward_f64, relu_net_loss_grad_f64, gather_rows_f64, optimizer_step_f64, relu_net_objective_grad_f64, relu_net_train_epoch_f64 } from "./models/relu_net_f64";
// ---- region: gradvar ----
export { math_exp_f64, math_expm1_f64, math_log_f64, math_log1p_f64, math_sin_f64, math_cos_f64, math_sinh_f64, math_cosh_f64, math_tanh_f64, math_atan_f64, math_atan2_f64, math_pow_f64, math_cbrt_f64, math_hypot_f64 } from "./math/nativemath_exports";
export { vm_cos_f64, vm_sin_f64, vm_exp_f64 } from "./math/vmath_f64";
export { gv_psi_f64, gv_scale_rows_f64, gv_grad_chunk_f64, gv_chunk_gram_f64 } from "./gradvar/gradvar_f64";
// ---- region: float32 ----
export { gemm_f32_cols, gemm_f32_ws_bytes } from "./gemm/sgemm_blocked";
export { gemm_f32, gemm_f32_checked, gram_f32_checked } from "./gemm/sgemm_f32";
export { sgemm_pack_a, sgemm_pack_b } from "./gemm/sgemm_pack";
export { sgemm_4x8_simd } from "./gemm/sgemm_4x8_simd";
export { sgemm_6x8_simd } from "./gemm/sgemm_6x8_simd";
export { sgemm_f32_tune, sgemm_f32_tuning } from "./gemm/sgemm_params";
export { gemm_f32_ref, gemv_f32_ref } from "./gemm/sgemm_ref";
export { gemv_f32_checked } from "./gemm/sgemv_simd";
export { find_nonfinite_f32 } from "./gemm/find_nonfinite_f32";
export { peak_f32, peak_f32_flops_per_step, peak_f32_buffer_bytes } from "./gemm/peak_f32";
export { rng_fill_uniform_f32, rng_fill_uniform_f32_ref, rng_fill_normal_f32, rng_fill_normal_f32_ref } from "./random/philox_f32";
export { relu_net_forward_f32, relu_net_objective_grad_f32, relu_net_train_epoch_f32 } from "./models/relu_net_f32";
