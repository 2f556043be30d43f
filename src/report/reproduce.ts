/**
 * `hardlearn reproduce` / `npm start`: run every experiment of both papers at one size, then write
 * `<out>/index.html` (self-contained report) and `<out>/results.json` (every number, seeds, versions, timings)
 * atomically. An experiment that throws is reported as failed, its claims as "not checked (experiment failed)";
 * nothing is ever faked.
 */
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { cpus, arch, platform } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Engine } from "../engine.js";
import { EXPERIMENTS } from "./experiments/index.js";
import type { ExperimentDef } from "./experiment.js";
import { VERDICTS } from "./verdicts.js";
import { configFor, type ReproduceConfig, type SizeName } from "./config.js";
import type { ExperimentResult, ReproduceResults, Verdict } from "./types.js";
import { renderReport } from "./html.js";
import { publishDir } from "./atomic.js";
import { loadFigureLibraries } from "./render.js";
import { toJson } from "../cli/json.js";

export interface ReproduceOptions {
  engine: Engine;
  size?: SizeName;
  /** Override the preset (tests use this to shrink a single experiment). */
  config?: ReproduceConfig;
  /** Base seed; experiment k uses seed + its fixed offset. Default 20180101. */
  seed?: number;
  threads?: number;
  /** Only these experiment ids (default: all). */
  only?: string[];
  /** Called when an experiment starts and as it progresses. */
  onExperiment?: (index: number, count: number, def: ExperimentDef) => void;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export const DEFAULT_SEED = 20180101;

/** Version of hardlearn itself or of a dependency, found by walking up from this module (dev checkout or install). */
function pkgVersion(name: string, from: URL): string {
  if (name === "hardlearn") {
    try {
      return JSON.parse(readFileSync(new URL("../../package.json", from), "utf8")).version as string;
    } catch {
      return "unknown";
    }
  }
  let dir = dirname(fileURLToPath(from));
  for (let i = 0; i < 12; i++) {
    try {
      return JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8")).version as string;
    } catch {
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return "unknown";
}

/** Versions of the tool and of the libraries that shape the numbers and figures. */
export function versions(): Record<string, string> {
  const here = new URL(import.meta.url);
  const v: Record<string, string> = { node: process.version, v8: process.versions.v8, hardlearn: pkgVersion("hardlearn", here) };
  for (const dep of ["vega", "vega-lite", "assemblyscript", "@assemblyscript/loader"]) {
    const got = pkgVersion(dep, here);
    if (got !== "unknown") v[dep] = got;
  }
  try {
    // The engine binary that produced the numbers (the default one shipped next to dist/ or src/).
    v["release.wasm sha256"] = createHash("sha256").update(readFileSync(new URL("../../build/release.wasm", here))).digest("hex");
  } catch {
    // not fatal: a custom wasm source may be in use
  }
  return v;
}

/** Run the experiments and return results (no files written). */
export async function runExperiments(opts: ReproduceOptions): Promise<ReproduceResults> {
  const size = opts.config?.size ?? opts.size ?? "default";
  const config = opts.config ?? configFor(size);
  const seed = opts.seed ?? DEFAULT_SEED;
  const threads = opts.threads ?? 1;
  const defs = EXPERIMENTS.filter((d) => !opts.only || opts.only.includes(d.id));
  const t0 = performance.now();
  const experiments: ExperimentResult[] = [];
  for (let i = 0; i < defs.length; i++) {
    const def = defs[i];
    opts.onExperiment?.(i, defs.length, def);
    opts.signal?.throwIfAborted();
    const expSeed = seed + def.seedOffset;
    const head = { id: def.id, title: def.title, paper: def.paper, section: def.section };
    const s0 = performance.now();
    try {
      const r = await def.run({ engine: opts.engine, config, seed: expSeed, threads, onProgress: opts.onProgress, signal: opts.signal });
      experiments.push({ ...head, ...r, checks: r.checks ?? [], status: "ok", seconds: (performance.now() - s0) / 1000 });
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      const reason = `${(e as Error).name}: ${(e as Error).message}`;
      experiments.push({
        ...head,
        status: "failed",
        reason,
        seconds: (performance.now() - s0) / 1000,
        seeds: { experiment: expSeed },
        params: {},
        data: {},
        claims: def.claims.map((c) => ({
          ...c,
          verdict: "not checked (experiment failed)" as Verdict,
          sentence: `Not checked: the experiment failed (${reason}).`,
        })),
        checks: [],
        figures: [],
        tables: [],
      });
    }
  }
  const summary = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const e of experiments) for (const c of e.claims) summary[c.verdict]++;
  const cpu = cpus();
  return {
    tool: { name: "hardlearn", version: versions().hardlearn },
    versions: versions(),
    size,
    seed,
    threads,
    startedAt: new Date(Date.now() - (performance.now() - t0)).toISOString(),
    totalSeconds: (performance.now() - t0) / 1000,
    machine: { platform: platform(), arch: arch(), cpus: cpu.length, cpuModel: cpu[0]?.model ?? "unknown" },
    experiments,
    summary,
  };
}

/**
 * Serialise results with the CLI's one JSON serializer (src/cli/json.ts): typed arrays become plain arrays; a
 * non-finite number throws NonFiniteJsonError before anything is written (JSON has no NaN or Infinity).
 */
export function resultsToJson(results: ReproduceResults): string {
  return toJson(results, 1);
}

/** Run everything and write the report directory atomically. Returns the results. */
export async function reproduce(opts: ReproduceOptions & { outDir: string }): Promise<ReproduceResults> {
  await loadFigureLibraries(); // a missing optional plotting package fails now, not after the experiments
  const results = await runExperiments(opts);
  const html = await renderReport(results);
  await publishDir(opts.outDir, { "index.html": html, "results.json": resultsToJson(results) });
  return results;
}
