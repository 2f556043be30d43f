// Philox4x32-10 counter-based random streams and their fill kernels.
//
// ---- Exported kernels (final names; AS code in other areas may import them from "../random/philox") ----
//   philox4x32_10(c0, c1, c2, c3, k0, k1, out): void            one block, 4 u32 words -> out (16 bytes). KAT-tested.
//   rng_fill_u32(k0, k1, s0, s1, pos, out, nblocks): void        raw words of blocks pos .. pos+nblocks-1 (4 u32 each)
//   rng_fill_uniform_f64(k0, k1, s0, s1, pos, out, n): void      n doubles in [0, 1) from blocks pos .. pos+ceil(n/2)-1
//   rng_fill_normal_f64(k0, k1, s0, s1, pos, out, n): void       n standard normals, same block usage as uniform
//   rng_fill_normal_scaled_f64(k0, k1, s0, s1, pos, out, n, mean, sd): void   n values mean + sd * z
//   rng_fill_bits_f64(k0, k1, s0, s1, pos, out, n, v0, v1): void n values v0/v1 from single bits (128 per block)
//   rng_fill_bernoulli_f64(k0, k1, s0, s1, pos, out, n, p): void n values (u < p) ? 1 : 0 (uniform block usage)
//   rng_fill_integers_i32(k0, k1, s0, s1, pos, out, n, lo, rangeMinus1): f64   returns blocks consumed
//   (+ *_ref scalar reference kernels for the tests: rng_fill_uniform_f64_ref, rng_fill_normal_f64_ref)
// Related kernels in this folder: rng_sphere_rows_f64 (sphere_rows_f64.ts: scale rows to norm r),
// cholesky_pivoted_f64 (cholesky_pivoted_f64.ts: P^T S P = L L^T for PSD S).
// Reentrancy: no kernel uses static memory (intermediate words live in locals, instance-local globals or the
// caller's output buffer), so the kernels are safe on a shared memory used by several instances (threads) at once.
// out must not overlap other live data: the SIMD path uses each 128-byte output chunk as scratch before writing it.
// Arguments: (k0, k1) = key = the 64-bit seed (k0 low word); (s0, s1) = stream index (low, high word);
// pos: u64 = index of the first 128-bit block; out: byte address (8-byte aligned; 16-byte alignment is faster).
// Block b of stream s under key k is philox4x32_10(counter = (b_lo, b_hi, s0, s1), key = (k0, k1)), so any
// position of any stream is reachable in O(1) and stream s is a pure function of (seed, s).
// Element i of a uniform/normal/bernoulli fill comes from block pos + floor(i / 2): the values do not depend on n
// (a fill of n values is a prefix of a longer fill at the same pos), and a consumer that wants disjoint draws
// advances pos by ceil(n / 2) blocks.
//
// Algorithm: Philox4x32-10 of Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC11 (2011),
// Random123 reference (philox.h): round (x0,x1,x2,x3) -> (hi(M1 x2) ^ x1 ^ k0, lo(M1 x2), hi(M0 x0) ^ x3 ^ k1, lo(M0 x0)),
// key bumped by (W0, W1) between rounds. Known-answer vectors: Random123 tests/kat_vectors (test/random.test.ts).
//
// Uniform recipe (53 bits): for the word pair (lo, hi) = (x0, x1) or (x2, x3) of a block,
//   u = ((hi >>> 11) * 2^32 + lo) * 2^-53 = (hi >>> 11) * 2^-21 + lo * 2^-53   (both products and the sum exact),
// so u is a multiple of 2^-53 in [0, 1 - 2^-53]. Block pos + b gives out[2b] from (x0, x1), out[2b+1] from (x2, x3).
// Normal recipe: Box–Muller on the block's two uniforms ua (x0, x1) and ub (x2, x3): u1 = 1 - ua in (0, 1] (exact),
// out[2b] = sqrt(-2 log u1) cos(2 pi ub), out[2b+1] = sqrt(-2 log u1) sin(2 pi ub) (see boxmuller_f64.ts).
// SIMD: 8 consecutive blocks run as two interleaved groups in the 4 lanes of i32x4; the 32x32->64 products use
// i64x2.extmul_{low,high}_i32x4_u (high halves gathered by one shuffle; low halves by i32x4.mul).
// The SIMD and scalar paths give identical bits (tested).
import { boxmuller_pair_f64, boxmuller_pair_f64x2, bm_z0, bm_z1 } from "./boxmuller_f64";

