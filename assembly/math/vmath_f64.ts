// Vectorized exp / cos / sin over float64 arrays (f64x2 SIMD), deterministic on every host.
//
// Invariants and accuracy:
//  - cos/sin: Cody–Waite reduction x = n (π/2) + y with n = nearest(x · 2/π) and π/2 split into three 33-bit parts
//    (fdlibm pio2_1, pio2_2, pio2_3): for |n| < 2^20 every product n·pio2_k is exact, so y is accurate to about
//    1 ulp of |y| + |n|·2^-99. Then fdlibm's minimax kernels __sin / __cos (degree 13 / 14) on |y| <= π/4 and the
//    quadrant n mod 4 selects sin/cos and the sign. Measured max error vs Math.cos/Math.sin: <= 1 ulp (test/gradvar-math).
//    Lanes with |x| >= 2^19 (or non-finite) fall back to the scalar NativeMath routine per element (so a result never depends on its neighbours).
//  - exp: fdlibm's algorithm (k = nearest(x/ln2), r = x - k ln2 in two parts, Remez rational 2 + r c/(2 - c))
//    with the 2^k scaling done on the exponent bits; lanes outside [-708, 709] fall back to scalar NativeMath.exp.
//  - No FMA, no relaxed SIMD: the same bits in every engine. sin(-0) returns +0 (sign of zero not kept).
// Kernels take raw byte pointers (8-byte aligned); x and y may alias (in place). Loops are bounded by n.

// fdlibm constants (e_rem_pio2.c, k_sin.c, k_cos.c, e_exp.c).
const INVPIO2: f64 = 6.36619772367581382433e-01;
const PIO2_1: f64 = 1.57079632673412561417e+00;
const PIO2_2: f64 = 6.07710050630396597660e-11;
const PIO2_3: f64 = 2.02226624871116645580e-21;
const S1: f64 = -1.66666666666666324348e-01;
const S2: f64 = 8.33333333332248946124e-03;
const S3: f64 = -1.98412698298579493134e-04;
const S4: f64 = 2.75573137070700676789e-06;
const S5: f64 = -2.50507602534068634195e-08;
const S6: f64 = 1.58969099521155010221e-10;
const C1: f64 = 4.16666666666666019037e-02;
const C2: f64 = -1.38888888888741095749e-03;
const C3: f64 = 2.48015872894767294178e-05;
const C4: f64 = -2.75573143513906633035e-07;
const C5: f64 = 2.08757232129817482790e-09;
const C6: f64 = -1.13596475577881948265e-11;
const TRIG_MAX: f64 = 524288.0; // 2^19: |n| < 2^19 · 2/π < 2^20 keeps n·pio2_k exact

const LN2HI: f64 = 6.93147180369123816490e-01;
const LN2LO: f64 = 1.90821492927058770002e-10;
const INVLN2: f64 = 1.44269504088896338700e+00;
const P1: f64 = 1.66666666666666019037e-01;
const P2: f64 = -2.77777777770155933842e-03;
const P3: f64 = 6.61375632143793436117e-05;
const P4: f64 = -1.65339022054652515390e-06;
const P5: f64 = 4.13813679705723846039e-08;
const EXP_LO: f64 = -708.0;
const EXP_HI: f64 = 709.0;

// @inline helpers on f64x2 -------------------------------------------------------------------------

// Vector constants, pre-splatted in linear memory and loaded where used: V8 >= 13 (Node 24) rematerializes v128
// constants at every use inside loops (an immediate move plus a shuffle each); a load is one memory operand.
// Read-only, so thread safe; the same values as splatting them, so the same bits.
const VM_F64 = memory.data<f64>([S5, S5, S6, S6, S4, S4, S3, S3, S2, S2, S1, S1, C1, C1, C2, C2, C3, C3, C4, C4, C5, C5, C6, C6, 0.5, 0.5, 1.0, 1.0, INVPIO2, INVPIO2, PIO2_1, PIO2_1, PIO2_2, PIO2_2, PIO2_3, PIO2_3, TRIG_MAX, TRIG_MAX, INVLN2, INVLN2, LN2HI, LN2HI, LN2LO, LN2LO, P4, P4, P5, P5, P3, P3, P2, P2, P1, P1, 2.0, 2.0, EXP_LO, EXP_LO, EXP_HI, EXP_HI, 6755399441055744.0, 6755399441055744.0], 16);
const VM_I64 = memory.data<u64>([1, 1, 2, 2, 1023, 1023], 16);

