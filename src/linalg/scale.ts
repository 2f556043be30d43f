/**
 * Exact power-of-two scaling helpers for the overflow/underflow policy (README "Overflow and underflow").
 * Multiplying by 2^e is exact in float64 unless the result leaves the normal range, so a computation can run on
 * 2^e X (max |entry| in [1, 2)) and be scaled back at the end with at most one rounding into the subnormal range.
 * Pure bit arithmetic: no Math.log2 (whose last bit may differ between JS engines), so every host agrees.
 */
import * as dm from "../math/detmath.js";

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // index of the high word (little-endian: 1)

/** The integer e with 2^e <= |x| < 2^(e+1), for finite x != 0 (subnormals included). */
export function exponentOf(x: number): number {
  f64[0] = x;
  const be = (u32[HI] >>> 20) & 0x7ff;
  if (be !== 0) return be - 1023;
  // Subnormal: scale up by 2^64 (exact) and read again.
  f64[0] = x * 2 ** 64;
  return ((u32[HI] >>> 20) & 0x7ff) - 1023 - 64;
}

/** 2^e for an integer e in [-1022, 1023], built from its bits (no host pow). */
function pow2(e: number): number {
  u32[HI] = (e + 1023) << 20;
  u32[1 - HI] = 0;
  return f64[0];
}

/**
 * x * 2^e for integer e, correctly rounded (at most the last multiplication rounds: the factors are applied from
 * the smallest, so a subnormal result is rounded once). Overflow gives +-Infinity, as x * 2^e would.
 */
export function ldexp(x: number, e: number): number {
  if (e >= -1022 && e <= 1023) return x * pow2(e);
  let r = x;
  if (e > 1023) {
    while (e > 1023 && Number.isFinite(r) && r !== 0) { r *= pow2(1023); e -= 1023; }
    return r * pow2(Math.min(e, 1023));
  }
  let steps = 0;
  while (e < -1022) { e += 1022; steps++; }
  r *= pow2(e);
  for (; steps > 0 && r !== 0; steps--) r *= pow2(-1022);
  return r;
}

/** The exponent e that brings max |data[i]| into [1, 2) when data is multiplied by 2^e (0 for an all-zero array). */
export function normalizingExponent(data: ArrayLike<number>): number {
  let amax = 0;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]);
    if (a > amax) amax = a;
  }
  return amax > 0 ? -exponentOf(amax) : 0;
}

/** log2 of a finite x != 0 (detmath: the same bits on every host). */
export function log2Abs(x: number): number {
  return dm.log(Math.abs(x)) / Math.LN2;
}

/** mant * 2^e in decimal ("2.1213e+308"), also beyond the float64 range (for error messages only). */
export function formatScaled(mant: number, e: number): string {
  if (mant === 0) return "0";
  const l = (dm.log(Math.abs(mant)) + e * Math.LN2) / Math.LN10;
  let ex = Math.floor(l);
  let m = dm.exp((l - ex) * Math.LN10);
  if (Number(m.toFixed(4)) >= 10) { m /= 10; ex++; }
  return `${mant < 0 ? "-" : ""}${m.toFixed(4)}e${ex >= 0 ? "+" : ""}${ex}`;
}

/**
 * Euclidean norm without overflow or harmful underflow: the plain sum of squares when it is in [2^-968, max]
 * (bits unchanged), else the sum over 2^-e v (max |entry| in [1, 2)) scaled back (LAPACK dnrm2's idea).
 */
export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  if (s >= 2 ** -968 && s <= Number.MAX_VALUE) return Math.sqrt(s);
  let amax = 0;
  for (let i = 0; i < v.length; i++) amax = Math.max(amax, Math.abs(v[i]));
  if (amax === 0) return 0;
  const e = exponentOf(amax);
  let t = 0;
  for (let i = 0; i < v.length; i++) { const x = ldexp(v[i], -e); t += x * x; }
  return ldexp(Math.sqrt(t), e);
}