// Philox4x32 constants (Random123 philox.h).
const M0: u32 = 0xD2511F53;
const M1: u32 = 0xCD9E8D57;
const W0: u32 = 0x9E3779B9;
const W1: u32 = 0xBB67AE85;

const TWO_M21: f64 = 4.76837158203125e-7; // 2^-21
const TWO_M53: f64 = 1.1102230246251565e-16; // 2^-53

// Outputs of the last philox_block (instance-local globals: thread safe, unlike static memory).
export let pw0: u32 = 0, pw1: u32 = 0, pw2: u32 = 0, pw3: u32 = 0;

/** One block, scalar: Philox4x32-10 of Salmon, Moraes, Dror, Shaw (SC11, 2011); result in pw0..pw3. */
// @ts-ignore: decorator
@inline function philox_block(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  let x0 = c0, x1 = c1, x2 = c2, x3 = c3;
  for (let r = 0; r < 10; r++) {
    const p0 = <u64>M0 * <u64>x0;
    const p1 = <u64>M1 * <u64>x2;
    const y0 = <u32>(p1 >> 32) ^ x1 ^ k0;
    const y2 = <u32>(p0 >> 32) ^ x3 ^ k1;
    x1 = <u32>p1;
    x3 = <u32>p0;
    x0 = y0;
    x2 = y2;
    k0 += W0;
    k1 += W1;
  }
  pw0 = x0; pw1 = x1; pw2 = x2; pw3 = x3;
}

// Block `pos` of stream (s0, s1) under key (k0, k1).
// @ts-ignore: decorator
@inline export function philox_at(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64): void {
  philox_block(<u32>pos, <u32>(pos >> 32), s0, s1, k0, k1);
}

/** One Philox4x32-10 block: counter (c0..c3), key (k0, k1) -> 4 u32 words at out. Salmon et al. 2011, Random123. */
export function philox4x32_10(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32, out: usize): void {
  philox_block(c0, c1, c2, c3, k0, k1);
  store<u32>(out, pw0);
  store<u32>(out, pw1, 4);
  store<u32>(out, pw2, 8);
  store<u32>(out, pw3, 12);
}

/**
 * Eight consecutive blocks pos .. pos+7 of stream (s0, s1) in SIMD, as two interleaved i32x4 groups (A: blocks
 * pos..pos+3, B: pos+4..pos+7; two independent dependency chains hide the multiply latency: +35% measured).
 * The words are stored word-major to dst (128 bytes): dst[16w ..] = word w of blocks pos..pos+3, dst[64 + 16w ..]
 * = word w of blocks pos+4..pos+7. Callers pass the 128-byte region of the output that these blocks' 16 values will
 * overwrite: it is L1-hot, private to the call (thread safe, unlike static memory), and measured faster than keeping
 * all 8 vectors live in registers (V8 spills) or in globals.
 */
// Vector constants live in linear memory and are loaded where used: V8 >= 13 (Node 24) rematerializes v128
// constants inside loops at every use (a 64-bit immediate move plus a shuffle per use), which made this kernel 35%
// slower than on Node 20/22; a load it cannot fold away costs one memory operand. Read-only, so thread safe.
// Layout (16 bytes each): M0 x4, M1 x4, lane offsets 0..3, lane offsets 4..7, 2^-21 x2, 2^-53 x2.
const PHILOX_K = memory.data<u32>([
  M0, M0, M0, M0, M1, M1, M1, M1, 0, 1, 2, 3, 4, 5, 6, 7,
  0, 0x3ea00000, 0, 0x3ea00000, // 2^-21 as two f64 (little-endian words)
  0, 0x3ca00000, 0, 0x3ca00000, // 2^-53
], 16);

