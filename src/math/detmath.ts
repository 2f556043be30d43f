/**
 * Deterministic elementary functions (float64) for the TypeScript side of hardlearn.
 *
 * Why: `Math.exp/log/sin/cos/pow/cbrt/...` are not specified to be correctly rounded and differ by 1 ulp between
 * engine versions (measured: Node 20 / V8 11.3 vs Chromium 156 differ in 1-10% of inputs). The project rule
 * "same seed -> same bits in Node and in the browser" therefore forbids them on result paths.
 *
 * How: every function here is a line-by-line port of AssemblyScript's `NativeMath` (std/assembly/math.ts and
 * std/assembly/util/math.ts, release build: ASC_SHRINK_LEVEL = 0, i.e. the table-driven exp/log/pow), which in turn
 * ports musl libm. The ports use only IEEE-754 double `+ - * /`, `Math.sqrt` (all correctly rounded and never fused
 * in JS) and integer operations on the bit pattern, so they give the same bits on every conforming engine.
 * Invariant (checked by test/detmath.test.ts on ~20k inputs per function): detmath.f(x) is bit-identical to the
 * WASM core's `Math.f(x)` (NaN results compared as "both NaN", payloads are not observable in JS).
 * Accuracy: that of musl (< 1 ulp; exp/log/pow ~0.52 ulp), except where AS deviates and we follow AS to keep the
 * invariant: expm1 (and sinh on top of it) reassociates musl's final step for |k| >= 2, up to ~1.25 ulp; cosh uses
 * 1 + t^2/(2 + 2t); pow follows ECMAScript (pow(±1, ±Inf) and pow(1, NaN) are NaN). Functions: exp, expm1, log, log1p,
 * pow, sin, cos, sinh, cosh, tanh, atan, atan2, cbrt, hypot (2 arguments).
 *
 * Implementation notes. Bit access goes through one shared Float64Array/Uint32Array scratch whose word order is
 * detected at load (works on little- and big-endian hosts); JS is single-threaded per realm, so sharing is safe.
 * Where AS does exponent-field arithmetic on the bit pattern (scale = asdouble(sbits + (k << 45)), z = x / 2^k, 2^k in
 * expm1, hi-word range tests) the fast paths use the equivalent exact operations on doubles (multiplication by an
 * exact power of two from POW2 while the result stays normal, comparisons against asdouble(H << 32)); the test
 * suite checks the bits stay identical. Rare branches are split into helpers so that the hot functions stay small
 * enough for V8 to inline. The Payne-Hanek path of sin/cos (|x| >= 2^20 pi/2) uses BigInt for the 64-bit integer
 * arithmetic; it is rare. Cost: roughly that of the host's Math.* (0.8x-1.3x measured in V8 11.3).
 */
import { EXP_HEX, LOG1_HEX, LOG2_HEX, POWLOG_HEX } from "./detmath_tables.js";

