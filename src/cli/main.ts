#!/usr/bin/env node
/** Entry point of the `hardlearn` command (package.json "bin"). All logic is in program.ts. */
import { readFileSync } from "node:fs";
import { runCli, setVersion } from "./program.js";

try {
  setVersion(JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version);
} catch {
  // version stays 0.0.0 if package.json is not next to dist/ (never in a normal install)
}
const code = await runCli(process.argv.slice(2));
// Exit once stdout and stderr are flushed (pipes are asynchronous in Node); worker pools never keep us alive.
process.exitCode = code;
process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
