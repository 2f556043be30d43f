/**
 * The experiment frame: what an experiment of the reproduction run receives and returns.
 * Experiments call only the public API (src/index.ts / Engine methods), so every number they report can be
 * recomputed by a user from results.json's seeds and params.
 */
import type { Engine } from "../engine.js";
import type { Claim, ExperimentResult } from "./types.js";
import type { Judgement } from "./verdicts.js";
import type { ReproduceConfig } from "./config.js";

export interface ExperimentContext {
  engine: Engine;
  config: ReproduceConfig;
  /** Seed of this experiment (base seed + the experiment's fixed offset, recorded in results.json). */
  seed: number;
  /** Worker threads the Monte-Carlo engine may use (1 = in-process). */
  threads: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ExperimentDef {
  id: string;
  title: string;
  paper: string;
  section: string;
  /** Fixed offset added to the base seed, so that experiments draw independent streams. */
  seedOffset: number;
  /** The paper's claims this experiment checks, with their decision rules (used verbatim when the experiment fails). */
  claims: { id: string; source: string; claim: string; rule: string; failsIf: string }[];
  run(ctx: ExperimentContext): Promise<Omit<ExperimentResult, "id" | "title" | "paper" | "section" | "seconds" | "status" | "checks"> & { status?: "ok"; checks?: ExperimentResult["checks"] }>;
}

export const PAPER_A = "Shamir 2018 (paper A)";
export const PAPER_B = "Daniely & Vardi 2020 (paper B)";

/** A claim with the judgement of its decision rule (src/report/verdicts.ts) and the sentence with the numbers. */
export function claim(def: ExperimentDef, id: string, j: Judgement, sentence: string): Claim {
  const c = def.claims.find((x) => x.id === id);
  if (!c) throw new Error(`internal: experiment ${def.id} has no claim ${id}`);
  return { ...c, verdict: j.verdict, rule: j.rule, failsIf: j.failsIf, ...(j.control ? { control: j.control } : {}), sentence };
}

/** Format a number for a sentence: 4 significant digits, exponent form outside [1e-3, 1e5). */
export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return Number(x.toPrecision(digits)).toString();
  return x.toExponential(digits - 1);
}

/** Run `fn` with progress over `total` units; returns results in order. */
export async function steps<T>(total: number, ctx: ExperimentContext, fn: (i: number) => Promise<T> | T): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < total; i++) {
    if (ctx.signal?.aborted) throw new Error("aborted");
    out.push(await fn(i));
    ctx.onProgress?.(i + 1, total);
    await new Promise((r) => setImmediate(r));
  }
  return out;
}
