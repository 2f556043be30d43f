// Box–Muller transform (Box & Muller 1958, "A note on the generation of random normal deviates") in float64,
// as a scalar function and as an f64x2 SIMD function that perform EXACTLY the same IEEE operations in the same
// order, so both give the same bits (WASM has no FMA and every f64/f64x2 op is correctly rounded on every host).
//
//   (u1, u2) with u1 in (0, 1], u2 in [0, 1)  ->  r = sqrt(-2 log u1),  z0 = r cos(2 pi u2),  z1 = r sin(2 pi u2).
//
// The transcendental functions are our own (never host Math), so the bits are host-independent:
// - log_unit_f64(x), x in [2^-53, 1]: FreeBSD/musl e_log.c algorithm (see: musl/src/math/log.c, the pre-2018
//   fdlibm version): x = 2^k (1 + f), s = f / (2 + f), log(1 + f) = f - hfsq + s (hfsq + R(s^2)) with the
//   fdlibm Lg1..Lg7 minimax polynomial. Error < 1 ulp (fdlibm's bound).
// - sincos2pi: sin(2 pi u), cos(2 pi u) for u in [0, 1). Range reduction is EXACT because u is a binary fraction:
//   t = 4u, q = nearest(t), f = t - q in [-1/2, 1/2] (both steps exact), angle = (pi/2) f in [-pi/4, pi/4].
//   sin((pi/2) f) = f * sum_{k=0..8} s_k f^(2k), cos((pi/2) f) = 1 + sum_{k=1..8} c_k f^(2k) with the Taylor
//   coefficients s_k = (-1)^k (pi/2)^(2k+1) / (2k+1)!, c_k = (-1)^k (pi/2)^(2k) / (2k)! rounded to nearest double
//   (generator: Python fractions with 60-digit pi, `float((-1)**k * (pi/2)**n / factorial(n))`). Truncation error
//   <= (pi/4)^18/18! < 3e-18 (cos) and (pi/4)^19/19! < 1e-19 (sin); with Horner rounding the result is within
//   ~1-2 ulp of the true value (tested against host Math in test/random.test.ts). Quadrant q mod 4 swaps sin/cos
//   and flips signs: sin(2 pi u) = [S, C, -S, -C][q & 3], cos(2 pi u) = [C, -S, -C, S][q & 3].
// So z has a relative error of a few ulp; the uniform inputs carry 53 bits, so |z| <= sqrt(-2 log 2^-53) = 8.57.

// fdlibm e_log.c constants.
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const LG1: f64 = 6.666666666666735130e-01;
const LG2: f64 = 3.999999999940941908e-01;
const LG3: f64 = 2.857142874366239149e-01;
const LG4: f64 = 2.222219843214978396e-01;
const LG5: f64 = 1.818357216161805012e-01;
const LG6: f64 = 1.531383769920937332e-01;
const LG7: f64 = 1.479819860511658591e-01;

// Taylor coefficients of sin((pi/2) f) / f and cos((pi/2) f) in powers of f^2 (see header).
const S0: f64 = 1.5707963267948966;
const S1: f64 = -0.6459640975062463;
const S2: f64 = 0.07969262624616705;
const S3: f64 = -0.004681754135318688;
const S4: f64 = 0.00016044118478735983;
const S5: f64 = -3.598843235212085e-06;
const S6: f64 = 5.692172921967927e-08;
const S7: f64 = -6.688035109811468e-10;
const S8: f64 = 6.0669357311061955e-12;
const C1: f64 = -1.2337005501361697;
const C2: f64 = 0.25366950790104803;
const C3: f64 = -0.02086348076335296;
const C4: f64 = 0.0009192602748394266;
const C5: f64 = -2.5202042373060607e-05;
const C6: f64 = 4.710874778818172e-07;
const C7: f64 = -6.386603083791852e-09;
const C8: f64 = 6.565963114979473e-11;

// Adding 0x3ff00000 - 0x3fe6a09e to the high word moves mantissas >= sqrt(2) into the next binade (fdlibm trick).
const LOG_SHIFT: u64 = (<u64>(0x3ff00000 - 0x3fe6a09e)) << 32;
const LOG_MANT: u64 = 0x000fffffffffffff;
const LOG_BIAS: u64 = (<u64>0x3fe6a09e) << 32;
// 1.5 * 2^52: reinterpret(MAGIC_BITS + k) - MAGIC = k exactly for |k| < 2^51 (i64 -> f64 without a conversion op).
const MAGIC_BITS: u64 = 0x4338000000000000;
const MAGIC: f64 = 6755399441055744.0;

