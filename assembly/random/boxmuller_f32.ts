// Box–Muller transform in float32 (Box & Muller 1958), scalar and f32x4 SIMD versions performing EXACTLY the same
// IEEE float32 operations in the same order, so both give the same bits, on every host (WebAssembly float32
// arithmetic is correctly rounded, without contraction). Same structure as boxmuller_f64.ts:
//
//   (u1, u2) with u1 in (0, 1], u2 in [0, 1)  ->  r = sqrt(-2 log u1),  z0 = r cos(2 pi u2),  z1 = r sin(2 pi u2).
//
// - log_unit_f32(x), x in [2^-24, 1]: the FreeBSD/musl e_logf.c algorithm (musl src/math/logf.c before 2018):
//   x = 2^k (1 + f), s = f / (2 + f), log(1 + f) = f - hfsq + s (hfsq + R(s^2)) with the fdlibm Lg1..Lg4 minimax
//   polynomial (|error| < 2^-34.24 on the polynomial), constants by bit pattern below. Error < 1 ulp (fdlibm's bound).
// - sincos2pi: exact range reduction because u2 is a binary fraction: t = 4 u2, q = nearest(t), f = t - q in
//   [-1/2, 1/2] (both exact), angle (pi/2) f in [-pi/4, pi/4]; sin((pi/2) f) = f * sum_{k=0..4} s_k f^(2k),
//   cos((pi/2) f) = 1 + sum_{k=1..5} c_k f^(2k), Taylor coefficients s_k = (-1)^k (pi/2)^(2k+1) / (2k+1)!,
//   c_k = (-1)^k (pi/2)^(2k) / (2k)! rounded to float32 (Python fractions with 60-digit pi, numpy.float32).
//   Truncation < (pi/4)^11/11! = 1.8e-9 (sin) and (pi/4)^12/12! = 1.2e-10 (cos), below 2^-24 = 6e-8; with Horner
//   rounding each is within about 2 ulp. Quadrant q mod 4 swaps sin/cos and flips signs as in the f64 version.
// The uniform inputs are multiples of 2^-24, so u1 >= 2^-24 and |z| <= sqrt(-2 log 2^-24) = 5.77: the tails beyond
// 5.77 sd (probability 8e-9) are truncated, a limit of 24-bit uniforms (the f64 sampler reaches 8.57 sd).

const LN2_HI: f32 = 0.6931381225585938; // 0x3f317180
const LN2_LO: f32 = 9.05800061445916e-06; // 0x3717f7d1
const LG1: f32 = 0.6666666269302368; // 0x3f2aaaaa
const LG2: f32 = 0.40000972151756287; // 0x3eccce13
const LG3: f32 = 0.2849878668785095; // 0x3e91e9ee
const LG4: f32 = 0.24279078841209412; // 0x3e789e26

const S0: f32 = 1.5707963705062866;
const S1: f32 = -0.6459640860557556;
const S2: f32 = 0.07969262450933456;
const S3: f32 = -0.004681753925979137;
const S4: f32 = 0.00016044118092395365;
const C1: f32 = -1.2337005138397217;
const C2: f32 = 0.25366950035095215;
const C3: f32 = -0.020863480865955353;
const C4: f32 = 0.0009192602592520416;
const C5: f32 = -2.520204179745633e-05;

// Adding 0x3f800000 - 0x3f3504f3 to the bits moves mantissas >= sqrt(2) into the next binade (fdlibm trick).
const LOG_SHIFT: u32 = 0x3f800000 - 0x3f3504f3;
const LOG_MANT: u32 = 0x007fffff;
const LOG_BIAS: u32 = 0x3f3504f3;

/** Natural log for x in [2^-24, 1] (normal, positive), float32. fdlibm e_logf.c, < 1 ulp. Same ops as the SIMD one. */
// @ts-ignore: decorator
@inline export function log_unit_f32(x: f32): f32 {
  let ix = reinterpret<u32>(x) + LOG_SHIFT;
  const k = <i32>(ix >> 23) - 0x7f;
  ix = (ix & LOG_MANT) + LOG_BIAS;
  const f = reinterpret<f32>(ix) - <f32>1.0;
  const s = f / (<f32>2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * LG4);
  const t2 = z * (LG1 + w * LG3);
  const R = t2 + t1;
  const hfsq = <f32>0.5 * f * f;
  const dk = <f32>k;
  return s * (hfsq + R) + dk * LN2_LO - hfsq + f + dk * LN2_HI;
}

