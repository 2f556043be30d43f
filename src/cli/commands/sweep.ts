/**
 * `hardlearn sweep SPEC`: run a sweep spec (JSON or YAML; see src/sweep/spec.ts), or one shard of it, into an
 * append-only JSON-lines results file; rerunning the same command resumes (finished cells are skipped, a torn last
 * line is redone, a changed spec is refused). When the whole sweep is in the file, prints the canonical result
 * (table, --json, or --format csv) and with --output writes it atomically.
 * Shards: --shard i/n, or from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or JOB_COMPLETION_INDEX/HARDLEARN_SHARD_COUNT.
 */
import { basename, dirname, join } from "node:path";
import { planSweep, estimateCellSeconds, inShard, type SweepPlan } from "../../sweep/spec.js";
import { runSweep, sweepResult, formatSweepResult, sweepCsv, type CellRecord, type SweepResult } from "../../sweep/run.js";
import { openResultsFile, versions, writeResultFile } from "../../sweep/files.js";
import { readSpecFile } from "../../sweep/load.js";
import { chooseShard } from "../../sweep/shard.js";
import type { CommandSpec } from "./types.js";

/** Default results path: next to the spec, <stem>.results.jsonl or <stem>.shard-<i>-of-<n>.jsonl. */
export function defaultResultsPath(specPath: string, shard: { index: number; count: number }): string {
  const stem = basename(specPath).replace(/\.(json|ya?ml)$/i, "");
  return join(dirname(specPath), shard.count === 1 ? `${stem}.results.jsonl` : `${stem}.shard-${shard.index}-of-${shard.count}.jsonl`);
}

const fmt = (x: unknown): string => (typeof x === "number" ? (Number.isInteger(x) ? String(x) : x.toPrecision(4)) : x === null || x === undefined ? "-" : String(x));

const KEY_FIELDS: Record<string, string[]> = {
  gradvar: ["exact", "estimate", "stderr", "relativeStderr", "blocksUsed", "stop"],
  train: ["trainLoss", "testLoss", "trivialLoss", "learned"],
  oracle: ["maxVariance", "delta", "failureRate", "trajectoriesCoincide"],
  landscape: ["flatShare", "maxima", "minima", "saddles", "plateau"],
  networks: ["labelMean", "labelVariance", "zeroShare"],
};

/** Markdown table of a result: the parameters that vary, the replicate seed, and the experiment's key numbers. */
export function resultTable(r: SweepResult, maxRows = 60): string {
  const cells = r.cells;
  const pk = Object.keys(cells[0]?.params ?? {}).filter((k) => new Set(cells.map((c) => JSON.stringify(c.params[k]))).size > 1);
  const rk = KEY_FIELDS[r.spec.experiment] ?? [];
  const head = ["cell", ...pk, "seed", ...rk];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const c of cells.slice(0, maxRows)) lines.push(`| ${[c.index, ...pk.map((k) => c.params[k]), c.replicate, ...rk.map((k) => c.result[k])].map(fmt).join(" | ")} |`);
  if (cells.length > maxRows) lines.push(`(${cells.length - maxRows} more cells; use --format csv or --json)`);
  return lines.join("\n");
}

/** "N cells, estimated a–b s on one core" for a list of cells. */
export function costLine(plan: SweepPlan, cells = plan.cells): string {
  let lo = 0, hi = 0;
  for (const c of cells) { const [a, b] = estimateCellSeconds(c); lo += a; hi += b; }
  const s = (x: number) => (x < 60 ? `${x.toPrecision(2)} s` : x < 7200 ? `${(x / 60).toPrecision(2)} min` : `${(x / 3600).toPrecision(2)} h`);
  return `estimated ${lo === hi ? s(lo) : `${s(lo)} to ${s(hi)}`} on one core (rough)`;
}

