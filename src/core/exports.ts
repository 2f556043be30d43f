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
  gemm_f64_cols(transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, ws: number, j0: number, j1: number): number;
  /** gemm_f64 that returns 1 if a packed entry of op(A)/op(B) was NaN or +-Infinity (0 if alpha == 0 or k == 0). */
  gemm_f64_checked(transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number): number;
  gemm_f64_ws_bytes(): number;
  gemm_f64_4x4_simd(kc: number, pa: number, pb: number, alpha: number, beta: number, c: number, ldc: number): void;
  gemm_f64_pack_a(transA: number, mc: number, kc: number, a: number, lda: number, ic: number, pc: number, dst: number): number;
  gemm_f64_pack_b(transB: number, kc: number, nc: number, b: number, ldb: number, pc: number, jc: number, dst: number): number;
  gram_f64(m: number, d: number, alpha: number, x: number, ldx: number, c: number, ldc: number): void;
  gram_f64_checked(m: number, d: number, alpha: number, x: number, ldx: number, c: number, ldc: number): number;
  gemv_f64(trans: number, m: number, n: number, alpha: number, a: number, lda: number, x: number, beta: number, y: number): void;
  /** gemv_f64 that returns 1 if an entry of A is NaN or +-Infinity (found while reading A), else 0. */
  gemv_f64_checked(trans: number, m: number, n: number, alpha: number, a: number, lda: number, x: number, beta: number, y: number): number;
  gemv_f64_ref(trans: number, m: number, n: number, alpha: number, a: number, lda: number, x: number, beta: number, y: number): void;
  find_nonfinite_f64(p: number, n: number): number;
  /** max |x_i| over n doubles at p (finite input). */
  max_abs_f64(p: number, n: number): number;
  // ---- region: svd ----
  svd_f64(m: number, n: number, a: number, u: number, s: number, v: number, work: number, maxSweeps: number): number;
  svd_f64_work_size(m: number, n: number): number;
  /** Exponent e of the last svd_f64: its s output holds the singular values of 2^e A. */
  svd_f64_scale_exp(): number;
  /** Bidiagonalization + implicit-QR SVD (assembly/linalg/svd_bidiag_f64.ts); returns QR steps, -1 cap, -2 NaN/Inf. */
  svd_gk_f64(m: number, n: number, a: number, u: number, s: number, v: number, work: number, maxSteps: number): number;
  svd_gk_f64_work_size(m: number, n: number): number;
  /** Exponent e of the last svd_gk_f64: its s output holds the singular values of 2^e A. */
  svd_gk_f64_scale_exp(): number;
  /** Benchmark hook: stop svd_gk_f64 after stage 1 (bidiagonalization), 2 (explicit Q, P), 3 (bidiagonal SVD); 0 = all. */
  svd_gk_f64_stop_after(stage: number): void;
  // ---- region: random ----
  // Philox4x32-10 kernels (assembly/random/philox.ts). pos is a u64 block index: pass a BigInt.
  philox4x32_10(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: number): void;
  rng_fill_u32(k0: number, k1: number, s0: number, s1: number, pos: bigint, out: number, nblocks: number): void;
  rng_fill_uniform_f64(k0: number, k1: number, s0: number, s1: number, pos: bigint, out: number, n: number): void;
  rng_fill_uniform_f64_ref(k0: number, k1: number, s0: number, s1: number, pos: bigint, out: number, n: number): void;
  rng_fill_normal_f64(k0: number, k1: number, s0: number, s1: number, pos: bigint, out: number, n: number): void;
  rng_fill_normal_scaled_f64(k0: number, k1: number, s0: number, s1: number, pos: bigint, out: number, n: number, mean: number, sd: number): void;
  rng_fill_normal_f64_ref(k0: number, k1: number, s0: number, s1: number, pos: bigint, out: number, n: number): void;
  rng_fill_bits_f64(k0: number, k1: number, s0: number, s1: number, pos: bigint, out: number, n: number, v0: number, v1: number): void;
  rng_fill_bernoulli_f64(k0: number, k1: number, s0: number, s1: number, pos: bigint, out: number, n: number, p: number): void;
  rng_fill_integers_i32(k0: number, k1: number, s0: number, s1: number, pos: bigint, out: number, n: number, lo: number, rangeMinus1: number): number;
  rng_sphere_rows_f64(x: number, rows: number, d: number, radius: number, badOut: number): number;
  cholesky_pivoted_f64(a: number, d: number, perm: number, tol: number, tolPsd: number): number;
  // ---- region: models ----
  relu_net_rows_block(): number;
  relu_net_forward_f64(m: number, d: number, k: number, x: number, w: number, b: number, a: number, clip: number, z: number, out: number): void;
  relu_conv_forward_f64(m: number, p: number, q: number, x: number, w: number, z: number, out: number): void;
  relu_net_loss_grad_f64(m: number, d: number, k: number, x: number, y: number, w: number, b: number, a: number, scale: number,
    z: number, gw: number, gb: number, ga: number): number;
  gather_rows_f64(src: number, d: number, ysrc: number, idx: number, count: number, dst: number, ydst: number): void;
  optimizer_step_f64(opt: number, n: number, theta: number, g: number, s1: number, s2: number, t: number,
    lr: number, b1: number, b2: number, eps: number): void;
  relu_net_objective_grad_f64(bm: number, d: number, k: number, x: number, y: number, theta: number, hasBias: number,
    trainA: number, aFixed: number, l2: number, z: number, g: number): number;
  relu_net_train_epoch_f64(m: number, d: number, k: number, x: number, y: number, idx: number, batch: number,
    theta: number, hasBias: number, trainA: number, aFixed: number, opt: number, lr: number, l2: number, b1: number,
    b2: number, eps: number, s1: number, s2: number, t0: number, xb: number, yb: number, z: number, g: number): number;
  // ---- region: gradvar ----
  math_exp_f64(x: number): number;
  math_expm1_f64(x: number): number;
  math_log_f64(x: number): number;
  math_log1p_f64(x: number): number;
  math_sin_f64(x: number): number;
  math_cos_f64(x: number): number;
  math_sinh_f64(x: number): number;
  math_cosh_f64(x: number): number;
  math_tanh_f64(x: number): number;
  math_atan_f64(x: number): number;
  math_cbrt_f64(x: number): number;
  math_atan2_f64(y: number, x: number): number;
  math_pow_f64(x: number, y: number): number;
  math_hypot_f64(x: number, y: number): number;
  vm_cos_f64(x: number, y: number, n: number): void;
  vm_sin_f64(x: number, y: number, n: number): void;
  vm_exp_f64(x: number, y: number, n: number): void;
  gv_psi_f64(kind: number, z: number, n: number): void;
  gv_scale_rows_f64(m: number, d: number, x: number, s: number, sstride: number, y: number): void;
  gv_grad_chunk_f64(n: number, d: number, x: number, nd: number, dm: number, ne: number, em: number,
    jc: number, w: number, psiKind: number, nb: number, bstart: number, bscale: number,
    sub: number, zbuf: number, ybuf: number, g: number): void;
  gv_chunk_gram_f64(g: number, nb: number, p: number, jc: number, mean: number, gram: number, dev: number): void;
  // ---- region: float32 (assembly/gemm/sgemm_*.ts, random/philox_f32.ts, models/relu_net_f32.ts) ----
  gemm_f32(transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number): void;
  gemm_f32_checked(transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number): number;
  gemm_f32_cols(transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, ws: number, j0: number, j1: number): number;
  gemm_f32_ws_bytes(): number;
  gram_f32_checked(m: number, d: number, alpha: number, x: number, ldx: number, c: number, ldc: number): number;
  sgemm_pack_a(transA: number, mc: number, kc: number, a: number, lda: number, ic: number, pc: number, dst: number): number;
  sgemm_pack_b(transB: number, kc: number, nc: number, b: number, ldb: number, pc: number, jc: number, dst: number): number;
  sgemm_4x8_simd(kc: number, pa: number, pb: number, alpha: number, beta: number, c: number, ldc: number): void;
  sgemm_6x8_simd(kc: number, pa: number, pb: number, alpha: number, beta: number, c: number, ldc: number): void;
  sgemm_f32_tune(kernel: number): number;
  sgemm_f32_tuning(): number;
  gemm_f32_ref(transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number): void;
  gemv_f32_ref(trans: number, m: number, n: number, alpha: number, a: number, lda: number, x: number, beta: number, y: number): void;
  gemv_f32_checked(trans: number, m: number, n: number, alpha: number, a: number, lda: number, x: number, beta: number, y: number): number;
  find_nonfinite_f32(p: number, n: number): number;
  peak_f32(steps: number, p: number): number;
  peak_f32_flops_per_step(): number;
  peak_f32_buffer_bytes(): number;
  relu_net_forward_f32(m: number, d: number, k: number, x: number, w: number, b: number, a: number, clip: number, z: number, out: number): void;
  relu_net_objective_grad_f32(bm: number, d: number, k: number, x: number, y: number, theta: number, hasBias: number,
    trainA: number, aFixed: number, l2: number, z: number, g: number): number;
  relu_net_train_epoch_f32(m: number, d: number, k: number, x: number, y: number, idx: number, batch: number,
    theta: number, hasBias: number, trainA: number, aFixed: number, opt: number, lr: number, l2: number, b1: number,
    b2: number, eps: number, s1: number, s2: number, t0: number, xb: number, yb: number, z: number, g: number): number;
  rng_fill_uniform_f32(k0: number, k1: number, s0: number, s1: number, pos: bigint, out: number, n: number): void;
  rng_fill_uniform_f32_ref(k0: number, k1: number, s0: number, s1: number, pos: bigint, out: number, n: number): void;
  rng_fill_normal_f32(k0: number, k1: number, s0: number, s1: number, pos: bigint, out: number, n: number, mean: number, sd: number, affine: number): void;
  rng_fill_normal_f32_ref(k0: number, k1: number, s0: number, s1: number, pos: bigint, out: number, n: number, mean: number, sd: number, affine: number): void;
  [name: string]: unknown;
}
