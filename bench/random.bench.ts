/**
 * Random streams: standard normals and uniforms per second (items/s), n = 1e6 per call (smoke: 1000).
 * Peers, all producing float64 arrays of the same length in plain JS:
 *  - "plain JS Philox4x32-10 + Box–Muller": the same counter-based generator in JS (16-bit split products for the
 *    32x32 -> 64 multiply) and Math.log/cos/sin; a like-for-like comparison of the generator + transform.
 *  - "plain JS xoshiro128** + Box–Muller": a fast sequential 32-bit generator (Blackman & Vigna 2018), 53-bit uniforms.
 *  - "Math.random + Box–Muller": host generator, only as a peer (not seedable; never used by hardlearn).
 * Target: >= 1e8 standard normals per second single-thread.
 */
import type { BenchContext } from "./harness.js";
import { numpyTime } from "./peers/numpy.js";
import { createEngine } from "../src/index.js";

function mulhi(a: number, b: number): number {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const p = al * bl, q = al * bh + ah * bl;
  return (ah * bh + Math.floor((q + Math.floor(p / 65536)) / 65536)) >>> 0;
}

/** Plain-JS Philox4x32-10 (Salmon et al. 2011) writing block b's 4 words to w. */
function philoxJs(b: number, k0: number, k1: number, w: Uint32Array): void {
  let x0 = b >>> 0, x1 = Math.floor(b / 4294967296) >>> 0, x2 = 0, x3 = 0;
  for (let r = 0; r < 10; r++) {
    const h0 = mulhi(0xd2511f53, x0), l0 = Math.imul(0xd2511f53, x0) >>> 0;
    const h1 = mulhi(0xcd9e8d57, x2), l1 = Math.imul(0xcd9e8d57, x2) >>> 0;
    const y0 = (h1 ^ x1 ^ k0) >>> 0, y2 = (h0 ^ x3 ^ k1) >>> 0;
    x0 = y0; x1 = l1; x2 = y2; x3 = l0;
    k0 = (k0 + 0x9e3779b9) >>> 0; k1 = (k1 + 0xbb67ae85) >>> 0;
  }
  w[0] = x0; w[1] = x1; w[2] = x2; w[3] = x3;
}

function philoxBoxMuller(n: number, state: { pos: number }): Float64Array {
  const out = new Float64Array(n), w = new Uint32Array(4);
  for (let i = 0; i < n; i += 2) {
    philoxJs(state.pos++, 42, 0, w);
    const u1 = 1 - ((w[1] >>> 11) * 4294967296 + w[0]) * 2 ** -53;
    const u2 = ((w[3] >>> 11) * 4294967296 + w[2]) * 2 ** -53;
    const r = Math.sqrt(-2 * Math.log(u1)), t = 2 * Math.PI * u2;
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

function xoshiro128ss(seed: number): () => number {
  let a = seed | 0, b = 0x9e3779b9, c = 0x243f6a88, d = 0xb7e15162;
  const next = (): number => {
    const r = Math.imul(((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25)), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t; d = (d << 11) | (d >>> 21);
    return r;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

function xoshiroBoxMuller(n: number, next: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = 1 - ((next() >>> 11) * 4294967296 + next()) * 2 ** -53;
    const u2 = ((next() >>> 11) * 4294967296 + next()) * 2 ** -53;
    const r = Math.sqrt(-2 * Math.log(u1)), t = 2 * Math.PI * u2;
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

function mathRandomBoxMuller(n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = 1 - Math.random(), u2 = Math.random();
    const r = Math.sqrt(-2 * Math.log(u1)), t = 2 * Math.PI * u2;
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

export default async function (ctx: BenchContext): Promise<void> {
  const e = await createEngine();
  const n = ctx.smoke ? 1000 : 1_000_000;
  const rng = e.rng(42);
  const st = { pos: 0 };
  const xo = xoshiro128ss(42);
  const core = e.core;
  await ctx.group({
    title: `standard normals, n = ${n} per call`,
    items: n,
    tasks: [
      { name: "hardlearn rng.normal (Philox4x32-10 SIMD + Box–Muller SIMD, copied out to JS)", self: true, fn: () => rng.normal(n) },
      {
        name: "hardlearn kernel rng_fill_normal_f64 (into WASM memory, no copy)",
        fn: () => core.scope((ar) => {
          const p = ar.allocF64(n);
          core.x.rng_fill_normal_f64(42, 0, 1, 0, 0n, p, n);
          return ar.f64(p, 1)[0];
        }),
      },
      { name: "plain JS Philox4x32-10 + Box–Muller (Math.log/cos/sin)", fn: () => philoxBoxMuller(n, st) },
      { name: "plain JS xoshiro128** + Box–Muller", fn: () => xoshiroBoxMuller(n, xo) },
      { name: "Math.random + Box–Muller (peer only, not seedable)", fn: () => mathRandomBoxMuller(n) },
      { name: "numpy default_rng().standard_normal (PCG64 + ziggurat, child python3)", fn: () => 0, external: () => numpyTime({ op: "normals", n }).seconds },
    ],
  });
  // The API returns a fresh Float64Array: its first write faults in every 4 KiB page of new memory (JS cannot ask
  // for huge pages; numpy madvise()s MADV_HUGEPAGE for arrays >= 4 MiB, so its fresh arrays fault 512x less often).
  // The "fresh array" row measures that cost alone: API time ~ kernel time + fresh-array time.
  const nBig = ctx.smoke ? 2000 : 10_000_000;
  await ctx.group({
    title: `standard normals into a fresh array, n = ${nBig} per call (API = kernel + first touch of the new array)`,
    items: nBig,
    tasks: [
      { name: "hardlearn rng.normal (fresh Float64Array)", self: true, fn: () => rng.normal(nBig) },
      {
        name: "hardlearn kernel rng_fill_normal_f64 (into WASM memory, no copy, no fresh memory)",
        fn: () => core.scope((ar) => {
          const p = ar.allocF64(nBig);
          core.x.rng_fill_normal_f64(42, 0, 1, 0, 0n, p, nBig);
          return ar.f64(p, 1)[0];
        }),
      },
      { name: "fresh Float64Array(n) + one write pass (first-touch cost alone, not normals)", fn: () => new Float64Array(nBig).fill(1) },
      { name: "numpy default_rng().standard_normal (fresh array, huge pages)", fn: () => 0, external: () => numpyTime({ op: "normals", n: nBig }).seconds },
    ],
  });
  await ctx.group({
    title: `uniform doubles in [0, 1), n = ${n} per call`,
    items: n,
    tasks: [
      { name: "hardlearn rng.uniform (Philox4x32-10 SIMD, 53 bits)", self: true, fn: () => rng.uniform(n) },
      {
        name: "plain JS xoshiro128** (53 bits)",
        fn: () => {
          const out = new Float64Array(n);
          for (let i = 0; i < n; i++) out[i] = ((xo() >>> 11) * 4294967296 + xo()) * 2 ** -53;
          return out;
        },
      },
      {
        name: "Math.random (peer only)",
        fn: () => {
          const out = new Float64Array(n);
          for (let i = 0; i < n; i++) out[i] = Math.random();
          return out;
        },
      },
    ],
  });
}
