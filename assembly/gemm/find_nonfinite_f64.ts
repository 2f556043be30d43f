// Finiteness scan used by the API's validation after the inputs are copied into WASM memory (once per input;
// about 10x faster than a JS loop with Number.isFinite, which was the largest API overhead for n <= 512).
// x - x is +0 for finite x and NaN for NaN or +-Infinity; NaN propagates through the sums.

/** Index of the first NaN or +-Infinity among the n doubles at p, or -1 if all are finite. */
export function find_nonfinite_f64(p: usize, n: i32): i32 {
  const BLOCK = 512; // scan a block with SIMD, locate the offender with a scalar pass only if the block has one
  for (let b = 0; b < n; b += BLOCK) {
    const len = min(BLOCK, n - b), len8 = len & ~7;
    const q = p + (<usize>b << 3);
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    for (let i = 0; i < len8; i += 8) {
      const r = q + (<usize>i << 3);
      const x0 = v128.load(r), x1 = v128.load(r, 16), x2 = v128.load(r, 32), x3 = v128.load(r, 48);
      s0 = f64x2.add(s0, f64x2.sub(x0, x0));
      s1 = f64x2.add(s1, f64x2.sub(x1, x1));
      s2 = f64x2.add(s2, f64x2.sub(x2, x2));
      s3 = f64x2.add(s3, f64x2.sub(x3, x3));
    }
    const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
    let bad = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    for (let i = len8; i < len; i++) {
      const x = load<f64>(q + (<usize>i << 3));
      bad += x - x;
    }
    if (bad != bad) {
      for (let i = 0; i < len; i++) {
        const x = load<f64>(q + (<usize>i << 3));
        if (x - x != 0) return b + i;
      }
    }
  }
  return -1;
}

/**
 * max_i |x_i| over the n doubles at p (0 for n = 0) for FINITE input (NaN may be dropped: callers check finiteness
 * separately). Used to bound a product before trusting it (|c_ij| <= |alpha| k max|A| max|B| + |beta| max|C|).
 * pmax (one maxpd; no NaN canonicalisation) and an and-mask abs keep it as fast as find_nonfinite_f64.
 */
export function max_abs_f64(p: usize, n: i32): f64 {
  const mask = i64x2.splat(0x7fffffffffffffff);
  let m0 = f64x2.splat(0), m1 = f64x2.splat(0), m2 = f64x2.splat(0), m3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const r = p + (<usize>i << 3);
    m0 = f64x2.pmax(m0, v128.and(v128.load(r), mask));
    m1 = f64x2.pmax(m1, v128.and(v128.load(r, 16), mask));
    m2 = f64x2.pmax(m2, v128.and(v128.load(r, 32), mask));
    m3 = f64x2.pmax(m3, v128.and(v128.load(r, 48), mask));
  }
  const m = f64x2.pmax(f64x2.pmax(m0, m1), f64x2.pmax(m2, m3));
  let s = f64x2.extract_lane(m, 0);
  const s1 = f64x2.extract_lane(m, 1);
  if (s1 > s) s = s1;
  for (; i < n; i++) {
    const a = Math.abs(load<f64>(p + (<usize>i << 3)));
    if (a > s) s = a;
  }
  return s;
}
