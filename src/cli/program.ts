/**
 * The `hardlearn` command line (commander). `runCli(argv, io)` parses, runs one subcommand and returns the exit code:
 *   0 success, 1 failure (numerical or internal), 2 usage error (unknown command/flag, bad number, missing value,
 *   out-of-range value such as radius <= 0, an InvalidArgumentError raised by the library for a flag's value, a problem
 *   over the memory limit or above a minute of estimated work without --yes (cost-guard.ts), a refused --out path).
 * Every error is ONE line on stderr. With --json, stdout carries exactly one JSON document and nothing else.
 */
import { Command, CommanderError, InvalidArgumentError as CommanderInvalidArgumentError, Option } from "commander";
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

type State = {
  action?: () => Promise<number>;
  /** Long flags given so far in this parse (a value flag given twice is a usage error). */
  seen: Set<string>;
};

/**
 * A value option's parser that refuses a repeated flag (commander would silently keep the last value) and keeps
 * commander's choices check (`.choices()` installs its own parser, which this one replaces).
 */
function onceParser(state: State, flag: string, parse?: (raw: string) => unknown, choices?: readonly string[]) {
  return (raw: string) => {
    if (state.seen.has(flag)) throw new CliError(`option '${flag}' given more than once (pass it once)`, 2);
    state.seen.add(flag);
    if (choices && !choices.includes(raw)) {
      throw new CommanderInvalidArgumentError(`Allowed choices are ${choices.join(", ")}.`);
    }
    return parse ? parse(raw) : raw;
  };
}

