// Seeded fuzzing of the whole public API (used by test/fuzz.test.ts inside `npm test` and by `npm run fuzz` for long
// runs). It drives the audit table of test/api-table.ts — every public function with valid arguments and its argument
// slots — and, per probe, builds one hostile call:
//   - "equivalent": the valid arguments dressed up without changing their values: getters (each counted), Proxies,
//     frozen and null-prototype objects, objects and arrays of another realm (node:vm), Float64Arrays of another realm,
//     on a SharedArrayBuffer, on a resizable buffer, at a byte offset, with a lying own `length` property. The result
//     must have the same bits as the plain call, and every getter / Proxy trap must have run at most once.
//   - "slot": one argument slot replaced by a value of the table's garbage list or by a generated one (wrong types,
//     non-finite and extreme numbers, sizes of every kind, detached buffers, huge shapes, typed arrays of other kinds).
//   - "data": the numbers of one matrix or vector of the valid arguments changed: one entry NaN / +-Infinity /
//     subnormal / +-1e308, all entries scaled by 10^k (k uniform in [-330, 308]), or the shape broken.
//   - "user": a getter or Proxy trap that throws the caller's own error somewhere in the arguments.
// Every probe must end in a typed HardlearnError (async functions: a rejection, never a synchronous throw), in the
// caller's own error thrown by its getter (propagated unchanged), or in a result that passes the function's
// invariants (only finite numbers; shapes; per-function checks such as U^T U = I for svd). After every probe the
// engine's scratch arena is back at its start mark, and every 64 probes (and at the end) a fixed seeded computation
// gives the same bits as before the run.
import vm from "node:vm";
import * as api from "../src/index.js";
import { HardlearnError, InvalidArgumentError, Engine, RngStream, GemmThreads, type Matrix } from "../src/index.js";
import { entries, type Entry, type Path } from "./api-table.js";

const TA_LENGTH = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype), "length")!.get! as (this: unknown) => number;
/** Entries of a typed array read by index up to its true length (an own `length` property may lie). */
const entriesOf = (v: ArrayBufferView): unknown[] => { const n = TA_LENGTH.call(v), a = v as unknown as ArrayLike<unknown>, out = new Array(n); for (let i = 0; i < n; i++) out[i] = a[i]; return out; };

export const TEMPLATE = /^invalid argument\. (.+?) must be ([^]+)\. Value: `([^]*)`\.$/;

