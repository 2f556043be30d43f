/**
 * A sweep is data: a spec (JSON or YAML) validated once into a plan — a list of plain, serializable cells — that the
 * runner, shards and scheduler array tasks all carry. Browser-safe (no Node imports).
 *
 * Spec (every key except `experiment` and one of `grid`/`points` optional):
 *   {
 *     "experiment": "gradvar" | "train" | "oracle" | "landscape" | "networks",
 *     "params":  { ...values shared by every cell },
 *     "grid":    { "dim": [2, 5], "radius": [1, 2, 4] }      // cartesian product, first key outermost
 *     "points":  [ { "dim": 2, "radius": 1 }, ... ]           // or an explicit list of points
 *     "seeds":   [1, 2, 3] | 3                                // replicate seeds (a count n means 0..n-1); default [0]
 *     "precision": { "relativeStderr": 0.05 } | { "upperBound": 1e-6, "z": 2 },   // Monte-Carlo cells (gradvar)
 *     "budget":  { "maxBlocks": 64, "minBlocks": 2 }
 *   }
 * Cell order: for each point (grid order or list order), for each seed. Cell k's seed is a pure function of the
 * replicate seed and the cell's full parameters (never of k, the shard or the machine), so adding a grid value does
 * not change the other cells.
 */
import { InvalidArgumentError } from "../errors.js";
import { snapshot } from "../validate.js";

export const EXPERIMENTS = ["gradvar", "train", "oracle", "landscape", "networks"] as const;
export type ExperimentName = (typeof EXPERIMENTS)[number];

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;

type Rule =
  | { type: "int"; min: number; max: number; default?: number; required?: boolean; doc: string }
  | { type: "number"; min?: number; gt?: number; default?: number; required?: boolean; optional?: boolean; doc: string }
  | { type: "enum"; values: readonly string[]; default: string; doc: string }
  | { type: "bool"; default: boolean; doc: string };

const MAXI = 2 ** 31 - 1;

