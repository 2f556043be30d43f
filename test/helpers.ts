/** Shared test utilities: a lazily created engine, random matrices from a test-local PRNG, norms. */
import { createEngine, type Engine } from "../src/index.js";
import type { Matrix } from "../src/types.js";

let enginePromise: Promise<Engine> | undefined;
/** One engine per test file process. */
export function engine(): Promise<Engine> {
  return (enginePromise ??= createEngine());
}

/** Small independent PRNG for test inputs (mulberry32), so tests do not depend on the engine's RNG. */
export function testRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal from the test-local PRNG (Box–Muller; test inputs only, the engine never uses this). */
export function randn(r: () => number): number {
  const u = 1 - r(), v = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** rows x cols matrix of i.i.d. N(0, sd^2) test inputs from testRng(seed). */
export function gauss(rows: number, cols: number, seed: number, sd = 1): Matrix {
  const r = testRng(seed), data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = sd * randn(r);
  return { rows, cols, data };
}

export function randMatrix(rows: number, cols: number, seed: number): Matrix {
  const r = testRng(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = 2 * r() - 1;
  return { rows, cols, data };
}

export function frobenius(M: Matrix | Float64Array): number {
  const d = M instanceof Float64Array ? M : M.data;
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i] * d[i];
  return Math.sqrt(s);
}

export const EPS = 2 ** -52;

/** Assert that fn throws an error of class C whose message contains every fragment. */
export function throwsWith(fn: () => unknown, C: new (...a: never[]) => Error, ...fragments: string[]): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof C)) throw new Error(`expected ${C.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    for (const f of fragments) {
      if (!(e as Error).message.includes(f)) throw new Error(`message "${(e as Error).message}" lacks "${f}"`);
    }
    return;
  }
  throw new Error(`expected ${C.name} to be thrown`);
}

export async function rejectsWith(p: Promise<unknown>, C: new (...a: never[]) => Error, ...fragments: string[]): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof C)) throw new Error(`expected ${C.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    for (const f of fragments) {
      if (!(e as Error).message.includes(f)) throw new Error(`message "${(e as Error).message}" lacks "${f}"`);
    }
    return;
  }
  throw new Error(`expected ${C.name} to be thrown`);
}
