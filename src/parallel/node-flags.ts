/**
 * Which of this process's Node flags a worker_threads Worker can take.
 *
 * Workers reject per-process and V8 options in an explicit `execArgv` (ERR_WORKER_INVALID_EXEC_ARGV: e.g.
 * --max-old-space-size, --stack-size, --expose-gc, --title, --jitless), and a worker that inherits `--input-type`
 * refuses to run a file ("--input-type can only be used with string input"). Those flags act on the whole process
 * anyway, so workers do not need them. What a worker does need are the module-loading flags (`--import tsx`,
 * `--require`, `--loader`, `--conditions`), so TypeScript sources and custom resolution keep working inside it.
 *
 * `workerExecArgvTiers()` gives the candidates to try in order: loaders + harmless diagnostic/experimental flags,
 * then loaders only, then nothing. The caller keeps the first one the Worker constructor accepts (the constructor
 * checks execArgv synchronously, before any thread starts).
 */

/** Flags whose value may follow as the next execArgv entry (`--import tsx`) instead of `--import=tsx`. */
const TAKES_VALUE = new Set([
  "--import", "--require", "-r", "--loader", "--experimental-loader", "--conditions", "-C", "--disable-warning",
  "--experimental-default-type",
]);
/** Module-loading flags a worker needs to load the same code as its parent. */
const LOADERS = new Set(["--import", "--require", "-r", "--loader", "--experimental-loader", "--conditions", "-C"]);
/** Flags that only change diagnostics or opt into per-thread features; valid in workers on current Node lines. */
const HARMLESS = /^--(no-warnings|disable-warning|enable-source-maps|trace-warnings|trace-uncaught|pending-deprecation|no-deprecation|throw-deprecation|trace-deprecation|preserve-symlinks|experimental-default-type|(no-)?experimental-(vm-modules|detect-module|require-module|wasm-modules|import-meta-resolve|strip-types|transform-types|specifier-resolution))$/;

interface Flag { name: string; tokens: string[] }

/** Split an execArgv list into flags with their values (`--import tsx` is one flag of two tokens). */
export function parseExecArgv(argv: readonly string[]): Flag[] {
  const out: Flag[] = [];
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (!tok.startsWith("-")) continue; // a value of a flag we do not keep (e.g. the code after -e)
    const eq = tok.indexOf("=");
    const name = eq > 0 ? tok.slice(0, eq) : tok;
    if (eq < 0 && TAKES_VALUE.has(name) && i + 1 < argv.length) {
      out.push({ name, tokens: [tok, argv[i + 1]] });
      i++;
    } else {
      out.push({ name, tokens: [tok] });
    }
  }
  return out;
}

/** Candidate execArgv lists for a worker, most complete first; the last one is always []. */
export function workerExecArgvTiers(argv: readonly string[]): string[][] {
  const flags = parseExecArgv(argv);
  const full = flags.filter((f) => LOADERS.has(f.name) || HARMLESS.test(f.name)).flatMap((f) => f.tokens);
  const loaders = flags.filter((f) => LOADERS.has(f.name)).flatMap((f) => f.tokens);
  const tiers = [full, loaders, []];
  return tiers.filter((t, i) => tiers.findIndex((u) => u.join("\0") === t.join("\0")) === i);
}

let accepted: string[] | undefined;

/**
 * Construct a worker_threads Worker with the richest execArgv tier the constructor accepts (remembered for the
 * process). `make` is called with each candidate until it does not throw ERR_WORKER_INVALID_EXEC_ARGV.
 */
export function withWorkerExecArgv<W>(make: (execArgv: string[]) => W): W {
  if (accepted) return make(accepted);
  const tiers = workerExecArgvTiers(process.execArgv);
  let last: unknown;
  for (const t of tiers) {
    try {
      const w = make(t);
      accepted = t;
      return w;
    } catch (e) {
      if ((e as { code?: string })?.code !== "ERR_WORKER_INVALID_EXEC_ARGV") throw e;
      last = e;
    }
  }
  throw last;
}