/** Natural log for x in [2^-53, 1] (normal, positive). fdlibm e_log.c, < 1 ulp. Same ops as log_unit_f64x2. */
// @ts-ignore: decorator
@inline export function log_unit_f64(x: f64): f64 {
  let ix = reinterpret<u64>(x) + LOG_SHIFT;
  const k = <i64>(ix >> 52) - 0x3ff;
  ix = (ix & LOG_MANT) + LOG_BIAS;
  const f = reinterpret<f64>(ix) - 1.0;
  const hfsq = 0.5 * f * f;
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const R = t2 + t1;
  const dk = reinterpret<f64>(MAGIC_BITS + <u64>k) - MAGIC;
  return s * (hfsq + R) + dk * LN2_LO - hfsq + f + dk * LN2_HI;
}

/** Lane-wise log_unit_f64 on f64x2 (bit-identical to the scalar version). */
// Vector constants of the SIMD functions below, pre-splatted in linear memory and loaded where used: V8 >= 13
// (Node 24) rematerializes v128 constants at every use inside loops (an immediate move plus a shuffle each), which
// halved the normal generator's speed there; a load is one memory operand. Read-only, so thread safe. Same values,
// same bits as splatting them.
const BM_F64 = memory.data<f64>([1.0, 1.0, 0.5, 0.5, 2.0, 2.0, LG2, LG2, LG4, LG4, LG6, LG6, LG1, LG1, LG3, LG3, LG5, LG5, LG7, LG7, MAGIC, MAGIC, LN2_LO, LN2_LO, LN2_HI, LN2_HI, -2.0, -2.0, 4.0, 4.0, S7, S7, S8, S8, S6, S6, S5, S5, S4, S4, S3, S3, S2, S2, S1, S1, S0, S0, C7, C7, C8, C8, C6, C6, C5, C5, C4, C4, C3, C3, C2, C2, C1, C1], 16);
const BM_I64 = memory.data<u64>([LOG_SHIFT, LOG_SHIFT, 0x3ff, 0x3ff, LOG_MANT, LOG_MANT, LOG_BIAS, LOG_BIAS, MAGIC_BITS, MAGIC_BITS, 1, 1, 2, 2], 16);