@inline function splat(c: f64): v128 { return f64x2.splat(c); }

/** fdlibm __sin(y, 0) on both lanes, |y| <= π/4. */
@inline function ksin2(y: v128): v128 {
  const z = f64x2.mul(y, y);
  const v = f64x2.mul(z, y);
  let r = f64x2.add(v128.load(VM_F64, 0), f64x2.mul(z, v128.load(VM_F64, 16)));
  r = f64x2.add(v128.load(VM_F64, 32), f64x2.mul(z, r));
  r = f64x2.add(v128.load(VM_F64, 48), f64x2.mul(z, r));
  r = f64x2.add(v128.load(VM_F64, 64), f64x2.mul(z, r));
  return f64x2.add(y, f64x2.mul(v, f64x2.add(v128.load(VM_F64, 80), f64x2.mul(z, r))));
}

/** fdlibm __cos(y, 0) on both lanes, |y| <= π/4. */
@inline function kcos2(y: v128): v128 {
  const z = f64x2.mul(y, y);
  const w = f64x2.mul(z, z);
  const ra = f64x2.mul(z, f64x2.add(v128.load(VM_F64, 96), f64x2.mul(z, f64x2.add(v128.load(VM_F64, 112), f64x2.mul(z, v128.load(VM_F64, 128))))));
  const rb = f64x2.mul(f64x2.mul(w, w), f64x2.add(v128.load(VM_F64, 144), f64x2.mul(z, f64x2.add(v128.load(VM_F64, 160), f64x2.mul(z, v128.load(VM_F64, 176))))));
  const r = f64x2.add(ra, rb);
  const hz = f64x2.mul(v128.load(VM_F64, 192), z);
  const ww = f64x2.sub(v128.load(VM_F64, 208), hz);
  // w + (((1 - w) - hz) + z r)
  return f64x2.add(ww, f64x2.add(f64x2.sub(f64x2.sub(v128.load(VM_F64, 208), ww), hz), f64x2.mul(z, r)));
}

/** n = nearest(x 2/π) on both lanes. */
@inline function quadf(x: v128): v128 { return f64x2.nearest(f64x2.mul(x, v128.load(VM_F64, 224))); }

/** y = x - n π/2 in three exact-product steps (|n| < 2^20). */
@inline function reduceY(x: v128, fn: v128): v128 {
  let y = f64x2.sub(x, f64x2.mul(fn, v128.load(VM_F64, 240)));
  y = f64x2.sub(y, f64x2.mul(fn, v128.load(VM_F64, 256)));
  return f64x2.sub(y, f64x2.mul(fn, v128.load(VM_F64, 272)));
}

/**
 * The quadrant n as i64 lanes, exact in its low 51 bits (|n| < 2^20): the bits of n + 1.5 * 2^52 hold n in two's
 * complement in the low mantissa bits (the sum is exact), and callers use only n & 1 and (n + 1) & 2. One add instead
 * of V8's saturating-truncation sequence; the same quadrant, so the same bits.
 */
@inline function quadi(fn: v128): v128 { return f64x2.add(fn, v128.load(VM_F64, 480)); }

/** True if both lanes are finite and |x| < TRIG_MAX. */
@inline function trigInRange(x: v128): bool {
  const a = f64x2.abs(x);
  // NaN compares false, so NaN lanes fail the test.
  return v128.all_true<i64>(f64x2.lt(a, v128.load(VM_F64, 288)));
}

