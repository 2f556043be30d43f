/** What a subcommand declares and receives. */
import type { Engine } from "../../engine.js";
import type { CliIO, GlobalOptions } from "../program.js";
import type { Progress } from "../progress.js";

export interface OptionSpec {
  flags: string;
  description: string;
  parse?: (raw: string) => unknown;
  default?: unknown;
  choices?: string[];
  required?: boolean;
}

export interface CommandContext {
  /** All options (subcommand + global), parsed. */
  opts: Record<string, unknown>;
  /** Positional arguments declared in CommandSpec.args (a variadic one arrives as a string array). */
  args: unknown[];
  global: GlobalOptions;
  progress: Progress;
  io: CliIO;
  /** The engine, created on first use. */
  engine(): Promise<Engine>;
  /** Write files into --out DIR (no-op without --out). */
  writeOut(files: Record<string, string | Uint8Array>): Promise<void>;
}

export interface CommandResult {
  /** The --json document. */
  json: unknown;
  /** Human-readable output. */
  text: string;
  /** Exit code after printing (default 0); e.g. 1 when the report was written but an experiment failed. */
  exitCode?: number;
}

export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** Positional arguments in commander syntax, e.g. "<spec>" or "<files...>". Default none. */
  args?: string[];
  examples: string[];
  run(ctx: CommandContext): Promise<CommandResult>;
}
