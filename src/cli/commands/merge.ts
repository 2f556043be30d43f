/**
 * `hardlearn merge FILES...`: combine the JSON-lines results files of the shards of one sweep (or one unsharded
 * file) into the canonical result — the same bytes as a single-machine run. Refuses mixed specs, a shard given
 * twice, missing shards, duplicated cells and unfinished shards, naming the file.
 */
import { mergeShardOutputs, formatSweepResult, sweepCsv } from "../../sweep/run.js";
import { readShardOutput, writeResultFile } from "../../sweep/files.js";
import { resultTable } from "./sweep.js";
import type { CommandSpec } from "./types.js";

export const mergeCommand: CommandSpec = {
  name: "merge",
  description: "merge the results files of all shards of a sweep into its result (bit-identical to a single-machine run)",
  args: ["<files...>"],
  options: [
    { flags: "--output <file>", description: "write the merged result here atomically (JSON, or CSV with --format csv)" },
    { flags: "--format <fmt>", description: "stdout: table, json or csv", choices: ["table", "json", "csv"], default: "table" },
  ],
  examples: ["hardlearn merge out/shard-0.jsonl out/shard-1.jsonl out/shard-2.jsonl out/shard-3.jsonl --output result.json"],
  async run(ctx) {
    const files = ctx.args[0] as string[];
    const o = ctx.opts as { output?: string; format: "table" | "json" | "csv" };
    const outputs = [];
    for (const f of files) outputs.push(await readShardOutput(f));
    const result = await mergeShardOutputs(outputs);
    const csv = o.format === "csv";
    if (o.output) await writeResultFile(o.output, csv ? sweepCsv(result) : formatSweepResult(result), result.specHash, csv);
    if (ctx.global.json) return { json: result, text: "" };
    if (o.format === "json") return { json: result, text: formatSweepResult(result).trimEnd() };
    if (csv) return { json: result, text: sweepCsv(result) };
    return { json: result, text: `${resultTable(result)}\nmerged ${files.length} file(s): ${result.cells.length} cells, spec ${result.specHash.slice(0, 12)}${o.output ? `; result: ${o.output}` : ""}` };
  },
};