// ---- bit access ----
const F = new Float64Array(1);
const U = new Uint32Array(F.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE ? 1 : 0;
const LO = LITTLE ? 0 : 1;

/** Double with high word `hi` and low word `lo` (u32 bit patterns). */
function fromWords(hi: number, lo: number): number {
  U[HI] = hi; U[LO] = lo; return F[0];
}
/** Double from 16 hex digits. */
function fromHex(h: string): number {
  return fromWords(parseInt(h.slice(0, 8), 16), parseInt(h.slice(8, 16), 16));
}
/** Extra results of helpers: OUT[0] + OUT[1] = x - n pi/2 (rem_pio2), OUT[2] = log tail (pow). A typed array, not
 * module-level `let`s, so that writing a double does not allocate a heap number. */
const OUT = new Float64Array(3);
function copysign(mag: number, sgn: number): number {
  F[0] = sgn; const s = U[HI] & 0x80000000;
  F[0] = mag; U[HI] = (U[HI] & 0x7fffffff) | s; return F[0];
}

// ---- tables (decoded once) ----
const EXP_TAIL = new Float64Array(128);   // T[2i] as double
const EXP_SHI = new Uint32Array(128);     // T[2i+1] high word
const EXP_SLO = new Uint32Array(128);     // T[2i+1] low word
for (let i = 0; i < 128; i++) {
  EXP_TAIL[i] = fromHex(EXP_HEX.slice(32 * i, 32 * i + 16));
  EXP_SHI[i] = parseInt(EXP_HEX.slice(32 * i + 16, 32 * i + 24), 16);
  EXP_SLO[i] = parseInt(EXP_HEX.slice(32 * i + 24, 32 * i + 32), 16);
}
const LOG_INVC = new Float64Array(128), LOG_LOGC = new Float64Array(128);
const LOG_CHI = new Float64Array(128), LOG_CLO = new Float64Array(128);
for (let i = 0; i < 128; i++) {
  LOG_INVC[i] = fromHex(LOG1_HEX.slice(32 * i, 32 * i + 16));
  LOG_LOGC[i] = fromHex(LOG1_HEX.slice(32 * i + 16, 32 * i + 32));
  LOG_CHI[i] = fromHex(LOG2_HEX.slice(32 * i, 32 * i + 16));
  LOG_CLO[i] = fromHex(LOG2_HEX.slice(32 * i + 16, 32 * i + 32));
}
const POW_INVC = new Float64Array(128), POW_LOGC = new Float64Array(128), POW_LOGCTAIL = new Float64Array(128);
for (let i = 0; i < 128; i++) {
  POW_INVC[i] = fromHex(POWLOG_HEX.slice(48 * i, 48 * i + 16));
  POW_LOGC[i] = fromHex(POWLOG_HEX.slice(48 * i + 16, 48 * i + 32));
  POW_LOGCTAIL[i] = fromHex(POWLOG_HEX.slice(48 * i + 32, 48 * i + 48));
}

// Exact powers of two 2^e for e in [-1074, 1023] (POW2[e + 1074]); multiplying by them is exact whenever the
// product is a normal number, which replaces exponent-field arithmetic on the fast paths.
const POW2 = new Float64Array(2098);
for (let e = -1022; e <= 1023; e++) POW2[e + 1074] = fromWords((e + 1023) << 20, 0);
for (let e = -1074; e < -1022; e++) POW2[e + 1074] = e < -1042 ? fromWords(0, 2 ** (e + 1074)) : fromWords(2 ** (e + 1042), 0);
// 2^(i/128) as a double: the table's sbits entry plus the i << 45 that the table pre-subtracted. For |k| < 1022*128,
// asdouble(sbits[i] + (k << 45)) = EXP_SCALE[i] * 2^(k >> 7) exactly (adding to the exponent field = scaling by 2^m).
const EXP_SCALE = new Float64Array(128);
for (let i = 0; i < 128; i++) EXP_SCALE[i] = fromWords((EXP_SHI[i] + (i << 13)) >>> 0, EXP_SLO[i]);

// ---- constants ----
const P2_M54 = fromHex("3c90000000000000");
const P2_52 = 4503599627370496;            // 0x1p52
const P2_27 = 134217728;                   // 0x1p27
const P2_54 = fromHex("4350000000000000"); // 0x1p54
const P2_1009 = fromHex("7f00000000000000");
const P2_M1022 = fromHex("0010000000000000");
const P2_1023 = fromHex("7fe0000000000000");

// exp_lut / exp_inline constants (N = 128)
const InvLn2N = fromHex("3ff71547652b82fe") * 128;
const NegLn2hiN = fromHex("bf762e42fefa0000");
const NegLn2loN = fromHex("bd0cf79abc9e3b3a");
const SHIFT = fromHex("4338000000000000"); // 0x1.8p52
const EC2 = fromHex("3fdffffffffffdbd"), EC3 = fromHex("3fc555555555543c");
const EC4 = fromHex("3fa55555cf172b91"), EC5 = fromHex("3f81111167a4d017");

/**
 * exp specialcase (512 <= |x| < 1024): the result scale*(1+tmp) may overflow or underflow. In AS the scale is
 * asdouble(sbits -/+ (1009 | 1022) << 52) with sbits = bits(2^(idx/128)) + (k << 45); the exponent of that double
 * is always in the normal range here, so it equals ±EXP_SCALE[idx] * 2^((k >> 7) - 1009) (k > 0) or
 * ±EXP_SCALE[idx] * 2^((k >> 7) + 1022) (k < 0), computed exactly with POW2. `neg` is the sign bit (pow's sign bias).
 */
function expSpecial(tmp: number, k: number, idx: number, neg: boolean): number { // see: musl/src/math/exp.c (specialcase)
  if (k >= 0) {
    // k > 0, the exponent of scale might have overflowed by <= 460.
    const s = EXP_SCALE[idx] * POW2[(k >> 7) - 1009 + 1074];
    const scale = neg ? -s : s;
    return P2_1009 * (scale + scale * tmp);
  }
  // k < 0, need special care in the subnormal range.
  const s = EXP_SCALE[idx] * POW2[(k >> 7) + 1022 + 1074];
  const scale = neg ? -s : s;
  let y = scale + scale * tmp;
  if (Math.abs(y) < 1.0) {
    // Round y to the right precision before scaling it into the subnormal range (avoids double rounding).
    const one = copysign(1.0, y);
    let lo = scale - y + scale * tmp;
    const hi = one + y;
    lo = one - hi + y + lo;
    y = (hi + lo) - one;
    if (y == 0.0) y = neg ? -0 : 0;
  }
  return y * P2_M1022;
}

/**
 * e^x. Special cases: exp(NaN) = NaN, exp(+Inf) = +Inf, exp(-Inf) = +0, |x| < 2^-54 -> 1; overflow to +Inf above
 * ~709.78, subnormal results down to ~-745.13. Accuracy ~0.51 ulp (musl).
 */
export function exp(x: number): number { // see: musl/src/math/exp.c (AS exp_lut)
  // abstop = biased exponent of x; AS tests abstop in [0x3c9, 0x408) (|x| in [2^-54, 512)) for the main path.
  const ax = Math.abs(x);
  if (!(ax >= P2_M54 && ax < 1024)) {
    if (ax < P2_M54) return 1;
    if (x !== x) return x;     // 1.0 + NaN
    return x > 0 ? Infinity : 0; // |x| >= 1024 (incl. ±Inf)
  }
  // exp(x) = 2^(k/N) * exp(r), x = k ln2/N + r, |r| <= ln2/2N. kd = round(x N/ln2) via the 0x1.8p52 shift;
  // AS reads k from the low word of kd + shift, which is kd itself once the shift is removed.
  let kd = InvLn2N * x + SHIFT;
  kd -= SHIFT;
  const k = kd | 0;
  const r = x + kd * NegLn2hiN + kd * NegLn2loN;
  const idx = k & 127;
  const r2 = r * r;
  const tmp = EXP_TAIL[idx] + r + r2 * (EC2 + r * EC3) + r2 * r2 * (EC4 + r * EC5);
  if (ax >= 512) return expSpecial(tmp, k, idx, false);
  // scale = asdouble(sbits) = EXP_SCALE[idx] * 2^(k >> 7) exactly since |k >> 7| <= 739.
  const scale = EXP_SCALE[idx] * POW2[(k >> 7) + 1074];
  return scale + scale * tmp;
}

/** Natural logarithm. log(±0) = -Inf, log(x<0) = NaN, log(+Inf) = +Inf, subnormals handled. ~0.52 ulp (musl). */
export function log(x: number): number { // see: musl/src/math/log.c (AS log_lut)
  // (The rare branches live in helpers so that this function stays small enough for the JIT to inline.)
  if (x >= LOG_NEAR1_LO && x < LOG_NEAR1_HI) return logNear1(x); // bits in [0x3fee0000_00000000, 0x3ff10900_00000000)
  if (!(x >= 2.2250738585072014e-308 && x < Infinity)) return logSpecial(x); // x < 0x1p-1022 or inf or nan
  return logCore(x, 0);
}

/** log for x near 1 (|x - 1| < 0x1p-4 roughly): log1p-style polynomial, worst-case error ~0.507 ulp. */
function logNear1(x: number): number { // see: musl/src/math/log.c
  const r = x - 1.0;
  const r2 = r * r;
  const r3 = r2 * r;
  const y =
    r3 * (LB1 + r * LB2 + r2 * LB3 +
    r3 * (LB4 + r * LB5 + r2 * LB6 +
    r3 * (LB7 + r * LB8 + r2 * LB9 + r3 * LB10)));
  let w = r * P2_27;
  const rhi = r + w - w;
  const rlo = r - rhi;
  w = rhi * rhi * LB0;
  const hi = r + w;
  let lo = r - hi + w;
  lo += LB0 * rlo * (rhi + r);
  return y + lo + hi;
}

/** log for x < 0x1p-1022 (zero, subnormal, negative), +Inf and NaN. */
function logSpecial(x: number): number { // see: musl/src/math/log.c
  if (x === 0) return -1.0 / (x * x);
  if (x === Infinity) return x;
  if (!(x > 0)) return (x - x) / (x - x);
  return logCore(x * P2_52, 52); // subnormal: normalize (AS: ix = asuint64(x * 0x1p52) - (52 << 52))
}

/** log(xs) - adj ln2 for normal positive xs (adj = 52 for a scaled subnormal). */
function logCore(xs: number, adj: number): number { // see: musl/src/math/log.c
  F[0] = xs;
  const tmp = (U[HI] - 0x3fe60000) | 0; // high word of ix - 0x3fe6000000000000 (as i64), before the -52 adjustment
  const i = (tmp >>> 13) & 127;
  const k0 = tmp >> 20;
  const kd = k0 - adj;
  const z = xs * POW2[1074 - k0]; // iz = ix - (k << 52): z in [0x1.6p-1, 0x1.6p0), exact
  const invc = LOG_INVC[i], logc = LOG_LOGC[i];
  // log(x) = log1p(z/c - 1) + log(c) + k ln2, r ~= z/c - 1, |r| < 1/(2N)
  const r = (z - LOG_CHI[i] - LOG_CLO[i]) * invc;
  const w = kd * Ln2hi + logc;
  const hi = w + r;
  const lo = w - hi + r + kd * Ln2lo;
  const r2 = r * r;
  return lo + r2 * LA0 + r * r2 * (LA1 + r * LA2 + r2 * (LA3 + r * LA4)) + hi;
}
const LB0 = fromHex("bfe0000000000000"), LB1 = fromHex("3fd5555555555577"), LB2 = fromHex("bfcffffffffffdcb");
const LB3 = fromHex("3fc999999995dd0c"), LB4 = fromHex("bfc55555556745a7"), LB5 = fromHex("3fc24924a344de30");
const LB6 = fromHex("bfbfffffa4423d65"), LB7 = fromHex("3fbc7184282ad6ca"), LB8 = fromHex("bfb999eb43b068ff");
const LB9 = fromHex("3fb78182f7afd085"), LB10 = fromHex("bfb5521375d145cd");
const LA0 = fromHex("bfe0000000000001"), LA1 = fromHex("3fd555555551305b"), LA2 = fromHex("bfcffffffffeb459");
const LA3 = fromHex("3fc999b324f10111"), LA4 = fromHex("bfc55575e506c89f");
const Ln2hi = fromHex("3fe62e42fefa3800"), Ln2lo = fromHex("3d2ef35793c76730");
const LOG_NEAR1_LO = fromHex("3fee000000000000"), LOG_NEAR1_HI = fromHex("3ff1090000000000");

// ---- pow ----
const PA0 = fromHex("bfe0000000000000"), PA1 = fromHex("bfe5555555555560"), PA2 = fromHex("3fe0000000000006");
const PA3 = fromHex("3fe999999959554e"), PA4 = fromHex("bfe555555529a47a"), PA5 = fromHex("bff2495b9b4845e9");
const PA6 = fromHex("3ff0002b8b263fc3");
const SIGN_BIAS = 0x800 << 7;

/** log(x) as y + logTail with ~15 extra bits; x given by its (normalized) bit pattern words. */
function powLog(hx: number, lx: number): number { // see: musl/src/math/pow.c (log_inline)
  const tmp = (hx - 0x3fe69555) | 0;
  const i = (tmp >>> 13) & 127;
  const k = tmp >> 20;
  const izhi = (hx - (tmp & 0xfff00000)) >>> 0;
  const z = fromWords(izhi, lx);
  const kd = k;
  const invc = POW_INVC[i], logc = POW_LOGC[i], logctail = POW_LOGCTAIL[i];
  // zhi = (iz + 0x80000000) & 0xffffffff00000000
  const zhi = fromWords(lx >= 0x80000000 ? (izhi + 1) >>> 0 : izhi, 0);
  const zlo = z - zhi;
  const rhi = zhi * invc - 1.0;
  const rlo = zlo * invc;
  const r = rhi + rlo;
  const t1 = kd * Ln2hi + logc;
  const t2 = t1 + r;
  const lo1 = kd * Ln2lo + logctail;
  const lo2 = t1 - t2 + r;
  const ar = PA0 * r;
  const ar2 = r * ar;
  const ar3 = r * ar2;
  const arhi = PA0 * rhi;
  const arhi2 = rhi * arhi;
  const hi = t2 + arhi2;
  const lo3 = rlo * (ar + arhi);
  const lo4 = t2 - hi + arhi2;
  const p = ar3 * (PA1 + r * PA2 + ar2 * (PA3 + r * PA4 + ar2 * (PA5 + r * PA6)));
  const lo = lo1 + lo2 + lo3 + lo4 + p;
  const y = hi + lo;
  OUT[2] = hi - y + lo; // log tail
  return y;
}

/** sign * exp(x + xtail), signBias = SIGN_BIAS (negative result) or 0. Same scheme as exp(). */
function powExp(x: number, xtail: number, signBias: number): number { // see: musl/src/math/pow.c (exp_inline)
  const ax = Math.abs(x);
  if (!(ax >= P2_M54 && ax < 1024)) {
    if (ax < P2_M54) return signBias ? -1.0 : 1.0;
    // uflow: xflow(sign, 0x1p-767), oflow: xflow(sign, 0x1p769); xflow(s, y) = (s ? -y : y) * y
    const v = x < 0 ? P2_M767 : P2_769;
    return (signBias ? -v : v) * v;
  }
  let kd = InvLn2N * x + SHIFT;
  kd -= SHIFT;
  const k = kd | 0;
  let r = x + kd * NegLn2hiN + kd * NegLn2loN;
  r += xtail;
  const idx = k & 127;
  const r2 = r * r;
  const tmp = EXP_TAIL[idx] + r + r2 * (EC2 + r * EC3) + r2 * r2 * (EC4 + r * EC5);
  if (ax >= 512) return expSpecial(tmp, k, idx, signBias !== 0);
  const s = EXP_SCALE[idx] * POW2[(k >> 7) + 1074];
  const scale = signBias ? -s : s; // (k + sign_bias) << 45 sets the sign bit of sbits
  return scale + scale * tmp;
}
const P2_M767 = fromHex("1000000000000000"), P2_769 = fromHex("7000000000000000");

/** 0 if y (finite, nonzero) is not an integer, 1 if odd integer, 2 if even integer. */
function checkint(y: number): number { // see: musl/src/math/pow.c (checkint)
  if (!Number.isInteger(y)) return 0;
  if (Math.abs(y) >= 9007199254740992) return 2;
  return y % 2 === 0 ? 2 : 1;
}

/**
 * x^y with JavaScript semantics (pow(1, ±Inf) = pow(±1, NaN)-style cases give NaN like Math.pow; pow(x, ±0) = 1).
 * Fast paths as in AS: y = 2 -> x*x, y = 0.5 -> |sqrt(x)| (Inf for x = -Inf), y = -1 -> 1/x, y = 1 -> x.
 */
export function pow(x: number, y: number): number { // see: musl/src/math/pow.c (AS NativeMath.pow + pow_lut)
  if (Math.abs(y) <= 2) {
    if (y == 2.0) return x * x;
    if (y == 0.5) return x != -Infinity ? Math.abs(Math.sqrt(x)) : Infinity;
    if (y == -1.0) return 1 / x;
    if (y == 1.0) return x;
    if (y == 0.0) return 1.0;
  }
  let signBias = 0;
  F[0] = x; let hx = U[HI], lx = U[LO];
  F[0] = y; const hy = U[HI], ly = U[LO];
  let topx = hx >>> 20;
  const topy = hy >>> 20;
  if (((topx - 0x001) >>> 0) >= 0x7ff - 0x001 || (((topy & 0x7ff) - 0x3be) >>> 0) >= 0x43e - 0x3be) {
    if (y === 0 || !Number.isFinite(y)) { // zeroinfnan(iy)
      if (y === 0) return 1.0;
      if (x === 1) return NaN;
      if (x !== x || y !== y) return x + y;
      if (Math.abs(x) === 1) return NaN;
      if ((Math.abs(x) < 1) === !(hy >>> 31)) return 0;
      return y * y;
    }
    if (x === 0 || !Number.isFinite(x)) { // zeroinfnan(ix)
      let x2 = x * x;
      if ((hx >>> 31) && checkint(y) == 1) x2 = -x2;
      return (hy >>> 31) ? 1 / x2 : x2;
    }
    // x and y are nonzero finite
    if (hx >>> 31) {
      const yint = checkint(y);
      if (yint == 0) return (x - x) / (x - x);
      if (yint == 1) signBias = SIGN_BIAS;
      hx &= 0x7fffffff;
      topx &= 0x7ff;
    }
    if ((((topy & 0x7ff) - 0x3be) >>> 0) >= 0x43e - 0x3be) {
      if (hx === 0x3ff00000 && lx === 0) return 1;
      if ((topy & 0x7ff) < 0x3be) return 1;
      const xgt1 = hx > 0x3ff00000 || (hx === 0x3ff00000 && lx > 0);
      return xgt1 === (topy < 0x800) ? Infinity : 0;
    }
    if (topx == 0) { // subnormal x: normalize so the exponent becomes negative
      F[0] = x * P2_52;
      hx = ((U[HI] & 0x7fffffff) - (52 << 20)) >>> 0;
      lx = U[LO];
    }
  }
  const hi = powLog(hx >>> 0, lx);
  const lo = OUT[2];
  const yhi = fromWords(hy, (ly & 0xf8000000) >>> 0);
  const ylo = y - yhi;
  F[0] = hi;
  const lhi = fromWords(U[HI], (U[LO] & 0xf8000000) >>> 0);
  const llo = hi - lhi + lo;
  const ehi = yhi * lhi;
  const elo = ylo * lhi + y * llo;
  return powExp(ehi, elo, signBias);
}

// ---- expm1, log1p, hyperbolic ----
const o_threshold = fromHex("40862e42fefa39ef");
const ln2_hi = fromHex("3fe62e42fee00000"), ln2_lo = fromHex("3dea39ef35793c76");
const invln2 = fromHex("3ff71547652b82fe");
const E1_4043687A = fromWords(0x4043687a, 0), E1_3FD62E43 = fromWords(0x3fd62e43, 0), E1_3FF0A2B2 = fromWords(0x3ff0a2b2, 0);
const Q1 = fromHex("bfa11111111110f4"), Q2 = fromHex("3f5a01a019fe5585"), Q3 = fromHex("bf14ce199eaadbb7");
const Q4 = fromHex("3ed0cfca86e65239"), Q5 = fromHex("be8afdb76e09c32d");

/** e^x - 1, accurate near 0. expm1(-Inf) = -1, expm1(NaN) = NaN, expm1(±0) = ±0. */
export function expm1(x: number): number { // see: musl/src/math/expm1.c
  // thresholds on hx = high word of |x|: hx >= H  <=>  |x| >= asdouble(H << 32); hx > H  <=>  |x| >= asdouble((H+1) << 32)
  const ax = Math.abs(x);
  let k = 0;
  if (!(ax < E1_4043687A)) {
    if (x !== x) return x;
    if (x < 0) return -1;
    if (x > o_threshold) return x * P2_1023;
  }
  let c = 0.0, t: number;
  if (ax >= E1_3FD62E43) {
    k = ax < E1_3FF0A2B2 ? (x < 0 ? -1 : 1) : (invln2 * x + (x < 0 ? -0.5 : 0.5)) | 0;
    t = k;
    const hi = x - t * ln2_hi;
    const lo = t * ln2_lo;
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (ax < P2_M54) return x; // hx < 0x3c900000
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const hxq = hxs * hxs;
  const r1 = (1.0 + hxs * Q1) + hxq * ((Q2 + hxs * Q3) + hxq * (Q4 + hxs * Q5));
  t = 3.0 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6.0 - x * t));
  if (k == 0) return x - (x * e - hxs);
  e = x * (e - c) - c;
  e -= hxs;
  if (k == -1) return 0.5 * (x - e) - 0.5;
  if (k == 1) {
    if (x < -0.25) return -2.0 * (e - (x + 0.5));
    return 1.0 + 2.0 * (x - e);
  }
  return expm1Tail(x, e, k);
}