/** xoshiro128** (test inputs only; the engine never uses it). */
export class Prng {
  private s: Uint32Array;
  constructor(seed: number) {
    this.s = new Uint32Array(4);
    let x = (seed >>> 0) ^ 0x9e3779b9;
    for (let i = 0; i < 4; i++) { // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }
  u32(): number {
    const s = this.s, r = Math.imul(((Math.imul(s[1], 5) << 7) | (Math.imul(s[1], 5) >>> 25)), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = (s[3] << 11) | (s[3] >>> 21);
    return r;
  }
  float(): number { return this.u32() / 4294967296; }
  int(n: number): number { return Math.floor(this.float() * n); }
  chance(p: number): boolean { return this.float() < p; }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]; }
}

const realm = vm.createContext({});
const foreign = <T>(code: string): T => vm.runInContext(code, realm) as T;

/** The caller's own error, thrown by hostile getters and traps: it must come back unchanged. */
export class UserError extends Error {}

// ---------------------------------------------------------------------------------------------------------------
// Hostile values

const NUMBERS = [0, -0, 1, -1, 0.5, 2, 3, 7, 1.5, -2.5, 1e-300, -1e-300, 5e-324, 2.2250738585072014e-308, 1e300, -1e300,
  Number.MAX_VALUE, -Number.MAX_VALUE, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e9, 1e12,
  Number.EPSILON, 1 - Number.EPSILON / 2, 0.1, 64, 1e10, 2 ** 40];
// Huge counts are all beyond every documented cap (the largest, options.epochs, is 1e9): a valid count of 1e9 is a
// legitimate request for hours of work (the cost guard's business), not a hostile input.

export function genNumber(r: Prng): number {
  if (r.chance(0.6)) return r.pick(NUMBERS);
  const k = r.int(639) - 330;
  return (r.chance(0.5) ? -1 : 1) * (1 + r.float()) * 10 ** k;
}

function detached(n: number): Float64Array {
  const buf = new ArrayBuffer(8 * n);
  const a = new Float64Array(buf);
  structuredClone(buf, { transfer: [buf] });
  return a;
}

function randomF64(r: Prng, n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = r.chance(0.8) ? r.float() * 4 - 2 : genNumber(r);
  return a;
}

function throwingGetterObject(r: Prng, keys: string[]): object {
  const o: Record<string, unknown> = {};
  const bad = r.pick(keys.length ? keys : ["x"]);
  for (const k of keys.length ? keys : ["x"]) {
    Object.defineProperty(o, k, { enumerable: true, get: () => { if (k === bad) throw new UserError(`getter ${k}`); return 1; } });
  }
  return o;
}

function throwingProxy(r: Prng, target: object): object {
  const trap = r.pick(["get", "ownKeys", "getOwnPropertyDescriptor", "has", "getPrototypeOf"] as const);
  return new Proxy(target, { [trap]: () => { throw new UserError(`trap ${trap}`); } });
}

/** A value of any kind, mostly invalid for whatever slot it lands in. */
export function genHostile(r: Prng, like: unknown): unknown {
  switch (r.int(24)) {
    case 0: return genNumber(r);
    case 1: return r.pick(["", "1", "abc", "NaN", "normal", "cos", "gd", "1e3"]);
    case 2: return r.pick([1n, -1n, 2n ** 64n, 0n]);
    case 3: return Symbol("fuzz");
    case 4: return r.chance(0.5);
    case 5: return null;
    case 6: return -0; // (undefined means "use the default" for optional slots; the table's lists give it to required ones)
    case 7: return () => 1;
    case 8: return [];
    case 9: return Array.from({ length: r.int(5) }, () => genNumber(r));
    case 10: return {};
    case 11: return r.pick([new Map(), new Date(0), /x/, new Set([1]), Object.create(null), new Error("x"), Promise.resolve(1)]);
    case 12: return randomF64(r, r.int(9));
    case 13: return r.pick([new Float32Array(4), new Int32Array(4), new Uint8Array(8), new BigInt64Array(2), new DataView(new ArrayBuffer(8))]);
    case 14: return foreign(`new Float64Array([${Array.from(randomF64(r, r.int(6)), (x) => (Number.isFinite(x) ? x : 0)).join(",")}])`);
    case 15: return detached(r.int(8));
    case 16: return new Proxy(randomF64(r, 4), {});
    case 17: { // a matrix of a random (possibly absurd) shape
      const rows = r.pick([0, 1, 2, 3, -1, 1.5, NaN, 2 ** 28, 2 ** 31, 1e12, 2 ** 53]);
      const cols = r.pick([0, 1, 2, 3, -1, 2.5, Infinity, 2 ** 28, 2 ** 31, 1e12]);
      const n = Number.isSafeInteger(rows * cols) && rows * cols >= 0 && rows * cols < 64 ? rows * cols : r.int(8);
      return { rows, cols, data: r.chance(0.2) ? detached(n) : randomF64(r, n) };
    }
    case 18: return Object.freeze({ ...(typeof like === "object" && like !== null && !ArrayBuffer.isView(like) ? like : {}) });
    case 19: return throwingGetterObject(r, typeof like === "object" && like !== null && !ArrayBuffer.isView(like) ? Object.keys(like) : []);
    case 20: return throwingProxy(r, typeof like === "object" && like !== null ? (ArrayBuffer.isView(like) ? {} : like) : {});
    case 21: return r.pick([1e10, 2 ** 40, 2 ** 53, 2 ** 64, 1e300]);
    case 22: return r.chance(0.1) ? new Array(2 ** 29) : new Array(r.int(40));
    default: return foreign(r.pick(["({})", "([])", "({ rows: 2, cols: 2 })", "(null)", "('x')"]));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Semantics-preserving disguises (each getter / trap counts its runs)

interface Reads { count: Map<string, number> }

const isClassInstance = (v: object) => v instanceof Engine || v instanceof RngStream || v instanceof GemmThreads
  || v instanceof URL || v instanceof WebAssembly.Module || typeof v === "function";

function disguiseTyped(r: Prng, a: ArrayBufferView): ArrayBufferView {
  if (!(a instanceof Float64Array)) return a;
  const n = a.length;
  switch (r.int(6)) {
    case 0: { const f = foreign<Float64Array>(`new Float64Array(${n})`); f.set(a); return f; }
    case 1: { const f = new Float64Array(new SharedArrayBuffer(8 * n)); f.set(a); return f; }
    case 2: { // length-tracking view on a resizable buffer
      const buf = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(8 * n, { maxByteLength: 8 * n + 64 });
      const f = new Float64Array(buf); f.set(a); return f;
    }
    case 3: { const buf = new ArrayBuffer(8 * n + 24); const f = new Float64Array(buf, 16, n); f.set(a); return f; }
    case 4: { const f = Float64Array.from(a); Object.defineProperty(f, "length", { value: n + 7 }); return f; }
    default: return a;
  }
}

function disguise(r: Prng, v: unknown, reads: Reads, path: string, depth = 0): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (ArrayBuffer.isView(v)) return disguiseTyped(r, v);
  if (isClassInstance(v) || depth > 6) return v;
  const isArr = Array.isArray(v);
  const inner: Record<string, unknown> = {};
  for (const k of Object.keys(v)) inner[k] = disguise(r, (v as Record<string, unknown>)[k], reads, `${path}.${k}`, depth + 1);
  const count = (k: string) => reads.count.set(`${path}.${k}`, (reads.count.get(`${path}.${k}`) ?? 0) + 1);
  const kind = r.int(isArr ? 4 : 6);
  if (isArr) {
    const arr = Object.keys(inner).map((k) => inner[k]);
    if (kind === 0) return Object.freeze(arr);
    if (kind === 1) { const f = foreign<unknown[]>("[]"); for (const x of arr) f.push(x); return f; }
    if (kind === 2) return new Proxy(arr, { get: (t, k, rcv) => { if (typeof k === "string" && /^\d+$/.test(k)) count(k); return Reflect.get(t, k, rcv); } });
    return arr;
  }
  switch (kind) {
    case 0: { // own enumerable getters
      const o = {};
      for (const k of Object.keys(inner)) Object.defineProperty(o, k, { enumerable: true, get: () => { count(k); return inner[k]; } });
      return o;
    }
    case 1: return new Proxy({ ...inner }, { get: (t, k, rcv) => { if (typeof k === "string") count(k); return Reflect.get(t, k, rcv); } });
    case 2: return Object.freeze({ ...inner });
    case 3: return Object.assign(Object.create(null), inner);
    case 4: return Object.assign(foreign<object>("({})"), inner);
    default: return { ...inner };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Canonical form (bits) and invariants of results

export function canonical(v: unknown, depth = 0): string {
  if (depth > 12) return "…";
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : Number.isNaN(v) ? "NaN" : v.toString(16);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v !== "object" || v === null) return typeof v === "function" ? "fn" : String(v);
  if (ArrayBuffer.isView(v)) {
    if (v instanceof DataView) return "DataView";
    return `${Object.prototype.toString.call(v).slice(8, -1)}[${entriesOf(v).map((x) => canonical(x, depth + 1)).join(",")}]`;
  }
  if (isClassInstance(v) || v instanceof Promise) return v.constructor.name;
  if (Array.isArray(v)) return `[${v.map((x) => canonical(x, depth + 1)).join(",")}]`;
  // (`timing` fields are wall-clock measurements, e.g. of sweep cells: the only result fields that may differ.)
  return `{${Object.keys(v).filter((k) => k !== "timing").sort().map((k) => `${k}:${canonical((v as Record<string, unknown>)[k], depth + 1)}`).join(",")}}`;
}

/** Whether every number in the arguments (numbers, Float64Array entries; not inside class instances) is finite. */
function argsFinite(v: unknown, depth = 0): boolean {
  try {
    if (typeof v === "number") return Number.isFinite(v);
    if (typeof v !== "object" || v === null || depth > 8 || isClassInstance(v)) return true;
    if (v instanceof Float64Array || v instanceof Float32Array) return (entriesOf(v) as number[]).every(Number.isFinite);
    if (ArrayBuffer.isView(v)) return true;
    return Object.keys(v).every((k) => argsFinite((v as Record<string, unknown>)[k], depth + 1));
  } catch {
    return false; // a throwing getter: not a numerics case
  }
}

const NUMERICS = new Set(["non-finite result", "svd orthogonality", "svd reconstruction"]);

/** The path of the first non-finite number of a result, or undefined. */
export function firstNonFinite(v: unknown, path = "result", depth = 0): string | undefined {
  if (depth > 12) return undefined;
  if (typeof v === "number") return Number.isFinite(v) ? undefined : `${path} = ${v}`;
  if (typeof v !== "object" || v === null) return undefined;
  if (v instanceof Float64Array || v instanceof Float32Array) {
    const a = entriesOf(v) as number[];
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return `${path}[${i}] = ${a[i]}`;
    return undefined;
  }
  if (ArrayBuffer.isView(v) || isClassInstance(v) || v instanceof Promise) return undefined;
  for (const k of Object.keys(v)) {
    const bad = firstNonFinite((v as Record<string, unknown>)[k], `${path}.${k}`, depth + 1);
    if (bad) return bad;
  }
  return undefined;
}

const isMatrix = (m: unknown): m is Matrix => typeof m === "object" && m !== null && typeof (m as Matrix).rows === "number"
  && typeof (m as Matrix).cols === "number" && (m as Matrix).data instanceof Float64Array;

function shapeOk(m: unknown): string | undefined {
  if (!isMatrix(m)) return "not a Matrix";
  if (m.data.length !== m.rows * m.cols) return `data.length ${m.data.length} != ${m.rows} x ${m.cols}`;
  return undefined;
}

/** ||Q^T Q - I||_max for the k columns of Q (m x k). */
function orthError(Q: Matrix): number {
  let worst = 0;
  for (let a = 0; a < Q.cols; a++) for (let b = a; b < Q.cols; b++) {
    let s = 0;
    for (let i = 0; i < Q.rows; i++) s += Q.data[i * Q.cols + a] * Q.data[i * Q.cols + b];
    worst = Math.max(worst, Math.abs(s - (a === b ? 1 : 0)));
  }
  return worst;
}

/** Per-function checks of a successful result (beyond "only finite numbers"); returns a problem or undefined. */
export function invariantProblem(name: string, args: unknown[], out: unknown): { kind: string; detail: string } | undefined {
  // The one documented non-finite value: the exact values' logVariance is exactly -Infinity when the variance is
  // exactly 0 (θ = 0 or d = 1), log 0. Every other non-finite number is a failure.
  const exactZero = /gradVarianceExact$/.test(name) && (out as { variance?: number })?.variance === 0
    && (out as { logVariance?: number }).logVariance === -Infinity;
  const bad = firstNonFinite(exactZero ? { ...(out as object), logVariance: 0 } : out);
  if (bad) return { kind: "non-finite result", detail: bad };
  const fail = (detail: string) => ({ kind: "invariant", detail });
  switch (name) {
    case "Engine.matmul": case "GemmThreads.matmul": case "Engine.gram": case "GemmThreads.gram": {
      const s = shapeOk(out); if (s) return fail(s);
      if (name.endsWith("gram")) {
        const G = out as Matrix;
        if (G.rows !== G.cols) return fail("gram not square");
        for (let i = 0; i < G.rows; i++) {
          if (!(G.data[i * G.cols + i] >= 0)) return fail(`gram diagonal ${i} < 0`);
          for (let j = 0; j < i; j++) if (!Object.is(G.data[i * G.cols + j], G.data[j * G.cols + i])) return fail(`gram not symmetric at ${i},${j}`);
        }
      }
      return undefined;
    }
    case "Engine.svd": {
      const A = args[0] as Matrix, { U, S, V, rank } = out as api.SvdResult;
      const k = Math.min(A.rows, A.cols);
      if (U.rows !== A.rows || U.cols !== k || V.rows !== A.cols || V.cols !== k || S.length !== k) return fail("svd shapes");
      for (let i = 0; i < k; i++) if (!(S[i] >= 0) || (i > 0 && S[i] > S[i - 1])) return fail(`S not descending nonnegative at ${i}`);
      if (!(rank >= 0 && rank <= k)) return fail(`rank ${rank}`);
      const eu = orthError(U), ev = orthError(V);
      // Contract: ||U^T U - I||, ||V^T V - I|| <= 1e-13 for every input (also when singular values underflow to 0).
      if (eu > 1e-13 || ev > 1e-13) return { kind: "svd orthogonality", detail: `||U^T U - I|| = ${eu.toExponential(2)}, ||V^T V - I|| = ${ev.toExponential(2)}` };
      // Reconstruction relative to S[0] (scaled first, so that no product can overflow): <= 1e-13 k.
      if (S[0] > 0) {
        let worst = 0;
        for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += U.data[i * k + p] * (S[p] / S[0]) * V.data[j * k + p];
          worst = Math.max(worst, Math.abs(s - A.data[i * A.cols + j] / S[0]));
        }
        // Entries of A below the normal range carry fewer than 53 significant bits (and so do the singular values and
        // the check itself): allow their absolute spacing, 2^-1074 per term, relative to S[0].
        const floor = (k * Number.MIN_VALUE) / S[0];
        if (worst > 1e-13 * Math.max(4, k) + floor) return { kind: "svd reconstruction", detail: `||A - U S V^T|| / S[0] = ${worst.toExponential(2)}` };
      }
      return undefined;
    }
    case "Engine.gemv": return (out instanceof Float64Array) ? undefined : fail("gemv result not a Float64Array");
    case "RngStream.uniform": case "RngStream.uniformInto": {
      const a = entriesOf(out as Float64Array) as number[];
      for (let i = 0; i < a.length; i++) if (!(a[i] >= 0 && a[i] < 1)) return fail(`uniform ${a[i]} outside [0, 1)`);
      return undefined;
    }
    case "RngStream.bernoulli": {
      const a = out as Float64Array;
      for (let i = 0; i < a.length; i++) if (a[i] !== 0 && a[i] !== 1) return fail(`bernoulli ${a[i]}`);
      return undefined;
    }
    case "RngStream.integers": {
      const [, lo, hi] = args as number[];
      const a = out as Int32Array;
      for (let i = 0; i < a.length; i++) if (!(a[i] >= lo && a[i] <= hi)) return fail(`integer ${a[i]} outside [${lo}, ${hi}]`);
      return undefined;
    }
    case "RngStream.cube01": case "RngStream.cubePM1": {
      const s = shapeOk(out); if (s) return fail(s);
      const ok = name.endsWith("01") ? (x: number) => x === 0 || x === 1 : (x: number) => x === 1 || x === -1;
      const a = (out as Matrix).data;
      for (let i = 0; i < a.length; i++) if (!ok(a[i])) return fail(`cube entry ${a[i]}`);
      return undefined;
    }
    case "RngStream.sphere": {
      const s = shapeOk(out); if (s) return fail(s);
      const X = out as Matrix, rad = (args[2] as number | undefined) ?? 1;
      for (let i = 0; i < X.rows; i++) {
        let mx = 0; for (let j = 0; j < X.cols; j++) mx = Math.max(mx, Math.abs(X.data[i * X.cols + j]));
        let s2 = 0; for (let j = 0; j < X.cols; j++) s2 += (X.data[i * X.cols + j] / (mx || 1)) ** 2;
        const norm = mx * Math.sqrt(s2);
        // Each entry is rounded to eps relative or, when subnormal, to 2^-1074 absolute.
        if (Math.abs(norm - rad) > 1e-13 * rad * Math.max(4, X.cols) + 4 * X.cols * 2 ** -1074) return fail(`sphere row ${i} norm ${norm} != ${rad}`);
      }
      return undefined;
    }
    case "Engine.whiten": {
      const w = out as api.WhitenResult, X = args[0] as Matrix;
      if (shapeOk(w.Z) || shapeOk(w.P)) return fail("whiten shapes");
      if (w.Z.rows !== X.rows || w.Z.cols !== w.rank || w.P.rows !== X.cols || w.P.cols !== w.rank) return fail("whiten shapes");
      return undefined;
    }
    default: return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The runner

export type Mode = "equivalent" | "slot" | "data" | "user";
/** What a failing probe did, for the tolerated list: "magnitude" = finite inputs of extreme magnitude. */
export type Cause = Mode | "magnitude";

export interface FunctionStats { probes: number; ok: number; typed: number; user: number; byMode: Record<Mode, number>; ms: number }

export interface FuzzResult {
  stats: Map<string, FunctionStats>;
  /** Failures not on the tolerated list: "[mode] function: problem (probe seed)". */
  failures: string[];
  /** Failures on the tolerated list, by key, with one example each. */
  tolerated: Map<string, { count: number; example: string }>;
  ms: number;
}

export interface FuzzConfig {
  seed: number;
  /** Probes per public function. */
  perFunction: number;
  engine: Engine;
  /** Only the functions whose table name matches. */
  only?: RegExp;
  /**
   * Failures tolerated for now, owned by other work (key "<function> | <kind>", kind e.g. "non-finite result"):
   * they are counted and reported, never hidden.
   */
  tolerate?: (fn: string, kind: string, cause: Cause) => string | undefined;
  /**
   * Milliseconds of valid-size computation to spend per function and per 1000 probes (default 150): the share of
   * "equivalent" and "data" probes (which run the full computation) is min(0.4, budget / (1000 * cost of one valid
   * call)), so an expensive function (createGemmThreads starts a thread: ~90 ms) gets mostly cheap probes.
   */
  validBudgetMs?: number;
  /** Longest a single probe may take. */
  probeTimeoutMs?: number;
  /** Called before each probe with its description (to find a probe that never returns). */
  trace?: (line: string) => void;
  /** Progress line per function (for the long run). */
  onFunction?: (name: string, s: FunctionStats) => void;
}

/** Inputs that walk paths: [argument index, ...property path]. */
function setPath(args: unknown[], path: Path, value: unknown): unknown[] {
  const out = [...args];
  if (path.length === 1) { out[path[0] as number] = value; return out; }
  let parent = out as unknown as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i], child = parent[k];
    const copy = Array.isArray(child) ? [...child] : typeof child === "object" && child !== null && !ArrayBuffer.isView(child) && !isClassInstance(child) ? { ...child } : {};
    parent[k] = copy;
    parent = copy as Record<string | number, unknown>;
  }
  parent[path[path.length - 1]] = value;
  return out;
}

/** Every (path, value) of Float64Arrays and Matrices inside the arguments (not inside class instances). */
function dataSites(args: unknown[]): { path: Path; value: unknown }[] {
  const sites: { path: Path; value: unknown }[] = [];
  const walk = (v: unknown, path: Path, depth: number) => {
    if (depth > 5 || typeof v !== "object" || v === null || isClassInstance(v)) return;
    if (v instanceof Float64Array) { sites.push({ path, value: v }); return; }
    if (isMatrix(v)) sites.push({ path, value: v });
    for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...path, Array.isArray(v) ? Number(k) : k], depth + 1);
  };
  args.forEach((a, i) => walk(a, [i], 1));
  return sites;
}

