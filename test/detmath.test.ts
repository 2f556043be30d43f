// src/math/detmath.ts (deterministic elementary functions in plain IEEE double arithmetic):
// (a) bit-exact equality with the WASM core's NativeMath (AssemblyScript's independent port of musl, exported by
//     assembly/math/nativemath_exports.ts) on ~20k inputs per function spanning all binades, both signs, subnormals,
//     points near multiples of pi/2 and huge arguments (Payne-Hanek path) — NaN results compare as "both NaN";
// (b) within 1 ulp of the host's Math.* (musl claims < 1 ulp, hosts claim < 1 ulp, so |a - b| < 2 ulp is the provable
//     bound; in practice both are ~0.5 ulp and differ by at most 1 — we assert <= 1 ulp, except expm1/sinh: see there);
// (c) special values (NaN, ±Inf, ±0, subnormals, overflow/underflow thresholds) against the ECMAScript spec results.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, testRng } from "./helpers.js";
import * as dm from "../src/math/detmath.js";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const SEED = 20261125;

/** Distance in units in the last place of ref (the ulp of the binade of ref, subnormal ulp = 2^-1074). */
function ulps(a: number, ref: number): number {
  if (Object.is(a, ref) || a === ref) return 0;
  if (Number.isNaN(a) || Number.isNaN(ref)) return Number.isNaN(a) && Number.isNaN(ref) ? 0 : Infinity;
  if (!Number.isFinite(a) || !Number.isFinite(ref)) return Infinity;
  const m = Math.abs(ref);
  const e = m === 0 ? -1074 : Math.max(Math.floor(Math.log2(m)) - 52, -1074);
  return Math.abs(a - ref) / 2 ** e;
}

