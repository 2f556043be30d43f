/**
 * Typed errors. Every message follows one template (stdlib-js style):
 *   "invalid argument. <name> must be <rule>. Value: `<value>`."
 * so users and scripts can rely on the argument name, the rule and the offending value.
 */

/**
 * Marks the prototypes of hardlearn's error classes. `Symbol.for` gives every copy of hardlearn (two bundles, a
 * bundle and a worker, an app and a plugin) the same key, so `instanceof` also recognises an error made by another copy.
 */
const BRAND = Symbol.for("hardlearn.error");

/** Whether `x` is an instance of `cls`, or an error of the same hardlearn class made by another copy of hardlearn. */
function isInstance(cls: Function, x: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, x)) return true;
  if (typeof x !== "object" || x === null || (x as Record<symbol, unknown>)[BRAND] !== true) return false;
  // Only hardlearn's own classes carry an own literal name; a user's subclass keeps the ordinary rule.
  if (!Object.hasOwn(cls.prototype, "name") || (cls.prototype as Record<symbol, unknown>)[BRAND] !== true) return false;
  const want = (cls.prototype as Error).name;
  for (let p = Object.getPrototypeOf(x); p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, "name") && p.name === want && p[BRAND] === true) return true;
  }
  return false;
}

/**
 * Give a class its literal name on the prototype (minifiers rename classes: `new.target.name` would become "n") and
 * the brand; the name is on the prototype, so stack traces print it too.
 */
