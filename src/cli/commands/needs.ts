import type { Engine } from "../../engine.js";
import { lookup } from "../../report/api.js";
import { CliError } from "../program.js";

/** Exit 1 with one line when the build lacks a public API function a command needs. */
export function needs(engine: Engine, command: string, names: string[]): void {
  const missing = names.filter((n) => lookup(engine, n) === undefined);
  if (missing.length) throw new CliError(`${command} is not available in this build (missing ${missing.join(", ")})`, 1);
}
