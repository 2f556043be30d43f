/**
 * Running a sweep plan (or one shard of it) against a store of finished cells, the canonical result document, its
 * CSV export, and merging shard outputs. Browser-safe: the store is an interface (in memory by default; the Node
 * JSON-lines file store is src/sweep/files.ts).
 *
 * The canonical result holds, for every cell in index order, only what is a pure function of (spec, seed): the
 * parameters, the seeds and the numbers — no timing, host or version — so a resumed, sharded or single-machine run
 * produce the same bytes.
 */
import type { Engine } from "../engine.js";
import { AbortError, InvalidArgumentError } from "../errors.js";
import { runCell, type CellNumbers } from "./cell.js";
import { inShard, planSweep, type CellPlan, type NormalizedSpec, type Params, type SweepPlan } from "./spec.js";
import { assertInteger, assertOptions, assertSignal, originalOf, snapshot } from "../validate.js";

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A plan as made by planSweep (shape only: the cells' content was validated when it was made). */
function checkPlan(name: string, p: unknown): asserts p is SweepPlan {
  if (!isObj(p) || p.kind !== "hardlearn.sweep.plan") throw new InvalidArgumentError(name, "a plan from planSweep ({ kind: \"hardlearn.sweep.plan\", ... })", p);
  if (typeof p.specHash !== "string" || !/^[0-9a-f]{64}$/.test(p.specHash)) throw new InvalidArgumentError(`${name}.specHash`, "a sha256 hex string", p.specHash);
  if (!isObj(p.spec)) throw new InvalidArgumentError(`${name}.spec`, "a normalized spec object", p.spec);
  if (!Array.isArray(p.cells)) throw new InvalidArgumentError(`${name}.cells`, "an array of cell plans", p.cells);
  p.cells.forEach((c, i) => {
    if (!isObj(c) || c.index !== i || !isObj(c.params) || typeof c.seed !== "string" || typeof c.experiment !== "string") {
      throw new InvalidArgumentError(`${name}.cells[${i}]`, `a cell plan with index ${i}, params, seed and experiment`, c);
    }
  });
}

/** Stored cell records: objects with an integer index, params and result objects. */
function checkRecords(name: string, rs: unknown): asserts rs is CellRecord[] {
  if (!Array.isArray(rs)) throw new InvalidArgumentError(name, "an array of cell records", rs);
  rs.forEach((r, j) => checkRecord(`${name}[${j}]`, r));
}

function checkRecord(name: string, r: unknown): asserts r is CellRecord {
  if (!isObj(r)) throw new InvalidArgumentError(name, "a cell record { index, params, seed, result, ... }", r);
  assertInteger(`${name}.index`, r.index, 0, 1_000_000);
  if (!isObj(r.params)) throw new InvalidArgumentError(`${name}.params`, "an object", r.params);
  if (!isObj(r.result)) throw new InvalidArgumentError(`${name}.result`, "an object", r.result);
  if (typeof r.seed !== "string") throw new InvalidArgumentError(`${name}.seed`, "a decimal seed string", r.seed);
}

function checkResult(name: string, r: unknown): asserts r is SweepResult {
  if (!isObj(r) || r.kind !== "hardlearn.sweep.result") throw new InvalidArgumentError(name, "a sweep result ({ kind: \"hardlearn.sweep.result\", ... })", r);
  if (!Array.isArray(r.cells)) throw new InvalidArgumentError(`${name}.cells`, "an array of cells", r.cells);
  checkRecords(`${name}.cells`, r.cells);
}

export interface Shard {
  index: number;
  count: number;
}

/** One finished cell as stored (a JSON-lines record). timing and versions are informative, not part of the result. */
export interface CellRecord {
  index: number;
  experiment: string;
  params: Params;
  replicate: number;
  seed: string;
  result: CellNumbers;
  timing?: { startedAt: string; seconds: number };
  versions?: Record<string, string>;
}

/** Where finished cells go. `done` lists cells finished earlier (to skip); `append` must be durable when it resolves. */
export interface SweepStore {
  done(): ReadonlyMap<number, CellRecord>;
  append(record: CellRecord): Promise<void>;
}

/** An in-memory store (the default of runSweep / engine.sweep). */
export function memoryStore(initial: CellRecord[] = []): SweepStore & { records: CellRecord[] } {
  const map = new Map(initial.map((r) => [r.index, r] as [number, CellRecord]));
  const records = [...initial];
  return {
    records,
    done: () => map,
    async append(r) { map.set(r.index, r); records.push(r); },
  };
}

export interface RunSweepOptions {
  /** Run only cells with index % count == index. Default { index: 0, count: 1 }. */
  shard?: Shard;
  /** Finished cells and where to put new ones. Default: in memory. */
  store?: SweepStore;
  /** Workers per Monte-Carlo cell (results identical for any value). Default 1. */
  workers?: number;
  /** Recorded with every cell (informative). */
  versions?: Record<string, string>;
  signal?: AbortSignal;
  /** Called after each cell of this shard finishes: (record, done, total, skipped). */
  onCell?: (record: CellRecord, done: number, total: number) => void;
  /** Progress inside the running cell. */
  onCellProgress?: (cell: CellPlan, done: number, total: number) => void;
}

export interface SweepRun {
  plan: SweepPlan;
  shard: Shard;
  /** Cells of this shard in index order (finished earlier or now). */
  records: CellRecord[];
  /** Cells found finished in the store and skipped. */
  skipped: number;
  /** Cells computed by this call. */
  computed: number;
}

export function checkShard(name: string, s: unknown): asserts s is Shard {
  const o = s as Shard;
  if (typeof s !== "object" || s === null || !Number.isInteger(o.count) || o.count < 1 || o.count > 1_000_000 || !Number.isInteger(o.index) || o.index < 0 || o.index >= o.count) {
    throw new InvalidArgumentError(name, "{ index, count } with integers 0 <= index < count <= 1000000", s);
  }
}

/** Same plan cell and stored record (params, seeds and experiment), so a store cannot feed a foreign result. */
function sameCell(c: CellPlan, r: CellRecord): boolean {
  return r.experiment === c.experiment && r.seed === c.seed && r.replicate === c.replicate && JSON.stringify(r.params) === JSON.stringify(c.params);
}

/**
 * Run a sweep (a spec object or a plan from planSweep), or one shard of it, skipping cells the store already has.
 * Cells run one after another in index order; each is appended to the store as soon as it finishes.
 */
export async function runSweep(engine: Engine, spec: unknown, o: RunSweepOptions = {}): Promise<SweepRun> {
  // Snapshot (synchronously, at call time) what the caller could change while the sweep runs: the spec or plan and
  // the shard. The store and callbacks are live objects by design.
  spec = snapshot(spec, "spec", true);
  // The options are read once too (getters run once); the store stays the caller's live object.
  o = snapshot(o, "options", true);
  if (isObj(o) && o.store !== undefined) o.store = originalOf(o.store);
  const isPlan = isObj(spec) && spec.kind === "hardlearn.sweep.plan";
  if (isPlan) checkPlan("spec", spec);
  const plan = isPlan ? (spec as unknown as SweepPlan) : await planSweep(spec);
  assertOptions("options", o);
  if (o === undefined) o = {};
  // null is a value, not "absent" (only undefined takes the default): it fails the checks below.
  const shard = o.shard === undefined ? { index: 0, count: 1 } : o.shard;
  checkShard("options.shard", shard);
  if (o.workers !== undefined) assertInteger("options.workers", o.workers, 1, 64);
  for (const k of ["onCell", "onCellProgress"] as const) {
    if (o[k] !== undefined && typeof o[k] !== "function") throw new InvalidArgumentError(`options.${k}`, "a function", o[k]);
  }
  if (o.versions !== undefined && (!isObj(o.versions) || Object.values(o.versions).some((v) => typeof v !== "string"))) {
    throw new InvalidArgumentError("options.versions", "an object of strings", o.versions);
  }
  assertSignal("options.signal", o.signal);
  const store = o.store === undefined ? memoryStore() : o.store;
  if (!isObj(store) || typeof store.done !== "function" || typeof store.append !== "function") {
    throw new InvalidArgumentError("options.store", "a store { done(): Map<index, record>, append(record): Promise }", store);
  }
  const done = store.done();
  if (!(done instanceof Map)) throw new InvalidArgumentError("options.store.done()", "a Map from cell index to record", done);
  const mine = plan.cells.filter((c) => inShard(c.index, shard));
  for (const [i, r] of done) {
    checkRecord(`options.store cell ${i}`, r);
    const c = plan.cells[i];
    if (!c || !inShard(i, shard) || !sameCell(c, r)) throw new InvalidArgumentError(`options.store cell ${i}`, "a cell of this sweep and shard", r.params);
  }
  const records: CellRecord[] = [];
  let skipped = 0, computed = 0;
  for (const c of mine) {
    const prev = done.get(c.index);
    if (prev) { records.push(prev); skipped++; continue; }
    if (o.signal?.aborted) throw new AbortError("sweep");
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const result = await runCell(engine, c, { workers: o.workers, signal: o.signal, onProgress: o.onCellProgress ? (d, t) => o.onCellProgress!(c, d, t) : undefined });
    const rec: CellRecord = {
      index: c.index, experiment: c.experiment, params: c.params, replicate: c.replicate, seed: c.seed, result,
      timing: { startedAt, seconds: (performance.now() - t0) / 1000 }, ...(o.versions ? { versions: o.versions } : {}),
    };
    await store.append(rec);
    records.push(rec);
    computed++;
    o.onCell?.(rec, records.length, mine.length);
  }
  return { plan, shard, records, skipped, computed };
}

export interface SweepResult {
  kind: "hardlearn.sweep.result";
  format: 1;
  specHash: string;
  spec: NormalizedSpec;
  cells: { index: number; experiment: string; params: Params; replicate: number; seed: string; result: CellNumbers }[];
}

/** The canonical result of a complete sweep: every cell in index order, numbers only. Throws on a missing cell. */
export function sweepResult(plan: SweepPlan, records: CellRecord[]): SweepResult {
  plan = snapshot(plan, "plan"); records = snapshot(records, "records");
  checkPlan("plan", plan);
  checkRecords("records", records);
  const by = new Map<number, CellRecord>();
  for (const r of records) {
    if (by.has(r.index)) throw new InvalidArgumentError("records", `to hold each cell once (cell ${r.index} is there twice)`, records.length);
    by.set(r.index, r);
  }
  const cells = plan.cells.map((c) => {
    const r = by.get(c.index);
    if (!r) throw new InvalidArgumentError("records", `to hold every cell of the sweep (cell ${c.index} is missing: the sweep is incomplete)`, records.length);
    if (!sameCell(c, r)) throw new InvalidArgumentError("records", `to be computed for this plan (cell ${c.index} has other parameters or seeds)`, r.params);
    return { index: c.index, experiment: c.experiment, params: c.params, replicate: c.replicate, seed: c.seed, result: r.result };
  });
  if (by.size !== plan.cells.length) throw new InvalidArgumentError("records", `to hold exactly the ${plan.cells.length} cells of the sweep`, by.size);
  return { kind: "hardlearn.sweep.result", format: 1, specHash: plan.specHash, spec: plan.spec, cells };
}

/** The canonical bytes of a result (fixed key order, shortest round-trip numbers, non-finite as strings). */
export function formatSweepResult(r: SweepResult): string {
  r = snapshot(r, "r");
  checkResult("result", r);
  return JSON.stringify(r, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x)) + "\n";
}

