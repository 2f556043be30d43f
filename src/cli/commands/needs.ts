import type { Engine } from "../../engine.js";
import { available } from "../../report/api.js";
import { CliError } from "../program.js";

/** Exit 1 with one line when the build lacks a public API function a command needs. */
export function needs(engine: Engine, command: string, names: string[]): void {
  const missing = names.filter((n) => !available(engine, n));
  if (missing.length) throw new CliError(`${command} is not available in this build (missing ${missing.join(", ")})`, 1);
}
