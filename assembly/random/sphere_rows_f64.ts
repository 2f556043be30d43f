// Projection of rows onto the sphere of radius r: x_i <- x_i * (r / ||x_i||_2), rows as samples, row-major.
// Applied to i.i.d. standard normal rows this gives rows uniform on the sphere (Muller 1959, "A note on a method
// for generating points uniformly on n-dimensional spheres"), because the normal law is rotation invariant.
// The squared norm is summed in two interleaved f64x2 accumulators (fixed order: deterministic), so
// | ||x_i|| / r - 1 | <= about (d/4 + 3) eps after scaling.

/**
 * Scale each of `rows` rows of length d at x (row stride d) to norm `radius`. Rows whose norm is 0 (all entries 0;
 * probability < 2^-52 per row for normal input) or not finite are left untouched; returns how many there were, and the index
 * of the first such row is stored at badOut (i32), -1 if none.
 */
export function rng_sphere_rows_f64(x: usize, rows: i32, d: i32, radius: f64, badOut: usize): i32 {
  let bad = 0;
  store<i32>(badOut, -1);
  for (let i = 0; i < rows; i++) {
    const row = x + ((<usize>i * <usize>d) << 3);
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    let j = 0;
    for (; j + 4 <= d; j += 4) {
      const v0 = v128.load(row + (<usize>j << 3));
      const v1 = v128.load(row + (<usize>j << 3), 16);
      a0 = f64x2.add(a0, f64x2.mul(v0, v0));
      a1 = f64x2.add(a1, f64x2.mul(v1, v1));
    }
    const a = f64x2.add(a0, a1);
    let ss = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
    for (; j < d; j++) {
      const v = load<f64>(row + (<usize>j << 3));
      ss += v * v;
    }
    if (!(ss > 1e-290 && ss < 1e290)) {
      // Under/overflow guard (never taken for normal input, |z| in [1e-23, 8.6]): divide by max |x_j| first.
      let m: f64 = 0;
      for (j = 0; j < d; j++) m = max(m, abs<f64>(load<f64>(row + (<usize>j << 3))));
      if (!(m > 0) || !(m < Infinity)) {
        if (bad == 0) store<i32>(badOut, i);
        bad++;
        continue;
      }
      ss = 0;
      for (j = 0; j < d; j++) {
        const p = row + (<usize>j << 3);
        const v = load<f64>(p) / m;
        store<f64>(p, v);
        ss += v * v;
      }
    }
    const s = radius / sqrt<f64>(ss);
    const vs = f64x2.splat(s);
    j = 0;
    for (; j + 2 <= d; j += 2) {
      const p = row + (<usize>j << 3);
      v128.store(p, f64x2.mul(v128.load(p), vs));
    }
    if (j < d) {
      const p = row + (<usize>j << 3);
      store<f64>(p, load<f64>(p) * s);
    }
  }
  return bad;
}
