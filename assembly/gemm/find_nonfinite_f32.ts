// Finiteness scan of float32 data (the float32 twin of find_nonfinite_f64.ts): x - x is +0 for finite x and NaN
// for NaN or +-Infinity; NaN propagates through the sums. No static memory (also exported by the threads build).

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Index of the first NaN or +-Infinity among the n floats at p, or -1 if all are finite. */
export function find_nonfinite_f32(p: usize, n: i32): i32 {
  const BLOCK = 1024;
  for (let b = 0; b < n; b += BLOCK) {
    const len = min(BLOCK, n - b), len16 = len & ~15;
    const q = p + (<usize>b << 2);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    for (let i = 0; i < len16; i += 16) {
      const r = q + (<usize>i << 2);
      const x0 = v128.load(r), x1 = v128.load(r, 16), x2 = v128.load(r, 32), x3 = v128.load(r, 48);
      s0 = f32x4.add(s0, f32x4.sub(x0, x0));
      s1 = f32x4.add(s1, f32x4.sub(x1, x1));
      s2 = f32x4.add(s2, f32x4.sub(x2, x2));
      s3 = f32x4.add(s3, f32x4.sub(x3, x3));
    }
    let bad = hsum(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
    for (let i = len16; i < len; i++) {
      const x = load<f32>(q + (<usize>i << 2));
      bad += x - x;
    }
    if (bad != bad) {
      for (let i = 0; i < len; i++) {
        const x = load<f32>(q + (<usize>i << 2));
        if (x - x != 0) return b + i;
      }
    }
  }
  return -1;
}
