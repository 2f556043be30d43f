/**
 * `hardlearn reproduce`: every experiment of both papers -> report/index.html + report/results.json, published
 * atomically (src/atomic.ts): the target must be new, empty or a previous hardlearn report, checked before any work.
 */
import { resolve } from "node:path";
import { checkOutputDir } from "../../atomic.js";
import { reproduce } from "../../report/reproduce.js";
import { EXPERIMENTS } from "../../report/experiments/index.js";
import type { SizeName } from "../../report/config.js";
import { nameList } from "../args.js";
import type { CommandSpec } from "./types.js";

export const reproduceCommand: CommandSpec = {
  name: "reproduce",
  description: "run every experiment of both papers and write a self-contained report (index.html) and results.json",
  options: [
    { flags: "--full", description: "publication sizes (slow); default is the embedded size (<= 3 min on 2 cores)" },
    { flags: "--size <name>", description: "size preset", choices: ["small", "default", "full"] },
    { flags: "--only <ids>", description: `comma-separated experiment ids (${EXPERIMENTS.map((e) => e.id).join(", ")})`, parse: nameList(EXPERIMENTS.map((e) => e.id)) },
  ],
  examples: ["hardlearn reproduce", "hardlearn reproduce --full --out report-full", "hardlearn reproduce --only landscape,gradvar --json"],
  async run(ctx) {
    const o = ctx.opts as { full?: boolean; size?: SizeName; only?: string[] };
    const size: SizeName = o.size ?? (o.full ? "full" : "default");
    const outDir = resolve(ctx.global.out ?? "report");
    await checkOutputDir(outDir, "replace");
    const engine = await ctx.engine();
    const results = await reproduce({
      engine, size, seed: ctx.global.seed, threads: ctx.global.threads, only: o.only, outDir,
      onExperiment: (i, n, def) => ctx.progress.start(`[${i + 1}/${n}] ${def.id}`, 1),
      onProgress: (done, total) => ctx.progress.update(done, total),
    });
    ctx.progress.stop();
    const lines = [`report written to ${outDir}/index.html (and results.json) in ${results.totalSeconds.toFixed(1)} s`];
    for (const e of results.experiments) {
      lines.push(`  ${e.id.padEnd(11)} ${e.status.padEnd(11)} ${e.seconds.toFixed(1).padStart(6)} s`);
      for (const c of e.claims) lines.push(`      ${c.verdict}: ${c.sentence}`);
    }
    return {
      json: { outDir, totalSeconds: results.totalSeconds, summary: results.summary, experiments: results.experiments.map((e) => ({ id: e.id, status: e.status, seconds: e.seconds, claims: e.claims.map((c) => ({ id: c.id, verdict: c.verdict, sentence: c.sentence })) })) },
      text: lines.join("\n"),
      // The report is written either way; a failed experiment (a bug, not a missing API) makes the run exit 1.
      exitCode: results.experiments.some((e) => e.status === "failed") ? 1 : 0,
    };
  },
};
