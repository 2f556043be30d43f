/**
 * Argument validation for the public API. Everything is checked once, here, before any WASM call;
 * the AssemblyScript kernels trust their inputs (BLIS/stdlib-js layering).
 */
import { InvalidArgumentError } from "./errors.js";
import type { Matrix } from "./types.js";

/** Largest dimension accepted anywhere (elements per side); larger ones are absurd for a 4 GiB address space. */
export const MAX_DIM = 2 ** 28;

export function assertInteger(name: string, v: unknown, min = 0, max = MAX_DIM): asserts v is number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    const rule = min === 0 ? `a nonnegative integer <= ${max}` : min === 1 ? `a positive integer <= ${max}` : `an integer in [${min}, ${max}]`;
    throw new InvalidArgumentError(name, rule, v);
  }
}

export function assertFiniteNumber(name: string, v: unknown): asserts v is number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidArgumentError(name, "a finite number", v);
}

export function assertPositive(name: string, v: unknown): asserts v is number {
  if (typeof v !== "number" || !Number.isFinite(v) || !(v > 0)) throw new InvalidArgumentError(name, "a finite number > 0", v);
}

export function assertNonNegative(name: string, v: unknown): asserts v is number {
  if (typeof v !== "number" || !Number.isFinite(v) || !(v >= 0)) throw new InvalidArgumentError(name, "a finite number >= 0", v);
}

export function assertProbability(name: string, v: unknown): asserts v is number {
  if (typeof v !== "number" || !(v >= 0 && v <= 1)) throw new InvalidArgumentError(name, "a number in [0, 1]", v);
}

export function assertBoolean(name: string, v: unknown): asserts v is boolean {
  if (typeof v !== "boolean") throw new InvalidArgumentError(name, "a boolean", v);
}

export function assertOneOf<T extends string>(name: string, v: unknown, allowed: readonly T[]): asserts v is T {
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
    throw new InvalidArgumentError(name, `one of ${allowed.map((a) => `"${a}"`).join(", ")}`, v);
  }
}

/** Every entry finite (no NaN, no +-Infinity). Reports the first bad index. */
export function assertFiniteArray(name: string, a: ArrayLike<number>): void {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (!Number.isFinite(x)) throw new InvalidArgumentError(`${name}[${i}]`, "a finite number", x);
  }
}

/** A Float64Array of the given length (or any length when len is undefined), finite entries. */
export function assertVector(name: string, v: unknown, len?: number, finite = true): asserts v is Float64Array {
  if (!(v instanceof Float64Array)) throw new InvalidArgumentError(name, "a Float64Array", v);
  if (len !== undefined && v.length !== len) throw new InvalidArgumentError(`${name}.length`, `${len}`, v.length);
  if (finite) assertFiniteArray(name, v);
}

/**
 * A well-formed Matrix: integer rows/cols >= minRows/minCols, a Float64Array of exactly rows*cols entries,
 * and (unless finite = false) only finite entries.
 */
export function assertMatrix(name: string, M: unknown, opts: { minRows?: number; minCols?: number; finite?: boolean } = {}): asserts M is Matrix {
  if (typeof M !== "object" || M === null) throw new InvalidArgumentError(name, "a matrix { rows, cols, data: Float64Array }", M);
  const m = M as Partial<Matrix>;
  assertInteger(`${name}.rows`, m.rows, opts.minRows ?? 1);
  assertInteger(`${name}.cols`, m.cols, opts.minCols ?? 1);
  if (!(m.data instanceof Float64Array)) throw new InvalidArgumentError(`${name}.data`, "a Float64Array", m.data);
  if (m.data.length !== m.rows * m.cols) {
    throw new InvalidArgumentError(`${name}.data.length`, `rows * cols = ${m.rows * m.cols}`, m.data.length);
  }
  if (opts.finite !== false) assertFiniteArray(`${name}.data`, m.data);
}

/** Two sizes that must agree, e.g. inner dimensions of a product. */
export function assertSameSize(name: string, v: number, expected: number, what: string): void {
  if (v !== expected) throw new InvalidArgumentError(name, `equal to ${what} (${expected})`, v);
}

/** Options object: undefined or a plain object. */
export function assertOptions(name: string, o: unknown): void {
  if (o !== undefined && (typeof o !== "object" || o === null || Array.isArray(o))) {
    throw new InvalidArgumentError(name, "an object or undefined", o);
  }
}

/** Seeds: a nonnegative safe integer or a bigint in [0, 2^64). */
export function assertSeed(name: string, v: unknown): asserts v is number | bigint {
  if (typeof v === "bigint") {
    if (v < 0n || v >= 1n << 64n) throw new InvalidArgumentError(name, "an integer in [0, 2^64)", v);
    return;
  }
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new InvalidArgumentError(name, "a nonnegative safe integer or a bigint in [0, 2^64)", v);
  }
}