/** Reconstruction of expm1 for |k| >= 2: 2^k (1 + x - e) - 1 with the rounding order of AS (see tests). */
function expm1Tail(x: number, e: number, k: number): number { // see: musl/src/math/expm1.c
  let y: number;
  if (k < 0 || k > 56) {
    y = x - e + 1.0;
    if (k == 1024) y = y * 2.0 * P2_1023;
    else y = y * POW2[k + 1074]; // twopk = 2^k
    return y - 1.0;
  }
  y = POW2[1074 - k]; // 2^-k
  if (k < 20) y = (1 - y) - e;
  else y = 1 - (e + y);
  return (x + y) * POW2[k + 1074];
}

const Lg1 = fromHex("3fe5555555555593"), Lg2 = fromHex("3fd999999997fa04"), Lg3 = fromHex("3fd2492494229359");
const Lg4 = fromHex("3fcc71c51d8e78af"), Lg5 = fromHex("3fc7466496cb03de"), Lg6 = fromHex("3fc39a09d078c69f");
const Lg7 = fromHex("3fc2f112df3e5244");

/** log(1 + x), accurate near 0. log1p(-1) = -Inf, log1p(x < -1) = NaN. */
export function log1p(x: number): number { // see: musl/src/math/log1p.c
  F[0] = x;
  const hx = U[HI];
  let k = 1;
  let c = 0.0, f = 0.0;
  if (hx < 0x3fda827a || (hx >>> 31)) {
    if (hx >= 0xbff00000) {
      if (x == -1) return x / 0.0;
      return (x - x) / 0.0;
    }
    if (((hx << 1) >>> 0) < ((0x3ca00000 << 1) >>> 0)) return x;
    if (hx <= 0xbfd2bec4) {
      k = 0; c = 0; f = x;
    }
  } else if (hx >= 0x7ff00000) return x;
  if (k) {
    const uf = 1 + x;
    F[0] = uf;
    let hu = U[HI];
    const lu = U[LO];
    hu = (hu + (0x3ff00000 - 0x3fe6a09e)) >>> 0;
    k = (hu >>> 20) - 0x3ff;
    if (k < 54) {
      c = k >= 2 ? 1 - (uf - x) : x - (uf - 1);
      c /= uf;
    } else c = 0;
    hu = (hu & 0x000fffff) + 0x3fe6a09e;
    f = fromWords(hu, lu) - 1;
  }
  const hfsq = 0.5 * f * f;
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  const r = t2 + t1;
  const dk = k;
  return s * (hfsq + r) + (dk * ln2_lo + c) - hfsq + f + dk * ln2_hi;
}

