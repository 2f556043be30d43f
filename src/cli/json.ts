/**
 * The one JSON serializer for hardlearn's machine-readable output: the CLI's `--json` document, the `--out`
 * *.json files and the report's results.json. JSON has no NaN or Infinity, and silently writing them as strings
 * ("NaN", "Infinity") would hide a wrong number, so a non-finite number anywhere in the value is a bug: it throws
 * NonFiniteJsonError (code "EINTERNAL") naming the path of the offending number, and nothing is written.
 * Typed arrays become plain arrays; everything else is JSON.stringify's usual mapping.
 */
import { HardlearnError } from "../errors.js";

/** A value meant for JSON output held NaN or +-Infinity (a bug in hardlearn: every public function's results are finite). */
export class NonFiniteJsonError extends HardlearnError {
  /** Where the number was, as a JSON path ("$.experiments[2].rows[0].se"). */
  readonly path: string;
  readonly value: number;
  constructor(path: string, value: number) {
    super("EINTERNAL", `internal error: the JSON output would contain the non-finite number ${value} at ${path} ` +
      "(JSON has no NaN or Infinity; nothing was written). Please report it.");
    this.path = path;
    this.value = value;
  }
}

function step(path: string, key: string, holder: unknown): string {
  if (Array.isArray(holder)) return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * JSON text of v (indent as JSON.stringify's third argument). Throws NonFiniteJsonError on the first NaN or
 * +-Infinity (in document order), with its path.
 */
export function toJson(v: unknown, indent?: number | string): string {
  const paths = new WeakMap<object, string>();
  return JSON.stringify(v, function (this: unknown, key: string, x: unknown) {
    const holderPath = typeof this === "object" && this !== null ? paths.get(this) : undefined;
    const path = holderPath === undefined ? "$" : step(holderPath, key, this);
    if (ArrayBuffer.isView(x) && !(x instanceof DataView)) x = Array.from(x as unknown as ArrayLike<number>);
    if (typeof x === "number" && !Number.isFinite(x)) throw new NonFiniteJsonError(path, x);
    if (typeof x === "object" && x !== null) paths.set(x, path);
    return x;
  }, indent);
}