/**
 * Eight consecutive blocks pos .. pos+7 of stream (s0, s1) in SIMD, as two interleaved i32x4 groups (A: blocks
 * pos..pos+3, B: pos+4..pos+7; two independent dependency chains hide the multiply latency: +35% measured).
 * The words are stored word-major to dst (128 bytes): dst[16w ..] = word w of blocks pos..pos+3, dst[64 + 16w ..]
 * = word w of blocks pos+4..pos+7. Callers pass the 128-byte region of the output that these blocks' 16 values will
 * overwrite: it is L1-hot, private to the call (thread safe, unlike static memory), and measured faster than keeping
 * all 8 vectors live in registers (V8 spills) or in globals.
 * Both halves of each 32x32 -> 64 product come from the two extmuls (low words by a shuffle instead of i32x4.mul,
 * which is a slow two-uop instruction on x86): +3% on Node 20, +16% on Node 24, same bits.
 */
// @ts-ignore: decorator
@inline export function philox_x8(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, dst: usize): void {
  const lo = <u32>pos, hi = <u32>(pos >> 32);
  const vlo = i32x4.splat(lo);
  let a0 = i32x4.add(vlo, v128.load(PHILOX_K, 32));
  let b0 = i32x4.add(vlo, v128.load(PHILOX_K, 48));
  // Carry into the high counter word for lanes whose low word wrapped.
  let a1 = i32x4.sub(i32x4.splat(hi), i32x4.lt_u(a0, vlo));
  let b1 = i32x4.sub(i32x4.splat(hi), i32x4.lt_u(b0, vlo));
  let a2 = i32x4.splat(s0), b2 = a2;
  let a3 = i32x4.splat(s1), b3 = a3;
  const m0 = v128.load(PHILOX_K), m1 = v128.load(PHILOX_K, 16);
  for (let r = 0; r < 10; r++) {
    const kk0 = i32x4.splat(k0), kk1 = i32x4.splat(k1);
    const pa0l = i64x2.extmul_low_i32x4_u(a0, m0), pa0h = i64x2.extmul_high_i32x4_u(a0, m0);
    const pa2l = i64x2.extmul_low_i32x4_u(a2, m1), pa2h = i64x2.extmul_high_i32x4_u(a2, m1);
    const pb0l = i64x2.extmul_low_i32x4_u(b0, m0), pb0h = i64x2.extmul_high_i32x4_u(b0, m0);
    const pb2l = i64x2.extmul_low_i32x4_u(b2, m1), pb2h = i64x2.extmul_high_i32x4_u(b2, m1);
    const na0 = v128.xor(v128.xor(i32x4.shuffle(pa2l, pa2h, 1, 3, 5, 7), a1), kk0);
    const na2 = v128.xor(v128.xor(i32x4.shuffle(pa0l, pa0h, 1, 3, 5, 7), a3), kk1);
    const nb0 = v128.xor(v128.xor(i32x4.shuffle(pb2l, pb2h, 1, 3, 5, 7), b1), kk0);
    const nb2 = v128.xor(v128.xor(i32x4.shuffle(pb0l, pb0h, 1, 3, 5, 7), b3), kk1);
    a1 = i32x4.shuffle(pa2l, pa2h, 0, 2, 4, 6); a3 = i32x4.shuffle(pa0l, pa0h, 0, 2, 4, 6);
    b1 = i32x4.shuffle(pb2l, pb2h, 0, 2, 4, 6); b3 = i32x4.shuffle(pb0l, pb0h, 0, 2, 4, 6);
    a0 = na0; a2 = na2; b0 = nb0; b2 = nb2;
    k0 += W0;
    k1 += W1;
  }
  v128.store(dst, a0);
  v128.store(dst, a1, 16);
  v128.store(dst, a2, 32);
  v128.store(dst, a3, 48);
  v128.store(dst, b0, 64);
  v128.store(dst, b1, 80);
  v128.store(dst, b2, 96);
  v128.store(dst, b3, 112);
}

