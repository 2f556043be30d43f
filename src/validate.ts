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
  if (!isFloat64Array(v)) throw new InvalidArgumentError(name, "a Float64Array", v);
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
  if (!isFloat64Array(m.data)) throw new InvalidArgumentError(`${name}.data`, "a Float64Array", m.data);
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
  if (o !== undefined && (typeof o !== "object" || o === null || Array.isArray(o) || typedArrayKind(o) !== undefined)) {
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

// ---------------------------------------------------------------------------------------------------------------
// Typed arrays from any realm, and argument snapshots.
//
// `instanceof Float64Array` is false for an array made in another realm (an iframe, a node:vm context, a worker's
// structured clone is fine) and true for a Proxy around a Float64Array (whose methods then throw TypeError). The
// intrinsic %TypedArray%.prototype getters read the internal slots instead, so they are exact in both cases and never
// run user code (an own "length" property defined on the instance is ignored).

const TA_PROTO = Object.getPrototypeOf(Int8Array.prototype) as object;
const taGetter = (key: PropertyKey) => Object.getOwnPropertyDescriptor(TA_PROTO, key)!.get! as (this: unknown) => unknown;
const TA_TAG = taGetter(Symbol.toStringTag);
const TA_LENGTH = taGetter("length") as (this: unknown) => number;
const TA_BUFFER = taGetter("buffer") as (this: unknown) => ArrayBufferLike;
const TA_OFFSET = taGetter("byteOffset") as (this: unknown) => number;

/** The typed-array kind of v ("Float64Array", "Int32Array", ...) for a typed array of any realm, else undefined. */
export function typedArrayKind(v: unknown): string | undefined {
  return TA_TAG.call(v) as string | undefined;
}

/** A Float64Array of this or any other realm (never a Proxy). */
export function isFloat64Array(v: unknown): v is Float64Array {
  return TA_TAG.call(v) === "Float64Array";
}

const LOCAL_CTORS: Record<string, new (b: ArrayBufferLike, off: number, len: number) => ArrayBufferView> = {
  Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array, Uint8ClampedArray,
  BigInt64Array, BigUint64Array,
};

/**
 * A view of this realm on the same memory as the typed array `v` (any realm), of its current length; a detached
 * buffer gives an empty array. With `copy`, a fresh copy instead (for async functions, which must not see later
 * writes by the caller).
 */
function localTypedArray(v: ArrayBufferView, kind: string, copy: boolean): ArrayBufferView {
  const Ctor = LOCAL_CTORS[kind];
  const len = TA_LENGTH.call(v);
  if (!Ctor) return v;
  if (len === 0) return new Ctor(new ArrayBuffer(0), 0, 0);
  const view = new Ctor(TA_BUFFER.call(v), TA_OFFSET.call(v), len);
  if (!copy) return view;
  const out = new Ctor(new ArrayBuffer(view.byteLength), 0, len) as unknown as { set(a: ArrayBufferView): void };
  out.set(view);
  return out as unknown as ArrayBufferView;
}

/** The object a snapshot was made from (see {@link snapshot}); identity for anything else. */
const ORIGINALS = new WeakMap<object, object>();
export function originalOf<T>(v: T): T {
  return (typeof v === "object" && v !== null ? (ORIGINALS.get(v) as T | undefined) : undefined) ?? v;
}

function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v) as object | null;
  if (p === null || p === Object.prototype) return true;
  // A plain object of another realm: its prototype is that realm's Object.prototype (whose own prototype is null).
  return Object.getPrototypeOf(p) === null && Object.prototype.toString.call(v) === "[object Object]"
    && typeof (p as { hasOwnProperty?: unknown }).hasOwnProperty === "function";
}

/**
 * A snapshot of one argument of a public function, taken once at the entry so that the function validates and
 * computes on the same values: every own enumerable property of plain objects and every element of arrays is read
 * exactly once (getters and Proxy traps run once, in a fixed order), recursively; typed arrays of any realm become
 * views of this realm on the same memory (or copies with `copy`, for async functions); class instances (engines,
 * streams, AbortSignals, functions) are kept as they are. Primitives are returned unchanged.
 * Arrays longer than MAX_DIM entries are refused (a sparse `new Array(2 ** 32 - 1)` would otherwise take minutes).
 */
export function snapshot<T>(v: T, name: string, copy = false): T {
  return snap(v, name, copy, new Map()) as T;
}

function snap(v: unknown, name: string, copy: boolean, seen: Map<object, unknown>): unknown {
  if (typeof v !== "object" || v === null) return v;
  const kind = typedArrayKind(v);
  if (kind !== undefined) return localTypedArray(v as ArrayBufferView, kind, copy);
  if (seen.has(v)) return seen.get(v);
  if (Array.isArray(v)) {
    const n = (v as unknown[]).length;
    if (n > MAX_DIM) throw new InvalidArgumentError(`${name}.length`, `at most ${MAX_DIM}`, n);
    const out: unknown[] = new Array(n);
    seen.set(v, out);
    for (let i = 0; i < n; i++) out[i] = snap((v as unknown[])[i], `${name}[${i}]`, copy, seen);
    return out;
  }
  if (!isPlainObject(v)) {
    // A Proxy around a typed array (or an object inheriting from a typed-array prototype) passes `instanceof` but every
    // typed-array method and getter throws TypeError on it: refuse it here, by name, before anything touches it.
    if (inheritsTypedArray(v)) throw new InvalidArgumentError(name, "a typed array itself (not a Proxy of one or an object inheriting from one)", "a typed-array look-alike");
    return v;
  }
  const out: Record<string, unknown> = {};
  seen.set(v, out);
  ORIGINALS.set(out, v);
  for (const k of Object.keys(v)) out[k] = snap((v as Record<string, unknown>)[k], `${name}.${k}`, copy, seen);
  return out;
}

/** Whether a prototype of v (any realm) is a typed-array prototype; v itself is known not to be a typed array. */
function inheritsTypedArray(v: object): boolean {
  let p = Object.getPrototypeOf(v) as object | null;
  for (let depth = 0; p !== null && depth < 8; depth++) {
    if (p === TA_PROTO || Object.prototype.hasOwnProperty.call(p, "BYTES_PER_ELEMENT")) return true;
    p = Object.getPrototypeOf(p) as object | null;
  }
  return false;
}

/** `v`, or `fallback` when v is undefined. Unlike `??`, null is NOT a default: it stays and fails validation. */
export function def<T>(v: T | undefined, fallback: T): T {
  return v === undefined ? fallback : v;
}

/** An AbortSignal (of any realm): undefined or an object with a boolean `aborted` and addEventListener. */
export function assertSignal(name: string, v: unknown): asserts v is AbortSignal | undefined {
  if (v === undefined) return;
  if (typeof v !== "object" || v === null || typeof (v as AbortSignal).aborted !== "boolean"
    || typeof (v as AbortSignal).addEventListener !== "function") {
    throw new InvalidArgumentError(name, "an AbortSignal or undefined", v);
  }
}

/** A progress callback: undefined or a function. */
export function assertCallback(name: string, v: unknown): void {
  if (v !== undefined && typeof v !== "function") throw new InvalidArgumentError(name, "a function or undefined", v);
}