export const sweepCommand: CommandSpec = {
  name: "sweep",
  description: "run a sweep spec (JSON/YAML: experiment, grid or points, seeds, precision targets) resumably into a JSON-lines results file; shardable (seeds come from the spec, not --seed)",
  args: ["<spec>"],
  options: [
    { flags: "--results <file>", description: "append-only JSON-lines results file (default: next to the spec, <name>.results.jsonl or <name>.shard-<i>-of-<n>.jsonl)" },
    { flags: "--shard <i/n>", description: "run only cells k with k mod n = i (default: from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX + HARDLEARN_SHARD_COUNT, else all)" },
    { flags: "--format <fmt>", description: "output of a complete sweep on stdout: table, json or csv", choices: ["table", "json", "csv"], default: "table" },
    { flags: "--output <file>", description: "when the whole sweep is done, also write its result here atomically (JSON, or CSV with --format csv)" },
    { flags: "--dry-run", description: "validate the spec, print the cells and the cost estimate, run nothing" },
    { flags: "--log", description: "one line per finished cell on stderr (for batch logs)" },
  ],
  examples: [
    "hardlearn sweep examples/sweeps/gradvar-precision.json",
    "hardlearn sweep sweep.yaml --shard 2/4 --results out/shard-2.jsonl",
    "hardlearn sweep sweep.json --format csv > sweep.csv",
    "hardlearn merge out/shard-*.jsonl --output result.json",
  ],
  async run(ctx) {
    const specPath = ctx.args[0] as string;
    const o = ctx.opts as { results?: string; shard?: string; format: "table" | "json" | "csv"; output?: string; dryRun?: boolean; log?: boolean };
    const plan = await planSweep(await readSpecFile(specPath));
    const { shard, from } = chooseShard(o.shard, process.env);
    const mine = plan.cells.filter((c) => inShard(c.index, shard));
    const shardText = shard.count === 1 ? "" : `, shard ${shard.index}/${shard.count}${from === "option" ? "" : ` (from the ${from === "slurm" ? "Slurm array" : "Kubernetes indexed Job"} environment)`}: ${mine.length} cells`;
    const summary = `sweep ${plan.spec.experiment}: ${plan.cells.length} cells${shardText}, spec ${plan.specHash.slice(0, 12)}; ${costLine(plan, mine)}`;
    if (o.dryRun) {
      const json = { specHash: plan.specHash, cells: plan.cells.length, shard, shardCells: mine.map((c) => c.index), estimate: costLine(plan, mine), plan: mine };
      return { json, text: [summary, ...mine.slice(0, 20).map((c) => `  cell ${c.index}: ${JSON.stringify(c.params)} seed ${c.replicate}`), ...(mine.length > 20 ? [`  ... ${mine.length - 20} more`] : [])].join("\n") };
    }
    const path = o.results ?? defaultResultsPath(specPath, shard);
    const file = await openResultsFile(path, plan, shard);
    const quiet = ctx.global.json;
    if (!quiet) ctx.io.stderr(`${summary}\nresults: ${path}${file.resumed ? ` (resuming: ${file.resumed} cells already done${file.repairedTornLine ? ", a torn last line was dropped and is redone" : ""})` : file.repairedTornLine ? " (a torn last line was dropped and is redone)" : ""}\n`);
    const engine = await ctx.engine();
    ctx.progress.start("sweep", mine.length);
    ctx.progress.update(file.resumed, mine.length);
    const t0 = performance.now();
    let run;
    try {
      run = await runSweep(engine, plan, {
        shard, store: file, workers: ctx.global.threads, versions: versions(),
        onCell: (rec: CellRecord, done, total) => {
          ctx.progress.update(done, total);
          if (o.log) ctx.io.stderr(`[${done}/${total}] cell ${rec.index} ${JSON.stringify(rec.params)} seed ${rec.replicate}: ${rec.timing?.seconds.toFixed(2)} s\n`);
        },
      });
    } finally {
      await file.close();
    }
    ctx.progress.stop();
    const seconds = (performance.now() - t0) / 1000;
    const base = { specHash: plan.specHash, results: path, shard, cells: plan.cells.length, shardCells: mine.length, skipped: run.skipped, computed: run.computed, seconds };
    if (shard.count > 1) {
      const text = `${summary}\nshard done: ${run.computed} computed, ${run.skipped} already done, ${seconds.toFixed(1)} s. Results: ${path}\nMerge all shards with: hardlearn merge <results files of all ${shard.count} shards> --output result.json`;
      return { json: base, text };
    }
    const result = sweepResult(plan, run.records);
    const csv = o.format === "csv";
    if (o.output) await writeResultFile(o.output, csv ? sweepCsv(result) : formatSweepResult(result), plan.specHash, csv);
    if (ctx.global.json || o.format === "json") {
      if (!ctx.global.json) return { json: result, text: formatSweepResult(result).trimEnd() };
      return { json: result, text: "" };
    }
    if (csv) return { json: result, text: sweepCsv(result) };
    return { json: result, text: `${resultTable(result)}\n${run.computed} cells computed, ${run.skipped} already done, ${seconds.toFixed(1)} s. Results: ${path}${o.output ? `; result: ${o.output}` : ""}` };
  },
};