function csvField(v: unknown): string {
  const s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV export (RFC 4180): index, replicate, seed, every parameter, every result field (arrays/objects as JSON). */
export function sweepCsv(r: SweepResult): string {
  r = snapshot(r, "r");
  checkResult("result", r);
  const pk: string[] = [], rk: string[] = [];
  for (const c of r.cells) {
    for (const k of Object.keys(c.params)) if (!pk.includes(k)) pk.push(k);
    for (const k of Object.keys(c.result)) if (!rk.includes(k)) rk.push(k);
  }
  const head = ["index", "experiment", "replicate", "seed", ...pk, ...rk.map((k) => (pk.includes(k) ? `result.${k}` : k))];
  const rows = r.cells.map((c) => [c.index, c.experiment, c.replicate, c.seed, ...pk.map((k) => c.params[k]), ...rk.map((k) => c.result[k])].map(csvField).join(","));
  return [head.map(csvField).join(","), ...rows].join("\r\n") + "\r\n";
}

/** One shard's output as read back (header fields + finished cells). */
export interface ShardOutput {
  /** Where it came from (for messages), e.g. a file name. */
  source: string;
  specHash: string;
  spec: NormalizedSpec;
  shard: Shard;
  records: CellRecord[];
}

/**
 * Merge shard outputs into the canonical result, bit-identical to a single-machine run. Refuses mixed specs,
 * different shard counts, a shard given twice, a missing shard, a cell twice, and a shard missing cells.
 */
export async function mergeShardOutputs(outputs: ShardOutput[]): Promise<SweepResult> {
  outputs = snapshot(outputs, "outputs", true);
  if (!Array.isArray(outputs) || outputs.length === 0) throw new InvalidArgumentError("outputs", "a non-empty list of shard outputs", outputs);
  outputs.forEach((s, i) => {
    if (!isObj(s)) throw new InvalidArgumentError(`outputs[${i}]`, "a shard output { source, specHash, spec, shard, records }", s);
    if (typeof s.source !== "string") throw new InvalidArgumentError(`outputs[${i}].source`, "a string (e.g. the file name)", s.source);
    if (typeof s.specHash !== "string" || !/^[0-9a-f]{64}$/.test(s.specHash)) throw new InvalidArgumentError(`outputs[${i}].specHash`, "a sha256 hex string", s.specHash);
    if (!isObj(s.spec)) throw new InvalidArgumentError(`outputs[${i}].spec`, "a normalized spec object", s.spec);
    checkShard(`outputs[${i}].shard`, s.shard);
    checkRecords(`outputs[${i}].records`, s.records);
  });
  const first = outputs[0];
  for (const s of outputs) {
    if (s.specHash !== first.specHash) throw new InvalidArgumentError(`${s.source}`, `from the same spec as ${first.source} (spec hash ${first.specHash.slice(0, 12)}, mixed specs)`, s.specHash.slice(0, 12));
    if (s.shard.count !== first.shard.count) throw new InvalidArgumentError(`${s.source}.shard.count`, `the shard count of ${first.source} (${first.shard.count})`, s.shard.count);
  }
  let plan: SweepPlan;
  try {
    plan = await planSweep(specToRaw(first.spec));
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new InvalidArgumentError("outputs[0].spec", `a valid normalized spec (${e.argument} must be ${e.rule})`, first.spec);
    throw e;
  }
  if (plan.specHash !== first.specHash) throw new InvalidArgumentError(`${first.source}.specHash`, `the hash of its spec (${plan.specHash.slice(0, 12)})`, first.specHash.slice(0, 12));
  const count = first.shard.count;
  const byShard = new Map<number, ShardOutput>();
  for (const s of outputs) {
    const dup = byShard.get(s.shard.index);
    if (dup) throw new InvalidArgumentError(`${s.source}`, `a shard not already given (duplicate of ${dup.source}: shard ${s.shard.index}/${count})`, s.shard.index);
    byShard.set(s.shard.index, s);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byShard.has(i));
  if (missing.length) throw new InvalidArgumentError("outputs", `all ${count} shards (gap: missing shard${missing.length > 1 ? "s" : ""} ${missing.join(", ")})`, outputs.length);
  const all: CellRecord[] = [];
  const seen = new Map<number, string>();
  for (const s of outputs) {
    for (const r of s.records) {
      if (!inShard(r.index, s.shard)) throw new InvalidArgumentError(`${s.source} cell ${r.index}`, `a cell of shard ${s.shard.index}/${count}`, r.index);
      if (seen.has(r.index)) throw new InvalidArgumentError(`${s.source} cell ${r.index}`, `present once (duplicate in ${seen.get(r.index)})`, r.index);
      seen.set(r.index, s.source);
      all.push(r);
    }
    const want = plan.cells.filter((c) => inShard(c.index, s.shard)).map((c) => c.index);
    const gaps = want.filter((i) => !seen.has(i));
    if (gaps.length) throw new InvalidArgumentError(`${s.source}`, `complete (gap: ${gaps.length} of ${want.length} cells unfinished, e.g. cell ${gaps.slice(0, 5).join(", ")}; rerun the shard to resume)`, s.records.length);
  }
  return sweepResult(plan, all);
}

/** A normalized spec back in spec-file form (planSweep(specToRaw(n)) normalizes to n again). */
export function specToRaw(n: NormalizedSpec): Record<string, unknown> {
  const raw: Record<string, unknown> = { experiment: n.experiment, params: n.params, seeds: n.seeds };
  if (n.grid) raw.grid = Object.fromEntries(n.grid);
  if (n.points) raw.points = n.points;
  if (n.precision) raw.precision = n.precision.kind === "relativeStderr" ? { relativeStderr: n.precision.relativeStderr } : { upperBound: n.precision.upperBound, z: n.precision.z };
  if (n.budget) raw.budget = n.budget;
  return raw;
}