/** Lane-wise log_unit_f32 on f32x4 (bit-identical to the scalar version). */
// @ts-ignore: decorator
@inline export function log_unit_f32x4(x: v128): v128 {
  let ix = i32x4.add(x, i32x4.splat(LOG_SHIFT));
  const k = i32x4.sub(i32x4.shr_u(ix, 23), i32x4.splat(0x7f));
  ix = i32x4.add(v128.and(ix, i32x4.splat(LOG_MANT)), i32x4.splat(LOG_BIAS));
  const f = f32x4.sub(ix, f32x4.splat(1.0));
  const s = f32x4.div(f, f32x4.add(f32x4.splat(2.0), f));
  const z = f32x4.mul(s, s);
  const w = f32x4.mul(z, z);
  const t1 = f32x4.mul(w, f32x4.add(f32x4.splat(LG2), f32x4.mul(w, f32x4.splat(LG4))));
  const t2 = f32x4.mul(z, f32x4.add(f32x4.splat(LG1), f32x4.mul(w, f32x4.splat(LG3))));
  const R = f32x4.add(t2, t1);
  const hfsq = f32x4.mul(f32x4.mul(f32x4.splat(0.5), f), f);
  const dk = f32x4.convert_i32x4_s(k);
  let r = f32x4.mul(s, f32x4.add(hfsq, R));
  r = f32x4.add(r, f32x4.mul(dk, f32x4.splat(LN2_LO)));
  r = f32x4.sub(r, hfsq);
  r = f32x4.add(r, f);
  return f32x4.add(r, f32x4.mul(dk, f32x4.splat(LN2_HI)));
}

/** Results of the last boxmuller_pair_f32 (instance-local globals: no static memory shared between threads). */
export let bm32_z0: f32 = 0;
export let bm32_z1: f32 = 0;

/** Box–Muller pair in float32: bm32_z0 = r cos(2 pi u2), bm32_z1 = r sin(2 pi u2), each z * sd + mean when affine. */
// @ts-ignore: decorator
@inline export function boxmuller_pair_f32(affine: bool, u1: f32, u2: f32, mean: f32, sd: f32): void {
  const rad = sqrt<f32>(<f32>-2.0 * log_unit_f32(u1));
  const t = u2 * <f32>4.0;
  const q = nearest<f32>(t);
  const f = t - q;
  const y = f * f;
  const S = f * (S0 + y * (S1 + y * (S2 + y * (S3 + y * S4))));
  const C = <f32>1.0 + y * (C1 + y * (C2 + y * (C3 + y * (C4 + y * C5))));
  const qi = <u32><i32>q;
  const odd = (qi & 1) != 0;
  let sv = odd ? C : S;
  let cv = odd ? S : C;
  sv = reinterpret<f32>(reinterpret<u32>(sv) ^ ((qi & 2) << 30));
  cv = reinterpret<f32>(reinterpret<u32>(cv) ^ (((qi + 1) & 2) << 30));
  let z0 = rad * cv, z1 = rad * sv;
  if (affine) {
    z0 = z0 * sd + mean;
    z1 = z1 * sd + mean;
  }
  bm32_z0 = z0;
  bm32_z1 = z1;
}

/**
 * Four Box–Muller pairs at once (lanes of u1 in (0, 1] and u2 in [0, 1)): stores the four z0 (cos) to out and the
 * four z1 (sin) to out + 16, lane by lane bit-identical to boxmuller_pair_f32.
 */
// @ts-ignore: decorator
@inline export function boxmuller_pair_f32x4(affine: bool, u1: v128, u2: v128, mean: v128, sd: v128, out: usize): void {
  const rad = f32x4.sqrt(f32x4.mul(f32x4.splat(-2.0), log_unit_f32x4(u1)));
  const t = f32x4.mul(u2, f32x4.splat(4.0));
  const q = f32x4.nearest(t);
  const f = f32x4.sub(t, q);
  const y = f32x4.mul(f, f);
  let S = f32x4.add(f32x4.splat(S3), f32x4.mul(y, f32x4.splat(S4)));
  S = f32x4.add(f32x4.splat(S2), f32x4.mul(y, S));
  S = f32x4.add(f32x4.splat(S1), f32x4.mul(y, S));
  S = f32x4.add(f32x4.splat(S0), f32x4.mul(y, S));
  S = f32x4.mul(f, S);
  let C = f32x4.add(f32x4.splat(C4), f32x4.mul(y, f32x4.splat(C5)));
  C = f32x4.add(f32x4.splat(C3), f32x4.mul(y, C));
  C = f32x4.add(f32x4.splat(C2), f32x4.mul(y, C));
  C = f32x4.add(f32x4.splat(C1), f32x4.mul(y, C));
  C = f32x4.add(f32x4.splat(1.0), f32x4.mul(y, C));
  const qi = i32x4.trunc_sat_f32x4_s(q);
  const odd = i32x4.eq(v128.and(qi, i32x4.splat(1)), i32x4.splat(1));
  let sv = v128.bitselect(C, S, odd);
  let cv = v128.bitselect(S, C, odd);
  sv = v128.xor(sv, i32x4.shl(v128.and(qi, i32x4.splat(2)), 30));
  cv = v128.xor(cv, i32x4.shl(v128.and(i32x4.add(qi, i32x4.splat(1)), i32x4.splat(2)), 30));
  let z0 = f32x4.mul(rad, cv), z1 = f32x4.mul(rad, sv);
  if (affine) {
    z0 = f32x4.add(f32x4.mul(z0, sd), mean);
    z1 = f32x4.add(f32x4.mul(z1, sd), mean);
  }
  v128.store(out, z0);
  v128.store(out, z1, 16);
}