/** cos on both lanes (vector path; caller checked range). */
@inline export function cos_f64x2(x: v128): v128 {
  const fn = quadf(x);
  const y = reduceY(x, fn);
  const q = quadi(fn);
  const s = ksin2(y), c = kcos2(y);
  // quadrant: 0 -> c, 1 -> -s, 2 -> -c, 3 -> s
  const odd = i64x2.eq(v128.and(q, v128.load(VM_I64, 0)), v128.load(VM_I64, 0));
  const v = v128.bitselect(s, c, odd);
  const sign = i64x2.shl(v128.and(i64x2.add(q, v128.load(VM_I64, 0)), v128.load(VM_I64, 16)), 62);
  return v128.xor(v, sign);
}

/** sin on both lanes (vector path; caller checked range). */
@inline export function sin_f64x2(x: v128): v128 {
  const fn = quadf(x);
  const y = reduceY(x, fn);
  const q = quadi(fn);
  const s = ksin2(y), c = kcos2(y);
  // quadrant: 0 -> s, 1 -> c, 2 -> -s, 3 -> -c
  const odd = i64x2.eq(v128.and(q, v128.load(VM_I64, 0)), v128.load(VM_I64, 0));
  const v = v128.bitselect(c, s, odd);
  const sign = i64x2.shl(v128.and(q, v128.load(VM_I64, 16)), 62);
  return v128.xor(v, sign);
}

/** exp on both lanes for x in [EXP_LO, EXP_HI] (fdlibm e_exp.c). */
@inline export function exp_f64x2(x: v128): v128 {
  const k = f64x2.nearest(f64x2.mul(x, v128.load(VM_F64, 304)));
  const hi = f64x2.sub(x, f64x2.mul(k, v128.load(VM_F64, 320)));
  const lo = f64x2.mul(k, v128.load(VM_F64, 336));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let p = f64x2.add(v128.load(VM_F64, 352), f64x2.mul(t, v128.load(VM_F64, 368)));
  p = f64x2.add(v128.load(VM_F64, 384), f64x2.mul(t, p));
  p = f64x2.add(v128.load(VM_F64, 400), f64x2.mul(t, p));
  p = f64x2.add(v128.load(VM_F64, 416), f64x2.mul(t, p));
  const c = f64x2.sub(r, f64x2.mul(t, p));
  // y = 1 - ((lo - (r c)/(2 - c)) - hi)
  const y = f64x2.sub(v128.load(VM_F64, 208), f64x2.sub(f64x2.sub(lo, f64x2.div(f64x2.mul(r, c), f64x2.sub(v128.load(VM_F64, 432), c))), hi));
  // scale by 2^k: k in [-1022, 1023] here, add k to the exponent field (y in [0.7, 1.5], no overflow of the field
  // except k = 1023 handled by splitting: 2^k = 2^(k/2) 2^(k - k/2)).
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  const k1 = i64x2.shr_s(ki, 1);
  const k2 = i64x2.sub(ki, k1);
  const s1 = i64x2.shl(i64x2.add(k1, v128.load(VM_I64, 32)), 52);
  const s2 = i64x2.shl(i64x2.add(k2, v128.load(VM_I64, 32)), 52);
  return f64x2.mul(f64x2.mul(y, s1), s2);
}

@inline function expInRange(x: v128): bool {
  return v128.all_true<i64>(v128.and(f64x2.ge(x, v128.load(VM_F64, 448)), f64x2.le(x, v128.load(VM_F64, 464))));
}

// Scalar versions with exactly the bits of the vector path (so an element's result never depends on its neighbours).
/** cos of one value: the SIMD formula when |v| < 2^19, NativeMath.cos otherwise (huge or non-finite). */
export function cos1(v: f64): f64 {
  const w = f64x2.splat(v);
  return trigInRange(w) ? f64x2.extract_lane(cos_f64x2(w), 0) : NativeMath.cos(v);
}
/** sin of one value, bit-identical to the vector path. */
export function sin1(v: f64): f64 {
  const w = f64x2.splat(v);
  return trigInRange(w) ? f64x2.extract_lane(sin_f64x2(w), 0) : NativeMath.sin(v);
}
/** exp of one value, bit-identical to the vector path. */
export function exp1(v: f64): f64 {
  const w = f64x2.splat(v);
  return expInRange(w) ? f64x2.extract_lane(exp_f64x2(w), 0) : NativeMath.exp(v);
}

