// float32 samplers: uniform / normal with { dtype: "float32" }, uniformInto / normalInto with a Float32Array
// (assembly/random/philox_f32.ts, boxmuller_f32.ts, src/random/rng_f32.ts).
// The recipes are checked value by value against the raw Philox words (rng_fill_u32), the SIMD path against the
// scalar one bit for bit, and the Box–Muller values against float64 host math on the same uniforms with a bound from
// the error analysis in boxmuller_f32.ts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, throwsWith } from "./helpers.js";
import { InvalidArgumentError, type Engine, type RngStream } from "../src/index.js";
import { takeF32 } from "../src/linalg/matmul_f32.js";

const U = 2 ** -24; // float32 unit roundoff

/** Raw words of `blocks` blocks of stream (seed, k) from position pos. */
function words(e: Engine, r: RngStream, pos: number, blocks: number): Uint32Array {
  const [k0, k1] = r.key, [s0, s1] = r.streamWords;
  return e.core.scope((ar) => {
    const p = ar.alloc(16 * blocks);
    e.core.x.rng_fill_u32(k0, k1, s0, s1, BigInt(pos), p, blocks);
    return ar.u32(p, 4 * blocks).slice();
  });
}

function kernel32(e: Engine, name: "rng_fill_uniform_f32" | "rng_fill_uniform_f32_ref" | "rng_fill_normal_f32" | "rng_fill_normal_f32_ref",
  r: RngStream, pos: number, n: number, mean = 0, sd = 1): Float32Array {
  const [k0, k1] = r.key, [s0, s1] = r.streamWords;
  return e.core.scope((ar) => {
    const p = ar.alloc(4 * Math.max(n, 1));
    if (name.startsWith("rng_fill_uniform")) (e.core.x[name] as (...a: unknown[]) => void)(k0, k1, s0, s1, BigInt(pos), p, n);
    else (e.core.x[name] as (...a: unknown[]) => void)(k0, k1, s0, s1, BigInt(pos), p, n, mean, sd, mean === 0 && sd === 1 ? 0 : 1);
    return takeF32(ar, p, n);
  });
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length), y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.every((v, i) => v === y[i]);
}

test("uniform float32: u = (x >>> 8) 2^-24 word by word (exact), ceil(n/4) blocks consumed, uniformInto identical", async () => {
  const e = await engine();
  for (const n of [0, 1, 3, 4, 5, 31, 32, 33, 100, 1000]) {
    const r = e.rng(12345).stream(3).atPosition(17);
    const u = r.uniform(n, { dtype: "float32" });
    assert.ok(u instanceof Float32Array);
    assert.is(r.position, 17 + Math.ceil(n / 4), `position after ${n}`);
    const w = words(e, r, 17, Math.ceil(n / 4));
    for (let i = 0; i < n; i++) {
      const want = (w[i] >>> 8) * U;
      if (u[i] !== want) assert.unreachable(`n ${n} i ${i}: ${u[i]} != ${want}`);
    }
    const into = e.rng(12345).stream(3).atPosition(17).uniformInto(new Float32Array(n));
    assert.ok(sameBits(u, into), `uniformInto n ${n}`);
  }
  // Range and resolution over many values: multiples of 2^-24 in [0, 1 - 2^-24].
  const big = e.rng(7).uniform(200000, { dtype: "float32" });
  let min = 1, max = 0;
  for (const v of big) { min = Math.min(min, v); max = Math.max(max, v); assert.ok(Number.isInteger(v / U)); }
  assert.ok(min >= 0 && max <= 1 - U, `range [${min}, ${max}]`);
});

test("float32 SIMD fills equal the scalar reference bit for bit (uniform, normal, affine normal; odd n, odd positions)", async () => {
  const e = await engine();
  const r = e.rng(2 ** 40 + 9).stream(5);
  for (const n of [1, 2, 3, 4, 7, 31, 32, 33, 63, 64, 65, 1001]) for (const pos of [0, 3, 2 ** 32 - 5]) {
    assert.ok(sameBits(kernel32(e, "rng_fill_uniform_f32", r, pos, n), kernel32(e, "rng_fill_uniform_f32_ref", r, pos, n)), `uniform n ${n} pos ${pos}`);
    assert.ok(sameBits(kernel32(e, "rng_fill_normal_f32", r, pos, n), kernel32(e, "rng_fill_normal_f32_ref", r, pos, n)), `normal n ${n} pos ${pos}`);
    const m = Math.fround(-1.7), s = Math.fround(0.3);
    assert.ok(sameBits(kernel32(e, "rng_fill_normal_f32", r, pos, n, m, s), kernel32(e, "rng_fill_normal_f32_ref", r, pos, n, m, s)), `affine n ${n} pos ${pos}`);
  }
});