/** Parameters of each experiment: name -> rule. Key order here is the order of the parameters in every cell. */
export const PARAMETERS: Record<ExperimentName, Record<string, Rule>> = {
  gradvar: {
    dim: { type: "int", min: 1, max: 1 << 20, required: true, doc: "input dimension d" },
    radius: { type: "number", gt: 0, required: true, doc: "|w| = r of the target directions" },
    thetaNorm: { type: "number", min: 0, default: 1, doc: "|θ| (θ = |θ| e_1, cos predictor)" },
    psi: { type: "enum", values: ["cos", "triangle", "sawtooth"], default: "cos", doc: "periodic link of the target" },
    samples: { type: "int", min: 2, max: 1 << 26, default: 2000, doc: "input samples n (per block with a precision target)" },
    directions: { type: "int", min: 2, max: 1 << 24, default: 200, doc: "directions J (per block with a precision target)" },
    blocks: { type: "int", min: 3, max: 1 << 16, default: 8, doc: "row blocks K of the U-statistic" },
  },
  train: {
    target: { type: "enum", values: ["cos", "triangle"], default: "cos", doc: "periodic target psi(<w*, x>)" },
    dim: { type: "int", min: 1, max: 1 << 16, required: true, doc: "input dimension" },
    radius: { type: "number", gt: 0, default: 1, doc: "|w*|" },
    width: { type: "int", min: 1, max: 1 << 16, default: 50, doc: "learner hidden width" },
    samples: { type: "int", min: 1, max: 1 << 24, default: 10000, doc: "training samples" },
    test: { type: "int", min: 1, max: 1 << 24, default: 2000, doc: "test samples" },
    epochs: { type: "int", min: 1, max: 1 << 20, default: 20, doc: "epochs" },
    optimizer: { type: "enum", values: ["gd", "sgd", "adagrad", "adam"], default: "sgd", doc: "optimizer" },
    lr: { type: "number", gt: 0, default: 0.01, doc: "learning rate" },
    batch: { type: "int", min: 1, max: 1 << 24, default: 50, doc: "minibatch size" },
    initScale: { type: "number", gt: 0, default: 1, doc: "first-layer init scale" },
    whiten: { type: "bool", default: false, doc: "train on whitened inputs (Theorem 1)" },
  },
  oracle: {
    dim: { type: "int", min: 1, max: 1 << 16, required: true, doc: "dimension d" },
    radius: { type: "number", gt: 0, required: true, doc: "|w*| = r" },
    targets: { type: "int", min: 2, max: 1 << 16, default: 5, doc: "number of targets w*" },
    steps: { type: "int", min: 1, max: 1 << 20, default: 150, doc: "iterations" },
    lr: { type: "number", gt: 0, default: 0.5, doc: "step size" },
    thetaNorm: { type: "number", gt: 0, default: 1, doc: "|θ0| (θ0 = t e_1)" },
    delta: { type: "number", gt: 0, optional: true, doc: "oracle tolerance (default: cube root of the largest variance)" },
  },
  landscape: {
    radius: { type: "number", gt: 0, required: true, doc: "r = |w*|; w* = (r, 0)" },
    extent: { type: "number", gt: 0, optional: true, doc: "half-width of the square (default 2r)" },
    grid: { type: "int", min: 2, max: 4096, default: 81, doc: "grid points per side" },
    starts: { type: "int", min: 1, max: 1024, default: 33, doc: "Newton starts per side" },
  },
  networks: {
    family: { type: "enum", values: ["normal", "sphere", "iid-normal", "iid-uniform", "rademacher", "bernoulli", "conv"], default: "normal", doc: "weight family (conv: the convolutional net with a normal filter)" },
    dim: { type: "int", min: 1, max: 1 << 16, required: true, doc: "input dimension n" },
    width: { type: "int", min: 1, max: 1 << 16, default: 32, doc: "hidden width m (ignored by conv)" },
    patch: { type: "int", min: 1, max: 1 << 16, default: 8, doc: "patch size of the convolutional net (divides n)" },
    samples: { type: "int", min: 1, max: 1 << 24, default: 10000, doc: "inputs" },
    input: { type: "enum", values: ["gaussian", "cube01"], default: "gaussian", doc: "input law" },
  },
};

/** Which experiments are Monte-Carlo cells that accept a precision target. */
export const PRECISION_EXPERIMENTS: readonly ExperimentName[] = ["gradvar"];

export type PrecisionTarget =
  | { kind: "relativeStderr"; relativeStderr: number }
  | { kind: "upperBound"; upperBound: number; z: number };

export interface Budget {
  /** Independent blocks of (directions x samples) a cell may use. */
  maxBlocks: number;
  /** Blocks always run before the stopping rule is checked (>= 2, so the standard error is not from one block). */
  minBlocks: number;
}

/** One unit of work: everything needed to compute it, and nothing else. Plain JSON. */
export interface CellPlan {
  index: number;
  experiment: ExperimentName;
  /** All parameters with defaults applied, in the experiment's parameter order. */
  params: Params;
  /** The replicate seed from the spec's `seeds`. */
  replicate: number;
  /** The cell's own 64-bit seed (decimal), derived from (replicate, params). */
  seed: string;
  precision: PrecisionTarget | null;
  budget: Budget | null;
}

/** The normalized spec: defaults applied, unknown keys refused; its hash identifies the sweep. */
export interface NormalizedSpec {
  experiment: ExperimentName;
  params: Params;
  grid: [string, ParamValue[]][] | null;
  points: Params[] | null;
  seeds: number[];
  precision: PrecisionTarget | null;
  budget: Budget | null;
}