// Uniform doubles of lanes 0,1 of (lo, hi) word vectors: (hi >>> 11) * 2^-21 + lo * 2^-53.
// @ts-ignore: decorator
// hi >>> 11 < 2^21, so the signed conversion (one instruction on x86) gives the same value as the unsigned one.
@inline function uniform_f64x2(lo: v128, hi: v128): v128 {
  return f64x2.add(
    f64x2.mul(f64x2.convert_low_i32x4_s(i32x4.shr_u(hi, 11)), v128.load(PHILOX_K, 64)),
    f64x2.mul(f64x2.convert_low_i32x4_u(lo), v128.load(PHILOX_K, 80)));
}

// @ts-ignore: decorator
@inline function uniform_f64(lo: u32, hi: u32): f64 {
  return <f64>(hi >>> 11) * TWO_M21 + <f64>lo * TWO_M53;
}

// @ts-ignore: decorator
@inline function upper(v: v128): v128 {
  return i32x4.shuffle(v, v, 2, 3, 2, 3);
}

/** Raw Philox words: blocks pos .. pos+nblocks-1, 4 u32 per block in block order (x0, x1, x2, x3). */
export function rng_fill_u32(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, nblocks: i32): void {
  for (let b = 0; b < nblocks; b++) {
    philox_at(k0, k1, s0, s1, pos);
    const o = out + (<usize>b << 4);
    store<u32>(o, pw0);
    store<u32>(o, pw1, 4);
    store<u32>(o, pw2, 8);
    store<u32>(o, pw3, 12);
    pos++;
  }
}

// The 8 uniforms of 4 blocks (words x0..x3 at dst, lane j = block j) overwrite dst (64 bytes), in output order.
// @ts-ignore: decorator
@inline function uniform_quad(dst: usize): void {
  const x0 = v128.load(dst), x1 = v128.load(dst, 16), x2 = v128.load(dst, 32), x3 = v128.load(dst, 48);
  const ua01 = uniform_f64x2(x0, x1), ub01 = uniform_f64x2(x2, x3);
  const ua23 = uniform_f64x2(upper(x0), upper(x1)), ub23 = uniform_f64x2(upper(x2), upper(x3));
  v128.store(dst, f64x2.shuffle(ua01, ub01, 0, 2));
  v128.store(dst, f64x2.shuffle(ua01, ub01, 1, 3), 16);
  v128.store(dst, f64x2.shuffle(ua23, ub23, 0, 2), 32);
  v128.store(dst, f64x2.shuffle(ua23, ub23, 1, 3), 48);
}

// Scalar path for elements i .. n-1 starting at block pos (i even): the same bits as the SIMD path.
// @ts-ignore: decorator
@inline function uniform_tail(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, i: i32, n: i32): void {
  for (; i < n; i += 2) {
    philox_at(k0, k1, s0, s1, pos);
    pos++;
    store<f64>(out + (<usize>i << 3), uniform_f64(pw0, pw1));
    if (i + 1 < n) store<f64>(out + (<usize>(i + 1) << 3), uniform_f64(pw2, pw3));
  }
}

/** n uniform doubles in [0, 1) (53-bit recipe above) from blocks pos .. pos + ceil(n/2) - 1. */
export function rng_fill_uniform_f64(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, n: i32): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const dst = out + (<usize>i << 3);
    philox_x8(k0, k1, s0, s1, pos, dst);
    uniform_quad(dst);
    uniform_quad(dst + 64);
    pos += 8;
  }
  uniform_tail(k0, k1, s0, s1, pos, out, i, n);
}

