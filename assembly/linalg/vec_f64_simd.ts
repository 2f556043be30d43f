// Level-1 kernels on contiguous float64 vectors (raw byte pointers, n elements), SIMD128 (f64x2).
// Used by the Householder QR and the one-sided Jacobi SVD, which store matrix COLUMNS contiguously so that
// every hot loop is one of these. Fixed summation order (4 lane-pair accumulators, then a fixed tree and the
// scalar tail), so results are bit-identical on every host. Kernels trust their inputs (validated in src/).

/** sum_i x[i] * y[i]. Error <= n * eps * sum_i |x_i y_i| (standard dot-product bound). */
// @ts-ignore: decorator
@inline
export function dot_f64(x: usize, y: usize, n: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
    a2 = f64x2.add(a2, f64x2.mul(v128.load(x + o, 32), v128.load(y + o, 32)));
    a3 = f64x2.add(a3, f64x2.mul(v128.load(x + o, 48), v128.load(y + o, 48)));
  }
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
  }
  const t = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  if (i < n) s += load<f64>(x + (<usize>i << 3)) * load<f64>(y + (<usize>i << 3));
  return s;
}

/** y[i] += alpha * x[i]. */
// @ts-ignore: decorator
@inline
export function axpy_f64(alpha: f64, x: usize, y: usize, n: i32): void {
  const va = f64x2.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(va, v128.load(x + o))));
    v128.store(y + o, f64x2.add(v128.load(y + o, 16), f64x2.mul(va, v128.load(x + o, 16))), 16);
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
  }
}

/** x[i] *= alpha. */
// @ts-ignore: decorator
@inline
export function scal_f64(alpha: f64, x: usize, n: i32): void {
  const va = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(x + o, f64x2.mul(va, v128.load(x + o)));
  }
  if (i < n) store<f64>(x + (<usize>i << 3), alpha * load<f64>(x + (<usize>i << 3)));
}

/** Squared norm of the new x after the last rot_norms_f64 call. */
export let rotNormX: f64 = 0;
/** Squared norm of the new y after the last rot_norms_f64 call. */
export let rotNormY: f64 = 0;

/**
 * Plane rotation [x, y] <- [c x - s y, s x + c y], fused with the squared norms of the new x and y
 * (stored in rotNormX / rotNormY): the Jacobi SVD keeps its column norms exact without another pass.
 */
// @ts-ignore: decorator
@inline
export function rot_norms_f64(c: f64, s: f64, x: usize, y: usize, n: i32): void {
  const vc = f64x2.splat(c), vs = f64x2.splat(s);
  let nx = f64x2.splat(0), ny = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    const xv = v128.load(x + o), yv = v128.load(y + o);
    const xn = f64x2.sub(f64x2.mul(vc, xv), f64x2.mul(vs, yv));
    const yn = f64x2.add(f64x2.mul(vs, xv), f64x2.mul(vc, yv));
    v128.store(x + o, xn);
    v128.store(y + o, yn);
    nx = f64x2.add(nx, f64x2.mul(xn, xn));
    ny = f64x2.add(ny, f64x2.mul(yn, yn));
  }
  let sx = f64x2.extract_lane(nx, 0) + f64x2.extract_lane(nx, 1);
  let sy = f64x2.extract_lane(ny, 0) + f64x2.extract_lane(ny, 1);
  if (i < n) {
    const o = <usize>i << 3;
    const xi = load<f64>(x + o), yi = load<f64>(y + o);
    const xn = c * xi - s * yi, yn = s * xi + c * yi;
    store<f64>(x + o, xn);
    store<f64>(y + o, yn);
    sx += xn * xn;
    sy += yn * yn;
  }
  rotNormX = sx;
  rotNormY = sy;
}

/** Plane rotation [x, y] <- [c x - s y, s x + c y] (no norms). */
// @ts-ignore: decorator
@inline
export function rot_f64(c: f64, s: f64, x: usize, y: usize, n: i32): void {
  const vc = f64x2.splat(c), vs = f64x2.splat(s);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    const xv = v128.load(x + o), yv = v128.load(y + o);
    v128.store(x + o, f64x2.sub(f64x2.mul(vc, xv), f64x2.mul(vs, yv)));
    v128.store(y + o, f64x2.add(f64x2.mul(vs, xv), f64x2.mul(vc, yv)));
  }
  if (i < n) {
    const o = <usize>i << 3;
    const xi = load<f64>(x + o), yi = load<f64>(y + o);
    store<f64>(x + o, c * xi - s * yi);
    store<f64>(y + o, s * xi + c * yi);
  }
}

/** Swap x[0..n) and y[0..n). */
// @ts-ignore: decorator
@inline
export function swap_f64(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    const t = v128.load(x + o);
    v128.store(x + o, v128.load(y + o));
    v128.store(y + o, t);
  }
  if (i < n) {
    const o = <usize>i << 3;
    const t = load<f64>(x + o);
    store<f64>(x + o, load<f64>(y + o));
    store<f64>(y + o, t);
  }
}