const kln2 = fromHex("40962066151add8b");
const H_3FE62E42 = fromWords(0x3fe62e42, 0), H_3E500000 = fromWords(0x3e500000, 0), H_40862E42 = fromWords(0x40862e42, 0);
/** exp(x)/2 * sign-ish scaling for x >= log(DBL_MAX): exp(x - k ln2) * (sign * 2^1021) * 2^1021. */
function expo2(x: number, sign: number): number { // see: musl/src/math/__expo2.c
  const scale = fromWords((0x3ff + 1021) << 20, 0); // k = 2043, k/2 = 1021
  return exp(x - kln2) * (sign * scale) * scale;
}

/** cosh(x) = (e^x + e^-x)/2. cosh(±Inf) = +Inf, cosh(NaN) = NaN. */
export function cosh(x: number): number { // see: musl/src/math/cosh.c
  x = Math.abs(x); // thresholds: w < H  <=>  |x| < asdouble(H << 32)
  let t: number;
  if (x < H_3FE62E42) {
    if (x < H_3E500000) return 1;
    t = expm1(x);
    return 1 + t * t / (2 + 2 * t);
  }
  if (x < H_40862E42) {
    t = exp(x);
    return 0.5 * (t + 1 / t);
  }
  return expo2(x, 1);
}

