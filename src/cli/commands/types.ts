/** What a subcommand declares and receives. */
import type { Engine } from "../../engine.js";
import type { CliIO, GlobalOptions } from "../io.js";
import type { Progress } from "../progress.js";
import type { WorkEstimate } from "../cost-guard.js";

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
  /**
   * Set when a progress bar is drawn: long computations given this signal yield between their chunks, so the bar and
   * its ETA are redrawn while they run (it is never aborted; results are the same bits with or without it).
   */
  redrawSignal?: AbortSignal;
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
  /** Files the command writes into --out DIR (checked before any work is done). */
  outputs?: string[];
  /**
   * Memory and work of this invocation, estimated before it starts (cost-guard.ts: refused over the memory limit,
   * and above a minute of work without --yes). Absent or undefined: the command is always quick.
   */
  estimate?(ctx: CommandContext): Promise<WorkEstimate | undefined>;
  run(ctx: CommandContext): Promise<CommandResult>;
}
