// Scalar exports of AssemblyScript's NativeMath (a port of musl libm, compiled into the core), used by
// test/detmath.test.ts to check that src/math/detmath.ts is bit-identical to the WASM core's elementary functions.
// Pure functions: no memory access, no state.
export function math_exp_f64(x: f64): f64 { return Math.exp(x); }
export function math_expm1_f64(x: f64): f64 { return Math.expm1(x); }
export function math_log_f64(x: f64): f64 { return Math.log(x); }
export function math_log1p_f64(x: f64): f64 { return Math.log1p(x); }
export function math_sin_f64(x: f64): f64 { return Math.sin(x); }
export function math_cos_f64(x: f64): f64 { return Math.cos(x); }
export function math_sinh_f64(x: f64): f64 { return Math.sinh(x); }
export function math_cosh_f64(x: f64): f64 { return Math.cosh(x); }
export function math_tanh_f64(x: f64): f64 { return Math.tanh(x); }
export function math_atan_f64(x: f64): f64 { return Math.atan(x); }
export function math_atan2_f64(y: f64, x: f64): f64 { return Math.atan2(y, x); }
export function math_pow_f64(x: f64, y: f64): f64 { return Math.pow(x, y); }
export function math_cbrt_f64(x: f64): f64 { return Math.cbrt(x); }
export function math_hypot_f64(x: f64, y: f64): f64 { return Math.hypot(x, y); }