/** A changed copy of a matrix / vector; `magnitude` when only the magnitudes changed (all entries still finite). */
function mutateData(r: Prng, v: unknown): { value: unknown; magnitude: boolean } {
  const kind = r.int(6);
  const value = mutateDataKind(r, v, kind);
  const f64 = value instanceof Float64Array ? value : (value as Matrix).data;
  let finite = true;
  for (let i = 0; i < f64.length; i++) if (!Number.isFinite(f64[i])) { finite = false; break; }
  return { value, magnitude: finite && (kind === 0 || kind === 1 || kind === 2 || kind === 5) };
}

function mutateDataKind(r: Prng, v: unknown, kind: number): unknown {
  const f64 = v instanceof Float64Array ? v : (v as Matrix).data;
  const data = Float64Array.from(f64);
  const wrap = (d: Float64Array, rows?: number, cols?: number): unknown => (v instanceof Float64Array ? d : { ...(v as Matrix), data: d, ...(rows !== undefined ? { rows } : {}), ...(cols !== undefined ? { cols } : {}) });
  switch (kind) {
    case 0: { // all entries scaled by 10^k: extreme magnitudes, subnormals, overflow
      const k = r.int(639) - 330, s = 10 ** k;
      for (let i = 0; i < data.length; i++) data[i] *= s;
      return wrap(data);
    }
    case 1: { // one special entry
      if (data.length) data[r.int(data.length)] = r.pick([NaN, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 1e308, 0, -0]);
      return wrap(data);
    }
    case 2: { // graded columns / entries (10^(-300 .. 300))
      for (let i = 0; i < data.length; i++) data[i] *= 10 ** (r.int(601) - 300);
      return wrap(data);
    }
    case 3: { // random values, random length (shape broken unless lucky)
      return wrap(randomF64(r, Math.max(0, data.length + r.pick([-1, 1, 2, -data.length]))));
    }
    case 4: { // shape changed, data kept
      if (v instanceof Float64Array) return data.subarray(0, Math.max(0, data.length - 1));
      const m = v as Matrix;
      return r.chance(0.5) ? wrap(data, m.cols, m.rows) : wrap(data, m.rows + r.pick([-1, 1]), m.cols);
    }
    default: { // all zeros or all equal: rank-deficient inputs
      data.fill(r.chance(0.5) ? 0 : genNumber(r));
      return wrap(data);
    }
  }
}