const takesValue = (flags: string) => /[<[]/.test(flags);

/**
 * Library argument names (after "options." / "args.") that a command fills from a flag of another name. Anything
 * else maps to the flag of the same camelCase name, if the command (or the program) has one.
 */
const API_TO_FLAG: Record<string, Record<string, string>> = {
  "*": { seed: "seed", workers: "threads", theta: "thetaNorm", thetaNorms: "thetaNorm", dims: "dim", radii: "radius" },
  invariance: { m: "samples", d: "dim", conds: "cond" },
  train: { batchSize: "batch", n: "dim" },
  networks: { n: "dim" },
  oracle: { theta0: "thetaNorm", learningRate: "lr" },
};

/**
 * The library's InvalidArgumentError for a value that came from a flag, re-worded with the flags the user typed:
 * "invalid argument. options.extent must be ..." -> "invalid argument. --extent must be ...", also for products
 * ("args.thetaNorm * args.radius" -> "--theta-norm * --radius") and for names inside the rule. Items of list flags keep
 * their position ("--cond (item 2)"). Undefined when the argument does not come from flags of the command.
 */
function flagMessage(e: InvalidArgumentError, command: Command, program: Command): string | undefined {
  const prefix = `invalid argument. ${e.argument} must be `;
  if (!e.message.startsWith(prefix)) return undefined;
  const opts = [...command.options, ...program.options];
  let unmapped = false;
  const map = (text: string, strict: boolean) => text.replace(/\b(?:options|args)\.([A-Za-z0-9]+)(\[(\d+)\])?/g, (tok, root: string, _i, item?: string) => {
    const attr = API_TO_FLAG[command.name()]?.[root] ?? API_TO_FLAG["*"][root] ?? root;
    const opt = opts.find((o) => o.attributeName() === attr && o.long);
    if (!opt) {
      if (strict) unmapped = true;
      return tok;
    }
    return item !== undefined ? `${opt.long} (item ${Number(item) + 1})` : opt.long!;
  });
  const name = map(e.argument, true);
  if (unmapped || name === e.argument) return undefined;
  return `invalid argument. ${name} must be ${map(e.message.slice(prefix.length), false)}`;
}

function buildProgram(io: CliIO, state: State): Command {
  const program = new Command();
  program
    .name("hardlearn")
    .description("Run, measure and see the hardness-of-learning results of Shamir (JMLR 2018) and Daniely & Vardi (NeurIPS 2020) on a WebAssembly float64 engine.")
    .version(VERSION, "-V, --version")
    .addOption(new Option("--seed <n>", "base seed of every random stream").argParser(onceParser(state, "--seed", P.seed)).default(20180101))
    .addOption(new Option("--threads <n>", "worker threads for Monte-Carlo work (results are identical for any value)").argParser(onceParser(state, "--threads", P.threads)).default(1))
    .option("--json", "print one machine-readable JSON document on stdout and nothing else", false)
    .addOption(new Option("--out <dir>", "write results (JSON, SVG figures; the report for `reproduce`) into this directory: a new or empty one, or one hardlearn wrote (never anything else)").argParser(onceParser(state, "--out")))
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
  const required: Option[] = [];
  for (const o of spec.options) {
    const opt = new Option(o.flags, o.description);
    if (o.choices) opt.choices(o.choices); // (for the help text; the check is in onceParser)
    if (takesValue(o.flags)) opt.argParser(onceParser(state, opt.long!, o.parse, o.choices));
    else if (o.parse) opt.argParser(o.parse as (v: string, prev: unknown) => unknown);
    if (o.default !== undefined) opt.default(o.default);
    // Required flags are checked in the action, i.e. after commander's unknown-flag check: `--dimm 10` must be
    // reported as the unknown flag it is, not as a missing --dim.
    if (o.required) required.push(opt);
    cmd.addOption(opt);
  }
  for (const a of spec.args ?? []) cmd.argument(a);
  if (spec.examples.length) cmd.addHelpText("after", `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join("\n")}\n`);
  cmd.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s), outputError: () => {} });
  cmd.action((...params: unknown[]) => {
    const command = params[params.length - 1] as Command;
    const args = params.slice(0, -2);
    for (const opt of required) {
      if (command.getOptionValue(opt.attributeName()) === undefined) throw new CliError(`required option '${opt.flags}' not specified`, 2);
    }
    const all = command.optsWithGlobals() as Record<string, unknown> & GlobalOptions;
    state.action = async () => {
      if (all.out !== undefined) {
        if (all.out.trim() === "") throw new CliError("option '--out <dir>' argument must be a non-empty path", 2);
        // Refuse before any work: a file, a symlink, or a non-empty directory hardlearn did not write.
        await checkOutputDir(all.out, spec.name === "reproduce" ? "replace" : "add", spec.outputs ?? []);
      }
      const showProgress = io.isTTY && progressEnabled(all.json);
      const bar: Progress = createProgress(showProgress);
      // The cost guard's note ("estimated 23 s of work ...") is held back until the run is past the library's
      // validation — its first progress update, or its end — so that a usage error stays ONE line on stderr.
      let note: string[] = [];
      const flushNote = () => { for (const l of note) io.stderr(l); note = []; };
      const progress: Progress = {
        start: (label, total) => bar.start(label, total),
        update: (done, total) => { flushNote(); bar.update(done, total); },
        stop: () => bar.stop(),
        setEstimate: (seconds) => bar.setEstimate(seconds),
      };
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
      // The library's errors about a flag's value name the flag the user typed.
      const inFlags = async <T>(f: () => Promise<T>): Promise<T> => {
        try {
          return await f();
        } catch (e) {
          const msg = e instanceof InvalidArgumentError ? flagMessage(e, command, program) : undefined;
          if (msg !== undefined) throw new CliError(msg, 2);
          throw e;
        }
      };
      if (spec.estimate) {
        const w = await inFlags(async () => spec.estimate!(ctx));
        if (w) progress.setEstimate((await guardCost(spec.name, w, ctx.global.yes, { ...io, stderr: (l) => { note.push(l); } })).seconds);
      }
      try {
        const result = await inFlags(() => spec.run(ctx)).catch((e) => { note = []; throw e; });
        flushNote();
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
  const state: State = { seen: new Set() };
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
