/**
 * Typed errors. Every message follows one template (stdlib-js style):
 *   "invalid argument. <name> must be <rule>. Value: `<value>`."
 * so users and scripts can rely on the argument name, the rule and the offending value.
 */

/** Base class of every error hardlearn throws on purpose. */
export class HardlearnError extends Error {
  /** Stable machine-readable code, e.g. "EINVAL", "ERANGE", "ENOCONV", "ENOMEM", "EABORT", "EINTERNAL". */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
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
}

/** An iterative algorithm hit its iteration cap or met NaN before converging. */
export class ConvergenceError extends HardlearnError {
  readonly iterations: number;
  constructor(what: string, iterations: number, detail = "") {
    super("ENOCONV", `${what} did not converge after ${iterations} iterations${detail ? ` (${detail})` : ""}.`);
    this.iterations = iterations;
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
}

/** A long computation was cancelled through its AbortSignal. */
export class AbortError extends HardlearnError {
  constructor(what = "computation", message?: string) {
    super("EABORT", message ?? `${what} was aborted.`);
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
}

/** The WebAssembly core could not be fetched, read, compiled or instantiated (createEngine). */
export class LoadError extends HardlearnError {
  /** Where the binary was looked for, when it came from a URL. */
  readonly source: string;
  constructor(source: string, reason: string) {
    super("ELOAD", `could not load the hardlearn WebAssembly core from ${source}: ${reason}.`);
    this.source = source;
  }
}

/** The WebAssembly core trapped: a bug in hardlearn, never the user's fault. */
export class InternalError extends HardlearnError {
  constructor(message: string) {
    super("EINTERNAL", `internal error in the WebAssembly core: ${message}. Please report it.`);
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