/** sinh(x) = (e^x - e^-x)/2. Odd; sinh(±Inf) = ±Inf. */
export function sinh(x: number): number { // see: musl/src/math/sinh.c
  const a = Math.abs(x);
  const h = x < 0 ? -0.5 : 0.5; // copysign(0.5, x); x = -0 returns early, NaN gives NaN either way
  if (a < H_40862E42) {
    const t = expm1(a);
    if (a < 1) {
      if (a < H_3E500000) return x;
      return h * (2 * t - t * t / (t + 1));
    }
    return h * (t + t / (t + 1));
  }
  return expo2(a, 2 * h);
}

/** tanh(x). Odd; tanh(±Inf) = ±1. */
export function tanh(x: number): number { // see: musl/src/math/tanh.c
  const y = Math.abs(x);
  F[0] = y;
  const w = U[HI];
  let t: number;
  if (w > 0x3fe193ea) {
    if (w > 0x40340000) {
      t = 1 - 0 / y;
    } else {
      t = expm1(2 * y);
      t = 1 - 2 / (t + 2);
    }
  } else if (w > 0x3fd058ae) {
    t = expm1(2 * y);
    t = t / (t + 2);
  } else if (w >= 0x00100000) {
    t = expm1(-2 * y);
    t = -t / (t + 2);
  } else t = y;
  return copysign(t, x);
}

// ---- trigonometric ----
const S1 = fromHex("bfc5555555555549"), S2 = fromHex("3f8111111110f8a6"), S3 = fromHex("bf2a01a019c161d5");
const S4 = fromHex("3ec71de357b1fe7d"), S5 = fromHex("be5ae5e68a2b9ceb"), S6 = fromHex("3de5d93a5acfd57c");
function sinKern(x: number, y: number, iy: number): number { // see: musl/src/math/__sin.c
  const z = x * x;
  const w = z * z;
  const r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
  const v = z * x;
  if (!iy) return x + v * (S1 + z * r);
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}
const C1 = fromHex("3fa555555555554c"), C2 = fromHex("bf56c16c16c15177"), C3 = fromHex("3efa01a019cb1590");
const C4 = fromHex("be927e4f809c52ad"), C5 = fromHex("3e21ee9ebdb4b1c4"), C6 = fromHex("bda8fae9be8838d4");
function cosKern(x: number, y: number): number { // see: musl/src/math/__cos.c
  const z = x * x;
  let w = z * z;
  const r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
  const hz = 0.5 * z;
  w = 1.0 - hz;
  return w + (((1.0 - w) - hz) + (z * r - x * y));
}

const pio2_1 = fromHex("3ff921fb54400000"), pio2_1t = fromHex("3dd0b4611a626331");
const pio2_2 = fromHex("3dd0b4611a600000"), pio2_2t = fromHex("3ba3198a2e037073");
const pio2_3 = fromHex("3ba3198a2e000000"), pio2_3t = fromHex("397b839a252049c1");
const invpio2 = fromHex("3fe45f306dc9c883");

