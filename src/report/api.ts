/**
 * By-name lookups of public API functions, kept only for the CLI commands and the web playground that still use them.
 * The reproduction report itself (src/report) imports the API with plain typed imports: every function exists in
 * every build, so there is nothing to report as missing.
 *
 * Engine methods and free exports of src/index.ts are looked up separately on purpose: several names exist in both
 * forms with different signatures (e.g. `engine.train(options)` vs `trainNetwork(engine, options)`).
 */
import * as lib from "../index.js";
import type { Engine } from "../engine.js";

/** Thrown by `need*` when a name is not part of the public API. */
export class UnavailableError extends Error {
  constructor(readonly missing: string[]) {
    super(`not available in this build: ${missing.join(", ")} missing from the public API`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

/** An Engine method, bound to the engine, or undefined. */
export function lookup<T extends AnyFn>(engine: Engine, name: string): T | undefined {
  const m = (engine as unknown as Record<string, unknown>)[name];
  return typeof m === "function" ? ((m as AnyFn).bind(engine) as T) : undefined;
}

/** A function exported from src/index.ts, or undefined. */
export function lookupExport<T extends AnyFn>(name: string): T | undefined {
  const f = (lib as unknown as Record<string, unknown>)[name];
  return typeof f === "function" ? (f as T) : undefined;
}

/** True when `name` is an Engine method or an exported function. */
export function available(engine: Engine, name: string): boolean {
  return lookup(engine, name) !== undefined || lookupExport(name) !== undefined;
}

/**
 * The Engine method `name`; throws UnavailableError naming every missing one of `name` (an Engine method) and
 * `alsoRequired` (each an Engine method or an export), checked together so the report lists them all.
 */
export function need<T extends AnyFn>(engine: Engine, name: string, ...alsoRequired: string[]): T {
  const missing = [...(lookup(engine, name) ? [] : [name]), ...alsoRequired.filter((n) => !available(engine, n))];
  if (missing.length) throw new UnavailableError(missing);
  return lookup<T>(engine, name)!;
}

/** A function exported from src/index.ts only (never an Engine method): for free functions taking the engine first. */
export function needExport<T extends AnyFn>(name: string): T {
  const f = lookupExport<T>(name);
  if (!f) throw new UnavailableError([name]);
  return f;
}

/** A non-function export of src/index.ts (e.g. a constant list), or UnavailableError. */
export function needValue<T>(name: string): T {
  const v = (lib as unknown as Record<string, unknown>)[name];
  if (v === undefined) throw new UnavailableError([name]);
  return v as T;
}
