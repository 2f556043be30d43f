// In-process float32 SIMD peak for the benchmarks: `iters` iterations of 12 independent f32x4 multiply-add chains
// (acc = acc * m + c: one f32x4.mul and one f32x4.add per chain and iteration, 96 flops per iteration), the same
// instruction kinds as the SGEMM micro-kernel without its loads. 12 chains cover the mul + add latency (about 6
// cycles) at two mul and two add issues per cycle. GFLOP/s = 96 iters / seconds. Returns a lane so the work cannot
// be discarded.
export const PEAK_F32_FLOPS_PER_ITER: i32 = 96;

export function peak_f32_muladd(iters: i32): f32 {
  const m = f32x4.splat(0.999999), c = f32x4.splat(1e-7);
  let a0 = f32x4.splat(1);
  let a1 = f32x4.splat(2);
  let a2 = f32x4.splat(3);
  let a3 = f32x4.splat(4);
  let a4 = f32x4.splat(5);
  let a5 = f32x4.splat(6);
  let a6 = f32x4.splat(7);
  let a7 = f32x4.splat(8);
  let a8 = f32x4.splat(9);
  let a9 = f32x4.splat(10);
  let a10 = f32x4.splat(11);
  let a11 = f32x4.splat(12);
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