/**
 * Argument reduction x = n*pi/2 + (OUT[0] + OUT[1]), |OUT[0] + OUT[1]| <= ~pi/4. Returns n (as i32).
 * |x| < 3pi/4: one step; |x| < 2^20 pi/2: Cody-Waite with 3-part pi/2 (up to 151 bits); else Payne-Hanek.
 */
function remPio2(x: number, ax: number): number { // see: musl/src/math/__rem_pio2.c
  // Thresholds on the high word ix of |x| are written as ix < H  <=>  |x| < asdouble(H << 32).
  if (ax < RP_3PIO4) return remPio2Small(x, ax); // ix < 0x4002d97c: |x| < 3pi/4, n = ±1
  if (ax < RP_MEDIUM) return remPio2Medium(x);   // ix < 0x413921fb: |x| ~< 2^20 pi/2, Cody-Waite
  F[0] = x;
  const q = pio2LargeQuot(U[HI], U[LO]);         // Payne-Hanek
  return x < 0 ? -q : q;
}

/** rem_pio2 for pi/4 < |x| < 3pi/4: n = ±1, 33+53-bit (or 33+33+53-bit near pi/2) pi/2. */
function remPio2Small(x: number, ax: number): number { // see: musl/src/math/__rem_pio2.c
  let z: number, y0: number, y1: number;
  const notNearPio2 = !(ax >= RP_PIO2_LO && ax < RP_PIO2_HI); // ix != 0x3ff921fb
  if (!(x < 0)) {
    z = x - pio2_1;
    if (notNearPio2) {
      y0 = z - pio2_1t;
      y1 = (z - y0) - pio2_1t;
    } else {
      z -= pio2_2;
      y0 = z - pio2_2t;
      y1 = (z - y0) - pio2_2t;
    }
    OUT[0] = y0; OUT[1] = y1;
    return 1;
  }
  z = x + pio2_1;
  if (notNearPio2) {
    y0 = z + pio2_1t;
    y1 = (z - y0) + pio2_1t;
  } else {
    z += pio2_2;
    y0 = z + pio2_2t;
    y1 = (z - y0) + pio2_2t;
  }
  OUT[0] = y0; OUT[1] = y1;
  return -1;
}

/** rem_pio2 for 3pi/4 <= |x| < 2^20 pi/2: Cody-Waite with pi/2 in 3 parts (85, 118 or 151 bits as needed). */
function remPio2Medium(x: number): number { // see: musl/src/math/__rem_pio2.c
  const q = (x * invpio2 + SHIFT) - SHIFT; // nearest, ties to even (|x * 2/pi| < 2^21)
  let r = x - q * pio2_1;
  let w = q * pio2_1t;
  F[0] = x;
  const j = (U[HI] >>> 20) & 0x7ff; // biased exponent of x, >= 0x400
  let y0 = r - w;
  // i = j - exponent(y0) > 16  <=>  |y0| < 2^(j - 16 - 1023)  (exponent(y0) <= j as |y0| <= pi/4 < |x|)
  if (Math.abs(y0) < POW2[j - 16 - 1023 + 1074]) { // 2nd iteration, good to 118 bits
    let t = r;
    w = q * pio2_2;
    r = t - w;
    w = q * pio2_2t - ((t - r) - w);
    y0 = r - w;
    if (Math.abs(y0) < POW2[j - 49 - 1023 + 1074]) { // i > 49: 3rd iteration, 151 bits
      t = r;
      w = q * pio2_3;
      r = t - w;
      w = q * pio2_3t - ((t - r) - w);
      y0 = r - w;
    }
  }
  OUT[0] = y0;
  OUT[1] = (r - y0) - w;
  return q | 0;
}
const RP_3PIO4 = fromWords(0x4002d97c, 0), RP_PIO2_LO = fromWords(0x3ff921fb, 0), RP_PIO2_HI = fromWords(0x3ff921fc, 0);
const RP_MEDIUM = fromWords(0x413921fb, 0);
const PIO4_HI = fromWords(0x3fe921fc, 0); // ix <= 0x3fe921fb  <=>  |x| < PIO4_HI
const P2_M26 = fromWords(0x3e500000, 0), COS_TINY = fromWords(0x3e46a09e, 0);

// Payne-Hanek (AS port of jdh8/metallic rem_pio2.c), 64-bit integer arithmetic done in BigInt, reduced mod 2^64.
const M64 = (1n << 64n) - 1n;
const PIO2_TABLE = [
  0x00000000A2F9836En, 0x4E441529FC2757D1n, 0xF534DDC0DB629599n, 0x3C439041FE5163ABn,
  0xDEBBC561B7246E3An, 0x424DD2E006492EEAn, 0x09D1921CFE1DEB1Cn, 0xB129A73EE88235F5n,
  0x2EBB4484E99C7026n, 0xB45F7E413991D639n, 0x835339F49C845F8Bn, 0xBDF9283B1FF897FFn,
  0xDE05980FEF2F118Bn, 0x5A0A6D1F6D367ECFn, 0x27CB09B74F463F66n, 0x9E5FEA2D7527BAC7n,
  0xEBE5F17B3D0739F7n, 0x8A5292EA6BFB5FB1n, 0x1F8D5D0856033046n, 0xFC7B6BABF0CFBC20n,
  0x9AF4361DA9E39161n, 0x5EE61B086599855Fn, 0x14A068408DFFD880n, 0x4D73273106061557n,
];
const P2_M64 = fromHex("3bf0000000000000"), P2_M75 = fromHex("3b40000000000000");
function clz64(q: bigint): bigint {
  return q === 0n ? 64n : BigInt(64 - q.toString(2).length);
}
function shl64(a: bigint, s: bigint): bigint { return (a << (s & 63n)) & M64; } // wasm i64.shl semantics
function shr64(a: bigint, s: bigint): bigint { return a >> (s & 63n); }          // wasm i64.shr_u (a unsigned)
function sar64(a: bigint, s: bigint): bigint { return BigInt.asUintN(64, BigInt.asIntN(64, a) >> (s & 63n)); }
function bitsToF64(b: bigint): number {
  return fromWords(Number(b >> 32n), Number(b & 0xffffffffn));
}

