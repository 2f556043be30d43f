/**
 * Sweeps of the gradient-variance estimator over (d, r, |θ|) configurations, shardable across machines
 * (e.g. a Slurm or Kubernetes array job: shard i of n), with mergeShards reproducing the unsharded result exactly.
 *
 * Config order: for d in dims, for r in radii, for t in thetaNorms (index = position in that order). Shard i of n gets
 * the configs with index % n == i. Config k uses θ = t e_1 (the cos-family statistics depend on θ only through |θ|)
 * and its own seed seed_k = (seed + (k + 1) · 0x9E3779B97F4A7C15) mod 2^64, a pure function of (seed, k), so its
 * row does not depend on the sharding or on the worker count. Shards are plain JSON.
 */
import type { Engine } from "../engine.js";
import { AbortError, InvalidArgumentError } from "../errors.js";
import type { ProgressCallback } from "../types.js";
import { assertInteger, assertNonNegative, assertOptions, assertPositive, assertSeed, snapshot, def, assertCallback, assertSignal } from "../validate.js";
import { gradVariance, type PsiKind } from "./estimator.js";

export interface SweepOptions {
  dims: number[];
  radii: number[];
  thetaNorms: number[];
  samples: number;
  directions: number;
  seed: number | bigint;
  psi?: PsiKind;
  blocks?: number;
  workers?: number;
  /** Run only shard `index` of `count` (0 <= index < count). Default: everything ({ index: 0, count: 1 }). */
  shard?: { index: number; count: number };
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

export interface SweepRow {
  index: number;
  dim: number;
  radius: number;
  thetaNorm: number;
  exact: number | null;
  estimate: number;
  stderr: number;
  floor: number;
  z: number | null;
  resolved: boolean;
  finiteSampleVariance: number;
  noise: number;
  seed: string;
}

export interface SweepShard {
  kind: "hardlearn.gradvar.sweep";
  shard: { index: number; count: number };
  /** Total number of configurations of the whole sweep. */
  total: number;
  settings: { dims: number[]; radii: number[]; thetaNorms: number[]; samples: number; directions: number; seed: string; psi: PsiKind; blocks: number | null };
  rows: SweepRow[];
}

const GOLD = 0x9E3779B97F4A7C15n;
const M64 = (1n << 64n) - 1n;

/**
 * All (d, r, t) configurations in sweep order (for d in dims, for r in radii, for t in thetaNorms; index = position).
 * Same rules as gradVarianceSweep's options: non-empty arrays; dims integers in [1, 2^20], radii finite > 0,
 * thetaNorms finite >= 0. Throws InvalidArgumentError naming e.g. "dims", "radii[2]".
 */
export function sweepConfigs(dims: number[], radii: number[], thetaNorms: number[]): { index: number; dim: number; radius: number; thetaNorm: number }[] {
  dims = snapshot(dims, "dims"); radii = snapshot(radii, "radii"); thetaNorms = snapshot(thetaNorms, "thetaNorms");
  checkLists("", dims, radii, thetaNorms);
  return sweepConfigsRaw(dims, radii, thetaNorms);
}

/** sweepConfigs without validation (the lists were checked by the caller). */
function sweepConfigsRaw(dims: number[], radii: number[], thetaNorms: number[]): { index: number; dim: number; radius: number; thetaNorm: number }[] {
  const out: { index: number; dim: number; radius: number; thetaNorm: number }[] = [];
  for (const dim of dims) for (const radius of radii) for (const thetaNorm of thetaNorms) out.push({ index: out.length, dim, radius, thetaNorm });
  return out;
}

function checkList(name: string, a: unknown, check: (n: string, v: unknown) => void): asserts a is number[] {
  if (!Array.isArray(a) || a.length === 0) throw new InvalidArgumentError(name, "a non-empty array of numbers", a);
  a.forEach((v, i) => check(`${name}[${i}]`, v));
}

/** The documented rules of the three config lists; `prefix` is "options." for gradVarianceSweep, "" for sweepConfigs. */
function checkLists(prefix: string, dims: unknown, radii: unknown, thetaNorms: unknown): void {
  checkList(`${prefix}dims`, dims, (n, v) => assertInteger(n, v, 1, 1 << 20));
  checkList(`${prefix}radii`, radii, (n, v) => assertPositive(n, v));
  checkList(`${prefix}thetaNorms`, thetaNorms, (n, v) => assertNonNegative(n, v));
}

/** Run one shard (or all) of a sweep. Deterministic; rows sorted by config index. */
export async function gradVarianceSweep(engine: Engine, o: SweepOptions): Promise<SweepShard> {
  assertOptions("options", o);
  if (o === undefined) throw new InvalidArgumentError("options", "an object", o);
  checkLists("options.", o.dims, o.radii, o.thetaNorms);
  assertInteger("options.samples", o.samples, 2, 1 << 28);
  assertInteger("options.directions", o.directions, 2, 1 << 26);
  assertSeed("options.seed", o.seed);
  assertCallback("options.onProgress", o.onProgress);
  assertSignal("options.signal", o.signal);
  // Only undefined means "no shard": null is rejected like any other non-object.
  const shard = o.shard === undefined ? { index: 0, count: 1 } : o.shard;
  assertOptions("options.shard", shard);
  assertInteger("options.shard.count", shard.count, 1, 1 << 20);
  assertInteger("options.shard.index", shard.index, 0, shard.count - 1);
  const configs = sweepConfigsRaw(o.dims, o.radii, o.thetaNorms).filter((c) => c.index % shard.count === shard.index);
  const rows: SweepRow[] = [];
  const base = BigInt(o.seed);
  let done = 0;
  o.onProgress?.(0, configs.length);
  for (const c of configs) {
    if (o.signal?.aborted) throw new AbortError("gradient-variance sweep");
    const seed = (base + BigInt(c.index + 1) * GOLD) & M64;
    const theta = new Float64Array(c.dim);
    theta[0] = c.thetaNorm;
    const r = await gradVariance(engine, {
      dim: c.dim, radius: c.radius, theta, samples: o.samples, directions: o.directions, seed,
      psi: o.psi, blocks: o.blocks, workers: o.workers, signal: o.signal,
    });
    rows.push({
      index: c.index, dim: c.dim, radius: c.radius, thetaNorm: c.thetaNorm,
      exact: r.exact ?? null, estimate: r.estimate, stderr: r.stderr, floor: r.floor, z: r.z ?? null,
      resolved: r.resolved, finiteSampleVariance: r.finiteSampleVariance, noise: r.noise, seed: seed.toString(),
    });
    o.onProgress?.(++done, configs.length);
  }
  return {
    kind: "hardlearn.gradvar.sweep", shard: { index: shard.index, count: shard.count }, total: o.dims.length * o.radii.length * o.thetaNorms.length,
    settings: {
      dims: [...o.dims], radii: [...o.radii], thetaNorms: [...o.thetaNorms], samples: o.samples, directions: o.directions,
      seed: base.toString(), psi: def(o.psi, "cos"), blocks: def(o.blocks, null),
    },
    rows,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The fields mergeShards reads, so that a malformed (e.g. hand-edited) shard gives an InvalidArgumentError naming the
 * field instead of a TypeError: shard { index, count } with 0 <= index < count, total a nonnegative integer, settings
 * an object, rows an array of objects whose index is an integer in [0, total).
 */
function checkShardShape(name: string, s: SweepShard): void {
  if (!isObject(s.shard)) throw new InvalidArgumentError(`${name}.shard`, "an object { index, count }", s.shard);
  assertInteger(`${name}.shard.count`, s.shard.count, 1, 1 << 20);
  assertInteger(`${name}.shard.index`, s.shard.index, 0, s.shard.count - 1);
  assertInteger(`${name}.total`, s.total, 0, Number.MAX_SAFE_INTEGER);
  if (!isObject(s.settings)) throw new InvalidArgumentError(`${name}.settings`, "an object", s.settings);
  if (!Array.isArray(s.rows)) throw new InvalidArgumentError(`${name}.rows`, "an array of sweep rows", s.rows);
  s.rows.forEach((row, j) => {
    if (!isObject(row)) throw new InvalidArgumentError(`${name}.rows[${j}]`, "a sweep row object", row);
    assertInteger(`${name}.rows[${j}].index`, row.index, 0, Math.max(0, s.total - 1));
  });
}

/** A row field that must be a finite number (or, with `nullable`, null). */
function rowNumber(name: string, v: unknown, nullable = false): void {
  if (nullable && v === null) return;
  if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidArgumentError(name, nullable ? "a finite number or null" : "a finite number", v);
}

/**
 * Merge the shards of one sweep (any order) into the unsharded result: the same JSON as running with no shard.
 * Every shard is checked against the sweep it claims to belong to, so a hand-edited or mixed-up shard is refused
 * instead of merged into a wrong table: the same kind, settings (valid config lists, total = their product), shard
 * count; each shard index exactly once; shard i holds exactly the rows of the configs k with k % count == i, in
 * increasing order, each row's (dim, radius, thetaNorm) equal to config k and its seed equal to seed_k; the numbers
 * finite. Throws InvalidArgumentError naming the first offending field (e.g. "shards[1].rows[0].index").
 */
export function mergeShards(shards: SweepShard[]): SweepShard {
  shards = snapshot(shards, "shards");
  if (!Array.isArray(shards) || shards.length === 0) throw new InvalidArgumentError("shards", "a non-empty array of sweep shards", shards);
  const first = shards[0];
  if (!isObject(first)) throw new InvalidArgumentError("shards[0]", "a sweep shard object", first);
  const seen = new Set<number>();
  let configs: { index: number; dim: number; radius: number; thetaNorm: number }[] = [];
  let base = 0n, key = "";
  shards.forEach((s, i) => {
    const name = `shards[${i}]`;
    if (!isObject(s)) throw new InvalidArgumentError(name, "a sweep shard object", s);
    if (s.kind !== "hardlearn.gradvar.sweep") throw new InvalidArgumentError(`${name}.kind`, `"hardlearn.gradvar.sweep"`, s.kind);
    checkShardShape(name, s);
    if (i === 0) {
      const st = s.settings as Record<string, unknown>;
      checkLists(`${name}.settings.`, st.dims, st.radii, st.thetaNorms);
      const dims = st.dims as number[], radii = st.radii as number[], tn = st.thetaNorms as number[];
      configs = sweepConfigsRaw(dims, radii, tn);
      if (s.total !== configs.length) throw new InvalidArgumentError(`${name}.total`, `the number of configurations of its settings (${configs.length})`, s.total);
      if (typeof st.seed !== "string" || !/^(0|[1-9]\d*)$/.test(st.seed) || BigInt(st.seed) >= 1n << 64n) {
        throw new InvalidArgumentError(`${name}.settings.seed`, "a decimal integer string in [0, 2^64)", st.seed);
      }
      base = BigInt(st.seed);
      key = JSON.stringify(s.settings);
    } else if (JSON.stringify(s.settings) !== key || s.shard.count !== first.shard.count || s.total !== first.total) {
      throw new InvalidArgumentError(`${name}.settings`, "the settings and shard count of shards[0]", s.shard);
    }
    if (seen.has(s.shard.index)) throw new InvalidArgumentError(`${name}.shard.index`, "unique among the shards", s.shard.index);
    seen.add(s.shard.index);
    // Shard `index` of `count` holds exactly configs index, index + count, ... in this order.
    const expected = configs.filter((c) => c.index % s.shard.count === s.shard.index);
    if (s.rows.length !== expected.length) {
      throw new InvalidArgumentError(`${name}.rows.length`, `the number of configurations of shard ${s.shard.index} of ${s.shard.count} (${expected.length})`, s.rows.length);
    }
    s.rows.forEach((row, j) => {
      const c = expected[j], rn = `${name}.rows[${j}]`;
      if (row.index !== c.index) throw new InvalidArgumentError(`${rn}.index`, `${c.index} (shard ${s.shard.index} of ${s.shard.count}, in order)`, row.index);
      if (row.dim !== c.dim) throw new InvalidArgumentError(`${rn}.dim`, `${c.dim} (configuration ${c.index})`, row.dim);
      if (row.radius !== c.radius) throw new InvalidArgumentError(`${rn}.radius`, `${c.radius} (configuration ${c.index})`, row.radius);
      if (row.thetaNorm !== c.thetaNorm) throw new InvalidArgumentError(`${rn}.thetaNorm`, `${c.thetaNorm} (configuration ${c.index})`, row.thetaNorm);
      const seed = ((base + BigInt(c.index + 1) * GOLD) & M64).toString();
      if (row.seed !== seed) throw new InvalidArgumentError(`${rn}.seed`, `"${seed}" (the seed of configuration ${c.index})`, row.seed);
      for (const f of ["estimate", "stderr", "floor", "finiteSampleVariance", "noise"] as const) rowNumber(`${rn}.${f}`, row[f]);
      rowNumber(`${rn}.exact`, row.exact, true);
      rowNumber(`${rn}.z`, row.z, true);
      if (typeof row.resolved !== "boolean") throw new InvalidArgumentError(`${rn}.resolved`, "a boolean", row.resolved);
    });
  });
  if (seen.size !== first.shard.count) throw new InvalidArgumentError("shards.length", `equal to the shard count (${first.shard.count})`, shards.length);
  const rows = shards.flatMap((s) => s.rows).sort((a, b) => a.index - b.index);
  return { kind: first.kind, shard: { index: 0, count: 1 }, total: first.total, settings: first.settings, rows };
}