function brand(cls: Function, name: string): void {
  Object.defineProperty(cls.prototype, "name", { value: name, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(cls.prototype, BRAND, { value: true });
}

/** Base class of every error hardlearn throws on purpose. */
export class HardlearnError extends Error {
  /** Stable machine-readable code, "EINVAL", "ERANGE", "ENOCONV", "ENOMEM", "EABORT", "ELOAD", "EDEPS" or "EINTERNAL". */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
  /** `instanceof` that also holds for errors made by another copy of hardlearn (same literal class name). */
  static [Symbol.hasInstance](x: unknown): boolean {
    return isInstance(this, x);
  }
  static {
    brand(this, "HardlearnError");
  }
}

/** A public function was given an argument that breaks its documented rule. */
export class InvalidArgumentError extends HardlearnError {
  /** Name of the argument as documented (e.g. "A.rows", "options.beta"). */
  readonly argument: string;
  /** The rule the value broke, as a phrase (e.g. "a positive integer"). */
  readonly rule: string;
  /** The offending value. */
  readonly value: unknown;
  constructor(argument: string, rule: string, value: unknown) {
    super("EINVAL", `invalid argument. ${argument} must be ${rule}. Value: \`${formatValue(value)}\`.`);
    this.argument = argument;
    this.rule = rule;
    this.value = value;
  }
  static {
    brand(this, "InvalidArgumentError");
  }
}

/**
 * Finite inputs whose exact result is not representable in float64 (its magnitude exceeds 1.7976931348623157e308,
 * or a result that must be finite, like a whitening matrix, would be infinite). An InvalidArgumentError (same
 * message template, `argument` names the input, `rule` says what overflowed) with code "ERANGE" and the name of
 * the operation. See README "Overflow and underflow" for the policy.
 */
export class OverflowError extends InvalidArgumentError {
  /** The public operation whose result overflowed, e.g. "svd", "matmul". */
  readonly operation: string;
  constructor(operation: string, argument: string, rule: string, value: unknown) {
    super(argument, rule, value);
    (this as { code: string }).code = "ERANGE";
    this.operation = operation;
  }
  static {
    brand(this, "OverflowError");
  }
}

/** An iterative algorithm hit its iteration cap or met NaN before converging. */
export class ConvergenceError extends HardlearnError {
  readonly iterations: number;
  constructor(what: string, iterations: number, detail = "") {
    super("ENOCONV", `${what} did not converge after ${iterations} iterations${detail ? ` (${detail})` : ""}.`);
    this.iterations = iterations;
  }
  static {
    brand(this, "ConvergenceError");
  }
}

/** A request would exceed the engine's allocation limit or WebAssembly's address space. */
export class AllocationError extends HardlearnError {
  readonly bytes: number;
  readonly limit: number;
  /** The up-front estimate that was refused (src/cost.ts), when the refusal came before any allocation. */
  readonly estimate?: { what: string; wasmBytes: number; jsBytes: number; flops: number };
  constructor(bytes: number, limit: number, estimate?: { what: string; wasmBytes: number; jsBytes: number; flops: number }) {
    super("ENOMEM", `invalid argument. the problem size must need at most ${limit} bytes of engine memory. Value: \`${bytes}\`.`
      + (estimate ? ` Estimated before starting ${estimate.what}: ${estimate.wasmBytes} bytes of WebAssembly scratch + ${estimate.jsBytes} bytes of JS arrays.` : ""));
    this.bytes = bytes;
    this.limit = limit;
    if (estimate) this.estimate = estimate;
  }
  static {
    brand(this, "AllocationError");
  }
}

/** A long computation was cancelled through its AbortSignal. */
export class AbortError extends HardlearnError {
  constructor(what = "computation", message?: string) {
    super("EABORT", message ?? `${what} was aborted.`);
  }
  static {
    brand(this, "AbortError");
  }
}

/**
 * The engine's worker pool was closed (engine.closeWorkers()) while a pooled computation was running or waiting
 * for the pool: that computation is cancelled. An AbortError (code "EABORT"); the engine stays usable and the next
 * pooled call starts a new pool.
 */
export class WorkerPoolClosedError extends AbortError {
  constructor(what = "computation") {
    super(what, `the worker pool was closed while a ${what} was running; it was cancelled.`);
  }
  static {
    brand(this, "WorkerPoolClosedError");
  }
}

/** The WebAssembly core could not be fetched, read, compiled or instantiated (createEngine). */
export class LoadError extends HardlearnError {
  /** Where the binary was looked for, when it came from a URL. */
  readonly source: string;
  constructor(source: string, reason: string) {
    super("ELOAD", `could not load the hardlearn WebAssembly core from ${source}: ${reason}.`);
    this.source = source;
  }
  static {
    brand(this, "LoadError");
  }
}

/** The WebAssembly core trapped: a bug in hardlearn, never the user's fault. */
export class InternalError extends HardlearnError {
  constructor(message: string) {
    super("EINTERNAL", `internal error in the WebAssembly core: ${message}. Please report it.`);
  }
  static {
    brand(this, "InternalError");
  }
}

/**
 * An optional package that one feature needs is not installed (the report's figures need vega and vega-lite; the
 * engine itself never does). The message says what to install.
 */
export class MissingDependencyError extends HardlearnError {
  /** The npm packages to install, with version ranges, e.g. ["vega@^6.4.0", "vega-lite@^6.4.3"]. */
  readonly packages: string[];
  constructor(feature: string, packages: string[]) {
    super("EDEPS", `${feature} needs the optional package${packages.length > 1 ? "s" : ""} ${packages.map((p) => p.replace(/@[^@]*$/, "")).join(" and ")}, which ${packages.length > 1 ? "are" : "is"} not installed. Install ${packages.length > 1 ? "them" : "it"} with: npm install ${packages.join(" ")}.`);
    this.packages = packages;
  }
  static {
    brand(this, "MissingDependencyError");
  }
}

function formatValue(v: unknown): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (v === null || v === undefined) return String(v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(v)) return v.length <= 8 ? `[${v.map(formatValue).join(", ")}]` : `Array(${v.length})`;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("rows" in o && "cols" in o) return `{ rows: ${formatValue(o.rows)}, cols: ${formatValue(o.cols)} }`;
    try { const s = JSON.stringify(v); return s.length > 80 ? s.slice(0, 77) + "..." : s; } catch { return "[object]"; }
  }
  return String(v);
}
