// float32 fills from the Philox4x32-10 streams of philox.ts (same key/counter/stream model and block positions).
//
//   rng_fill_uniform_f32(k0, k1, s0, s1, pos, out, n): void   n floats in [0, 1) from blocks pos .. pos+ceil(n/4)-1
//   rng_fill_normal_f32(k0, k1, s0, s1, pos, out, n, mean, sd, affine): void   n float32 normals, same block usage
//   (+ *_ref: the scalar path alone, for the tests; identical bits)
//
// Element i comes from block pos + floor(i / 4) (a fill of n values is a prefix of a longer one at the same pos).
// Uniform recipe (24 bits): word x -> u = (x >>> 8) * 2^-24, a multiple of 2^-24 in [0, 1 - 2^-24] (exact in float32);
// out[4b + w] uses word w of block pos + b.
// Normal recipe: float32 Box–Muller (boxmuller_f32.ts) on the uniforms of the word pairs (x0, x1) and (x2, x3):
//   out[4b]   = r0 cos(2 pi u(x1)), out[4b+1] = r0 sin(2 pi u(x1)), r0 = sqrt(-2 log(1 - u(x0))),
//   out[4b+2] = r2 cos(2 pi u(x3)), out[4b+3] = r2 sin(2 pi u(x3)), r2 = sqrt(-2 log(1 - u(x2))),
//   affine: z * sd + mean (one float32 multiply and one add). 1 - u is exact and lies in [2^-24, 1].
// SIMD: philox_x8 leaves 8 blocks word-major in the 128-byte output chunk (32 floats, exactly what they produce);
// each group of 4 blocks is converted lane-wise (lane = block) and transposed to element order in place.
import { philox_at, philox_x8, pw0, pw1, pw2, pw3 } from "./philox";
import { boxmuller_pair_f32, boxmuller_pair_f32x4, bm32_z0, bm32_z1 } from "./boxmuller_f32";

const TWO_M24: f32 = 5.9604644775390625e-8; // 2^-24

// @ts-ignore: decorator
@inline function u24(x: u32): f32 {
  return <f32>(x >>> 8) * TWO_M24;
}

// @ts-ignore: decorator
@inline function u24x4(x: v128): v128 {
  return f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(x, 8)), f32x4.splat(TWO_M24));
}

/** Store the 4 x 4 transpose of rows (r0, r1, r2, r3) to dst (64 bytes): dst row b = lane b of each r. */
// @ts-ignore: decorator
@inline function store_transposed(dst: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i64x2.shuffle(t0, t1, 0, 2));
  v128.store(dst, i64x2.shuffle(t0, t1, 1, 3), 16);
  v128.store(dst, i64x2.shuffle(t2, t3, 0, 2), 32);
  v128.store(dst, i64x2.shuffle(t2, t3, 1, 3), 48);
}

// Scalar path for elements i .. n-1 starting at block pos (i a multiple of 4): the same bits as the SIMD path.
// @ts-ignore: decorator
@inline function uniform_tail(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, i: i32, n: i32): void {
  for (; i < n; i += 4) {
    philox_at(k0, k1, s0, s1, pos);
    pos++;
    const o = out + (<usize>i << 2);
    store<f32>(o, u24(pw0));
    if (i + 1 < n) store<f32>(o, u24(pw1), 4);
    if (i + 2 < n) store<f32>(o, u24(pw2), 8);
    if (i + 3 < n) store<f32>(o, u24(pw3), 12);
  }
}

/** n uniform floats in [0, 1) (24-bit recipe above) from blocks pos .. pos + ceil(n/4) - 1. */
export function rng_fill_uniform_f32(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, n: i32): void {
  let i = 0;
  for (; i + 32 <= n; i += 32) {
    const dst = out + (<usize>i << 2);
    philox_x8(k0, k1, s0, s1, pos, dst);
    for (let g: usize = 0; g < 128; g += 64) {
      const d = dst + g;
      const x0 = v128.load(d), x1 = v128.load(d, 16), x2 = v128.load(d, 32), x3 = v128.load(d, 48);
      store_transposed(d, u24x4(x0), u24x4(x1), u24x4(x2), u24x4(x3));
    }
    pos += 8;
  }
  uniform_tail(k0, k1, s0, s1, pos, out, i, n);
}

/** Scalar reference of rng_fill_uniform_f32 (same bits), kept for the tests. */
export function rng_fill_uniform_f32_ref(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, n: i32): void {
  uniform_tail(k0, k1, s0, s1, pos, out, 0, n);
}

// @ts-ignore: decorator
@inline function normal_tail(affine: bool, k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, i: i32, n: i32, mean: f32, sd: f32): void {
  for (; i < n; i += 4) {
    philox_at(k0, k1, s0, s1, pos);
    pos++;
    const w2 = pw2, w3 = pw3;
    const o = out + (<usize>i << 2);
    boxmuller_pair_f32(affine, <f32>1.0 - u24(pw0), u24(pw1), mean, sd);
    store<f32>(o, bm32_z0);
    if (i + 1 < n) store<f32>(o, bm32_z1, 4);
    if (i + 2 < n) {
      boxmuller_pair_f32(affine, <f32>1.0 - u24(w2), u24(w3), mean, sd);
      store<f32>(o, bm32_z0, 8);
      if (i + 3 < n) store<f32>(o, bm32_z1, 12);
    }
  }
}

// @ts-ignore: decorator
@inline function fill_normal(affine: bool, k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, n: i32, mean: f32, sd: f32): void {
  const vm = f32x4.splat(mean), vs = f32x4.splat(sd), one = f32x4.splat(1.0);
  let i = 0;
  for (; i + 32 <= n; i += 32) {
    const dst = out + (<usize>i << 2);
    philox_x8(k0, k1, s0, s1, pos, dst);
    for (let g: usize = 0; g < 128; g += 64) {
      const d = dst + g;
      const x0 = v128.load(d), x1 = v128.load(d, 16), x2 = v128.load(d, 32), x3 = v128.load(d, 48);
      // Lane b = block b: (z0, z1) of pair (x0, x1) to d[0..31], (z2, z3) of pair (x2, x3) to d[32..63].
      boxmuller_pair_f32x4(affine, f32x4.sub(one, u24x4(x0)), u24x4(x1), vm, vs, d);
      boxmuller_pair_f32x4(affine, f32x4.sub(one, u24x4(x2)), u24x4(x3), vm, vs, d + 32);
      store_transposed(d, v128.load(d), v128.load(d, 16), v128.load(d, 32), v128.load(d, 48));
    }
    pos += 8;
  }
  normal_tail(affine, k0, k1, s0, s1, pos, out, i, n, mean, sd);
}

/** n float32 normals (affine = 0: standard; 1: z * sd + mean) from blocks pos .. pos + ceil(n/4) - 1. */
export function rng_fill_normal_f32(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, n: i32, mean: f32, sd: f32, affine: i32): void {
  if (affine != 0) fill_normal(true, k0, k1, s0, s1, pos, out, n, mean, sd);
  else fill_normal(false, k0, k1, s0, s1, pos, out, n, 0, 1);
}

/** Scalar reference of rng_fill_normal_f32 (same bits), kept for the tests. */
export function rng_fill_normal_f32_ref(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, n: i32, mean: f32, sd: f32, affine: i32): void {
  if (affine != 0) normal_tail(true, k0, k1, s0, s1, pos, out, 0, n, mean, sd);
  else normal_tail(false, k0, k1, s0, s1, pos, out, 0, n, 0, 1);
}
