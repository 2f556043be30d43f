/**
 * The `hardlearn` command line (commander). `runCli(argv, io)` parses, runs one subcommand and returns the exit code:
 *   0 success, 1 failure (numerical or internal), 2 usage error (unknown command/flag, bad number, missing value,
 *   out-of-range value such as radius <= 0, an InvalidArgumentError raised by the library for a flag's value, a problem
 *   over the memory limit or above a minute of estimated work without --yes (cost-guard.ts), a refused --out path).
 * Every error is ONE line on stderr. With --json, stdout carries exactly one JSON document and nothing else.
 */
import { Command, CommanderError, Option } from "commander";
import { createEngine, type Engine } from "../engine.js";
import { AllocationError, HardlearnError, InvalidArgumentError } from "../errors.js";
import { checkOutputDir, OutputPathError, writeFilesInto } from "../atomic.js";
import * as P from "./args.js";
import { toJson } from "./json.js";
import { CliError, nodeIO, type CliIO, type GlobalOptions } from "./io.js";
import { createProgress, progressEnabled, type Progress } from "./progress.js";
import { guardCost } from "./cost-guard.js";
import { COMMANDS, type CommandContext, type CommandSpec } from "./commands/index.js";

export { CliError, nodeIO, type CliIO, type GlobalOptions } from "./io.js";

/** Collapse a multi-line commander message into one line without the "error: " prefix. */
function oneLine(msg: string): string {
  return msg.replace(/^error:\s*/i, "").split("\n").map((l) => l.trim()).filter(Boolean).join(" ").replace(/\(Did you mean/g, "(did you mean");
}

/** JSON with typed arrays as arrays; a non-finite number throws NonFiniteJsonError (see json.ts). */
export { toJson };

type State = { action?: () => Promise<number> };

function buildProgram(io: CliIO, state: State): Command {
  const program = new Command();
  program
    .name("hardlearn")
    .description("Run, measure and see the hardness-of-learning results of Shamir (JMLR 2018) and Daniely & Vardi (NeurIPS 2020) on a WebAssembly float64 engine.")
    .version(VERSION, "-V, --version")
    .addOption(new Option("--seed <n>", "base seed of every random stream").argParser(P.seed).default(20180101))
    .addOption(new Option("--threads <n>", "worker threads for Monte-Carlo work (results are identical for any value)").argParser(P.threads).default(1))
    .option("--json", "print one machine-readable JSON document on stdout and nothing else", false)
    .option("--out <dir>", "write results (JSON, SVG figures; the report for `reproduce`) into this directory: a new or empty one, or one hardlearn wrote (never anything else)")
    .option("--yes", "run even when the estimated work is above one minute", false)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      // Usage errors are re-emitted by runCli as one line; swallow commander's own (possibly multi-line) print.
      outputError: () => {},
    })
    .addHelpText("after", `
Examples:
  $ hardlearn reproduce                         # every experiment of both papers -> report/index.html, report/results.json
  $ hardlearn reproduce --full --out pub        # publication sizes
  $ hardlearn gradvar --dim 10 --theta-norm 1 --radius 1,2,4 --directions 1000 --samples 20000 --json
  $ hardlearn landscape --radius 2 --extent 4 --grid 81 --json
  $ hardlearn invariance --json
  $ hardlearn halfspaces --dim 8 --instances 200 --json
  $ hardlearn bench

Exit codes: 0 success, 1 failure, 2 usage error (one line on stderr).`);

  for (const spec of COMMANDS) addCommand(program, spec, io, state);
  return program;
}

function addCommand(program: Command, spec: CommandSpec, io: CliIO, state: State): void {
  const cmd = program.command(spec.name).description(spec.description);
  for (const o of spec.options) {
    const opt = new Option(o.flags, o.description);
    if (o.parse) opt.argParser(o.parse as (v: string, prev: unknown) => unknown);
    if (o.default !== undefined) opt.default(o.default);
    if (o.choices) opt.choices(o.choices);
    if (o.required) opt.makeOptionMandatory(true);
    cmd.addOption(opt);
  }
  for (const a of spec.args ?? []) cmd.argument(a);
  if (spec.examples.length) cmd.addHelpText("after", `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join("\n")}\n`);
  cmd.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s), outputError: () => {} });
  cmd.action((...params: unknown[]) => {
    const command = params[params.length - 1] as Command;
    const args = params.slice(0, -2);
    const all = command.optsWithGlobals() as Record<string, unknown> & GlobalOptions;
    state.action = async () => {
      if (all.out !== undefined) {
        if (all.out.trim() === "") throw new CliError("option '--out <dir>' argument must be a non-empty path", 2);
        // Refuse before any work: a file, a symlink, or a non-empty directory hardlearn did not write.
        await checkOutputDir(all.out, spec.name === "reproduce" ? "replace" : "add", spec.outputs ?? []);
      }
      const showProgress = io.isTTY && progressEnabled(all.json);
      const progress: Progress = createProgress(showProgress);
      let engine: Engine | undefined;
      const ctx: CommandContext = {
        opts: all,
        args,
        global: { seed: all.seed, threads: all.threads, json: all.json, out: all.out, yes: !!all.yes },
        progress,
        redrawSignal: showProgress ? new AbortController().signal : undefined,
        io,
        engine: async () => (engine ??= await createEngine()),
        writeOut: async (files) => {
          if (all.out === undefined) return;
          await writeFilesInto(all.out, files, { writer: `hardlearn ${spec.name}` });
        },
      };
      if (spec.estimate) {
        const w = await spec.estimate(ctx);
        if (w) progress.setEstimate((await guardCost(spec.name, w, ctx.global.yes, io)).seconds);
      }
      try {
        const result = await spec.run(ctx);
        progress.stop();
        if (all.json) io.stdout(toJson(result.json) + "\n");
        else io.stdout(result.text.endsWith("\n") ? result.text : result.text + "\n");
        return result.exitCode ?? 0;
      } finally {
        progress.stop();
      }
    };
  });
}

let VERSION = "0.0.0";
/** Set by main.ts from package.json. */
export function setVersion(v: string): void {
  VERSION = v;
}

/** Parse argv (without node and script), run, return the exit code. */
export async function runCli(argv: string[], io: CliIO = nodeIO()): Promise<number> {
  const state: State = {};
  const program = buildProgram(io, state);
  try {
    if (argv.length === 0) throw new CliError("missing command (try 'hardlearn --help')", 2);
    await program.parseAsync(argv, { from: "user" });
    if (!state.action) throw new CliError(`unknown command '${argv[0]}' (try 'hardlearn --help')`, 2);
    return await state.action();
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return e.exitCode === 0 || e.code !== "commander.help" ? 0 : 2;
      io.stderr(`hardlearn: ${oneLine(e.message)}\n`);
      return 2;
    }
    if (e instanceof OutputPathError) {
      io.stderr(`hardlearn: refusing --out ${JSON.stringify(e.path)}: ${e.reason}; give a new or empty directory, or one hardlearn wrote\n`);
      return 2;
    }
    if (e instanceof CliError) {
      io.stderr(`hardlearn: ${oneLine(e.message)}\n`);
      return e.exitCode;
    }
    if (e instanceof InvalidArgumentError || e instanceof AllocationError) {
      io.stderr(`hardlearn: ${oneLine(e.message)}\n`);
      return 2;
    }
    if (e instanceof HardlearnError) {
      io.stderr(`hardlearn: ${oneLine(e.message)}\n`);
      return 1;
    }
    io.stderr(`hardlearn: ${oneLine(String((e as Error)?.stack?.split("\n")[0] ?? e))}\n`);
    return 1;
  }
}