test("normal float32: Box–Muller on the block's words, within 4u r + 3u |z| of float64 math on the same uniforms", async () => {
  // Analysis (boxmuller_f32.ts): log < 1 ulp (2u relative), sqrt and the product by -2 add u, so r has relative error
  // <= 2u; sin/cos within 2 ulp (<= 4u absolute, values <= 1); the final product adds u |z|. Hence
  // |z32 - z| <= 4u r + 3u |z| with r = sqrt(-2 log u1) (float64 host math on the same exact uniforms: error ~1e-16).
  const e = await engine();
  const n = 400000;
  const r = e.rng(99);
  const z = r.normal(n, 0, 1, { dtype: "float32" });
  assert.is(r.position, n / 4);
  const w = words(e, e.rng(99), 0, n / 4);
  let worst = 0;
  for (let b = 0; b < n / 4; b++) for (const h of [0, 1]) {
    const u1 = 1 - (w[4 * b + 2 * h] >>> 8) * U, u2 = (w[4 * b + 2 * h + 1] >>> 8) * U;
    const rad = Math.sqrt(-2 * Math.log(u1));
    const pair = [rad * Math.cos(2 * Math.PI * u2), rad * Math.sin(2 * Math.PI * u2)];
    for (const c of [0, 1]) {
      const got = z[4 * b + 2 * h + c], want = pair[c];
      const d = Math.abs(got - want), tol = 4 * U * rad + 3 * U * Math.abs(want);
      worst = Math.max(worst, d / (U * (rad + Math.abs(want))));
      if (!(d <= tol)) assert.unreachable(`block ${b} value ${2 * h + c}: ${got} vs ${want}, |diff| ${d} > ${tol}`);
    }
  }
  assert.ok(worst > 0.05, `the check is sensitive (worst error ${worst} u (r + |z|))`);
  // Truncation of 24-bit uniforms: |z| <= sqrt(-2 log 2^-24).
  const zmax = Math.sqrt(-2 * Math.log(U));
  assert.ok(z.every((v) => Math.abs(v) <= zmax * (1 + 4 * U)));
});

test("normal float32: affine form is fl32(fl32(z sd) + mean) of the standard draws; normalInto identical; moments within 5 sigma", async () => {
  const e = await engine();
  const z = e.rng(5).normal(1003, 0, 1, { dtype: "float32" });
  const mean = 2.5, sd = 0.1;
  const a = e.rng(5).normal(1003, mean, sd, { dtype: "float32" });
  const fm = Math.fround(mean), fs = Math.fround(sd);
  for (let i = 0; i < z.length; i++) assert.is(a[i], Math.fround(Math.fround(z[i] * fs) + fm), `affine ${i}`);
  assert.ok(sameBits(a, e.rng(5).normalInto(new Float32Array(1003), mean, sd)), "normalInto == normal");
  assert.ok(sameBits(z, e.rng(5).normalInto(new Float32Array(1003))), "normalInto standard");
  // Prefix property across the 32768-value chunk boundary of the TS wrapper.
  const long = e.rng(8).normal(70001, 0, 1, { dtype: "float32" });
  assert.ok(sameBits(long, kernel32(e, "rng_fill_normal_f32_ref", e.rng(8), 0, 70001)), "chunked fill == one scalar fill");
  assert.ok(sameBits(long.subarray(0, 1003), e.rng(8).normal(1003, 0, 1, { dtype: "float32" })), "prefix");
  // Moments of 1e6 draws: mean within 5/sqrt(n), variance within 5 sqrt(2/n), E z^4 = 3 within 5 sqrt(96/n).
  const n = 1_000_000, big = e.rng(11).normal(n, 0, 1, { dtype: "float32" });
  let s1 = 0, s2 = 0, s4 = 0;
  for (const v of big) { s1 += v; s2 += v * v; s4 += v ** 4; }
  assert.ok(Math.abs(s1 / n) < 5 / Math.sqrt(n), `mean ${s1 / n}`);
  assert.ok(Math.abs(s2 / n - 1) < 5 * Math.sqrt(2 / n), `variance ${s2 / n}`);
  assert.ok(Math.abs(s4 / n - 3) < 5 * Math.sqrt(96 / n), `fourth moment ${s4 / n}`);
});

test("float32 sampler arguments: typed errors, stream still usable", async () => {
  const e = await engine();
  const r = e.rng(1);
  throwsWith(() => r.uniform(3, { dtype: "float16" as never }), InvalidArgumentError, 'options.dtype must be one of "float64", "float32"');
  throwsWith(() => r.uniform(3, 5 as never), InvalidArgumentError, "options must be an object or undefined");
  throwsWith(() => r.normal(3, 1e39, 1, { dtype: "float32" }), InvalidArgumentError, "mean must be a finite number representable in float32");
  throwsWith(() => r.normal(3, 0, -1, { dtype: "float32" }), InvalidArgumentError, "sd must be a finite number >= 0");
  throwsWith(() => r.normal(3, 0, 1e38, { dtype: "float32" }), InvalidArgumentError, "sd must be small enough that mean + sd z fits in float32");
  throwsWith(() => r.uniformInto(new Int32Array(3) as never), InvalidArgumentError, "out must be a Float64Array or a Float32Array");
  throwsWith(() => r.normalInto(new Float32Array(3), NaN), InvalidArgumentError, "mean must be a finite number");
  assert.is(r.position, 0, "failed calls consume nothing");
  assert.is(r.uniform(4, { dtype: "float64" }).constructor, Float64Array);
  assert.is(r.position, 2);
});

test.run();
