/**
 * Argument parsers for the CLI. Each throws commander's InvalidArgumentError with a phrase naming the rule, so a
 * bad value becomes ONE line on stderr ("hardlearn: option '--dim <D>' argument 'x' is invalid: ...") and exit code 2.
 */
import { InvalidArgumentError } from "commander";

function num(raw: string): number {
  const s = raw.trim();
  // Number("") is 0 and Number("0x10") is 16: accept plain decimal / exponent notation only.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return NaN;
  return Number(s);
}

export function positiveInt(raw: string): number {
  const v = num(raw);
  if (!Number.isInteger(v) || v < 1 || v > 2 ** 31 - 1) throw new InvalidArgumentError("Must be a positive integer.");
  return v;
}

export function nonNegativeInt(raw: string): number {
  const v = num(raw);
  if (!Number.isInteger(v) || v < 0 || v > 2 ** 32 - 1) throw new InvalidArgumentError("Must be a nonnegative integer.");
  return v;
}

/** Seeds: integers in [0, 2^53). */
export function seed(raw: string): number {
  const v = num(raw);
  if (!Number.isSafeInteger(v) || v < 0) throw new InvalidArgumentError("Must be an integer in [0, 2^53).");
  return v;
}

export function positiveNumber(raw: string): number {
  const v = num(raw);
  if (!Number.isFinite(v) || !(v > 0)) throw new InvalidArgumentError("Must be a number > 0.");
  return v;
}

export function nonNegativeNumber(raw: string): number {
  const v = num(raw);
  if (!Number.isFinite(v) || !(v >= 0)) throw new InvalidArgumentError("Must be a number >= 0.");
  return v;
}

export function threads(raw: string): number {
  const v = num(raw);
  if (!Number.isInteger(v) || v < 1 || v > 64) throw new InvalidArgumentError("Must be an integer in [1, 64].");
  return v;
}

/** Comma-separated list of numbers > 0 (e.g. radii "0.5,1,2"). */
export function positiveList(raw: string): number[] {
  const parts = raw.split(",").map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === "")) throw new InvalidArgumentError("Must be a comma-separated list of numbers > 0.");
  return parts.map((p) => {
    const v = num(p);
    if (!Number.isFinite(v) || !(v > 0)) throw new InvalidArgumentError(`Must be a comma-separated list of numbers > 0 (got '${p}').`);
    return v;
  });
}

/** Comma-separated list of positive integers (e.g. dimensions "2,10,100"). */
export function positiveIntList(raw: string): number[] {
  const parts = raw.split(",").map((p) => p.trim());
  return parts.map((p) => {
    const v = num(p);
    if (!Number.isInteger(v) || v < 1 || v > 2 ** 31 - 1) throw new InvalidArgumentError(`Must be a comma-separated list of positive integers (got '${p}').`);
    return v;
  });
}

/** Comma-separated list of names, each from `allowed`. */
export function nameList(allowed: readonly string[]): (raw: string) => string[] {
  return (raw: string) => {
    const parts = raw.split(",").map((p) => p.trim());
    for (const p of parts) {
      if (!allowed.includes(p)) throw new InvalidArgumentError(`Must be a comma-separated list of ${allowed.join(", ")} (got '${p}').`);
    }
    return parts;
  };
}