async function call(entry: Entry, args: unknown[], timeoutMs: number): Promise<{ kind: "ok"; value: unknown } | { kind: "threw"; err: unknown; sync: boolean }> {
  let result: unknown;
  try {
    result = entry.call(...args);
  } catch (err) {
    return { kind: "threw", err, sync: true };
  }
  if (typeof (result as Promise<unknown>)?.then !== "function") return { kind: "ok", value: result };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const value = await Promise.race([result as Promise<unknown>, new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs); })]);
    return { kind: "ok", value };
  } catch (err) {
    return { kind: "threw", err, sync: false };
  } finally {
    clearTimeout(timer);
  }
}

const describe = (err: unknown) => `${(err as Error)?.constructor?.name}: ${String((err as Error)?.message).slice(0, 300)}`;

/** A fixed seeded computation over the main kernels; its bits must not change during a run. */
export function engineDigest(e: Engine): string {
  const X = { rows: 6, cols: 4, data: e.rng(77).normal(24) };
  const G = e.matmul(X, X, { transA: true });
  const s = e.svd(X);
  return canonical([G.data, s.S, e.rng(78).uniform(5), e.gemv(X, Float64Array.from([1, 2, 3, 4]))]);
}

export async function fuzz(cfg: FuzzConfig): Promise<FuzzResult> {
  const t0 = performance.now();
  const e = cfg.engine, timeout = cfg.probeTimeoutMs ?? 10000;
  // Probe seeds use the index in the whole table, so a run restricted with `only` repeats the same probes.
  const list = entries().map((x, i) => ({ x, i })).filter(({ x }) => !cfg.only || cfg.only.test(x.name));
  const stats = new Map<string, FunctionStats>();
  const failures: string[] = [];
  const tolerated = new Map<string, { count: number; example: string }>();
  const base = e.core.arena.mark();
  const digest0 = engineDigest(e);
  let probeNo = 0;
  for (const { x, i: fi } of list) {
    const st: FunctionStats = { probes: 0, ok: 0, typed: 0, user: 0, byMode: { equivalent: 0, slot: 0, data: 0, user: 0 }, ms: 0 };
    stats.set(x.name, st);
    const tf = performance.now();
    const first = await call(x, x.args(), timeout);
    const validMs = Math.max(0.01, performance.now() - tf);
    const pValid = Math.min(0.4, ((cfg.validBudgetMs ?? 150) * cfg.perFunction / 1000) / (cfg.perFunction * validMs));
    if (first.kind !== "ok") { failures.push(`${x.name}: valid arguments threw ${describe(first.err)}`); continue; }
    const isAsync = typeof (x.call(...x.args()) as Promise<unknown>)?.then === "function";
    if (isAsync) await (x.call(...x.args()) as Promise<unknown>).catch(() => undefined);
    const baseline = canonical(first.value);
    const sites = dataSites(x.args());
    for (let p = 0; p < cfg.perFunction; p++) {
      probeNo++;
      const probeSeed = (cfg.seed * 1000003 + fi * 65537 + p) >>> 0;
      const r = new Prng(probeSeed);
      let mode: Mode = r.chance(pValid) ? r.pick(["equivalent", "data"] as const) : r.pick(["slot", "slot", "user"] as const);
      if (mode === "data" && sites.length === 0) mode = "slot";
      if (mode === "slot" && x.slots.length === 0) mode = "equivalent";
      let args = x.args();
      const reads: Reads = { count: new Map() };
      let what = "";
      let cause: Cause = mode;
      if (mode === "equivalent") {
        args = args.map((a, i) => disguise(r, a, reads, `arg${i}`));
        what = "valid arguments in disguise";
      } else if (mode === "slot") {
        const slot = r.pick(x.slots);
        const fromTable = r.chance(0.4) && slot.garbage.length > 0;
        const [label, value] = fromTable ? r.pick(slot.garbage) : ["generated", genHostile(r, slotValue(args, slot.path))];
        args = setPath(args, slot.path, value);
        what = `${slot.name} = ${label === "generated" ? safeLabel(value) : label}`;
      } else if (mode === "data") {
        const site = r.pick(sites);
        const m = mutateData(r, slotValue(args, site.path));
        args = setPath(args, site.path, m.value);
        if (m.magnitude) cause = "magnitude";
        what = `${m.magnitude ? "extreme magnitudes" : "data"} at ${site.path.join(".")}`;
      } else {
        const slot = x.slots.length ? r.pick(x.slots) : undefined;
        const target = slot ? slot.path : [r.int(Math.max(1, args.length))];
        const like = slotValue(args, target);
        const value = r.chance(0.5) ? throwingGetterObject(r, typeof like === "object" && like !== null && !ArrayBuffer.isView(like) ? Object.keys(like) : [])
          : throwingProxy(r, typeof like === "object" && like !== null && !ArrayBuffer.isView(like) ? { ...like } : {});
        args = setPath(args, target, value);
        what = `throwing getter/trap at ${target.join(".")}`;
      }
      st.probes++; st.byMode[mode]++;
      cfg.trace?.(`[${mode}] ${x.name} (${what}) probe ${p} seed ${probeSeed}`);
      const out = await call(x, args, timeout);
      const readsByCall = [...reads.count]; // (the checks below read the arguments again)
      let problem: { kind: string; detail: string } | undefined;
      if (out.kind === "ok") {
        st.ok++;
        try {
          problem = invariantProblem(x.name, args, out.value);
          if (!problem && mode === "equivalent" && canonical(out.value) !== baseline) problem = { kind: "equivalent", detail: "result bits differ from the plain call" };
        } catch (err) {
          // Reading the result ran the caller's own throwing getter: the result hands back an object of the caller's.
          if (!(err instanceof UserError)) throw err;
        }
        if (!problem && mode === "equivalent") {
          const twice = readsByCall.filter(([, n]) => n > 1);
          if (twice.length) problem = { kind: "read twice", detail: twice.map(([k, n]) => `${k} read ${n} times`).join(", ") };
        }
      } else if (out.err instanceof UserError) {
        st.user++;
        if (isAsync && out.sync) problem = { kind: "sync throw", detail: `async API threw synchronously: ${describe(out.err)}` };
      } else if (out.err instanceof HardlearnError) {
        st.typed++;
        if (isAsync && out.sync) problem = { kind: "sync throw", detail: `async API threw synchronously: ${describe(out.err)}` };
        else if (out.err instanceof InvalidArgumentError) {
          const mm = TEMPLATE.exec(out.err.message);
          if (!mm || mm[1] !== out.err.argument) problem = { kind: "message", detail: `off-template: ${out.err.message}` };
        }
        if (!problem && mode === "equivalent") problem = { kind: "equivalent", detail: `valid arguments in disguise rejected: ${describe(out.err)}` };
      } else {
        problem = { kind: "untyped error", detail: describe(out.err) };
      }
      // The engine afterwards: arena at its start mark; every 64 probes the fixed computation's bits.
      if (e.core.arena.mark() !== base) {
        problem = { kind: "arena", detail: `arena mark ${e.core.arena.mark()} != ${base} after the probe${problem ? ` (and: ${problem.detail})` : ""}` };
        e.core.arena.release(base);
      } else if (probeNo % 64 === 0 && engineDigest(e) !== digest0) {
        problem = { kind: "engine changed", detail: "the fixed seeded computation gives other bits" };
      }
      // A non-finite result (or an SVD contract miss) from arguments whose numbers are all finite: overflow / underflow
      // of extreme magnitudes (whatever mutation produced them), as opposed to a non-finite input that got through.
      if (problem && cause !== "magnitude" && NUMERICS.has(problem.kind) && argsFinite(args)) cause = "magnitude";
      if (problem) {
        const line = `[${cause}] ${x.name} (${what}): ${problem.kind}: ${problem.detail} — seed ${cfg.seed}, probe ${p} (probe seed ${probeSeed})`;
        const key = cfg.tolerate?.(x.name, problem.kind, cause);
        if (key) {
          const t = tolerated.get(key) ?? { count: 0, example: line };
          t.count++;
          tolerated.set(key, t);
        } else {
          failures.push(line);
        }
      }
    }
    st.ms = performance.now() - tf;
    cfg.onFunction?.(x.name, st);
  }
  if (engineDigest(e) !== digest0) failures.push("engine changed: the fixed seeded computation gives other bits at the end of the run");
  return { stats, failures, tolerated, ms: performance.now() - t0 };
}