/** Scalar reference of rng_fill_uniform_f64 (same bits), kept for the tests. */
export function rng_fill_uniform_f64_ref(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, n: i32): void {
  uniform_tail(k0, k1, s0, s1, pos, out, 0, n);
}

// The 8 normals of 4 blocks (words at dst as in uniform_quad) overwrite dst (64 bytes), in output order.
// @ts-ignore: decorator
@inline function normal_quad(affine: bool, dst: usize, mean: v128, sd: v128): void {
  const x0 = v128.load(dst), x1 = v128.load(dst, 16), x2 = v128.load(dst, 32), x3 = v128.load(dst, 48);
  const one = f64x2.splat(1.0);
  const u1_01 = f64x2.sub(one, uniform_f64x2(x0, x1)), u2_01 = uniform_f64x2(x2, x3);
  const u1_23 = f64x2.sub(one, uniform_f64x2(upper(x0), upper(x1))), u2_23 = uniform_f64x2(upper(x2), upper(x3));
  boxmuller_pair_f64x2(affine, u1_01, u2_01, mean, sd, dst);
  boxmuller_pair_f64x2(affine, u1_23, u2_23, mean, sd, dst + 32);
}

// Scalar path for elements i .. n-1 starting at block pos (i even): the same bits as the SIMD path.
// @ts-ignore: decorator
@inline function normal_tail(affine: bool, k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, i: i32, n: i32, mean: f64, sd: f64): void {
  for (; i < n; i += 2) {
    philox_at(k0, k1, s0, s1, pos);
    pos++;
    boxmuller_pair_f64(affine, 1.0 - uniform_f64(pw0, pw1), uniform_f64(pw2, pw3), mean, sd);
    store<f64>(out + (<usize>i << 3), bm_z0);
    if (i + 1 < n) store<f64>(out + (<usize>(i + 1) << 3), bm_z1);
  }
}

// @ts-ignore: decorator
@inline function fill_normal(affine: bool, k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, n: i32, mean: f64, sd: f64): void {
  const vm = f64x2.splat(mean), vs = f64x2.splat(sd);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const dst = out + (<usize>i << 3);
    philox_x8(k0, k1, s0, s1, pos, dst);
    normal_quad(affine, dst, vm, vs);
    normal_quad(affine, dst + 64, vm, vs);
    pos += 8;
  }
  normal_tail(affine, k0, k1, s0, s1, pos, out, i, n, mean, sd);
}

/** n standard normals (Box–Muller recipe above) from blocks pos .. pos + ceil(n/2) - 1. */
export function rng_fill_normal_f64(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, n: i32): void {
  fill_normal(false, k0, k1, s0, s1, pos, out, n, 0, 1);
}

/** n values mean + sd * z (z as in rng_fill_normal_f64; one multiply and one add, each rounded). */
export function rng_fill_normal_scaled_f64(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, n: i32, mean: f64, sd: f64): void {
  fill_normal(true, k0, k1, s0, s1, pos, out, n, mean, sd);
}

/** Scalar reference of rng_fill_normal_f64 (same bits), kept for the tests. */
export function rng_fill_normal_f64_ref(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, n: i32): void {
  normal_tail(false, k0, k1, s0, s1, pos, out, 0, n, 0, 1);
}

// Word w (0..3) of the last philox_block.
// @ts-ignore: decorator
@inline function word_of(w: i32): u32 {
  return w == 0 ? pw0 : w == 1 ? pw1 : w == 2 ? pw2 : pw3;
}

/**
 * n values from single random bits: value i uses bit (i & 31) of word ((i >> 5) & 3) of block pos + (i >> 7);
 * bit 0 -> v0, bit 1 -> v1. Consumes ceil(n / 128) blocks. (Rademacher: v0 = -a, v1 = a; cube {0,1}: v0 = 0, v1 = 1.)
 */