const F = new Float64Array(1), U = new Uint32Array(F.buffer);
function fromBits(hi: number, lo: number): number {
  const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  U[le ? 1 : 0] = hi; U[le ? 0 : 1] = lo; return F[0];
}
function sameBits(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

/** ~20k inputs: random bit patterns (all binades, both signs, subnormals, Inf/NaN), uniform samples over the
 * function's interesting range, and points just around multiples of pi/2 (and of ln2/128 for exp). */
function inputs(seed: number, range: number, n = 20000): Float64Array {
  const r = testRng(seed);
  const x = new Float64Array(n);
  const specials = [0, -0, Infinity, -Infinity, NaN, 1, -1, 0.5, -0.5, 2, 5e-324, -5e-324, 2.2250738585072014e-308,
    1.7976931348623157e308, -1.7976931348623157e308, 709.782712893384, 709.79, -708.4, -745.1332191019411, -745.2,
    Math.PI / 4, Math.PI / 2, Math.PI, 1e22, 2 ** 20 * Math.PI / 2, 2 ** 21, 2 ** 22, 1e300, 0.9999999999999999,
    1.0000000000000002, 0.75, 1.5, 3, 1e-300, 2 ** -27, 2 ** -54, 0.4375, 2.4375, 22, 38.8, 56 * Math.LN2];
  let i = 0;
  for (const s of specials) { x[i++] = s; if (i < n) x[i++] = -s; }
  for (let k = 0; k < 300; k++) x[i++] = fromBits((r() < 0.5 ? 0x80000000 : 0) | Math.floor(r() * 0x100000), Math.floor(r() * 2 ** 32)); // subnormals
  for (; i < n; i++) {
    const kind = i % 4;
    if (kind === 0) x[i] = fromBits(Math.floor(r() * 2 ** 32), Math.floor(r() * 2 ** 32));         // any pattern
    else if (kind === 1) x[i] = (2 * r() - 1) * range;                                                // main range
    else if (kind === 2) x[i] = (2 * r() - 1) * Math.min(range, 4) * (r() < 0.5 ? 1 : 2 ** -Math.floor(60 * r()));
    else x[i] = Math.round((2 * r() - 1) * 2000) * Math.PI / 2 * (1 + (r() - 0.5) * 2 ** -40) + (r() - 0.5) * 1e-9;
  }
  return x;
}

type Unary = (x: number) => number;
type Binary = (x: number, y: number) => number;
const UNARY: [string, Unary, Unary, number][] = [
  ["exp", dm.exp, Math.exp, 750], ["expm1", dm.expm1, Math.expm1, 750], ["log", dm.log, Math.log, 1e6],
  ["log1p", dm.log1p, Math.log1p, 1e6], ["sin", dm.sin, Math.sin, 1e6], ["cos", dm.cos, Math.cos, 1e6],
  ["sinh", dm.sinh, Math.sinh, 720], ["cosh", dm.cosh, Math.cosh, 720], ["tanh", dm.tanh, Math.tanh, 30],
  ["atan", dm.atan, Math.atan, 1e3], ["cbrt", dm.cbrt, Math.cbrt, 1e6],
];
const BINARY: [string, Binary, Binary][] = [["atan2", dm.atan2, Math.atan2], ["pow", dm.pow, Math.pow], ["hypot", dm.hypot, Math.hypot]];

// For log-family the main range should include (0, range) mostly positive values; inputs() covers both signs anyway.
test("detmath: bit-identical to the WASM core's NativeMath (musl port) on ~20k inputs per unary function", async () => {
  const x = (await engine()).core.x as unknown as Record<string, Unary>;
  for (const [name, f, , range] of UNARY) {
    const xs = inputs(SEED + name.length * 7919, range);
    if (name === "log" || name === "log1p" || name === "cbrt") for (let i = 1; i < xs.length; i += 3) xs[i] = Math.abs(xs[i]);
    const wasm = x[`math_${name}_f64`];
    let bad = 0, first = "";
    for (const v of xs) {
      const a = f(v), b = wasm(v);
      if (!sameBits(a, b)) { if (!bad) first = `${name}(${v}) = ${a}, NativeMath ${b}`; bad++; }
    }
    assert.is(bad, 0, `seed ${SEED}: ${bad}/${xs.length} mismatches, first: ${first}`);
  }
});

test("detmath: bit-identical to NativeMath for atan2, pow, hypot on ~20k pairs each", async () => {
  const x = (await engine()).core.x as unknown as Record<string, Binary>;
  const r = testRng(SEED + 1);
  for (const [name, f] of BINARY) {
    const a0 = inputs(SEED + 2 + name.length, 1e3), b0 = inputs(SEED + 3 + name.length, 1e3);
    const wasm = x[`math_${name}_f64`];
    let bad = 0, first = "";
    for (let i = 0; i < a0.length; i++) {
      let u = a0[i], v = b0[(i * 7) % b0.length];
      if (name === "pow") {
        // mostly positive bases with exponents of moderate size, plus integer exponents for negative bases
        const k = i % 5;
        if (k === 0) u = Math.abs(u);
        else if (k === 1) { u = r() * 4; v = (2 * r() - 1) * 60; }
        else if (k === 2) { u = -r() * 3; v = Math.round((2 * r() - 1) * 40); }
        else if (k === 3) { u = 1 + (r() - 0.5) * 2 ** -20; v = (2 * r() - 1) * 1e6; }
      }
      const p = f(u, v), q = wasm(u, v);
      if (!sameBits(p, q)) { if (!bad) first = `${name}(${u}, ${v}) = ${p}, NativeMath ${q}`; bad++; }
    }
    assert.is(bad, 0, `seed ${SEED}: ${bad}/${a0.length} mismatches, first: ${first}`);
  }
});

/** Allowed |detmath - host| in ulps where 1 is not provable (reasons next to the checks below). V8's Math.hypot is
 * max * sqrt(sum (v/max)^2), up to ~2 ulp (x, y = -0.28467342257499695, 0.3421694040298462: host 1.7 ulp, detmath
 * 0.36 ulp vs mpmath), so hypot gets 3 as well. */
const BOUND: Record<string, number> = { expm1: 2.25, sinh: 2.25, cosh: 2.25, tanh: 3, hypot: 3 };

test("detmath: within 1 ulp of the host Math.* (both are < 1 ulp from the true value)", () => {
  const r = testRng(SEED + 5);
  for (const [name, f, ref, range] of UNARY) {
    const xs = inputs(SEED + 11 + name.length, range);
    let worst = 0, at = 0;
    for (const v of xs) {
      const a = f(v), b = ref(v);
      // sin/cos near a zero: the value is tiny and both libraries' reductions are accurate to ~2^-60 absolute;
      // count that case in absolute terms (|a - b| <= 2^-60 is "equal" here).
      if ((name === "sin" || name === "cos") && Math.abs(b) < 1e-3 && Math.abs(a - b) <= 2 ** -60) continue;
      const u = ulps(a, b);
      if (u > worst) { worst = u; at = v; }
    }
    // expm1 (and sinh, which is built on it) follow AssemblyScript's final reconstruction step for k >= 2, which
    // reassociates musl's and is up to ~1.25 ulp from the true value (e.g. x = 21.847272058948874); host < 1 ulp.
    // cosh/sinh for |x| > ~709.78 use musl's __expo2 (exp(x - k ln2) * 2^1021 * 2^1021), also ~1 ulp, so two
    // answers on opposite sides of the true value can be 2 ulp apart (x = -709.9999397110353).
    // The host's tanh (V8: fdlibm port) is itself > 1 ulp off at times (x = 0.5791091918945312: host 1.1 ulp,
    // detmath 0.73 ulp, checked with mpmath at 200 bits), so the bound there is the sum of both claims, 3.
    const bound = BOUND[name] ?? 1;
    assert.ok(worst <= bound, `seed ${SEED}: ${name} differs from Math.${name} by ${worst} ulp at x = ${at}`);
  }
  for (const [name, f, ref] of BINARY) {
    let worst = 0, at = "";
    for (let i = 0; i < 20000; i++) {
      const u = name === "pow" ? r() * 8 : (2 * r() - 1) * 10 ** (6 * r() - 3);
      const v = name === "pow" ? (2 * r() - 1) * 50 : (2 * r() - 1) * 10 ** (6 * r() - 3);
      const d = ulps(f(u, v), ref(u, v));
      if (d > worst) { worst = d; at = `${u}, ${v}`; }
    }
    assert.ok(worst <= (BOUND[name] ?? 1), `seed ${SEED}: ${name} differs from Math.${name} by ${worst} ulp at (${at})`);
  }
});

test("detmath: special values follow ECMAScript / C99 Annex F", () => {
  const is = (a: number, b: number, what: string) => assert.ok(sameBits(a, b), `${what}: got ${a}, want ${b}`);
  const I = Infinity;
  for (const [name, f, ref] of UNARY) {
    for (const v of [NaN, I, -I, 0, -0, 5e-324, -5e-324, 1e-310, 1.7976931348623157e308, -1.7976931348623157e308]) {
      // exact agreement with the spec results as returned by the host for these inputs (all are exactly specified
      // or rounding-insensitive here, except the large finite ones which we only check for class/sign)
      const a = f(v), b = ref(v);
      if (Number.isNaN(b) || !Number.isFinite(b) || b === 0 || Math.abs(v) < 1e-300) {
        if (name === "cbrt" && v !== 0 && Number.isFinite(v) && Math.abs(v) < 1e-300) continue; // cbrt(tiny) is a normal number
        if ((name === "exp" || name === "cos" || name === "cosh") && Math.abs(v) < 1e-300) { is(a, 1, `${name}(${v})`); continue; }
        is(a, b, `${name}(${v})`);
      } else assert.ok(Math.sign(a) === Math.sign(b) && Number.isFinite(a), `${name}(${v})`);
    }
  }
  is(dm.exp(709.782712893384), Math.exp(709.782712893384), "exp near overflow"); // finite
  is(dm.exp(709.79), I, "exp overflow");
  is(dm.exp(-745.2), 0, "exp underflow");
  assert.ok(dm.exp(-745.1) > 0 && dm.exp(-745.1) < 1e-323, "exp subnormal result");
  is(dm.log(1), 0, "log(1)"); is(dm.log(-1), NaN, "log(-1)"); is(dm.log(-0), -I, "log(-0)");
  is(dm.log(5e-324), -744.4400719213812, "log(min subnormal)");
  is(dm.expm1(-I), -1, "expm1(-Inf)"); is(dm.log1p(-1), -I, "log1p(-1)"); is(dm.log1p(-2), NaN, "log1p(-2)");
  is(dm.sin(-0), -0, "sin(-0)"); is(dm.tanh(-I), -1, "tanh(-Inf)"); is(dm.sinh(-I), -I, "sinh(-Inf)");
  is(dm.cosh(-I), I, "cosh(-Inf)"); is(dm.cbrt(-8), -2, "cbrt(-8)"); is(dm.cbrt(27), 3, "cbrt(27)");
  is(dm.atan(I), Math.PI / 2, "atan(Inf)"); is(dm.atan(-0), -0, "atan(-0)");
  is(dm.atan2(0, -0), Math.PI, "atan2(0,-0)"); is(dm.atan2(-0, -0), -Math.PI, "atan2(-0,-0)");
  is(dm.atan2(-0, 0), -0, "atan2(-0,0)"); is(dm.atan2(1, 0), Math.PI / 2, "atan2(1,0)");
  is(dm.atan2(I, -I), 3 * Math.PI / 4, "atan2(Inf,-Inf)"); is(dm.atan2(-1, -I), -Math.PI, "atan2(-1,-Inf)");
  is(dm.atan2(NaN, 1), NaN, "atan2(NaN,1)");
  is(dm.pow(2, 10), 1024, "pow(2,10)"); is(dm.pow(-2, 3), -8, "pow(-2,3)"); is(dm.pow(-2, 0.5), NaN, "pow(-2,0.5)");
  is(dm.pow(NaN, 0), 1, "pow(NaN,0)"); is(dm.pow(1, NaN), NaN, "pow(1,NaN)"); is(dm.pow(1, I), NaN, "pow(1,Inf)");
  is(dm.pow(-1, -I), NaN, "pow(-1,-Inf)"); is(dm.pow(0.5, I), 0, "pow(0.5,Inf)"); is(dm.pow(2, -I), 0, "pow(2,-Inf)");
  is(dm.pow(-0, -3), -I, "pow(-0,-3)"); is(dm.pow(-0, 3), -0, "pow(-0,3)"); is(dm.pow(-0, 0.5), 0, "pow(-0,0.5)");
  is(dm.pow(-I, 0.5), I, "pow(-Inf,0.5)"); is(dm.pow(-I, 3), -I, "pow(-Inf,3)"); is(dm.pow(-I, -3), -0, "pow(-Inf,-3)");
  is(dm.pow(10, 400), I, "pow overflow"); is(dm.pow(-10, 401), -I, "pow overflow odd"); is(dm.pow(10, -400), 0, "pow underflow");
  is(dm.pow(2, -1074), 5e-324, "pow(2,-1074)"); assert.ok(ulps(dm.pow(5e-324, 0.25), Math.pow(5e-324, 0.25)) <= 1, "pow(subnormal, 1/4)");
  is(dm.hypot(3, 4), 5, "hypot(3,4)"); is(dm.hypot(NaN, I), I, "hypot(NaN,Inf)"); is(dm.hypot(-I, NaN), I, "hypot(-Inf,NaN)");
  is(dm.hypot(1e300, 1e300), Math.hypot(1e300, 1e300), "hypot no overflow"); is(dm.hypot(-0, 0), 0, "hypot(-0,0)");
  is(dm.hypot(5e-324, 5e-324), Math.hypot(5e-324, 5e-324), "hypot subnormal");
  // huge arguments: Payne-Hanek reduction, value cross-checked with the host
  is(dm.sin(1e22), Math.sin(1e22), "sin(1e22)"); is(dm.cos(1e300), Math.cos(1e300), "cos(1e300)");
});

test("src/ computes no results with the host's non-exact Math.* (exp, log, sin, pow, hypot, ...): detmath instead", () => {
  // Guard for the rule "same seed -> same bits in Node and in the browser": Math.exp/log/sin/... differ by an ulp
  // between engine versions. Exact ones (sqrt, abs, floor, min, max, sign, round, fround, ...) are fine.
  const banned = /\bMath\.(exp|expm1|log|log1p|log2|log10|sin|cos|tan|sinh|cosh|tanh|asin|acos|atan|atan2|asinh|acosh|atanh|pow|cbrt|hypot)\b/;
  const root = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..", "src");
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const f = join(dir, name);
      if (statSync(f).isDirectory()) { walk(f); continue; }
      if (!f.endsWith(".ts") || f.endsWith(join("math", "detmath.ts"))) continue;
      readFileSync(f, "utf8").split("\n").forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, "");
        if (/^\s*(\*|\/\*)/.test(code)) return; // doc comment lines
        if (banned.test(code)) offenders.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
  };
  walk(root);
  assert.equal(offenders, [], `use src/math/detmath.ts instead:\n${offenders.join("\n")}`);
});

test.run();