function slotValue(args: unknown[], path: Path): unknown {
  let v: unknown = args;
  for (const k of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

function safeLabel(v: unknown): string {
  try {
    if (typeof v === "symbol") return "Symbol";
    if (typeof v === "bigint") return `${v}n`;
    if (typeof v === "function") return "function";
    if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
    if (typeof v !== "object" || v === null) return JSON.stringify(v) ?? String(v);
    if (ArrayBuffer.isView(v)) return `${Object.prototype.toString.call(v).slice(8, -1)}(${(v as unknown as { byteLength: number }).byteLength / 8 | 0})`;
    if (Array.isArray(v)) return `Array(${v.length})`;
    return Object.prototype.toString.call(v);
  } catch {
    return "(unprintable)";
  }
}

/** "name: probes (ok / typed / user)" table lines, one per function. */
export function formatCounts(stats: Map<string, FunctionStats>): string[] {
  return [...stats].map(([n, s]) => `${n.padEnd(30)} ${String(s.probes).padStart(6)} probes: ${String(s.ok).padStart(5)} ok, ${String(s.typed).padStart(5)} typed errors, ${String(s.user).padStart(4)} caller errors (${s.byMode.equivalent} disguised, ${s.byMode.slot} slot, ${s.byMode.data} data, ${s.byMode.user} throwing; ${s.ms.toFixed(0)} ms)`);
}
