// Failures the fuzz tolerates for now (counted and printed, never hidden): overflow / underflow of finite inputs of
// extreme magnitude, which the numerics branch is fixing under one documented policy for every public function.
// Delete a line (or the whole rule) once that work has landed; the fuzz then fails on any such probe.
import type { Cause } from "./fuzz-lib.js";

export function numericsPolicy(fn: string, kind: string, cause: Cause): string | undefined {
  if (cause !== "magnitude") return undefined;
  if (kind === "non-finite result" || kind === "svd orthogonality" || kind === "svd reconstruction") return `${fn} | ${kind}`;
  return undefined;
}
