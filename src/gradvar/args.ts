/**
 * Validation of the ArrayLike<number> arguments of the gradvar closed-form helpers (eq3Loss, eq3Gradient,
 * eq3Hessian, cosLossAndGradient). Only their public wrappers call it: internal hot loops (landscape Newton search
 * and grid, Monte-Carlo comparison, oracle simulation) use the unvalidated *Raw kernels on inputs they built.
 */
import { InvalidArgumentError } from "../errors.js";
import { assertFiniteArray, isFloat64Array } from "../validate.js";

/**
 * A Float64Array or a plain array, every entry a finite number, and (when `len` is given) exactly `len` entries.
 * Messages: "<name> must be a Float64Array or an array of finite numbers", "<name>.length must be <len>",
 * "<name>[i] must be a finite number".
 */
export function assertNumberArray(name: string, v: unknown, len?: number): asserts v is ArrayLike<number> {
  if (!isFloat64Array(v) && !Array.isArray(v)) {
    throw new InvalidArgumentError(name, "a Float64Array or an array of finite numbers", v);
  }
  if (len !== undefined && v.length !== len) throw new InvalidArgumentError(`${name}.length`, `${len}`, v.length);
  assertFiniteArray(name, v);
}
