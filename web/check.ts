/**
 * A seeded computation whose bits must be identical in Node, in the browser's main thread and in a Web Worker:
 * 16 standard normals from engine.rng(seed) and a 37x29 by 29x23 matmul of engine-drawn matrices, hashed (FNV-1a 64
 * over the float64 bytes). Used by the playground (window.hardlearn.check) and by test/web.test.ts.
 * gradvarDigest: seeded engine.gradVariance runs (cos predictor) with 1 or k pool workers, as hex bits
 * (window.hardlearn.gradvarCheck / workerGradvarCheck), compared with Node by test/web.test.ts.
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

/** The seeded gradient-variance runs of the cross-environment check (cos predictor, N(0, I) inputs). */
export const GRADVAR_CHECK_CASES = [
  // One chunk of directions (J <= 128): the whole job is one pool task.
  { dim: 5, radius: 1, theta: [0.6, -0.8, 0, 0.3, 0.1], directions: 16, samples: 2000, seed: 3 },
  // Three chunks (J = 300 > 128): tasks are spread over the pool's workers and merged in task order.
  { dim: 5, radius: 1.5, theta: [1, 0, -0.5, 0, 0.25], directions: 300, samples: 1500, seed: 3 },
] as const;

export interface GradvarDigest {
  case: number;
  workers: number;
  /** Hex of the IEEE-754 bits of estimate, stderr, floor and each meanGradient entry (exact). */
  estimate: string;
  stderr: string;
  floor: string;
  meanGradient: string[];
  /**
   * FNV-1a 64 of the UTF-16 code units of JSON.stringify(result without the closed-form fields): covers every
   * Monte-Carlo field (computed in WASM + IEEE-exact JS arithmetic), which must have the same bits everywhere.
   */
  mcHash: string;
  /**
   * The closed-form reference fields (exact, z, meanGradientExact), computed in JS with src/math/detmath.ts
   * (deterministic musl ports; the host's Math.sin/exp/log are implementation-approximated, ECMA-262 §21.3.2, and
   * differ by an ulp between V8 versions): they have the same bits in every engine too; kept apart from mcHash so
   * that a failure names the field.
   */
  closedForm: { exact?: number; z?: number; meanGradientExact?: number[] };
}

/** Result fields that come from the JS closed forms (src/gradvar/exact.ts), not from the Monte-Carlo run. */
export const CLOSED_FORM_FIELDS = ["exact", "z", "meanGradientExact"] as const;

/** FNV-1a 64-bit over the UTF-16 code units of a string. */
export function fnv1a64String(s: string): string {
  let h = 0xcbf29ce484222325n;
  const p = 0x100000001b3n, mask = (1n << 64n) - 1n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * p) & mask;
  }
  return h.toString(16).padStart(16, "0");
}

interface GradvarResultLike {
  estimate: number; stderr: number; floor: number; meanGradient: number[];
  exact?: number; z?: number; meanGradientExact?: number[];
}
type GradvarFn = (o: Record<string, unknown>) => Promise<GradvarResultLike>;

/**
 * engine.gradVariance for GRADVAR_CHECK_CASES[caseIndex] with the given number of workers (k >= 2 starts the
 * engine's worker pool: worker_threads in Node, module Web Workers running pool-worker.js in the browser).
 * Determinism contract: the digest is the same in Node and in the browser, for any number of workers.
 */
export async function gradvarDigest(engine: Engine, caseIndex: number, workers: number): Promise<GradvarDigest> {
  const fn = (engine as unknown as { gradVariance?: GradvarFn }).gradVariance;
  if (typeof fn !== "function") throw new Error("engine.gradVariance is not available in this build");
  const c = GRADVAR_CHECK_CASES[caseIndex];
  if (!c) throw new Error(`no gradvar check case ${caseIndex}`);
  const res = await fn.call(engine, { ...c, theta: Float64Array.from(c.theta), predictor: "cos", workers });
  return {
    case: caseIndex, workers,
    estimate: bitsHex(Float64Array.of(res.estimate))[0],
    stderr: bitsHex(Float64Array.of(res.stderr))[0],
    floor: bitsHex(Float64Array.of(res.floor))[0],
    meanGradient: bitsHex(Float64Array.from(res.meanGradient)),
    mcHash: fnv1a64String(JSON.stringify(res, (k, v) => ((CLOSED_FORM_FIELDS as readonly string[]).includes(k) ? undefined : v))),
    closedForm: { exact: res.exact, z: res.z, meanGradientExact: res.meanGradientExact },
  };
}