function pio2Right(q0: bigint, q1: bigint): bigint { // see: jdh8/metallic/blob/master/src/math/double/rem_pio2.c
  const p0 = 0xC4C6628B80DC1CD1n, p1 = 0xC90FDAA22168C234n; // bits of pi/4
  const shift = clz64(q1);
  q1 = shl64(q1, shift) | shr64(q0, 64n - shift);
  q0 = shl64(q0, shift);
  const prod = p1 * q1;
  const lo = prod & M64, hi = prod >> 64n;
  const ahi = hi >> 11n;
  const alo = shr64(lo, 11n) | shl64(hi, 53n);
  const blo = BigInt(Math.trunc(P2_M75 * Number(p0) * Number(q1) + P2_M75 * Number(p1) * Number(q0)));
  OUT[0] = Number((ahi + (lo < blo ? 1n : 0n)) & M64);
  OUT[1] = P2_M64 * Number((alo + blo) & M64);
  return shift;
}

function pio2LargeQuot(hx: number, lx: number): number { // see: jdh8/metallic/blob/master/src/math/double/rem_pio2.c
  const u = (BigInt(hx >>> 0) << 32n) | BigInt(lx >>> 0);
  const magnitude = u & 0x7FFFFFFFFFFFFFFFn;
  const offset = (magnitude >> 52n) - 1045n; // may be -2 or -1 for 2^20 <= |x| < 2^22
  const shift = offset & 63n;
  const ti = Number(offset >> 6n);
  // Entries before the table (ti = -1) only feed bits that the products below shift out of the low 64 bits.
  const tb = (j: number): bigint => (ti + j < 0 ? 0n : PIO2_TABLE[ti + j]);
  const b0 = tb(0), b1 = tb(1), b2 = tb(2);
  let s0: bigint, s1: bigint, s2: bigint;
  if (shift) {
    const rshift = 64n - shift;
    const b3 = tb(3);
    s0 = shr64(b1, rshift) | shl64(b0, shift);
    s1 = shr64(b2, rshift) | shl64(b1, shift);
    s2 = shr64(b3, rshift) | shl64(b2, shift);
  } else {
    s0 = b0; s1 = b1; s2 = b2;
  }
  const significand = (u & 0x000FFFFFFFFFFFFFn) | 0x0010000000000000n;
  const bprod = s1 * significand;
  const blo = bprod & M64, bhi = bprod >> 64n;
  const ahi = (s0 * significand) & M64;
  const clo = (s2 >> 32n) * (significand >> 32n);
  const plo = (blo + clo) & M64;
  const phi = (ahi + bhi + (plo < clo ? 1n : 0n)) & M64;
  const rlo = shl64(plo, 2n);
  const rhi = shl64(phi, 2n) | shr64(plo, 62n);
  const slo = sar64(rhi, 63n);
  const shi = sar64(slo, 1n);
  const q = BigInt.asIntN(64, BigInt.asIntN(64, phi) >> 62n) - BigInt.asIntN(64, slo);
  const sh = pio2Right(rlo ^ slo, rhi ^ shi);
  const shifter = (0x3CB0000000000000n - (sh << 52n)) & M64;
  const sgn = (u ^ rhi) & 0x8000000000000000n;
  const coeff = bitsToF64(shifter | sgn);
  OUT[0] *= coeff;
  OUT[1] *= coeff;
  return Number(BigInt.asIntN(32, q));
}

/** sin(x). sin(±0) = ±0, sin(±Inf) = sin(NaN) = NaN. Exact argument reduction for all finite x. */
export function sin(x: number): number { // see: musl/src/math/sin.c
  const ax = Math.abs(x);
  if (ax < PIO4_HI) { // |x| ~< pi/4
    if (ax < P2_M26) return x; // |x| < 2^-26
    return sinKern(x, 0.0, 0);
  }
  if (!(ax < Infinity)) return x - x;
  const n = remPio2(x, ax);
  const y0 = OUT[0], y1 = OUT[1];
  const r = n & 1 ? cosKern(y0, y1) : sinKern(y0, y1, 1);
  return n & 2 ? -r : r;
}

/** cos(x). cos(±0) = 1, cos(±Inf) = cos(NaN) = NaN. Exact argument reduction for all finite x. */
export function cos(x: number): number { // see: musl/src/math/cos.c
  const ax = Math.abs(x);
  if (ax < PIO4_HI) {
    if (ax < COS_TINY) return 1.0; // |x| < 2^-27 * sqrt(2)
    return cosKern(x, 0);
  }
  if (!(ax < Infinity)) return x - x;
  const n = remPio2(x, ax);
  const y0 = OUT[0], y1 = OUT[1];
  const r = n & 1 ? sinKern(y0, y1, 1) : cosKern(y0, y1);
  return (n + 1) & 2 ? -r : r;
}

// ---- inverse trigonometric ----
const atanhi0 = fromHex("3fddac670561bb4f"), atanhi1 = fromHex("3fe921fb54442d18");
const atanhi2 = fromHex("3fef730bd281f69b"), atanhi3 = fromHex("3ff921fb54442d18");
const atanlo0 = fromHex("3c7a2b7f222f65e2"), atanlo1 = fromHex("3c81a62633145c07");
const atanlo2 = fromHex("3c7007887af0cbbd"), atanlo3 = fromHex("3c91a62633145c07");
const aT0 = fromHex("3fd555555555550d"), aT1 = fromHex("bfc999999998ebc4"), aT2 = fromHex("3fc24924920083ff");
const aT3 = fromHex("bfbc71c6fe231671"), aT4 = fromHex("3fb745cdc54c206e"), aT5 = fromHex("bfb3b0f2af749a6d");
const aT6 = fromHex("3fb10d66a0d03d51"), aT7 = fromHex("bfadde2d52defd9a"), aT8 = fromHex("3fa97b4b24760deb");
const aT9 = fromHex("bfa2b4442c6a6c2f"), aT10 = fromHex("3f90ad3ae322da11");
const P2_M120 = fromHex("3870000000000000"); // f32 0x03800000 = 0x1p-120 promoted

