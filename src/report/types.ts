/**
 * Result types of the reproduction run (`hardlearn reproduce`, `npm start`). Everything in here is plain JSON:
 * results.json is `ReproduceResults` serialised as is, so every number the report shows is in it.
 */

import type { ControlOutcome, EngineCheck, Verdict } from "./verdicts.js";
export type { ControlOutcome, EngineCheck, Verdict };

/** One claim of a paper and what this run says about it, as one sentence with the numbers. */
export interface Claim {
  /** Stable id, e.g. "A.fig2.critical-points". */
  id: string;
  /** Which paper and where: "Shamir 2018, §4.1, Fig. 2". */
  source: string;
  /** The paper's claim in a few words (paraphrase, never a quotation). */
  claim: string;
  verdict: Verdict;
  /** The decision rule, fixed before the numbers were computed (src/report/verdicts.ts). */
  rule: string;
  /** The result that would have made the verdict fail. */
  failsIf: string;
  /** The control (an easy case the method must get right) and whether it passed; a failed control = inconclusive. */
  control?: ControlOutcome;
  /** One sentence stating the outcome with the measured numbers. */
  sentence: string;
}

/** A figure: a Vega-Lite spec (data inline). The report renders it to SVG, the web page renders it live. */
export interface Figure {
  id: string;
  title: string;
  caption: string;
  /** Vega-Lite top-level spec with inline data. */
  spec: Record<string, unknown>;
}

/** A table: header row and body rows of already formatted cells (numbers are also in `data`). */
export interface Table {
  id: string;
  title: string;
  header: string[];
  rows: (string | number)[][];
}

export type ExperimentStatus = "ok" | "failed";

/** Outcome of one experiment. */
export interface ExperimentResult {
  id: string;
  title: string;
  /** "Shamir 2018 (paper A)" or "Daniely & Vardi 2020 (paper B)". */
  paper: string;
  section: string;
  status: ExperimentStatus;
  /** Why the experiment did not complete (status "failed"). */
  reason?: string;
  /** Wall-clock seconds of the experiment. */
  seconds: number;
  /** Every seed used, by name. A seed plus the params reproduce every number through the public API. */
  seeds: Record<string, number>;
  /** The parameters of every API call (sizes, radii, ...). */
  params: Record<string, unknown>;
  /** Every number the experiment produced (JSON). */
  data: Record<string, unknown>;
  claims: Claim[];
  /** Self-checks of the engine (not claims of either paper): shown in the report's "engine checks" table. */
  checks: EngineCheck[];
  figures: Figure[];
  tables: Table[];
}

/** results.json */
export interface ReproduceResults {
  tool: { name: string; version: string };
  versions: Record<string, string>;
  /** "default", "full" or "small" (tests). */
  size: string;
  seed: number;
  threads: number;
  startedAt: string;
  totalSeconds: number;
  machine: { platform: string; arch: string; cpus: number; cpuModel: string };
  experiments: ExperimentResult[];
  summary: Record<Verdict, number>;
}
