/**
 * A seeded computation whose bits must be identical in Node, in the browser's main thread and in a Web Worker:
 * 16 standard normals from engine.rng(seed) and a 37x29 by 29x23 matmul of engine-drawn matrices, hashed (FNV-1a 64
 * over the float64 bytes). Used by the playground (window.hardlearn.check) and by test/web.test.ts.
 */
import type { Engine, Matrix } from "../src/index.js";

export interface SeededDigest {
  seed: number;
  /** The 16 normals as hex of their IEEE-754 bits (exact). */
  normals: string[];
  /** FNV-1a 64 of the product's bytes, hex. */
  matmulHash: string;
  /** First entry of the product (for a readable sanity check). */
  matmulFirst: number;
}

/** Hex of the IEEE-754 bits of each value. */
export function bitsHex(a: Float64Array): string[] {
  const v = new DataView(a.buffer, a.byteOffset, a.byteLength);
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) out.push(v.getBigUint64(8 * i, true).toString(16).padStart(16, "0"));
  return out;
}

/** FNV-1a 64-bit over the bytes of a Float64Array (little-endian, as stored). */
export function fnv1a64(a: Float64Array): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0xcbf29ce484222325n;
  const p = 0x100000001b3n, mask = (1n << 64n) - 1n;
  for (let i = 0; i < bytes.length; i++) {
    h ^= BigInt(bytes[i]);
    h = (h * p) & mask;
  }
  return h.toString(16).padStart(16, "0");
}

interface RngStreamLike { normal(n: number): Float64Array; uniform(n: number): Float64Array }

export function seededDigest(engine: Engine, seed: number): SeededDigest {
  const rngFn = (engine as unknown as { rng?: (s: number) => RngStreamLike }).rng;
  if (typeof rngFn !== "function") throw new Error("engine.rng is not available in this build");
  const rng = rngFn.call(engine, seed);
  const normals = rng.normal(16);
  const A: Matrix = { rows: 37, cols: 29, data: rng.normal(37 * 29) };
  const B: Matrix = { rows: 29, cols: 23, data: rng.uniform(29 * 23) };
  const C = engine.matmul(A, B);
  return { seed, normals: bitsHex(normals), matmulHash: fnv1a64(C.data), matmulFirst: C.data[0] };
}