export function rng_fill_bits_f64(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, n: i32, v0: f64, v1: f64): void {
  const V0 = f64x2.splat(v0), V1 = f64x2.splat(v1), bit01 = i64x2(1, 2), zero = i64x2.splat(0);
  for (let i = 0; i < n; i += 128) {
    philox_at(k0, k1, s0, s1, pos);
    pos++;
    const m = min(128, n - i);
    if (m == 128) {
      // Full block: 2 values per step; lane 0 tests bit j, lane 1 bit j + 1 of the word.
      for (let w = 0; w < 4; w++) {
        const word = i64x2.splat(<i64>word_of(w));
        const o = out + (<usize>(i + (w << 5)) << 3);
        for (let j = 0; j < 32; j += 2) {
          const set = i64x2.ne(v128.and(word, i64x2.shl(bit01, j)), zero);
          v128.store(o + (<usize>j << 3), v128.bitselect(V1, V0, set));
        }
      }
    } else {
      for (let j = 0; j < m; j++) {
        const word = word_of(j >> 5);
        const bit = (word >>> (<u32>j & 31)) & 1;
        store<f64>(out + (<usize>(i + j) << 3), bit ? v1 : v0);
      }
    }
  }
}

/**
 * n Bernoulli(p) values as float64 0/1: value i = 1 iff u_i < p, u_i the i-th uniform of rng_fill_uniform_f64 at pos.
 * P(1) = ceil(p 2^53) / 2^53, i.e. exact when p is a multiple of 2^-53, else within 2^-53 of p.
 */
export function rng_fill_bernoulli_f64(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, n: i32, p: f64): void {
  rng_fill_uniform_f64(k0, k1, s0, s1, pos, out, n);
  const vp = f64x2.splat(p), one = f64x2.splat(1.0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const a = out + (<usize>i << 3);
    v128.store(a, v128.and(f64x2.lt(v128.load(a), vp), one));
  }
  if (i < n) {
    const a = out + (<usize>i << 3);
    store<f64>(a, load<f64>(a) < p ? 1.0 : 0.0);
  }
}

/**
 * n integers uniform on [lo, lo + rangeMinus1] (inclusive; range = rangeMinus1 + 1 <= 2^32), unbiased:
 * Lemire's multiply-and-reject ("Fast random integer generation in an interval", ACM TOMACS 2019) on the word
 * sequence x0, x1, x2, x3 of blocks pos, pos+1, ...; each value takes one word, plus one more per rejection
 * (rejection probability < range / 2^32). Returns the number of blocks touched (ceil(words / 4)).
 */
export function rng_fill_integers_i32(k0: u32, k1: u32, s0: u32, s1: u32, pos: u64, out: usize, n: i32, lo: i32, rangeMinus1: u32): f64 {
  let word: i32 = 4; // index of the next unused word in the current block; 4 = need a new block
  let blocks: u64 = 0;
  const full = rangeMinus1 == 0xFFFFFFFF;
  const range: u64 = <u64>rangeMinus1 + 1;
  const t: u32 = full ? 0 : <u32>((<u64>0x100000000 - range) % range); // 2^32 mod range
  for (let i = 0; i < n; i++) {
    let v: u32 = 0;
    // Each attempt is accepted with probability > 1/2; 2048 attempts all fail with probability < 2^-2048.
    for (let attempt = 0; attempt < 2048; attempt++) {
      if (word == 4) {
        philox_at(k0, k1, s0, s1, pos + blocks);
        blocks++;
        word = 0;
      }
      const x = word_of(word);
      word++;
      if (full) { v = x; break; }
      const m = <u64>x * range;
      if (<u32>m >= t) { v = <u32>(m >> 32); break; }
    }
    store<i32>(out + (<usize>i << 2), lo + <i32>v);
  }
  return <f64>blocks;
}