/**
 * Apply one Householder reflector H = I - tau v v^T (v[0] = 1 implicit, v[1..len] stored at v1) to ncols columns
 * c_j = c0 + j * ldBytes, each of length len + 1 (c_j[0] is the row of the implicit 1). Four columns share one
 * pass over v (the reflector is read once per 4 columns). Same per-column operation order as a single dot+axpy
 * with the fixed 2-accumulator tree below, so results do not depend on ncols.
 */
export function reflector_apply_f64(tau: f64, v1: usize, len: i32, c0: usize, ldBytes: usize, ncols: i32): void {
  if (tau == 0) return;
  let j = 0;
  for (; j + 4 <= ncols; j += 4) {
    const a = c0 + <usize>j * ldBytes, b = a + ldBytes, c = b + ldBytes, d = c + ldBytes;
    let sa = f64x2.splat(0), sb = f64x2.splat(0), sc = f64x2.splat(0), sd = f64x2.splat(0);
    let i = 0;
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      const vv = v128.load(v1 + o);
      sa = f64x2.add(sa, f64x2.mul(vv, v128.load(a + 8 + o)));
      sb = f64x2.add(sb, f64x2.mul(vv, v128.load(b + 8 + o)));
      sc = f64x2.add(sc, f64x2.mul(vv, v128.load(c + 8 + o)));
      sd = f64x2.add(sd, f64x2.mul(vv, v128.load(d + 8 + o)));
    }
    let da = f64x2.extract_lane(sa, 0) + f64x2.extract_lane(sa, 1);
    let db = f64x2.extract_lane(sb, 0) + f64x2.extract_lane(sb, 1);
    let dc = f64x2.extract_lane(sc, 0) + f64x2.extract_lane(sc, 1);
    let dd = f64x2.extract_lane(sd, 0) + f64x2.extract_lane(sd, 1);
    if (i < len) {
      const o = <usize>i << 3;
      const vi = load<f64>(v1 + o);
      da += vi * load<f64>(a + 8 + o); db += vi * load<f64>(b + 8 + o);
      dc += vi * load<f64>(c + 8 + o); dd += vi * load<f64>(d + 8 + o);
    }
    const wa = tau * (load<f64>(a) + da), wb = tau * (load<f64>(b) + db);
    const wc = tau * (load<f64>(c) + dc), wd = tau * (load<f64>(d) + dd);
    store<f64>(a, load<f64>(a) - wa); store<f64>(b, load<f64>(b) - wb);
    store<f64>(c, load<f64>(c) - wc); store<f64>(d, load<f64>(d) - wd);
    const va = f64x2.splat(wa), vb = f64x2.splat(wb), vc = f64x2.splat(wc), vd = f64x2.splat(wd);
    i = 0;
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      const vv = v128.load(v1 + o);
      v128.store(a + 8 + o, f64x2.sub(v128.load(a + 8 + o), f64x2.mul(va, vv)));
      v128.store(b + 8 + o, f64x2.sub(v128.load(b + 8 + o), f64x2.mul(vb, vv)));
      v128.store(c + 8 + o, f64x2.sub(v128.load(c + 8 + o), f64x2.mul(vc, vv)));
      v128.store(d + 8 + o, f64x2.sub(v128.load(d + 8 + o), f64x2.mul(vd, vv)));
    }
    if (i < len) {
      const o = <usize>i << 3;
      const vi = load<f64>(v1 + o);
      store<f64>(a + 8 + o, load<f64>(a + 8 + o) - wa * vi);
      store<f64>(b + 8 + o, load<f64>(b + 8 + o) - wb * vi);
      store<f64>(c + 8 + o, load<f64>(c + 8 + o) - wc * vi);
      store<f64>(d + 8 + o, load<f64>(d + 8 + o) - wd * vi);
    }
  }
  for (; j < ncols; j++) {
    const a = c0 + <usize>j * ldBytes;
    let sa = f64x2.splat(0);
    let i = 0;
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      sa = f64x2.add(sa, f64x2.mul(v128.load(v1 + o), v128.load(a + 8 + o)));
    }
    let da = f64x2.extract_lane(sa, 0) + f64x2.extract_lane(sa, 1);
    if (i < len) da += load<f64>(v1 + (<usize>i << 3)) * load<f64>(a + 8 + (<usize>i << 3));
    const wa = tau * (load<f64>(a) + da);
    store<f64>(a, load<f64>(a) - wa);
    const va = f64x2.splat(wa);
    i = 0;
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      v128.store(a + 8 + o, f64x2.sub(v128.load(a + 8 + o), f64x2.mul(va, v128.load(v1 + o))));
    }
    if (i < len) {
      const o = <usize>i << 3;
      store<f64>(a + 8 + o, load<f64>(a + 8 + o) - wa * load<f64>(v1 + o));
    }
  }
}