export interface SweepPlan {
  kind: "hardlearn.sweep.plan";
  /** sha256 (hex) of the canonical JSON of the normalized spec. */
  specHash: string;
  spec: NormalizedSpec;
  cells: CellPlan[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const SPEC_KEYS = ["experiment", "params", "grid", "points", "seeds", "precision", "budget", "description"];
export const MAX_CELLS = 1_000_000;

function checkValue(path: string, rule: Rule, v: unknown): ParamValue {
  switch (rule.type) {
    case "int":
      if (typeof v !== "number" || !Number.isInteger(v) || v < rule.min || v > rule.max) {
        throw new InvalidArgumentError(path, `an integer in [${rule.min}, ${rule.max}]`, v);
      }
      return v;
    case "number":
      if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidArgumentError(path, "a finite number", v);
      if (rule.gt !== undefined && !(v > rule.gt)) throw new InvalidArgumentError(path, `> ${rule.gt}`, v);
      if (rule.min !== undefined && !(v >= rule.min)) throw new InvalidArgumentError(path, `>= ${rule.min}`, v);
      return v;
    case "enum":
      if (typeof v !== "string" || !rule.values.includes(v)) throw new InvalidArgumentError(path, `one of ${rule.values.map((x) => `"${x}"`).join(", ")}`, v);
      return v;
    case "bool":
      if (typeof v !== "boolean") throw new InvalidArgumentError(path, "true or false", v);
      return v;
  }
}

function knownKey(path: string, experiment: ExperimentName, key: string): Rule {
  const rule = PARAMETERS[experiment][key];
  if (!rule) throw new InvalidArgumentError(path, `a parameter of "${experiment}" (${Object.keys(PARAMETERS[experiment]).join(", ")})`, key);
  return rule;
}

/** Validate a parsed spec object into a normalized spec. Throws InvalidArgumentError naming the path in the file. */
export function normalizeSpec(raw: unknown): NormalizedSpec {
  if (!isObject(raw)) throw new InvalidArgumentError("spec", "an object with an experiment and a grid or points", raw);
  for (const k of Object.keys(raw)) if (!SPEC_KEYS.includes(k)) throw new InvalidArgumentError(`spec key "${k}"`, `one of ${SPEC_KEYS.join(", ")}`, k);
  const e = raw.experiment;
  if (typeof e !== "string" || !(EXPERIMENTS as readonly string[]).includes(e)) {
    throw new InvalidArgumentError("experiment", `one of ${EXPERIMENTS.map((x) => `"${x}"`).join(", ")}`, e);
  }
  const experiment = e as ExperimentName;
  if (raw.description !== undefined && typeof raw.description !== "string") throw new InvalidArgumentError("description", "a string", raw.description);

  const params: Params = {};
  if (raw.params !== undefined) {
    if (!isObject(raw.params)) throw new InvalidArgumentError("params", "an object of parameter values", raw.params);
    for (const [k, v] of Object.entries(raw.params)) params[k] = checkValue(`params.${k}`, knownKey(`params.${k}`, experiment, k), v);
  }

  let grid: [string, ParamValue[]][] | null = null;
  let points: Params[] | null = null;
  if ((raw.grid === undefined) === (raw.points === undefined)) {
    throw new InvalidArgumentError("grid/points", "exactly one of `grid` (an object of value lists) or `points` (a list of objects)", raw.grid ?? raw.points ?? null);
  }
  if (raw.grid !== undefined) {
    if (!isObject(raw.grid) || Object.keys(raw.grid).length === 0) throw new InvalidArgumentError("grid", "a non-empty object { parameter: [values] }", raw.grid);
    grid = [];
    for (const [k, list] of Object.entries(raw.grid)) {
      const rule = knownKey(`grid.${k}`, experiment, k);
      if (k in params) throw new InvalidArgumentError(`grid.${k}`, "a parameter not also fixed in `params`", k);
      if (!Array.isArray(list) || list.length === 0) throw new InvalidArgumentError(`grid.${k}`, "a non-empty list of values", list);
      const vals = list.map((v, i) => checkValue(`grid.${k}[${i}]`, rule, v));
      const seen = new Set<string>();
      vals.forEach((v, i) => {
        if (seen.has(JSON.stringify(v))) throw new InvalidArgumentError(`grid.${k}[${i}]`, "a value not repeated in the list", v);
        seen.add(JSON.stringify(v));
      });
      grid.push([k, vals]);
    }
  } else {
    if (!Array.isArray(raw.points) || raw.points.length === 0) throw new InvalidArgumentError("points", "a non-empty list of objects", raw.points);
    points = raw.points.map((p, i) => {
      if (!isObject(p)) throw new InvalidArgumentError(`points[${i}]`, "an object of parameter values", p);
      const out: Params = {};
      for (const [k, v] of Object.entries(p)) {
        if (k in params) throw new InvalidArgumentError(`points[${i}].${k}`, "a parameter not also fixed in `params`", k);
        out[k] = checkValue(`points[${i}].${k}`, knownKey(`points[${i}].${k}`, experiment, k), v);
      }
      return out;
    });
  }

  let seeds: number[] = [0];
  if (raw.seeds !== undefined) {
    if (typeof raw.seeds === "number") {
      if (!Number.isInteger(raw.seeds) || raw.seeds < 1 || raw.seeds > 1_000_000) throw new InvalidArgumentError("seeds", "an integer count in [1, 1000000] or a list of seeds", raw.seeds);
      seeds = Array.from({ length: raw.seeds }, (_, i) => i);
    } else if (Array.isArray(raw.seeds) && raw.seeds.length > 0) {
      const seen = new Set<number>();
      seeds = raw.seeds.map((s, i) => {
        if (typeof s !== "number" || !Number.isSafeInteger(s) || s < 0) throw new InvalidArgumentError(`seeds[${i}]`, "a nonnegative safe integer", s);
        if (seen.has(s)) throw new InvalidArgumentError(`seeds[${i}]`, "a seed not repeated in the list", s);
        seen.add(s);
        return s;
      });
    } else {
      throw new InvalidArgumentError("seeds", "a count >= 1 or a non-empty list of seeds", raw.seeds);
    }
  }

  let precision: PrecisionTarget | null = null;
  let budget: Budget | null = null;
  if (raw.precision !== undefined) {
    if (!PRECISION_EXPERIMENTS.includes(experiment)) throw new InvalidArgumentError("precision", `absent for "${experiment}" (only Monte-Carlo experiments: ${PRECISION_EXPERIMENTS.join(", ")})`, raw.precision);
    const p = raw.precision;
    if (!isObject(p)) throw new InvalidArgumentError("precision", "an object { relativeStderr } or { upperBound, z }", p);
    if (p.relativeStderr !== undefined && p.upperBound === undefined) {
      for (const k of Object.keys(p)) if (k !== "relativeStderr") throw new InvalidArgumentError(`precision.${k}`, "absent next to relativeStderr", p[k]);
      const r = p.relativeStderr;
      if (typeof r !== "number" || !(r > 0 && r < 1)) throw new InvalidArgumentError("precision.relativeStderr", "a number in (0, 1)", r);
      precision = { kind: "relativeStderr", relativeStderr: r };
    } else if (p.upperBound !== undefined && p.relativeStderr === undefined) {
      for (const k of Object.keys(p)) if (k !== "upperBound" && k !== "z") throw new InvalidArgumentError(`precision.${k}`, "absent next to upperBound (allowed: upperBound, z)", p[k]);
      const u = p.upperBound;
      if (typeof u !== "number" || !Number.isFinite(u) || !(u > 0)) throw new InvalidArgumentError("precision.upperBound", "a finite number > 0", u);
      const z = p.z === undefined ? 2 : p.z;
      if (typeof z !== "number" || !Number.isFinite(z) || !(z > 0)) throw new InvalidArgumentError("precision.z", "a finite number > 0", z);
      precision = { kind: "upperBound", upperBound: u, z };
    } else {
      throw new InvalidArgumentError("precision", "exactly one of { relativeStderr } or { upperBound, z }", p);
    }
    const b = raw.budget === undefined ? {} : raw.budget;
    if (!isObject(b)) throw new InvalidArgumentError("budget", "an object { maxBlocks, minBlocks }", b);
    for (const k of Object.keys(b)) if (k !== "maxBlocks" && k !== "minBlocks") throw new InvalidArgumentError(`budget.${k}`, "one of maxBlocks, minBlocks", k);
    const maxBlocks = b.maxBlocks === undefined ? 64 : b.maxBlocks;
    if (typeof maxBlocks !== "number" || !Number.isInteger(maxBlocks) || maxBlocks < 2 || maxBlocks > 1_000_000) throw new InvalidArgumentError("budget.maxBlocks", "an integer in [2, 1000000]", maxBlocks);
    const minBlocks = b.minBlocks === undefined ? 2 : b.minBlocks;
    if (typeof minBlocks !== "number" || !Number.isInteger(minBlocks) || minBlocks < 2 || minBlocks > maxBlocks) throw new InvalidArgumentError("budget.minBlocks", `an integer in [2, budget.maxBlocks = ${maxBlocks}]`, minBlocks);
    budget = { maxBlocks, minBlocks };
  } else if (raw.budget !== undefined) {
    throw new InvalidArgumentError("budget", "absent without a precision target (fixed-size cells have no budget)", raw.budget);
  }

  // Every cell must end up with its required parameters.
  const rules = PARAMETERS[experiment];
  const provided = new Set(Object.keys(params));
  const check = (where: string, keys: Set<string>) => {
    for (const [k, r] of Object.entries(rules)) {
      if ((r as { required?: boolean }).required && !keys.has(k)) throw new InvalidArgumentError(`${where}.${k}`, `given (required by "${experiment}")`, undefined);
    }
  };
  if (grid) check("params", new Set([...provided, ...grid.map(([k]) => k)]));
  else points!.forEach((p, i) => check(`points[${i}]`, new Set([...provided, ...Object.keys(p)])));
  return { experiment, params, grid, points, seeds, precision, budget };
}

/** Full parameters of one point, in the experiment's parameter order, defaults applied; optional absent ones omitted. */
function fullParams(experiment: ExperimentName, base: Params, point: Params, where: string): Params {
  const out: Params = {};
  for (const [k, r] of Object.entries(PARAMETERS[experiment])) {
    const v = k in point ? point[k] : k in base ? base[k] : (r as { default?: ParamValue }).default;
    if (v !== undefined) out[k] = v;
  }
  crossCheck(experiment, out, where);
  return out;
}

/** Rules between parameters of one cell. */
function crossCheck(e: ExperimentName, p: Params, where: string): void {
  if (e === "gradvar" && (p.blocks as number) > (p.samples as number)) throw new InvalidArgumentError(`${where}.blocks`, `<= samples (${p.samples})`, p.blocks);
  if (e === "train" && (p.batch as number) > (p.samples as number)) throw new InvalidArgumentError(`${where}.batch`, `<= samples (${p.samples})`, p.batch);
  if (e === "networks" && p.family === "conv" && (p.dim as number) % (p.patch as number) !== 0) throw new InvalidArgumentError(`${where}.patch`, `a divisor of dim (${p.dim})`, p.patch);
}

/** Canonical JSON: object keys sorted, no whitespace (for hashing only). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

/** sha256 of a UTF-8 string, hex (Web Crypto: Node >= 20 and browsers). */
export async function sha256Hex(s: string): Promise<string> {
  const buf = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(s));
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** First 64 bits of sha256(label) as an unsigned decimal string: independent-looking seeds from names. */
export async function deriveSeed(label: string): Promise<bigint> {
  return BigInt("0x" + (await sha256Hex(label)).slice(0, 16));
}

/**
 * Validate a spec (a parsed object) into a plan: normalized spec, its hash, and every cell in order.
 * Throws InvalidArgumentError naming the path in the spec (e.g. "grid.radius[3]") before anything runs.
 */
export async function planSweep(raw: unknown): Promise<SweepPlan> {
  raw = snapshot(raw, "raw", true);
  const spec = normalizeSpec(raw);
  const pts: { point: Params; where: string }[] = [];
  if (spec.grid) {
    const n = spec.grid.reduce((a, [, v]) => a * v.length, 1) * spec.seeds.length;
    if (n > MAX_CELLS) throw new InvalidArgumentError("grid", `a product of at most ${MAX_CELLS} cells (times seeds)`, n);
    const rec = (i: number, acc: Params, where: string[]) => {
      if (i === spec.grid!.length) { pts.push({ point: { ...acc }, where: `grid point (${where.join(", ")})` }); return; }
      const [k, vals] = spec.grid![i];
      vals.forEach((v, j) => { acc[k] = v; rec(i + 1, acc, [...where, `${k}[${j}]`]); });
      delete acc[k];
    };
    rec(0, {}, []);
  } else {
    if (spec.points!.length * spec.seeds.length > MAX_CELLS) throw new InvalidArgumentError("points", `at most ${MAX_CELLS} cells (times seeds)`, spec.points!.length * spec.seeds.length);
    spec.points!.forEach((p, i) => pts.push({ point: p, where: `points[${i}]` }));
  }
  const cells: CellPlan[] = [];
  const seenParams = new Set<string>();
  for (const { point, where } of pts) {
    const params = fullParams(spec.experiment, spec.params, point, where);
    const key = canonicalJson(params);
    if (seenParams.has(key)) throw new InvalidArgumentError(where, "a point different from the earlier ones (after defaults)", point);
    seenParams.add(key);
    for (const replicate of spec.seeds) {
      const seed = await deriveSeed(`hardlearn.sweep.cell|${spec.experiment}|${replicate}|${key}`);
      cells.push({ index: cells.length, experiment: spec.experiment, params, replicate, seed: seed.toString(), precision: spec.precision, budget: spec.budget });
    }
  }
  const specHash = await sha256Hex(canonicalJson({ format: 1, ...spec }));
  return { kind: "hardlearn.sweep.plan", specHash, spec, cells };
}

/** Shard rule: cell k belongs to shard k mod count. */
export function inShard(index: number, shard: { index: number; count: number }): boolean {
  return index % shard.count === shard.index;
}

/**
 * Rough cost of a cell in seconds on one core of a ~3 GHz x86 (order of magnitude only, for the printed estimate):
 * [min, max] (they differ for precision-targeted cells: min = minBlocks, max = maxBlocks).
 */
export function estimateCellSeconds(c: CellPlan): [number, number] {
  const p = c.params as Record<string, number>;
  const GF = 1.5e9; // sustained flop/s of the mixed GEMM + transcendental work
  switch (c.experiment) {
    case "gradvar": {
      const one = (8 * p.directions * p.samples * p.dim + 40 * p.directions * p.samples) / GF + 0.002;
      return c.budget ? [one * c.budget.minBlocks, one * c.budget.maxBlocks] : [one, one];
    }
    case "train": {
      const t = (6 * p.epochs * (p.samples + p.test) * p.dim * p.width * 2) / GF + 0.01;
      return [t, t];
    }
    case "oracle": {
      const t = (p.steps * p.targets * p.dim * 200) / GF + 0.01;
      return [t, t];
    }
    case "landscape": {
      const t = (p.grid * p.grid * 400 + p.starts * p.starts * 20000) / GF + 0.005;
      return [t, t];
    }
    case "networks": {
      const t = (2 * p.samples * p.dim * p.width) / GF + 0.005;
      return [t, t];
    }
  }
}