// Exported kernels ----------------------------------------------------------------------------------

/** y[i] = cos(x[i]), i < n. x and y may alias. */
export function vm_cos_f64(x: usize, y: usize, n: i32): void {
  let i = 0;
  // Two independent pairs per iteration for instruction-level parallelism.
  for (; i + 4 <= n; i += 4) {
    const p = <usize>i << 3;
    const v0 = v128.load(x + p), v1 = v128.load(x + p + 16);
    if (trigInRange(v0) && trigInRange(v1)) {
      const r0 = cos_f64x2(v0), r1 = cos_f64x2(v1);
      v128.store(y + p, r0);
      v128.store(y + p + 16, r1);
    } else {
      for (let k: usize = 0; k < 32; k += 8) store<f64>(y + p + k, cos1(load<f64>(x + p + k)));
    }
  }
  for (; i + 2 <= n; i += 2) {
    const p = <usize>i << 3;
    const v = v128.load(x + p);
    if (trigInRange(v)) v128.store(y + p, cos_f64x2(v));
    else {
      store<f64>(y + p, cos1(load<f64>(x + p)));
      store<f64>(y + p + 8, cos1(load<f64>(x + p + 8)));
    }
  }
  for (; i < n; i++) {
    const p = <usize>i << 3;
    store<f64>(y + p, cos1(load<f64>(x + p)));
  }
}

/** y[i] = sin(x[i]), i < n. x and y may alias. */
export function vm_sin_f64(x: usize, y: usize, n: i32): void {
  let i = 0;
  // Two independent pairs per iteration for instruction-level parallelism.
  for (; i + 4 <= n; i += 4) {
    const p = <usize>i << 3;
    const v0 = v128.load(x + p), v1 = v128.load(x + p + 16);
    if (trigInRange(v0) && trigInRange(v1)) {
      const r0 = sin_f64x2(v0), r1 = sin_f64x2(v1);
      v128.store(y + p, r0);
      v128.store(y + p + 16, r1);
    } else {
      for (let k: usize = 0; k < 32; k += 8) store<f64>(y + p + k, sin1(load<f64>(x + p + k)));
    }
  }
  for (; i + 2 <= n; i += 2) {
    const p = <usize>i << 3;
    const v = v128.load(x + p);
    if (trigInRange(v)) v128.store(y + p, sin_f64x2(v));
    else {
      store<f64>(y + p, sin1(load<f64>(x + p)));
      store<f64>(y + p + 8, sin1(load<f64>(x + p + 8)));
    }
  }
  for (; i < n; i++) {
    const p = <usize>i << 3;
    store<f64>(y + p, sin1(load<f64>(x + p)));
  }
}

/** y[i] = exp(x[i]), i < n. x and y may alias. */
export function vm_exp_f64(x: usize, y: usize, n: i32): void {
  let i = 0;
  // Two independent pairs per iteration for instruction-level parallelism.
  for (; i + 4 <= n; i += 4) {
    const p = <usize>i << 3;
    const v0 = v128.load(x + p), v1 = v128.load(x + p + 16);
    if (expInRange(v0) && expInRange(v1)) {
      const r0 = exp_f64x2(v0), r1 = exp_f64x2(v1);
      v128.store(y + p, r0);
      v128.store(y + p + 16, r1);
    } else {
      for (let k: usize = 0; k < 32; k += 8) store<f64>(y + p + k, exp1(load<f64>(x + p + k)));
    }
  }
  for (; i + 2 <= n; i += 2) {
    const p = <usize>i << 3;
    const v = v128.load(x + p);
    if (expInRange(v)) v128.store(y + p, exp_f64x2(v));
    else {
      store<f64>(y + p, exp1(load<f64>(x + p)));
      store<f64>(y + p + 8, exp1(load<f64>(x + p + 8)));
    }
  }
  for (; i < n; i++) {
    const p = <usize>i << 3;
    store<f64>(y + p, exp1(load<f64>(x + p)));
  }
}
