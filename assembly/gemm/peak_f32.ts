// In-process float32 SIMD peak for the benchmarks: `iters` iterations of 12 independent f32x4 multiply-add chains
// (acc = acc * m + c: one f32x4.mul and one f32x4.add per chain and iteration, 96 flops per iteration), the same
// instruction kinds as the SGEMM micro-kernel without its loads. 12 chains cover the mul + add latency at the
// machine's FP issue width (12 + 2 live vectors: 13 chains spill). m and c come in as arguments (pass 0.999999 and
// 1e-7): with constants V8 rematerializes the two splats inside the loop (a move and a shuffle each per iteration,
// competing with the adds; measured 36.0 vs 40.5 GFLOP/s on the development machine).
// GFLOP/s = 96 iters / seconds. Returns a lane so the work cannot be discarded.
export const PEAK_F32_FLOPS_PER_ITER: i32 = 96;

export function peak_f32_muladd(iters: i32, mv: f32, cv: f32): f32 {
  const m = f32x4.splat(mv), c = f32x4.splat(cv);
  let a0 = f32x4.splat(<f32>1 * mv);
  let a1 = f32x4.splat(<f32>2 * mv);
  let a2 = f32x4.splat(<f32>3 * mv);
  let a3 = f32x4.splat(<f32>4 * mv);
  let a4 = f32x4.splat(<f32>5 * mv);
  let a5 = f32x4.splat(<f32>6 * mv);
  let a6 = f32x4.splat(<f32>7 * mv);
  let a7 = f32x4.splat(<f32>8 * mv);
  let a8 = f32x4.splat(<f32>9 * mv);
  let a9 = f32x4.splat(<f32>10 * mv);
  let a10 = f32x4.splat(<f32>11 * mv);
  let a11 = f32x4.splat(<f32>12 * mv);
  for (let i = 0; i < iters; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), c);
    a1 = f32x4.add(f32x4.mul(a1, m), c);
    a2 = f32x4.add(f32x4.mul(a2, m), c);
    a3 = f32x4.add(f32x4.mul(a3, m), c);
    a4 = f32x4.add(f32x4.mul(a4, m), c);
    a5 = f32x4.add(f32x4.mul(a5, m), c);
    a6 = f32x4.add(f32x4.mul(a6, m), c);
    a7 = f32x4.add(f32x4.mul(a7, m), c);
    a8 = f32x4.add(f32x4.mul(a8, m), c);
    a9 = f32x4.add(f32x4.mul(a9, m), c);
    a10 = f32x4.add(f32x4.mul(a10, m), c);
    a11 = f32x4.add(f32x4.mul(a11, m), c);
  }
  return f32x4.extract_lane(f32x4.add(f32x4.add(f32x4.add(f32x4.add(f32x4.add(f32x4.add(f32x4.add(f32x4.add(f32x4.add(f32x4.add(f32x4.add(a0, a1), a2), a3), a4), a5), a6), a7), a8), a9), a10), a11), 0);
}

export function peak_f32_flops_per_iter(): i32 {
  return PEAK_F32_FLOPS_PER_ITER;
}
