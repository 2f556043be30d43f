/**
 * Exact power-of-two scaling helpers for the overflow/underflow policy (README "Overflow and underflow").
 * Multiplying by 2^e is exact in float64 unless the result leaves the normal range, so a computation can run on
 * 2^e X (max |entry| in [1, 2)) and be scaled back at the end with at most one rounding into the subnormal range.
 * Pure bit arithmetic: no Math.log2 (whose last bit may differ between JS engines), so every host agrees.
 */

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

/**
 * x * 2^e, correctly rounded whenever the result is normal or x * 2^e is exact (one multiply when
 * 2^e is representable, e in [-1074, 1023]; otherwise two, which may round twice in the subnormal range:
 * an error of at most one unit of 2^-1074).
 */
export function ldexp(x: number, e: number): number {
  if (e >= -1074 && e <= 1023) return x * 2 ** e;
  if (e > 1023) return x * 2 ** 1023 * 2 ** (e - 1023);
  return x * 2 ** -1022 * 2 ** (e + 1022);
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

/** mant * 2^e in decimal ("2.1213e+308"), also beyond the float64 range (for error messages only). */
export function formatScaled(mant: number, e: number): string {
  if (mant === 0) return "0";
  const l = Math.log10(Math.abs(mant)) + e * Math.log10(2);
  let ex = Math.floor(l);
  let m = 10 ** (l - ex);
  if (Number(m.toFixed(4)) >= 10) { m /= 10; ex++; }
  return `${mant < 0 ? "-" : ""}${m.toFixed(4)}e${ex >= 0 ? "+" : ""}${ex}`;
}
