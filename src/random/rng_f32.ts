/**
 * float32 samplers of RngStream (`{ dtype: "float32" }` on uniform / normal, and uniformInto / normalInto with a
 * Float32Array): the WASM kernels of assembly/random/philox_f32.ts on the same Philox streams as the float64
 * samplers. Four float32 values per 128-bit block (element i from block position + floor(i / 4)), so a float32
 * call consumes ceil(n / 4) blocks.
 *
 *   uniform: u = (x >>> 8) 2^-24 for each 32-bit word x: every multiple of 2^-24 in [0, 1) with probability 2^-24.
 *   normal:  float32 Box–Muller on the word pairs (x0, x1), (x2, x3) of each block with the core's own log/sin/cos
 *            (assembly/random/boxmuller_f32.ts: < 1 ulp log, ~2 ulp sin/cos, so z within a few float32 ulp of
 *            sqrt(-2 log u1) cos(2 pi u2)); tails truncated at |z| <= 5.77 (24-bit uniforms). Then z * sd + mean in
 *            float32 (mean and sd rounded to float32) unless mean = 0 and sd = 1.
 * Determinism: only WASM float32 arithmetic (correctly rounded, no contraction): same bits in Node and browsers.
 */
import type { Core } from "../core/core.js";
import { InvalidArgumentError, OverflowError } from "../errors.js";
import { DTYPES, F32_MAX, f32Scalar, viewF32, type Dtype } from "../linalg/matmul_f32.js";
import { assertOneOf, assertOptions } from "../validate.js";

/** Options of the samplers that can produce float32. */
export interface DtypeOptions {
  /** "float64" (default): Float64Array results; "float32": Float32Array results from the float32 kernels. */
  dtype?: Dtype;
}

/** Elements per WASM call (128 KiB of float32 scratch); a multiple of 32 so chunks start on block boundaries. */
const CHUNK32 = 32768;

/** The dtype of an options argument (validated). */
export function dtypeOf(name: string, options: unknown): Dtype {
  assertOptions(name, options);
  const d = (options as DtypeOptions | undefined)?.dtype ?? "float64";
  assertOneOf(`${name}.dtype`, d, DTYPES);
  return d;
}

/** mean and sd of a float32 normal: finite in float32, sd >= 0. Returns the float32-rounded values. */
export function normalParams32(mean: unknown, sd: unknown): [number, number] {
  const m = f32Scalar("mean", mean);
  if (typeof sd !== "number" || !(sd >= 0)) throw new InvalidArgumentError("sd", "a finite number >= 0", sd);
  const s = f32Scalar("sd", sd);
  // |z| <= 5.7686 (24-bit uniforms): every draw fits in float32 iff |mean| + 5.77 sd does (decided from the parameters,
  // the same answer for every seed), else OverflowError instead of a silent Infinity.
  if (!(Math.abs(m) + 5.77 * s <= F32_MAX)) {
    throw new OverflowError("rng.normal", "sd", `small enough that mean + sd z fits in float32 for |z| <= 5.77 (|mean| + 5.77 sd <= ${F32_MAX})`, sd);
  }
  return [m, s];
}

/**
 * Fill `out` from blocks p0, p0 + 1, ... (4 values per block) with the float32 kernel `kind`, in chunks so that the
 * WASM scratch stays cache-resident. Chunk boundaries are multiples of 4 values: the result equals one fill.
 */
export function fillF32(core: Core, kind: "uniform" | "normal", key: readonly [number, number], sw: readonly [number, number],
  p0: bigint, out: Float32Array, mean = 0, sd = 1): Float32Array {
  const n = out.length;
  if (n === 0) return out;
  const [k0, k1] = key, [s0, s1] = sw;
  const affine = mean === 0 && sd === 1 ? 0 : 1;
  core.scope((ar) => {
    const c = Math.min(n, CHUNK32);
    const p = ar.alloc(4 * c);
    for (let i = 0; i < n; i += CHUNK32) {
      const m = Math.min(CHUNK32, n - i), pos = p0 + BigInt(i / 4);
      if (kind === "uniform") core.x.rng_fill_uniform_f32(k0, k1, s0, s1, pos, p, m);
      else core.x.rng_fill_normal_f32(k0, k1, s0, s1, pos, p, m, mean, sd, affine);
      out.set(viewF32(ar, p, m), i);
    }
  });
  return out;
}
