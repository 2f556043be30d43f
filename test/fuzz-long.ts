// `npm run fuzz [-- --seed S --count N --only REGEX]`: the fuzz of test/fuzz.test.ts for as long as you like
// (env FUZZ_SEED / FUZZ_COUNT / FUZZ_ONLY work too). Default: a fresh seed from the clock, 10000 probes per function.
// Prints the per-function counts; on failure, the seed and each failing probe's seed, and exits 1.
import { createEngine } from "../src/index.js";
import { makeTableContext } from "./api-table.js";
import { fuzz, formatCounts } from "./fuzz-lib.js";
import { numericsPolicy } from "./fuzz-policy.js";

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const seed = Number(flag("seed") ?? process.env.FUZZ_SEED ?? (Date.now() % 2 ** 31));
const count = Number(flag("count") ?? process.env.FUZZ_COUNT ?? 10000);
const only = flag("only") ?? process.env.FUZZ_ONLY;
const budget = Number(flag("budget") ?? process.env.FUZZ_BUDGET_MS ?? 1500);
if (!Number.isSafeInteger(seed) || seed < 0 || !Number.isSafeInteger(count) || count < 1) {
  console.error("usage: npm run fuzz -- [--seed S (integer >= 0)] [--count N (probes per function)] [--only REGEX] [--budget MS]");
  process.exit(2);
}
console.log(`fuzz: seed ${seed}, ${count} probes per function${only ? `, functions /${only}/` : ""}`);
const e = await createEngine({ memoryLimit: 2 ** 26 });
const threads = (await makeTableContext(e)).threads!;
const res = await fuzz({
  seed, perFunction: count, engine: e, only: only ? new RegExp(only) : undefined, tolerate: numericsPolicy, validBudgetMs: budget,
  onFunction: (name, s) => console.log(`  ${name}: ${s.probes} probes (${s.ok} ok, ${s.typed} typed, ${s.user} caller errors) ${s.ms.toFixed(0)} ms`),
});
console.log(formatCounts(res.stats).join("\n"));
for (const [k, t] of res.tolerated) console.log(`tolerated ${t.count}x ${k}\n    e.g. ${t.example}`);
await threads.close();
await e.closeWorkers();
if (res.failures.length) {
  console.log(`\n${res.failures.length} failures (seed ${seed}):\n${res.failures.join("\n")}`);
  console.log(`\nFAILED with seed ${seed}: rerun with  npm run fuzz -- --seed ${seed} --count ${count}${only ? ` --only '${only}'` : ""}`);
  process.exit(1);
}
console.log(`\nOK: ${[...res.stats.values()].reduce((a, s) => a + s.probes, 0)} probes, seed ${seed}, ${(res.ms / 1000).toFixed(1)} s`);
process.exit(0);