/**
 * The same plane rotation applied to two pairs of equal length n, [x, y] and [u, w], in one fused pass, with the
 * squared norms of the new x and y stored in rotNormX / rotNormY (the Jacobi SVD keeps its norms exact).
 */
// @ts-ignore: decorator
@inline
export function rot2_norms_f64(c: f64, s: f64, x: usize, y: usize, u: usize, w: usize, n: i32): void {
  const vc = f64x2.splat(c), vs = f64x2.splat(s);
  let nx = f64x2.splat(0), ny = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    const xv = v128.load(x + o), yv = v128.load(y + o);
    const uv = v128.load(u + o), wv = v128.load(w + o);
    const xn = f64x2.sub(f64x2.mul(vc, xv), f64x2.mul(vs, yv));
    const yn = f64x2.add(f64x2.mul(vs, xv), f64x2.mul(vc, yv));
    v128.store(x + o, xn);
    v128.store(y + o, yn);
    nx = f64x2.add(nx, f64x2.mul(xn, xn));
    ny = f64x2.add(ny, f64x2.mul(yn, yn));
    v128.store(u + o, f64x2.sub(f64x2.mul(vc, uv), f64x2.mul(vs, wv)));
    v128.store(w + o, f64x2.add(f64x2.mul(vs, uv), f64x2.mul(vc, wv)));
  }
  let sx = f64x2.extract_lane(nx, 0) + f64x2.extract_lane(nx, 1);
  let sy = f64x2.extract_lane(ny, 0) + f64x2.extract_lane(ny, 1);
  if (i < n) {
    const o = <usize>i << 3;
    const xi = load<f64>(x + o), yi = load<f64>(y + o);
    const xn = c * xi - s * yi, yn = s * xi + c * yi;
    store<f64>(x + o, xn);
    store<f64>(y + o, yn);
    sx += xn * xn;
    sy += yn * yn;
    const ui = load<f64>(u + o), wi = load<f64>(w + o);
    store<f64>(u + o, c * ui - s * wi);
    store<f64>(w + o, s * ui + c * wi);
  }
  rotNormX = sx;
  rotNormY = sy;
}

/** Below this, alpha^2 + ||x||^2 in house_f64 may have lost bits to underflow (or 1/(alpha - beta) may overflow). */
const HOUSE_SAFE_MIN: f64 = 2.638294536026986e-228; // 2^-756

/** x <- 2^e x exactly (two halves, so e may reach +-2098 without the factor itself over- or underflowing). */
// @ts-ignore: decorator
@inline
function scal_pow2_f64(e: i32, x: usize, n: i32): void {
  const e1 = e / 2, e2 = e - e1;
  scal_f64(Math.pow(2.0, <f64>e1), x, n);
  scal_f64(Math.pow(2.0, <f64>e2), x, n);
}

/**
 * Householder reflector generation H = I - tau v v^T with H [alpha; x] = [beta; 0] (see: LAPACK dlarfg, including
 * its rescaling of tiny vectors). ap: pointer to alpha (overwritten with beta when tau != 0); x: the len entries
 * below it (overwritten with v[1..], v[0] = 1 implicit). Returns tau (0 when x is zero: H = I, nothing changed).
 * Underflow safety: when alpha^2 + ||x||^2 < 2^-756 the vector is first scaled by an exact power of two to
 * max |entry| in [1, 2), so the norm has full relative accuracy and 1/(alpha - beta) stays finite; v and tau are
 * scale-invariant and beta is scaled back. Without this, a partially underflowed ||x||^2 makes H non-orthogonal.
 */
export function house_f64(ap: usize, x: usize, len: i32): f64 {
  let alpha = load<f64>(ap);
  if (len <= 0) return 0;
  let xnorm2 = dot_f64(x, x, len);
  let e: i32 = 0;
  if (!(alpha * alpha + xnorm2 >= HOUSE_SAFE_MIN)) {
    let amax = Math.abs(alpha);
    for (let i = 0; i < len; i++) amax = Math.max(amax, Math.abs(load<f64>(x + (<usize>i << 3))));
    if (amax == 0) return 0;
    e = <i32>Math.floor(Math.log2(amax));
    scal_pow2_f64(-e, x, len);
    const e1 = -e / 2, e2 = -e - e1;
    alpha = alpha * Math.pow(2.0, <f64>e1) * Math.pow(2.0, <f64>e2);
    xnorm2 = dot_f64(x, x, len);
  }
  if (xnorm2 == 0) {
    if (e != 0) scal_pow2_f64(e, x, len);
    return 0;
  }
  const nrm = Math.sqrt(alpha * alpha + xnorm2);
  const beta = alpha >= 0 ? -nrm : nrm;
  const tau = (beta - alpha) / beta;
  scal_f64(1.0 / (alpha - beta), x, len);
  const e1 = e / 2, e2 = e - e1;
  store<f64>(ap, e == 0 ? beta : beta * Math.pow(2.0, <f64>e1) * Math.pow(2.0, <f64>e2));
  return tau;
}