/** atan(x) in [-pi/2, pi/2]. atan(±Inf) = ±pi/2, atan(NaN) = NaN. */
export function atan(x: number): number { // see: musl/src/math/atan.c
  F[0] = x;
  const ix = U[HI] & 0x7fffffff;
  const sx = x;
  let z: number;
  if (ix >= 0x44100000) { // |x| >= 2^66
    if (x !== x) return x;
    z = atanhi3 + P2_M120;
    return copysign(z, sx);
  }
  let id: number;
  if (ix < 0x3fdc0000) { // |x| < 0.4375
    if (ix < 0x3e400000) return x;
    id = -1;
  } else {
    x = Math.abs(x);
    if (ix < 0x3ff30000) {
      if (ix < 0x3fe60000) { id = 0; x = (2.0 * x - 1.0) / (2.0 + x); }
      else { id = 1; x = (x - 1.0) / (x + 1.0); }
    } else if (ix < 0x40038000) { id = 2; x = (x - 1.5) / (1.0 + 1.5 * x); }
    else { id = 3; x = -1.0 / x; }
  }
  z = x * x;
  const w = z * z;
  const s1 = z * (aT0 + w * (aT2 + w * (aT4 + w * (aT6 + w * (aT8 + w * aT10)))));
  const s2 = w * (aT1 + w * (aT3 + w * (aT5 + w * (aT7 + w * aT9))));
  const s3 = x * (s1 + s2);
  if (id < 0) return x - s3;
  if (id === 0) z = atanhi0 - ((s3 - atanlo0) - x);
  else if (id === 1) z = atanhi1 - ((s3 - atanlo1) - x);
  else if (id === 2) z = atanhi2 - ((s3 - atanlo2) - x);
  else z = atanhi3 - ((s3 - atanlo3) - x);
  return copysign(z, sx);
}

const PI = Math.PI;
const pi_lo = fromHex("3ca1a62633145c07");
/** atan2(y, x) in [-pi, pi], with the C99/ECMAScript special cases for zeros and infinities. */
export function atan2(y: number, x: number): number { // see: musl/src/math/atan2.c
  if (x !== x || y !== y) return x + y;
  F[0] = x; let ix = U[HI]; const lx = U[LO];
  F[0] = y; let iy = U[HI]; const ly = U[LO];
  if ((((ix - 0x3ff00000) >>> 0) | lx) === 0) return atan(y);
  const m = ((iy >>> 31) & 1) | ((ix >>> 30) & 2);
  ix = ix & 0x7fffffff;
  iy = iy & 0x7fffffff;
  if ((iy | ly) === 0) {
    switch (m) {
      case 0: case 1: return y;
      case 2: return PI;
      default: return -PI;
    }
  }
  if ((ix | lx) === 0) return m & 1 ? -PI / 2 : PI / 2;
  if (ix == 0x7ff00000) {
    if (iy == 0x7ff00000) {
      const t = m & 2 ? 3 * PI / 4 : PI / 4;
      return m & 1 ? -t : t;
    } else {
      const t = m & 2 ? PI : 0;
      return m & 1 ? -t : t;
    }
  }
  let z: number;
  if (ix + (64 << 20) < iy || iy == 0x7ff00000) return m & 1 ? -PI / 2 : PI / 2;
  if ((m & 2) && iy + (64 << 20) < ix) z = 0;
  else z = atan(Math.abs(y / x));
  switch (m) {
    case 0: return z;
    case 1: return -z;
    case 2: return PI - (z - pi_lo);
    default: return (z - pi_lo) - PI;
  }
}

// ---- cbrt, hypot ----
const B1 = 715094163, B2 = 696219795;
const CP0 = fromHex("3ffe03e60f61e692"), CP1 = fromHex("bffe28e092f02420"), CP2 = fromHex("3ff9f1604a49d6c2");
const CP3 = fromHex("bfe844cbbee751d9"), CP4 = fromHex("3fc2b000d4e4edd7");
/** Real cube root. cbrt(-x) = -cbrt(x); cbrt(±0) = ±0, cbrt(±Inf) = ±Inf. */
export function cbrt(x: number): number { // see: musl/src/math/cbrt.c
  F[0] = x;
  let uhi = U[HI];
  let hx = uhi & 0x7fffffff;
  if (hx >= 0x7ff00000) return x + x;
  if (hx < 0x00100000) {
    F[0] = x * P2_54;
    uhi = U[HI];
    hx = uhi & 0x7fffffff;
    if (hx == 0) return x;
    hx = Math.floor(hx / 3) + B2;
  } else {
    hx = Math.floor(hx / 3) + B1;
  }
  let t = fromWords(((uhi & 0x80000000) | hx) >>> 0, 0);
  let r = (t * t) * (t / x);
  t = t * ((CP0 + r * (CP1 + r * CP2)) + ((r * r) * r) * (CP3 + r * CP4));
  // round t away from zero to 23 bits: (bits(t) + 0x80000000) & 0xffffffffc0000000
  F[0] = t;
  let thi = U[HI];
  const tlo = U[LO] + 0x80000000;
  if (tlo > 0xffffffff) thi = (thi + 1) >>> 0;
  t = fromWords(thi, (tlo & 0xc0000000) >>> 0);
  const s = t * t;
  r = x / s;
  r = (r - t) / (2 * t + r);
  t = t + t * r;
  return t;
}

const SPLIT = P2_27 + 1;
const P2_700 = fromHex("6bb0000000000000"), P2_M700 = fromHex("1430000000000000");
/** sqrt(x^2 + y^2) without undue overflow/underflow. hypot(±Inf, NaN) = +Inf. Two arguments only. */
export function hypot(x: number, y: number): number { // see: musl/src/math/hypot.c
  x = Math.abs(x);
  y = Math.abs(y);
  if (x !== x || y !== y) { // AS orders |x|, |y| by bit pattern (NaN above Inf): Inf wins over NaN, else NaN
    return x === Infinity || y === Infinity ? Infinity : NaN;
  }
  if (x < y) { const t = x; x = y; y = t; } // for non-NaN values the bit order is the value order
  if (y === Infinity) return y;
  if (x === Infinity || y === 0) return x;
  F[0] = x; const ex = U[HI] >>> 20;
  F[0] = y; const ey = U[HI] >>> 20;
  if (ex - ey > 64) return x + y;
  let z = 1.0;
  if (ex > 0x3ff + 510) {
    z = P2_700; x *= P2_M700; y *= P2_M700;
  } else if (ey < 0x3ff - 450) {
    z = P2_M700; x *= P2_700; y *= P2_700;
  }
  let c = x * SPLIT;
  let h = x - c + c;
  let l = x - h;
  const hxx = x * x;
  const lxx = h * h - hxx + (2 * h + l) * l;
  c = y * SPLIT;
  h = y - c + c;
  l = y - h;
  const hyy = y * y;
  const lyy = h * h - hyy + (2 * h + l) * l;
  return z * Math.sqrt(lyy + lxx + hyy + hxx);
}

/** x * x. Use instead of `x ** 2`, whose rounding the language leaves to the engine (it is Math.pow). */
export function sq(x: number): number {
  return x * x;
}