// @ts-ignore: decorator
@inline export function log_unit_f64x2(x: v128): v128 {
  let ix = i64x2.add(x, v128.load(BM_I64, 0));
  const k = i64x2.sub(i64x2.shr_u(ix, 52), v128.load(BM_I64, 16));
  ix = i64x2.add(v128.and(ix, v128.load(BM_I64, 32)), v128.load(BM_I64, 48));
  const f = f64x2.sub(ix, v128.load(BM_F64, 0));
  const hfsq = f64x2.mul(f64x2.mul(v128.load(BM_F64, 16), f), f);
  const s = f64x2.div(f, f64x2.add(v128.load(BM_F64, 32), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(v128.load(BM_F64, 48), f64x2.mul(w, f64x2.add(v128.load(BM_F64, 64), f64x2.mul(w, v128.load(BM_F64, 80))))));
  const t2 = f64x2.mul(z, f64x2.add(v128.load(BM_F64, 96), f64x2.mul(w, f64x2.add(v128.load(BM_F64, 112),
    f64x2.mul(w, f64x2.add(v128.load(BM_F64, 128), f64x2.mul(w, v128.load(BM_F64, 144))))))));
  const R = f64x2.add(t2, t1);
  const dk = f64x2.sub(i64x2.add(k, v128.load(BM_I64, 64)), v128.load(BM_F64, 160));
  let r = f64x2.mul(s, f64x2.add(hfsq, R));
  r = f64x2.add(r, f64x2.mul(dk, v128.load(BM_F64, 176)));
  r = f64x2.sub(r, hfsq);
  r = f64x2.add(r, f);
  return f64x2.add(r, f64x2.mul(dk, v128.load(BM_F64, 192)));
}

// @ts-ignore: decorator
@inline function sinPoly(f: f64, y: f64): f64 {
  return f * (S0 + y * (S1 + y * (S2 + y * (S3 + y * (S4 + y * (S5 + y * (S6 + y * (S7 + y * S8))))))));
}

// @ts-ignore: decorator
@inline function cosPoly(y: f64): f64 {
  return 1.0 + y * (C1 + y * (C2 + y * (C3 + y * (C4 + y * (C5 + y * (C6 + y * (C7 + y * C8)))))));
}

/** Results of the last boxmuller_pair_f64 (instance-local globals, so no static memory is shared between threads). */
export let bm_z0: f64 = 0;
export let bm_z1: f64 = 0;

/**
 * Box–Muller pair from two uniforms: u1 in (0, 1], u2 in [0, 1). Sets bm_z0 = r cos(2 pi u2) and
 * bm_z1 = r sin(2 pi u2), each scaled as z * sd + mean when affine.
 */
// @ts-ignore: decorator
@inline export function boxmuller_pair_f64(affine: bool, u1: f64, u2: f64, mean: f64, sd: f64): void {
  const rad = sqrt<f64>(-2.0 * log_unit_f64(u1));
  const t = u2 * 4.0;
  const q = nearest<f64>(t);
  const f = t - q;
  const y = f * f;
  const S = sinPoly(f, y);
  const C = cosPoly(y);
  const qi = <u64><i64>q;
  const odd = (qi & 1) != 0;
  let sv = odd ? C : S;
  let cv = odd ? S : C;
  sv = reinterpret<f64>(reinterpret<u64>(sv) ^ ((qi & 2) << 62));
  cv = reinterpret<f64>(reinterpret<u64>(cv) ^ (((qi + 1) & 2) << 62));
  let z0 = rad * cv, z1 = rad * sv;
  if (affine) {
    z0 = z0 * sd + mean;
    z1 = z1 * sd + mean;
  }
  bm_z0 = z0;
  bm_z1 = z1;
}

/**
 * Two Box–Muller pairs at once: lanes i = 0, 1 of u1 (in (0, 1]) and u2 (in [0, 1)). Stores (z0_0, z1_0, z0_1, z1_1)
 * to outCS (32 bytes). Bit-identical to boxmuller_pair_f64 per lane.
 */
// @ts-ignore: decorator
@inline export function boxmuller_pair_f64x2(affine: bool, u1: v128, u2: v128, mean: v128, sd: v128, outCS: usize): void {
  const rad = f64x2.sqrt(f64x2.mul(v128.load(BM_F64, 208), log_unit_f64x2(u1)));
  const t = f64x2.mul(u2, v128.load(BM_F64, 224));
  const q = f64x2.nearest(t);
  const f = f64x2.sub(t, q);
  const y = f64x2.mul(f, f);
  let S = f64x2.add(v128.load(BM_F64, 240), f64x2.mul(y, v128.load(BM_F64, 256)));
  S = f64x2.add(v128.load(BM_F64, 272), f64x2.mul(y, S));
  S = f64x2.add(v128.load(BM_F64, 288), f64x2.mul(y, S));
  S = f64x2.add(v128.load(BM_F64, 304), f64x2.mul(y, S));
  S = f64x2.add(v128.load(BM_F64, 320), f64x2.mul(y, S));
  S = f64x2.add(v128.load(BM_F64, 336), f64x2.mul(y, S));
  S = f64x2.add(v128.load(BM_F64, 352), f64x2.mul(y, S));
  S = f64x2.add(v128.load(BM_F64, 368), f64x2.mul(y, S));
  S = f64x2.mul(f, S);
  let C = f64x2.add(v128.load(BM_F64, 384), f64x2.mul(y, v128.load(BM_F64, 400)));
  C = f64x2.add(v128.load(BM_F64, 416), f64x2.mul(y, C));
  C = f64x2.add(v128.load(BM_F64, 432), f64x2.mul(y, C));
  C = f64x2.add(v128.load(BM_F64, 448), f64x2.mul(y, C));
  C = f64x2.add(v128.load(BM_F64, 464), f64x2.mul(y, C));
  C = f64x2.add(v128.load(BM_F64, 480), f64x2.mul(y, C));
  C = f64x2.add(v128.load(BM_F64, 496), f64x2.mul(y, C));
  C = f64x2.add(v128.load(BM_F64, 0), f64x2.mul(y, C));
  // q is an integer in [0, 4]: convert exactly through the magic constant.
  const qi = i64x2.sub(f64x2.add(q, v128.load(BM_F64, 160)), v128.load(BM_I64, 64));
  const odd = i64x2.eq(v128.and(qi, v128.load(BM_I64, 80)), v128.load(BM_I64, 80));
  let sv = v128.bitselect(C, S, odd);
  let cv = v128.bitselect(S, C, odd);
  sv = v128.xor(sv, i64x2.shl(v128.and(qi, v128.load(BM_I64, 96)), 62));
  cv = v128.xor(cv, i64x2.shl(v128.and(i64x2.add(qi, v128.load(BM_I64, 80)), v128.load(BM_I64, 96)), 62));
  let z0 = f64x2.mul(rad, cv), z1 = f64x2.mul(rad, sv);
  if (affine) {
    z0 = f64x2.add(f64x2.mul(z0, sd), mean);
    z1 = f64x2.add(f64x2.mul(z1, sd), mean);
  }
  // Interleave: lane i's pair (z0_i, z1_i) is stored contiguously.
  v128.store(outCS, f64x2.shuffle(z0, z1, 0, 2));
  v128.store(outCS, f64x2.shuffle(z0, z1, 1, 3), 16);
}
