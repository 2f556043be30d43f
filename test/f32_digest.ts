/**
 * A seeded float32 computation whose bits must be identical in Node and in Chromium (test/f32-web.test.ts):
 * float32 uniforms and normals (SIMD and scalar tails), an SGEMM with transposes, alpha/beta and partial tiles, a
 * Gram matrix, a GEMV and a few epochs of float32 SGD, each hashed (FNV-1a 64 over the bytes).
 */
import type { Engine } from "../src/index.js";

function fnv(a: ArrayBufferView): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < bytes.length; i++) h = ((h ^ BigInt(bytes[i])) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, "0");
}

export interface F32Digest { [what: string]: string }

export async function f32Digest(e: Engine, seed: number): Promise<F32Digest> {
  const r = e.rng(seed);
  const u = r.uniform(1001, { dtype: "float32" });
  const z = r.normal(70003, 0, 1, { dtype: "float32" });
  const za = r.normal(99, -1.25, 0.3, { dtype: "float32" });
  const A = { rows: 301, cols: 67, data: r.normal(301 * 67, 0, 1, { dtype: "float32" }) };
  const B = { rows: 45, cols: 301, data: r.uniform(45 * 301, { dtype: "float32" }) };
  const C0 = { rows: 67, cols: 45, data: r.normal(67 * 45, 0, 1, { dtype: "float32" }) };
  const C = e.matmul(A, B, { transA: true, transB: true, alpha: 0.7, beta: -1.1, C: C0 });
  const G = e.gram(A);
  const y = e.gemv(A, z.subarray(0, 67), { alpha: 1.5 });
  const m = 500, d = 20;
  const X = { rows: m, cols: d, data: r.normal(m * d, 0, 1, { dtype: "float32" }) };
  const yt = r.normal(m, 0, 1, { dtype: "float32" });
  const t = await e.train({ X, y: yt, width: 24, optimizer: "adam", lr: 0.01, epochs: 3, batchSize: 64, seed, bias: true });
  return {
    uniform: fnv(u), normal: fnv(z), normalAffine: fnv(za), sgemm: fnv(C.data), gram: fnv(G.data), gemv: fnv(y),
    trainW: fnv(t.trainedNet.W.data), trainLoss: String(t.history.at(-1)!.trainLoss),
  };
}
