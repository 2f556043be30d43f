/**
 * The test gate behind `npm test`: runs uvu suites in this process and exits non-zero whenever anything went wrong.
 *
 *   node --import tsx test/run.ts [pattern] [--dir DIR]
 *
 * runs every file under DIR (default `test`) whose path matches `pattern` (default `\.test\.ts$`), then prints the
 * plain closing line `N passed, N failed`. A test counts as failed when
 *   - its assertion fails or it throws;
 *   - it never ran because a `before` / `before.each` hook of its suite threw (uvu 0.5 swallows such errors and
 *     reports the suite as "(0 / N)" with exit code 0 — this runner counts the N tests as failed and prints the
 *     hook's error);
 *   - an `after` hook threw (one failure for the suite);
 * and one failure is counted for each file that fails to load, each file that registers no test, each uncaught
 * exception or unhandled rejection, and a process that exits before the run is over. The exit code is 1 if anything
 * failed or no test ran at all, else 0. test/gate.test.ts proves each of these paths against fixtures.
 */
import { parse } from "uvu/parse";
import { relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

type SuiteRun = () => Promise<[string | true, number, number, number]>;
type Hook = (fn: (...a: unknown[]) => unknown) => void;
type Queue = Array<Array<string | null | SuiteRun>>;

const argv = process.argv.slice(2);
let dir = "test";
let pattern = "\\.test\\.ts$";
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--dir") dir = argv[++i] ?? dir;
  else pattern = argv[i];
}

let passed = 0;
let failed = 0;
let finished = false;
const problems: string[] = [];
/** Errors thrown by hooks, in the order they happened (uvu itself drops them). */
const hookErrors: string[] = [];

function fail(count: number, why: string): void {
  failed += count;
  problems.push(why);
  if (finished) process.exitCode = 1;
  process.stdout.write(`\n  FAIL  ${why}\n`);
}

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
}

process.on("uncaughtException", (e) => fail(1, `uncaught exception: ${describe(e)}`));
process.on("unhandledRejection", (e) => fail(1, `unhandled promise rejection: ${describe(e)}`));
process.on("exit", (code) => {
  if (finished) return;
  // A test called process.exit or the event loop emptied with a test still pending.
  failed += 1;
  process.stdout.write(`\n  FAIL  the process exited (code ${code}) before the tests finished\n\n${passed} passed, ${failed} failed\n`);
  process.exitCode = 1;
});

// uvu collects suites into a queue instead of running them when UVU_DEFER is set before it is first imported.
(globalThis as { UVU_DEFER?: number }).UVU_DEFER = 1;
const uvu = await import("uvu");
const g = globalThis as unknown as { UVU_QUEUE: Queue; UVU_INDEX: number };

// Wrap the hook registrars of the shared `test` suite so a hook's error is recorded before uvu swallows it.
// `before` hooks rethrow (the suite's tests must not run); `after` hooks are absorbed so uvu still returns the suite's
// counts, and the recorded error is counted as one failure.
function wrapRegistrar(owner: Record<string, unknown>, key: string, label: string): void {
  const orig = owner[key] as Hook & { each?: Hook };
  const each = orig.each;
  const wrapped = ((fn: (...a: unknown[]) => unknown) =>
    orig(async (...a: unknown[]) => {
      try {
        return await fn(...a);
      } catch (e) {
        hookErrors.push(`${label} hook threw: ${describe(e)}`);
        if (label.startsWith("before")) throw e;
      }
    })) as Hook & { each?: Hook };
  owner[key] = wrapped;
  if (each) {
    wrapped.each = each;
    wrapRegistrar(wrapped as unknown as Record<string, unknown>, "each", `${label}.each`);
  }
}
const shared = uvu.test as unknown as Record<string, unknown>;
wrapRegistrar(shared, "before", "before");
wrapRegistrar(shared, "after", "after");

const root = resolve(dir);
// Fixture suites (test/fixtures) exist to be run by other tests, never as part of the suite itself.
const suites = (await parse(root, pattern)).suites.filter((s) => !/^fixtures[\\/]/.test(s.name));
if (suites.length === 0) fail(1, `no test file under ${dir} matches /${pattern}/`);

const t0 = Date.now();
for (let i = 0; i < suites.length; i++) {
  const { name, file } = suites[i];
  g.UVU_INDEX = i;
  g.UVU_QUEUE.push([name]);
  try {
    await import(pathToFileURL(file).href);
  } catch (e) {
    fail(1, `${name} failed to load: ${describe(e)}`);
    g.UVU_QUEUE[i] = [null];
    continue;
  }
  if (g.UVU_QUEUE[i].length < 2) fail(1, `${name} registered no test (no test() call, or the suite never calls .run())`);
}

for (const group of g.UVU_QUEUE) {
  const name = group.shift();
  if (name == null) continue;
  process.stdout.write(`\n${name}\n`);
  for (const run of group as SuiteRun[]) {
    const seen = hookErrors.length;
    let result: [string | true, number, number, number];
    try {
      result = await run();
    } catch (e) {
      // uvu lets an `after` hook's error escape the suite.
      fail(1, `${name}: ${hookErrors.slice(seen).join("\n") || describe(e)}`);
      continue;
    }
    const [errors, ran, , total] = result;
    passed += ran;
    const hookMsg = hookErrors.slice(seen).join("\n");
    if (errors !== true) {
      process.stdout.write(`\n${errors}\n`);
      failed += total - ran;
      problems.push(`${name}: ${total - ran} failed`);
      if (hookMsg) fail(0, `${name}: ${hookMsg}`);
    } else if (ran < total) {
      fail(total - ran, `${name}: ${total - ran} of ${total} tests did not run — ${hookMsg || "a hook threw"}`);
    } else if (hookMsg) {
      fail(1, `${name}: ${hookMsg}`);
    }
  }
}

if (passed + failed === 0) fail(1, "no test ran");
finished = true;
const secs = ((Date.now() - t0) / 1000).toFixed(1);
if (problems.length) {
  process.stdout.write(`\nProblems (${relative(process.cwd(), root) || "."}, ${secs} s):\n`);
  for (const p of problems) process.stdout.write(`  - ${p.split("\n")[0]}\n`);
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
// Pool workers or servers a test forgot to close must not keep a finished run alive.
setTimeout(() => process.exit(), 200).unref();
