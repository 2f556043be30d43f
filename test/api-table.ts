// The audit table of the public API, shared by test/api-errors.test.ts (fixed garbage per argument slot) and
// test/fuzz.test.ts (seeded hostile inputs): for every public function, a call, valid arguments, and the argument slots
// with their documented names and garbage values.
import * as api from "../src/index.js";
import {
  createEngine, type Engine, type GemmThreads, createGemmThreads, distributions, type Matrix,
} from "../src/index.js";
// ---------------------------------------------------------------------------------------------------------------
// Valid building blocks

export const F = (...v: number[]) => Float64Array.from(v);
export const M = (rows: number, cols: number, ...v: number[]): Matrix => ({ rows, cols, data: Float64Array.from(v) });
export const eye = (d: number): Matrix => {
  const m = { rows: d, cols: d, data: new Float64Array(d * d) };
  for (let i = 0; i < d; i++) m.data[i * d + i] = 1;
  return m;
};
export const A23 = () => M(2, 3, 1, 2, 3, 4, 5, 6);
export const B32 = () => M(3, 2, 1, 0, 0, 1, 1, 1);
export const X3f = () => M(2, 3, 1, 0, 1, 0, 1, 1);
export const mix2 = () => ({ weights: F(1, 1), means: M(2, 2, 0, 0, 1, 1), covs: [eye(2), eye(2)] });

// ---------------------------------------------------------------------------------------------------------------
// Garbage generators per slot kind. Each returns [label, value] pairs that the slot must reject.

export type G = [string, unknown][];
export const SYM = Symbol("garbage");
export const COMMON: G = [["null", null], ['"garbage"', "garbage"], ["Symbol", SYM], ["function", () => 1], ["true", true]];
export const withEntry = (v: Float64Array, x: number) => { const c = Float64Array.from(v); c[c.length >> 1] = x; return c; };

export const kinds = {
  /** A required Matrix. */
  matrix: (valid: Matrix): G => [
    ...COMMON, ["undefined", undefined], ["42", 42], ["[]", []], ["{}", {}], ["nested arrays", [[1, 2], [3, 4]]],
    ["data: Array", { rows: valid.rows, cols: valid.cols, data: Array.from(valid.data) }],
    ["data: Float32Array", { rows: valid.rows, cols: valid.cols, data: new Float32Array(valid.data.length) }],
    ["rows: -1", { rows: -1, cols: valid.cols, data: valid.data }],
    ["rows: 1.5", { rows: 1.5, cols: valid.cols, data: valid.data }],
    ["rows: NaN", { rows: NaN, cols: valid.cols, data: valid.data }],
    ["rows: \"2\"", { rows: String(valid.rows), cols: valid.cols, data: valid.data }],
    ["rows: 1e12", { rows: 1e12, cols: valid.cols, data: valid.data }],
    ["1e12 x 1e12", { rows: 1e12, cols: 1e12, data: valid.data }],
    ["data too short", { rows: valid.rows, cols: valid.cols, data: valid.data.subarray(0, valid.data.length - 1) }],
    ["NaN entry", { rows: valid.rows, cols: valid.cols, data: withEntry(valid.data, NaN) }],
    ["Infinity entry", { rows: valid.rows, cols: valid.cols, data: withEntry(valid.data, Infinity) }],
    ["-Infinity entry", { rows: valid.rows, cols: valid.cols, data: withEntry(valid.data, -Infinity) }],
  ],
  /** A required Float64Array with finite entries. */
  vector: (valid: Float64Array): G => [
    ...COMMON, ["undefined", undefined], ["42", 42], ["{}", {}], ["plain array", Array.from(valid)],
    ["Float32Array", new Float32Array(valid.length)],
    ...(valid.length ? [["NaN entry", withEntry(valid, NaN)], ["Infinity entry", withEntry(valid, Infinity)]] as G : []),
  ],
  /**
   * A required ArrayLike<number> of the closed-form helpers (eq3Loss, cosLossAndGradient, ...): a Float64Array or a
   * plain array of finite numbers. Plain arrays are documented as accepted, so they are not garbage here; plain arrays
   * with a NaN or a string entry are.
   */
  arraylike: (valid: Float64Array): G => [
    ...kinds.vector(valid).filter(([l]) => l !== "plain array"),
    ...(valid.length ? [["plain array with NaN", Array.from(withEntry(valid, NaN))], ['plain array with "1"', Array.from(valid, () => "1")]] as G : []),
  ],
  /** An integer size / count (required). */
  size: (): G => [
    ...COMMON, ["undefined", undefined], ["NaN", NaN], ["Infinity", Infinity], ["-1", -1], ["1.5", 1.5], ["1e12", 1e12],
    ["2^53", 2 ** 53], ['"3"', "3"], ["{}", {}], ["3n", 3n],
  ],
  /** A finite number (required). */
  num: (): G => [...COMMON, ["undefined", undefined], ["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity], ['"1"', "1"], ["{}", {}], ["1n", 1n]],
  /** A finite number > 0 (required). */
  pos: (): G => [...kinds.num(), ["0", 0], ["-1", -1]],
  /** A finite number >= 0 (required). */
  nonneg: (): G => [...kinds.num(), ["-1", -1]],
  /** A seed (required). */
  seed: (): G => [
    ...COMMON, ["undefined", undefined], ["-1", -1], ["1.5", 1.5], ["NaN", NaN], ["Infinity", Infinity], ["2^53", 2 ** 53], ['"1"', "1"],
    ["-1n", -1n], ["2n^64", 2n ** 64n], ["{}", {}],
  ],
  /** A required options object. */
  reqopts: (): G => [["undefined", undefined], ...kinds.opts()],
  /** An optional options object (undefined is fine). */
  opts: (): G => [["null", null], ['"garbage"', "garbage"], ["42", 42], ["[]", []], ["Symbol", SYM], ["true", true], ["function", () => 1]],
  /** A required string enum. */
  enum: (): G => [...COMMON, ["undefined", undefined], ['"bogus"', "bogus"], ['""', ""], ["1", 1], ["{}", {}]],
  /** A required boolean. */
  bool: (): G => [["null", null], ['"true"', "true"], ["1", 1], ["0", 0], ["{}", {}], ["NaN", NaN]],
  /** A stream object with the RngStream surface (RngLike). */
  rng: (): G => [...COMMON, ["undefined", undefined], ["42", 42], ["{}", {}]],
  /** The engine argument of the models' free functions. */
  engine: (): G => [...COMMON, ["undefined", undefined], ["42", 42], ["{}", {}], ["{ core: {} }", { core: {} }]],
  /** An array of finite numbers. */
  numarray: (): G => [...COMMON, ["undefined", undefined], ["{}", {}], ["[NaN]", [NaN]], ['["1"]', ["1"]], ["Float64Array", F(1)]],
} as const;

/** Optional slots: the same garbage minus undefined (absent). null is not absent: it must be rejected like any garbage. */
export const optional = (g: G): G => g.filter(([l]) => l !== "undefined");

// ---------------------------------------------------------------------------------------------------------------
// The audit table

export type Path = (number | string)[];
export interface Slot {
  /** Where the garbage goes: [argument index, ...property path]. */
  path: Path;
  /** The documented argument name the error must use (prefix), e.g. "A", "options.dim". */
  name: string;
  garbage: G;
}
export interface Entry {
  name: string;
  /** Area owning the implementation: fixes go there. */
  owner: "engine" | "gemm" | "svd" | "random" | "models" | "gradvar" | "core" | "sweep";
  call: (...args: unknown[]) => unknown;
  args: () => unknown[];
  slots: Slot[];
}

let e!: Engine;
let threads: GemmThreads | undefined;
let shard: unknown;
let sweepPlan!: api.SweepPlan;
let sweepRecords!: api.CellRecord[];
let sweepDoc!: api.SweepResult;

export interface TableContext {
  e: Engine;
  threads?: GemmThreads;
  shard: unknown;
  sweepPlan: api.SweepPlan;
  sweepRecords: api.CellRecord[];
  sweepDoc: api.SweepResult;
}

/** The engine, GemmThreads, sweep shard and sweep documents the table's calls use (set before calling entries()). */
export function setTableContext(c: TableContext): void {
  ({ e, threads, shard, sweepPlan, sweepRecords, sweepDoc } = c);
}

/** Builds (and sets) the table's context on an engine: a GemmThreads (close it after), a gradvar shard, a sweep. */
export async function makeTableContext(en: Engine): Promise<TableContext> {
  const th = await createGemmThreads(en);
  const sh = await en.gradVarianceSweep({ dims: [2], radii: [1], thetaNorms: [0.5], samples: 16, directions: 4, seed: 1 });
  const plan = await api.planSweep({ experiment: "gradvar", params: { samples: 16, directions: 4 }, grid: { dim: [2], radius: [1] } });
  const records = (await en.sweep(plan)).records;
  const c: TableContext = { e: en, threads: th, shard: sh, sweepPlan: plan, sweepRecords: records, sweepDoc: api.sweepResult(plan, records) };
  setTableContext(c);
  return c;
}
export const S = (path: Path, name: string, garbage: G): Slot => ({ path, name, garbage });
export const valueAt = (args: unknown[], path: Path): unknown => path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], args);

/**
 * Float32 values that are valid in these slots (float32 computations, README "float32"): a float32 matrix or vector
 * there is not garbage. Key: "<entry> <slot name>".
 */
export const FLOAT32_VALID = new Set<string>([
  "Engine.gram X", "GemmThreads.gram X", "RngStream.uniformInto out", "RngStream.normalInto out",
  "Engine.train options.X", "Engine.train options.y", "trainNetwork options.X", "trainNetwork options.y",
  "trainNetworkSync options.X", "trainNetworkSync options.y", "Engine.train options.Xtest", "trainNetwork options.Xtest",
  "trainNetworkSync options.Xtest", "Engine.train options.ytest", "trainNetwork options.ytest", "trainNetworkSync options.ytest",
]);

export function entries(): Entry[] {
  const r = () => e.rng(5);
  const net = () => ({ W: M(3, 2, 1, -1, 0.5, 2, -1, 0) });
  const X3 = () => M(2, 3, 1, 0, 1, 0, 1, 1);
  const H = () => ({ W: M(2, 2, 1, -1, 2, 0), b: F(0, 1) });
  const trainOpts = () => ({ X: X3(), y: F(1, 0), width: 2, epochs: 2, seed: 1, optimizer: "sgd", batchSize: 1 });
  const ksat = () => api.randomKSat(e, { n: 4, K: 2, m: 3, seed: 1 });
  const gvOpts = () => ({ dim: 2, radius: 1, theta: F(0.5, 0), directions: 4, samples: 16, seed: 1 });
  const oracleOpts = () => ({ dim: 3, radius: 1, theta0: F(0.1, 0, 0), targets: 2, seed: 1, steps: 2 });
  const sweepOpts = () => ({ dims: [2], radii: [1], thetaNorms: [0.5], samples: 16, directions: 4, seed: 1 });
  const sweepSpec = () => ({ experiment: "gradvar", params: { samples: 16, directions: 4 }, grid: { dim: [2], radius: [1] } });
  const sweepOutput = () => ({ source: "s.jsonl", specHash: sweepPlan.specHash, spec: sweepPlan.spec, shard: { index: 0, count: 1 }, records: sweepRecords });
  const lmcOpts = () => ({ radius: 1, points: [[0, 0]], samples: 16, seed: 1 });
  const eng = (name: string): Slot => S([0], name, kinds.engine());
  const list: Entry[] = [
    // ---- engine / coordinator-owned
    { name: "createEngine", owner: "engine", call: (o) => createEngine(o as never), args: () => [{ memoryLimit: 2 ** 20 }],
      slots: [S([0], "options", kinds.opts()), S([0, "memoryLimit"], "options.memoryLimit", optional(kinds.size())),
        S([0, "wasm"], "options.wasm", [["42", 42], ["{}", {}], ["bad bytes", new Uint8Array([0, 1, 2, 3])], ["missing file", "file:///nonexistent/x.wasm"]])] },
    { name: "zeros", owner: "core", call: (a, b) => api.zeros(a as number, b as number), args: () => [2, 3],
      slots: [S([0], "rows", kinds.size()), S([1], "cols", kinds.size())] },
    { name: "fromRows", owner: "core", call: (a) => api.fromRows(a as number[][]), args: () => [[[1, 2], [3, 4]]],
      slots: [S([0], "rows", [...COMMON, ["undefined", undefined], ["ragged", [[1, 2], [3]]], ["strings", [["a", "b"]]]])] },
    // ---- gemm
    { name: "Engine.matmul", owner: "gemm", call: (a, b, o) => e.matmul(a as Matrix, b as Matrix, o as never), args: () => [A23(), B32(), undefined],
      slots: [S([0], "A", kinds.matrix(A23())), S([1], "B", kinds.matrix(B32())), S([2], "options", kinds.opts()),
        S([2, "transA"], "options.transA", optional(kinds.bool())), S([2, "alpha"], "options.alpha", optional(kinds.num())),
        S([2, "beta"], "options.beta", optional(kinds.num())), S([2, "out"], "options.out", optional(kinds.matrix(M(2, 2, 0, 0, 0, 0))).filter(([l]) => !/entry/.test(l)))] },
    { name: "Engine.gram", owner: "gemm", call: (a) => e.gram(a as Matrix), args: () => [A23()], slots: [S([0], "X", kinds.matrix(A23()))] },
    { name: "Engine.gemv", owner: "gemm", call: (a, x, o) => e.gemv(a as Matrix, x as Float64Array, o as never), args: () => [A23(), F(1, 2, 3), undefined],
      slots: [S([0], "A", kinds.matrix(A23())), S([1], "x", kinds.vector(F(1, 2, 3))), S([2], "options", kinds.opts()),
        S([2, "trans"], "options.trans", optional(kinds.bool())), S([2, "alpha"], "options.alpha", optional(kinds.num()))] },
    { name: "createGemmThreads", owner: "gemm", call: async (en, o) => { const t = await createGemmThreads(en as Engine, o as never); await t.close(); return t; },
      args: () => [e, { memoryLimit: 2 ** 24 }],
      slots: [S([0], "engine", kinds.engine()), S([1], "options", kinds.opts()), S([1, "memoryLimit"], "options.memoryLimit", optional(kinds.size()))] },
    { name: "GemmThreads.matmul", owner: "gemm", call: (a, b) => threads!.matmul(a as Matrix, b as Matrix), args: () => [A23(), B32()],
      slots: [S([0], "A", kinds.matrix(A23())), S([1], "B", kinds.matrix(B32()))] },
    { name: "GemmThreads.gram", owner: "gemm", call: (a) => threads!.gram(a as Matrix), args: () => [A23()], slots: [S([0], "X", kinds.matrix(A23()))] },
    // ---- svd
    { name: "Engine.svd", owner: "svd", call: (a) => e.svd(a as Matrix), args: () => [A23()], slots: [S([0], "A", kinds.matrix(A23()))] },
    { name: "Engine.whiten", owner: "svd", call: (a, o) => e.whiten(a as Matrix, o as never), args: () => [A23(), { center: true }],
      slots: [S([0], "X", kinds.matrix(A23())), S([1], "options", kinds.opts()), S([1, "center"], "options.center", optional(kinds.bool())),
        S([1, "tolerance"], "options.tolerance", optional(kinds.nonneg()))] },
    // ---- random
    { name: "Engine.rng", owner: "random", call: (s) => e.rng(s as number), args: () => [1], slots: [S([0], "seed", kinds.seed())] },
    { name: "RngStream.stream", owner: "random", call: (k) => r().stream(k as number), args: () => [3], slots: [S([0], "k", kinds.seed())] },
    { name: "RngStream.atPosition", owner: "random", call: (p) => r().atPosition(p as number), args: () => [3],
      slots: [S([0], "position", [...kinds.size().filter(([l]) => l !== "1e12" && l !== "2^53"), ["2^53 + 2", 2 ** 53 + 2]])] },
    { name: "RngStream.uniform", owner: "random", call: (n) => r().uniform(n as number), args: () => [3], slots: [S([0], "n", kinds.size())] },
    { name: "RngStream.normal", owner: "random", call: (n, m, s) => r().normal(n as number, m as number, s as number), args: () => [3, 0, 1],
      slots: [S([0], "n", kinds.size()), S([1], "mean", optional(kinds.num())), S([2], "sd", optional(kinds.nonneg()))] },
    { name: "RngStream.uniformInto", owner: "random", call: (o) => r().uniformInto(o as Float64Array), args: () => [new Float64Array(3)],
      slots: [S([0], "out", kinds.vector(new Float64Array(0)))] },
    { name: "RngStream.normalInto", owner: "random", call: (o, m, s) => r().normalInto(o as Float64Array, m as number, s as number), args: () => [new Float64Array(3), 0, 1],
      slots: [S([0], "out", kinds.vector(new Float64Array(0))), S([1], "mean", optional(kinds.num())), S([2], "sd", optional(kinds.nonneg()))] },
    { name: "RngStream.truncatedNormal", owner: "random", call: (n, m, s, b) => r().truncatedNormal(n as number, m as number, s as number, b as number), args: () => [3, 0, 1, 2],
      slots: [S([0], "n", kinds.size()), S([1], "mean", optional(kinds.num())), S([2], "sd", optional(kinds.nonneg())), S([3], "bound", optional(kinds.pos()))] },
    { name: "RngStream.rademacher", owner: "random", call: (n, a) => r().rademacher(n as number, a as number), args: () => [3, 1],
      slots: [S([0], "n", kinds.size()), S([1], "a", optional(kinds.num()))] },
    { name: "RngStream.bernoulli", owner: "random", call: (n, p) => r().bernoulli(n as number, p as number), args: () => [3, 0.5],
      slots: [S([0], "n", kinds.size()), S([1], "p", [...kinds.num(), ["1.5", 1.5], ["-0.1", -0.1]])] },
    { name: "RngStream.cube01", owner: "random", call: (c, d) => r().cube01(c as number, d as number), args: () => [3, 2],
      slots: [S([0], "count", kinds.size()), S([1], "d", [...kinds.size(), ["0", 0]])] },
    { name: "RngStream.cubePM1", owner: "random", call: (c, d) => r().cubePM1(c as number, d as number), args: () => [3, 2],
      slots: [S([0], "count", kinds.size()), S([1], "d", [...kinds.size(), ["0", 0]])] },
    { name: "RngStream.integers", owner: "random", call: (n, lo, hi) => r().integers(n as number, lo as number, hi as number), args: () => [3, -2, 5],
      slots: [S([0], "n", kinds.size()), S([1], "lo", kinds.size().filter(([l]) => l !== "-1")), S([2], "hi", [...kinds.size().filter(([l]) => l !== "-1"), ["lo", -2], ["lo - 1", -3]])] },
    { name: "RngStream.sphere", owner: "random", call: (c, d, rad) => r().sphere(c as number, d as number, rad as number), args: () => [3, 2, 1],
      slots: [S([0], "count", kinds.size()), S([1], "d", [...kinds.size(), ["0", 0]]), S([2], "radius", optional(kinds.pos()))] },
    { name: "RngStream.mvnormal", owner: "random", call: (c, m, cv) => r().mvnormal(c as number, m as Float64Array, cv as Matrix), args: () => [3, F(0, 1), eye(2)],
      slots: [S([0], "count", kinds.size()), S([1], "mean", [...kinds.vector(F(0, 1)), ["empty", new Float64Array(0)]]), S([2], "cov", kinds.matrix(eye(2)))] },
    { name: "RngStream.mixture", owner: "random", call: (c, s) => r().mixture(c as number, s as never), args: () => [3, mix2()],
      slots: [S([0], "count", kinds.size()), S([1], "spec", kinds.reqopts()), S([1, "weights"], "spec.weights", kinds.vector(F(1, 1))),
        S([1, "means"], "spec.means", kinds.matrix(M(2, 2, 0, 0, 1, 1))), S([1, "covs"], "spec.covs", [...COMMON, ["undefined", undefined], ["{}", {}], ["[{}, {}]", [{}, {}]]])] },
    // ---- models (Engine methods)
    { name: "Engine.reluNet", owner: "models", call: (n, x, o) => e.reluNet(n as never, x as Matrix, o as never), args: () => [net(), X3(), { clip: true }],
      slots: [S([0], "net", kinds.matrix(net().W).filter(([l]) => !/entry|data|rows|1e12/.test(l))), S([0, "W"], "net.W", kinds.matrix(net().W)),
        S([0, "b"], "net.b", optional(kinds.vector(F(0, 0)))), S([1], "X", kinds.matrix(X3())), S([2], "options", kinds.opts()),
        S([2, "clip"], "options.clip", optional(kinds.bool()))] },
    { name: "Engine.convNet", owner: "models", call: (w, x) => e.convNet(w as Float64Array, x as Matrix), args: () => [F(1, -1, 2), X3()],
      slots: [S([0], "w", [...kinds.vector(F(1, -1, 2)), ["empty", new Float64Array(0)]]), S([1], "X", kinds.matrix(X3()))] },
    { name: "Engine.sampleNetwork", owner: "models", call: (o) => e.sampleNetwork(o as never), args: () => [{ n: 3, width: 2, seed: 1, bias: true }],
      slots: [S([0], "options", kinds.reqopts()), S([0, "n"], "options.n", kinds.size()), S([0, "width"], "options.width", [...kinds.size(), ["0", 0]]),
        S([0, "seed"], "options.seed", optional(kinds.seed())), S([0, "family"], "options.family", optional(kinds.enum())),
        S([0, "bias"], "options.bias", optional(kinds.bool())), S([0, "biasScale"], "options.biasScale", optional(kinds.pos())),
        S([0, "rng"], "options.rng", optional(kinds.rng()))] },
    { name: "Engine.sampleConvNetwork", owner: "models", call: (o) => e.sampleConvNetwork(o as never), args: () => [{ n: 4, patch: 2, seed: 1 }],
      slots: [S([0], "options", kinds.reqopts()), S([0, "n"], "options.n", kinds.size()), S([0, "patch"], "options.patch", [...kinds.size(), ["0", 0], ["3", 3]]),
        S([0, "rng"], "options.rng", optional(kinds.rng()))] },
    { name: "Engine.train", owner: "models", call: (o) => e.train(o as never), args: () => [trainOpts()],
      slots: [S([0], "options", kinds.reqopts()), S([0, "X"], "options.X", kinds.matrix(X3())), S([0, "y"], "options.y", kinds.vector(F(1, 0))),
        S([0, "width"], "options.width", [...kinds.size(), ["0", 0]]), S([0, "epochs"], "options.epochs", optional(kinds.size())),
        S([0, "lr"], "options.lr", optional(kinds.pos())), S([0, "optimizer"], "options.optimizer", optional(kinds.enum())),
        S([0, "seed"], "options.seed", optional(kinds.seed())), S([0, "onProgress"], "options.onProgress", [['"x"', "x"], ["42", 42], ["{}", {}]]),
        S([0, "init"], "options.init", optional(kinds.opts()))] },
    { name: "Engine.invarianceExperiment", owner: "models", call: (o) => e.invarianceExperiment(o as never),
      args: () => [{ m: 6, d: 2, width: 2, steps: 1, conds: [2], seed: 1 }],
      slots: [S([0], "options", kinds.reqopts()), S([0, "m"], "options.m", kinds.size()), S([0, "d"], "options.d", [...kinds.size(), ["1", 1]]),
        S([0, "conds"], "options.conds", [...kinds.numarray(), ["[0.5]", [0.5]]]), S([0, "seed"], "options.seed", optional(kinds.seed())),
        S([0, "lr"], "options.lr", optional(kinds.pos()))] },
    { name: "Engine.checkHalfspaceEncoding", owner: "models", call: (o) => e.checkHalfspaceEncoding(o as never), args: () => [{ dim: 3, instances: 2, seed: 1 }],
      slots: [S([0], "options", kinds.reqopts()), S([0, "dim"], "options.dim", [...kinds.size(), ["0", 0], ["21", 21]]),
        S([0, "instances"], "options.instances", [...kinds.size(), ["0", 0]]), S([0, "maxK"], "options.maxK", optional(kinds.size())),
        S([0, "seed"], "options.seed", optional(kinds.seed()))] },
    // ---- models (free functions)
    { name: "reluNetForward", owner: "models", call: (en, n, x) => api.reluNetForward(en as Engine, n as never, x as Matrix), args: () => [e, net(), X3()],
      slots: [eng("engine"), S([1], "net", kinds.opts()), S([2], "X", kinds.matrix(X3()))] },
    { name: "convNetForward", owner: "models", call: (en, w, x) => api.convNetForward(en as Engine, w as Float64Array, x as Matrix), args: () => [e, F(1, 2, 3), X3()],
      slots: [eng("engine"), S([1], "w", kinds.vector(F(1, 2, 3)))] },
    { name: "convToDense", owner: "models", call: (w, q) => api.convToDense(w as Float64Array, q as number), args: () => [F(1, 2), 3],
      slots: [S([0], "w", kinds.vector(F(1, 2))), S([1], "q", [...kinds.size(), ["0", 0]])] },
    { name: "sampleNaturalWeights", owner: "models", call: (en, o) => api.sampleNaturalWeights(en as Engine, o as never), args: () => [e, { n: 3, width: 2, seed: 1 }],
      slots: [eng("engine"), S([1], "options", kinds.reqopts()), S([1, "n"], "options.n", kinds.size()), S([1, "width"], "options.width", [...kinds.size(), ["0", 0]]),
        S([1, "family"], "options.family", optional(kinds.enum())), S([1, "rng"], "options.rng", optional(kinds.rng()))] },
    { name: "sampleNetwork", owner: "models", call: (en, o) => api.sampleNetwork(en as Engine, o as never), args: () => [e, { n: 3, width: 2, seed: 1 }],
      slots: [eng("engine"), S([1, "family"], "options.family", [['{ family: "normal", sigma: -1 }', { family: "normal", sigma: -1 }],
        ['{ family: "normal", cov: I3 (n = 3) }', { family: "normal", cov: eye(2) }], ['{ family: "bernoulli", p: 2 }', { family: "bernoulli", p: 2 }],
        ['{ family: "sphere", radius: NaN }', { family: "sphere", radius: NaN }], ["{}", {}]])] },
    { name: "sampleConvNetwork", owner: "models", call: (en, o) => api.sampleConvNetwork(en as Engine, o as never), args: () => [e, { n: 4, patch: 2, seed: 1 }],
      slots: [eng("engine"), S([1], "options", kinds.reqopts())] },
    { name: "resolveFamily", owner: "models", call: (s, n) => api.resolveFamily(s as never, n as number), args: () => ["normal", 3],
      slots: [S([0], "options.family", [["null", null], ['"bogus"', "bogus"], ["42", 42], ["{}", {}], ["Symbol", SYM]]), S([1], "n", kinds.size())] },
    { name: "clippedReluNet", owner: "models", call: (en, w, x) => api.clippedReluNet(en as Engine, w as Matrix, x as Matrix), args: () => [e, net().W, X3()],
      slots: [eng("engine"), S([1], "W", kinds.matrix(net().W)), S([2], "X", kinds.matrix(X3()))] },
    { name: "periodicTarget", owner: "models", call: (o) => api.periodicTarget(o as never), args: () => [{ direction: F(1, 2), r: 2, psi: "triangle" }],
      slots: [S([0], "options", kinds.reqopts()), S([0, "direction"], "options.direction", [...kinds.vector(F(1, 2)), ["empty", new Float64Array(0)]]),
        S([0, "r"], "options.r", optional(kinds.nonneg())), S([0, "psi"], "options.psi", optional(kinds.enum()))] },
    { name: "samplePeriodicTarget", owner: "models", call: (en, o) => api.samplePeriodicTarget(en as Engine, o as never), args: () => [e, { d: 3, r: 2, seed: 1 }],
      slots: [eng("engine"), S([1], "options", kinds.reqopts()), S([1, "d"], "options.d", [...kinds.size(), ["0", 0]]), S([1, "r"], "options.r", kinds.nonneg()),
        S([1, "psi"], "options.psi", optional(kinds.enum())), S([1, "seed"], "options.seed", optional(kinds.seed())), S([1, "rng"], "options.rng", optional(kinds.rng()))] },
    { name: "periodicTargetForward", owner: "models", call: (en, t, x) => api.periodicTargetForward(en as Engine, t as never, x as Matrix),
      args: () => [e, api.periodicTarget({ direction: F(1, 0, 1) }), X3()],
      slots: [eng("engine"), S([1], "target", kinds.reqopts()), S([1, "w"], "target.w", kinds.vector(F(1, 0, 1))), S([1, "psi"], "target.psi", kinds.enum()),
        S([2], "X", kinds.matrix(X3()))] },
    { name: "psiFunction", owner: "models", call: (p) => api.psiFunction(p as never), args: () => ["cos"], slots: [S([0], "psi", kinds.enum())] },
    { name: "halfspacesForward", owner: "models", call: (h, x) => api.halfspacesForward(h as never, x as Matrix), args: () => [H(), M(1, 2, 1, 0)],
      slots: [S([0], "H", kinds.reqopts()), S([0, "W"], "H.W", kinds.matrix(H().W)), S([0, "b"], "H.b", [...kinds.vector(F(0, 1)), ["fractional", F(0.5, 1)]]),
        S([1], "X", kinds.matrix(M(1, 2, 1, 0)))] },
    { name: "encodeHalfspaces", owner: "models", call: (h) => api.encodeHalfspaces(h as never), args: () => [H()],
      slots: [S([0], "H", kinds.reqopts()), S([0, "W"], "H.W", [...kinds.matrix(H().W), ["fractional entry", M(2, 2, 1, 0.5, 0, 0)]])] },
    { name: "decodeHalfspaces", owner: "models", call: (n) => api.decodeHalfspaces(n as never), args: () => [api.encodeHalfspaces(H())],
      slots: [S([0], "net", kinds.reqopts()), S([0, "W"], "net.W", [...kinds.matrix(M(3, 2, 1, 2, 3, 4, 5, 6)), ["1 row", M(1, 2, 1, 1)]]),
        S([0, "b"], "net.b", [["F(0, 0)", F(0, 0)]]), S([0, "a"], "net.a", [["F(1, 1)", F(1, 1)]])] },
    { name: "appendOnes", owner: "models", call: (x) => api.appendOnes(x as Matrix), args: () => [X3()], slots: [S([0], "X", kinds.matrix(X3()))] },
    { name: "booleanCube", owner: "models", call: (d) => api.booleanCube(d as number), args: () => [3], slots: [S([0], "d", [...kinds.size(), ["0", 0], ["25", 25]])] },
    { name: "randomHalfspaces", owner: "models", call: (g, d, k, w) => api.randomHalfspaces(g as never, d as number, k as number, w as number), args: () => [r(), 3, 2, 2],
      slots: [S([0], "rng", kinds.rng()), S([1], "d", [...kinds.size(), ["0", 0]]), S([2], "maxK", optional([...kinds.size(), ["0", 0]])),
        S([3], "maxWeight", optional([...kinds.size(), ["0", 0]]))] },
    { name: "checkHalfspaceEncoding", owner: "models", call: (en, o) => api.checkHalfspaceEncoding(en as Engine, o as never), args: () => [e, { dim: 2, instances: 1 }],
      slots: [eng("engine"), S([1], "options", kinds.reqopts())] },
    { name: "augmentIndependent", owner: "models", call: (w) => api.augmentIndependent(w as Matrix), args: () => [net().W], slots: [S([0], "W", kinds.matrix(net().W))] },
    { name: "padZeros", owner: "models", call: (x, k) => api.padZeros(x as Matrix, k as number), args: () => [X3(), 2],
      slots: [S([0], "X", kinds.matrix(X3())), S([1], "k", kinds.size())] },
    { name: "smallestSingularValue", owner: "models", call: (en, w) => api.smallestSingularValue(en as Engine, w as Matrix), args: () => [e, net().W],
      slots: [eng("engine"), S([1], "W", kinds.matrix(net().W))] },
    { name: "transferMatrix", owner: "models", call: (w, wp) => api.transferMatrix(w as Matrix, wp as Matrix), args: () => [net().W, M(3, 2, 1, 0, 0, 1, 1, 1)],
      slots: [S([0], "W", [...kinds.matrix(net().W), ["dependent columns", M(3, 2, 1, 2, 1, 2, 1, 2)]]), S([1], "Wp", [...kinds.matrix(M(3, 2, 1, 0, 0, 1, 1, 1)), ["2 x 2", eye(2)]])] },
    { name: "spanTest", owner: "models", call: (x, xf, o) => api.spanTest(x as Matrix, xf as Matrix, o as never), args: () => [X3(), M(1, 3, 1, 1, 1), { relTol: 1e-8 }],
      slots: [S([0], "X", kinds.matrix(X3())), S([1], "Xfresh", kinds.matrix(M(1, 3, 1, 1, 1))), S([2], "options", kinds.opts()),
        S([2, "relTol"], "options.relTol", optional(kinds.nonneg()))] },
    { name: "distributions.gaussian", owner: "models", call: (o) => distributions.gaussian(o as never), args: () => [{ dim: 2, sd: 2 }],
      slots: [S([0], "options", kinds.opts()), S([0, "dim"], "options.dim", optional([...kinds.size(), ["0", 0]])), S([0, "sd"], "options.sd", optional(kinds.pos())),
        S([0, "mean"], "options.mean", optional(kinds.vector(F(0, 0)))), S([0, "cov"], "options.cov", optional([...kinds.matrix(eye(2)), ["asymmetric", M(2, 2, 1, 0.5, 0, 1)]]))] },
    { name: "distributions.gaussianMixture", owner: "models", call: (o) => distributions.gaussianMixture(o as never), args: () => [mix2()],
      slots: [S([0], "options", kinds.reqopts()), S([0, "weights"], "options.weights", [...kinds.vector(F(1, 1)), ["negative", F(1, -1)], ["zero sum", F(0, 0)]]),
        S([0, "means"], "options.means", kinds.matrix(M(2, 2, 0, 0, 1, 1))), S([0, "covs"], "options.covs", [...COMMON, ["undefined", undefined], ["[I2]", [eye(2)]], ["[I2, I3]", [eye(2), eye(3)]]])] },
    { name: "distributions.cube01", owner: "models", call: (d) => distributions.cube01(d as number), args: () => [3], slots: [S([0], "d", [...kinds.size(), ["0", 0]])] },
    { name: "distributions.cubePM1", owner: "models", call: (d) => distributions.cubePM1(d as number), args: () => [3], slots: [S([0], "d", [...kinds.size(), ["0", 0]])] },
    { name: "distributions.sphere", owner: "models", call: (d, rad) => distributions.sphere(d as number, rad as number), args: () => [3, 2],
      slots: [S([0], "d", [...kinds.size(), ["0", 0]]), S([1], "radius", optional(kinds.pos()))] },
    { name: "distributions.finiteSupport", owner: "models", call: (p, w) => distributions.finiteSupport(p as Matrix, w as Float64Array), args: () => [X3(), F(1, 3)],
      slots: [S([0], "points", kinds.matrix(X3())), S([1], "weights", optional([...kinds.vector(F(1, 3)), ["wrong length", F(1, 2, 3)]]))] },
    { name: "distributions.pushForward", owner: "models", call: (en, b, m) => distributions.pushForward(en as Engine, b as never, m as Matrix),
      args: () => [e, distributions.cube01(2), M(3, 2, 1, 0, 0, 1, 1, 1)],
      slots: [eng("engine"), S([1], "base", [...COMMON, ["undefined", undefined], ["{}", {}], ["{ dim: 2 }", { dim: 2 }]]), S([2], "M", kinds.matrix(M(3, 2, 1, 0, 0, 1, 1, 1)))] },
    { name: "Distribution.sample", owner: "models", call: (g, c) => distributions.gaussian({ dim: 2 }).sample(g as never, c as number), args: () => [r(), 3],
      slots: [S([0], "rng", kinds.rng()), S([1], "count", kinds.size())] },
    { name: "expectedRelu", owner: "models", call: (w) => api.expectedRelu(w as Float64Array), args: () => [F(1, 2)], slots: [S([0], "w", kinds.vector(F(1, 2)))] },
    { name: "expectedReluBias", owner: "models", call: (w, b) => api.expectedReluBias(w as Float64Array, b as number), args: () => [F(1, 2), -1],
      slots: [S([0], "w", kinds.vector(F(1, 2))), S([1], "b", kinds.num())] },
    { name: "arcCosKernel", owner: "models", call: (a, b) => api.arcCosKernel(a as Float64Array, b as Float64Array), args: () => [F(1, 2), F(2, -1)],
      slots: [S([0], "a", kinds.vector(F(1, 2))), S([1], "b", [...kinds.vector(F(2, -1)), ["wrong length", F(1)]])] },
    { name: "arcCosKernelGrad", owner: "models", call: (a, b) => api.arcCosKernelGrad(a as Float64Array, b as Float64Array), args: () => [F(1, 2), F(2, -1)],
      slots: [S([0], "a", kinds.vector(F(1, 2))), S([1], "b", kinds.vector(F(2, -1)))] },
    { name: "populationLoss", owner: "models", call: (u, v) => api.populationLoss(u as Matrix, v as Matrix), args: () => [net().W, M(3, 1, 1, 1, 1)],
      slots: [S([0], "U", kinds.matrix(net().W)), S([1], "V", [...kinds.matrix(M(3, 1, 1, 1, 1)), ["2 rows", M(2, 1, 1, 1)]])] },
    { name: "populationLossGrad", owner: "models", call: (u, v) => api.populationLossGrad(u as Matrix, v as Matrix), args: () => [net().W, M(3, 1, 1, 1, 1)],
      slots: [S([0], "U", kinds.matrix(net().W)), S([1], "V", kinds.matrix(M(3, 1, 1, 1, 1)))] },
    { name: "expectedClippedRelu", owner: "models", call: (w) => api.expectedClippedRelu(w as Float64Array), args: () => [F(1, 2)], slots: [S([0], "w", kinds.vector(F(1, 2)))] },
    { name: "trainNetwork", owner: "models", call: (en, o) => api.trainNetwork(en as Engine, o as never), args: () => [e, trainOpts()],
      slots: [eng("engine"), S([1, "batchSize"], "options.batchSize", optional([...kinds.size(), ["0", 0]])), S([1, "beta1"], "options.beta1", optional([...kinds.num(), ["1", 1]])),
        S([1, "l2"], "options.l2", optional(kinds.nonneg())), S([1, "Xtest"], "options.Xtest", optional(kinds.matrix(X3()))),
        S([1, "populationTarget"], "options.populationTarget", optional([...kinds.matrix(M(3, 1, 1, 1, 1)), ["2 rows", M(2, 1, 1, 1)]]))] },
    { name: "trainNetworkSync", owner: "models", call: (en, o) => api.trainNetworkSync(en as Engine, o as never), args: () => [e, trainOpts()],
      slots: [eng("engine"), S([1], "options", kinds.reqopts()), S([1, "whiten"], "options.whiten", optional(kinds.bool())),
        S([1, "initFrame"], "options.initFrame", optional(kinds.enum()))] },
    { name: "objectiveGradient", owner: "models", call: (en, o) => api.objectiveGradient(en as Engine, o as never), args: () => [e, { X: X3(), y: F(1, 0), net: net() }],
      slots: [eng("engine"), S([1], "options", kinds.reqopts()), S([1, "X"], "options.X", kinds.matrix(X3())), S([1, "y"], "options.y", kinds.vector(F(1, 0))),
        S([1, "net"], "options.net", kinds.reqopts()), S([1, "l2"], "options.l2", optional(kinds.nonneg()))] },
    { name: "optimizerStep", owner: "models", call: (en, o, th, g, st, hp) => api.optimizerStep(en as Engine, o as never, th as Float64Array, g as Float64Array, st as never, hp as never),
      args: () => [e, "adam", F(1, 2), F(0.5, -0.5), { s1: F(0, 0), s2: F(0, 0), t: 1 }, { lr: 0.1 }],
      slots: [eng("engine"), S([1], "opt", kinds.enum()), S([2], "theta", kinds.vector(F(1, 2))), S([3], "g", kinds.vector(F(0.5, -0.5))),
        S([4], "state", kinds.reqopts()), S([4, "t"], "state.t", [...kinds.size(), ["0", 0]]), S([5], "hp", kinds.reqopts()), S([5, "lr"], "hp.lr", kinds.pos()),
        S([5, "beta1"], "hp.beta1", optional([...kinds.num(), ["1", 1], ["-0.5", -0.5]])), S([5, "beta2"], "hp.beta2", optional([...kinds.num(), ["1", 1]]))] },
    { name: "invarianceExperiment", owner: "models", call: (en, o) => api.invarianceExperiment(en as Engine, o as never), args: () => [e, { m: 6, d: 2, width: 2, steps: 1, conds: [], seed: 1 }],
      slots: [eng("engine")] },
    { name: "haarOrthogonal", owner: "models", call: (g, d) => api.haarOrthogonal(g as never, d as number), args: () => [r(), 3],
      slots: [S([0], "rng", kinds.rng()), S([1], "d", [...kinds.size(), ["0", 0]])] },
    { name: "conditionedMatrix", owner: "models", call: (g, d, c) => api.conditionedMatrix(g as never, d as number, c as number), args: () => [r(), 3, 10],
      slots: [S([0], "rng", kinds.rng()), S([1], "d", [...kinds.size(), ["0", 0]]), S([2], "cond", [...kinds.num(), ["0.5", 0.5], ["0", 0]])] },
    { name: "randomKSat", owner: "models", call: (en, o) => api.randomKSat(en as Engine, o as never), args: () => [e, { n: 4, K: 2, m: 3, seed: 1 }],
      slots: [eng("engine"), S([1], "options", kinds.reqopts()), S([1, "n"], "options.n", kinds.size()), S([1, "K"], "options.K", [...kinds.size(), ["0", 0], ["5 > n", 5]]),
        S([1, "m"], "options.m", kinds.size()), S([1, "seed"], "options.seed", optional(kinds.seed())), S([1, "rng"], "options.rng", optional(kinds.rng()))] },
    { name: "plantedKSat", owner: "models", call: (en, o) => api.plantedKSat(en as Engine, o as never), args: () => [e, { n: 4, K: 2, m: 3, seed: 1 }],
      slots: [eng("engine"), S([1], "options", kinds.reqopts()), S([1, "psi"], "options.psi", optional([...kinds.vector(F(1, -1, 1, 1)), ["0 entry", F(1, 0, 1, 1)]]))] },
    { name: "clauseViolated", owner: "models", call: (f, c, p) => api.clauseViolated(f as never, c as number, p as never), args: () => [ksat(), 1, F(1, -1, 1, -1)],
      slots: [S([0], "f", kinds.reqopts()), S([1], "c", [...kinds.size(), ["3 (= m)", 3]]), S([2], "psi", [...kinds.vector(F(1, -1, 1, -1)).filter(([l]) => l !== "plain array"), ["short", F(1)], ["zeros", F(0, 0, 0, 0)]])] },
    { name: "clauseViolationNeuron", owner: "models", call: (f, p) => api.clauseViolationNeuron(f as never, p as Float64Array), args: () => [ksat(), F(1, -1, 1, -1)],
      slots: [S([0], "f", [...kinds.reqopts(), ["{ n: 4 }", { n: 4 }]]), S([1], "psi", kinds.vector(F(1, -1, 1, -1)))] },
    { name: "hideAssignment", owner: "models", call: (en, o) => api.hideAssignment(en as Engine, o as never), args: () => [e, { formula: ksat(), psi: F(1, -1, 1, -1), seed: 1 }],
      slots: [eng("engine"), S([1], "options", kinds.reqopts()), S([1, "formula"], "options.formula", [...kinds.reqopts(), ["{ n: 4 }", { n: 4 }]]),
        S([1, "psi"], "options.psi", kinds.vector(F(1, -1, 1, -1)))] },
    { name: "violatedFraction", owner: "models", call: (f, p) => api.violatedFraction(f as never, p as Float64Array), args: () => [ksat(), F(1, -1, 1, -1)],
      slots: [S([0], "f", [...kinds.reqopts(), ["{ n: 4 }", { n: 4 }]]), S([1], "psi", kinds.vector(F(1, -1, 1, -1)))] },
    // ---- gradvar
    { name: "Engine.gradVariance", owner: "gradvar", call: (o) => e.gradVariance(o as never), args: () => [gvOpts()],
      slots: [S([0], "options", kinds.reqopts()), S([0, "dim"], "options.dim", [...kinds.size(), ["0", 0]]), S([0, "radius"], "options.radius", kinds.pos()),
        S([0, "theta"], "options.theta", kinds.vector(F(0.5, 0))), S([0, "directions"], "options.directions", [...kinds.size(), ["1", 1]]),
        S([0, "samples"], "options.samples", optional([...kinds.size(), ["1", 1]])), S([0, "seed"], "options.seed", kinds.seed()),
        S([0, "psi"], "options.psi", optional(kinds.enum())), S([0, "predictor"], "options.predictor", optional(kinds.enum())),
        S([0, "workers"], "options.workers", optional([...kinds.size(), ["0", 0]])), S([0, "blocks"], "options.blocks", optional([...kinds.size(), ["1", 1]])),
        S([0, "X"], "options.X", optional(kinds.matrix(M(16, 2, ...new Array(32).fill(0.5))))), S([0, "input"], "options.input", optional(kinds.opts())),
        S([0, "onProgress"], "options.onProgress", [['"x"', "x"], ["42", 42], ["{}", {}]])] },
    { name: "Engine.gradVarianceExact", owner: "gradvar", call: (o) => e.gradVarianceExact(o as never), args: () => [{ dim: 3, radius: 2, thetaNorm: 1 }],
      slots: [S([0], "args", kinds.reqopts()), S([0, "dim"], "args.dim", [...kinds.size(), ["0", 0]]), S([0, "radius"], "args.radius", kinds.pos()),
        S([0, "thetaNorm"], "args.thetaNorm", kinds.nonneg())] },
    { name: "gradVarianceExact", owner: "gradvar", call: (o) => api.gradVarianceExact(o as never), args: () => [{ dim: 3, radius: 2, thetaNorm: 1 }],
      slots: [S([0], "args", kinds.reqopts())] },
    { name: "meanGradientExact", owner: "gradvar", call: (o) => api.meanGradientExact(o as never), args: () => [{ theta: F(1, 0), radius: 2 }],
      slots: [S([0], "args", kinds.reqopts()), S([0, "theta"], "args.theta", kinds.vector(F(1, 0))), S([0, "radius"], "args.radius", kinds.pos())] },
    { name: "cosLossAndGradient", owner: "gradvar", call: (t, w) => api.cosLossAndGradient(t as never, w as never), args: () => [F(1, 0), F(0, 1)],
      slots: [S([0], "theta", kinds.arraylike(F(1, 0))), S([1], "w", [...kinds.arraylike(F(0, 1)), ["wrong length", F(1)]])] },
    { name: "Engine.landscape", owner: "gradvar", call: (o) => e.landscape(o as never), args: () => [{ radius: 2, grid: 5, starts: 3 }],
      slots: [S([0], "options", kinds.reqopts()), S([0, "radius"], "options.radius", kinds.pos()), S([0, "extent"], "options.extent", optional(kinds.pos())),
        S([0, "grid"], "options.grid", optional([...kinds.size(), ["1", 1]])), S([0, "starts"], "options.starts", optional([...kinds.size(), ["1", 1]])),
        S([0, "flatTol"], "options.flatTol", optional(kinds.pos()))] },
    { name: "landscape", owner: "gradvar", call: (o) => api.landscape(o as never), args: () => [{ radius: 2, grid: 5, starts: 3 }], slots: [S([0], "options", kinds.reqopts())] },
    { name: "eq3", owner: "gradvar", call: (w, s) => api.eq3(w as Float64Array, s as Float64Array), args: () => [F(1, 0), F(2, 0)],
      slots: [S([0], "w", kinds.vector(F(1, 0))), S([1], "wStar", [...kinds.vector(F(2, 0)), ["wrong length", F(1)]])] },
    { name: "eq3Loss", owner: "gradvar", call: (w, s) => api.eq3Loss(w as never, s as never), args: () => [F(1, 0), F(2, 0)],
      slots: [S([0], "w", kinds.arraylike(F(1, 0))), S([1], "wStar", [...kinds.arraylike(F(2, 0)), ["wrong length", F(1)]])] },
    { name: "eq3Gradient", owner: "gradvar", call: (w, s) => api.eq3Gradient(w as never, s as never), args: () => [F(1, 0), F(2, 0)],
      slots: [S([0], "w", kinds.arraylike(F(1, 0))), S([1], "wStar", [...kinds.arraylike(F(2, 0)), ["wrong length", [2, 0, 0]]])] },
    { name: "eq3Hessian", owner: "gradvar", call: (w, s) => api.eq3Hessian(w as never, s as never), args: () => [F(1, 0), F(2, 0)],
      slots: [S([0], "w", kinds.arraylike(F(1, 0))), S([1], "wStar", [...kinds.arraylike(F(2, 0)), ["wrong length", F(1)]])] },
    { name: "Engine.landscapeMonteCarlo", owner: "gradvar", call: (o) => e.landscapeMonteCarlo(o as never), args: () => [lmcOpts()],
      slots: [S([0], "options", kinds.reqopts()), S([0, "radius"], "options.radius", kinds.pos()), S([0, "points"], "options.points", [...COMMON, ["undefined", undefined], ["[[NaN, 0]]", [[NaN, 0]]], ["[[0]]", [[0]]], ["[{}]", [{}]]]),
        S([0, "samples"], "options.samples", [...kinds.size(), ["1", 1]]), S([0, "seed"], "options.seed", kinds.seed()), S([0, "dim"], "options.dim", optional([...kinds.size(), ["0", 0]]))] },
    { name: "mixtureCosMoments", owner: "gradvar", call: (v, m) => api.mixtureCosMoments(v as Float64Array, m as never), args: () => [F(1, 0), mix2()],
      slots: [S([0], "v", kinds.vector(F(1, 0))), S([1], "mixture", kinds.reqopts()), S([1, "weights"], "mixture.weights", [...kinds.vector(F(1, 1)), ["negative", F(1, -1)]]),
        S([1, "means"], "mixture.means", kinds.matrix(M(2, 2, 0, 0, 1, 1))), S([1, "covs"], "mixture.covs", [...COMMON, ["undefined", undefined], ["[I2]", [eye(2)]]])] },
    { name: "eq3MixtureLoss", owner: "gradvar", call: (w, s, m) => api.eq3MixtureLoss(w as Float64Array, s as Float64Array, m as never), args: () => [F(1, 0), F(2, 0), mix2()],
      slots: [S([0], "w", kinds.vector(F(1, 0))), S([1], "wStar", [...kinds.vector(F(2, 0)), ["wrong length", F(1)]]), S([2], "mixture", kinds.reqopts())] },
    { name: "eq3MixtureGradient", owner: "gradvar", call: (w, s, m) => api.eq3MixtureGradient(w as Float64Array, s as Float64Array, m as never), args: () => [F(1, 0), F(2, 0), mix2()],
      slots: [S([0], "w", kinds.vector(F(1, 0))), S([1], "wStar", kinds.vector(F(2, 0))), S([2], "mixture", kinds.reqopts())] },
    { name: "triangleMoments", owner: "gradvar", call: (a, b) => api.triangleMoments(a as Float64Array, b as Float64Array), args: () => [F(0.5, 0), undefined],
      slots: [S([0], "a", kinds.vector(F(0.5, 0))), S([1], "b", optional([...kinds.vector(F(0.1, 0.2)), ["wrong length", F(1)]]))] },
    { name: "Engine.oracleSimulation", owner: "gradvar", call: (o) => e.oracleSimulation(o as never), args: () => [oracleOpts()],
      slots: [S([0], "options", kinds.reqopts()), S([0, "dim"], "options.dim", [...kinds.size(), ["0", 0]]), S([0, "radius"], "options.radius", kinds.pos()),
        S([0, "theta0"], "options.theta0", kinds.vector(F(0.1, 0, 0))), S([0, "targets"], "options.targets", [...kinds.size(), ["1", 1]]),
        S([0, "seed"], "options.seed", kinds.seed()), S([0, "steps"], "options.steps", kinds.size()),
        S([0, "learningRate"], "options.learningRate", optional(kinds.pos())), S([0, "delta"], "options.delta", optional(kinds.nonneg()))] },
    { name: "Engine.gradVarianceSweep", owner: "gradvar", call: (o) => e.gradVarianceSweep(o as never), args: () => [sweepOpts()],
      slots: [S([0], "options", kinds.reqopts()), S([0, "dims"], "options.dims", [...kinds.numarray(), ["[0]", [0]], ["[1.5]", [1.5]], ["[]", []]]),
        S([0, "radii"], "options.radii", [...kinds.numarray(), ["[-1]", [-1]]]), S([0, "thetaNorms"], "options.thetaNorms", [...kinds.numarray(), ["[-1]", [-1]]]),
        S([0, "samples"], "options.samples", [...kinds.size(), ["1", 1]]), S([0, "directions"], "options.directions", [...kinds.size(), ["1", 1]]),
        S([0, "seed"], "options.seed", kinds.seed()), S([0, "shard"], "options.shard", [...kinds.opts(), ["{ index: 2, count: 2 }", { index: 2, count: 2 }], ["{ index: -1, count: 1 }", { index: -1, count: 1 }]])] },
    { name: "sweepConfigs", owner: "gradvar", call: (d, r2, t) => api.sweepConfigs(d as number[], r2 as number[], t as number[]), args: () => [[2], [1], [0.5]],
      slots: [S([0], "dims", [...kinds.numarray(), ["[0]", [0]], ["[1.5]", [1.5]], ["[]", []], ["[2^21]", [2 ** 21]]]),
        S([1], "radii", [...kinds.numarray(), ["[-1]", [-1]], ["[0]", [0]], ["[Infinity]", [Infinity]]]),
        S([2], "thetaNorms", [...kinds.numarray(), ["[-1]", [-1]], ["[Infinity]", [Infinity]]])] },
    { name: "mergeShards", owner: "gradvar", call: (s) => api.mergeShards(s as never), args: () => [[shard]],
      slots: [S([0], "shards", [...COMMON, ["undefined", undefined], ["{}", {}], ["[]", []], ["[null]", [null]], ["[{}]", [{}]], ['[{ kind }]', [{ kind: "hardlearn.gradvar.sweep" }]],
        ["[{ kind, shard: null }]", [{ kind: "hardlearn.gradvar.sweep", shard: null }]],
        ["[{ kind, shard, total }] (no settings / rows)", [{ kind: "hardlearn.gradvar.sweep", shard: { index: 0, count: 1 }, total: 1 }]],
        ["[{ ..., rows: [null] }]", [{ kind: "hardlearn.gradvar.sweep", shard: { index: 0, count: 1 }, total: 1, settings: {}, rows: [null] }]]])] },
    { name: "Engine.closeWorkers", owner: "gradvar", call: () => e.closeWorkers(), args: () => [], slots: [] },
    // ---- sweep
    { name: "planSweep", owner: "sweep", call: (s) => api.planSweep(s), args: () => [sweepSpec()],
      slots: [S([0], "spec", [...COMMON, ["undefined", undefined], ["42", 42], ["[]", []]]),
        S([0, "experiment"], "experiment", kinds.enum()),
        S([0, "grid"], "grid", [...COMMON, ["42", 42], ["{}", {}], ["[]", []]]),
        S([0, "grid", "radius"], "grid.radius", [...COMMON, ["42", 42], ["[]", []], ["{}", {}], ["[NaN]", [NaN]], ["[0]", [0]], ["[-1]", [-1]], ['["1"]', ["1"]], ["Float64Array", F(1)], ["[1, 1]", [1, 1]]]),
        S([0, "params", "samples"], "params.samples", [...optional(kinds.size()), ["1", 1]]),
        S([0, "seeds"], "seeds", [...COMMON, ["0", 0], ["-1", -1], ["1.5", 1.5], ["[]", []], ["[-1]", [-1]], ["[1, 1]", [1, 1]], ['["1"]', ["1"]]]),
        S([0, "precision"], "precision", [...COMMON, ["42", 42], ["{}", {}], ["{ relativeStderr: 2 }", { relativeStderr: 2 }], ["{ upperBound: -1 }", { upperBound: -1 }], ["{ relativeStderr, upperBound }", { relativeStderr: 0.1, upperBound: 1 }]])] },
    { name: "Engine.sweep", owner: "sweep", call: (s, o) => e.sweep(s, o as never), args: () => [sweepSpec(), {}],
      slots: [S([0], "spec", [...COMMON, ["undefined", undefined], ["42", 42], ["[]", []]]), S([1], "options", kinds.opts()),
        S([1, "shard"], "options.shard", [...optional(kinds.opts()), ["{ index: 2, count: 2 }", { index: 2, count: 2 }], ["{ index: -1, count: 1 }", { index: -1, count: 1 }], ["{}", {}]]),
        S([1, "workers"], "options.workers", [...optional(kinds.size()), ["0", 0], ["65", 65]]),
        S([1, "store"], "options.store", [...optional(kinds.opts()), ["{}", {}], ["{ done: 1 }", { done: 1, append: () => 1 }], ["done() not a Map", { done: () => ({}), append: async () => {} }]]),
        S([1, "onCell"], "options.onCell", [["42", 42], ['"f"', "f"], ["{}", {}]]),
        S([1, "versions"], "options.versions", [["42", 42], ["{ a: 1 }", { a: 1 }]])] },
    { name: "sweepResult", owner: "sweep", call: (p, r) => api.sweepResult(p as never, r as never), args: () => [sweepPlan, sweepRecords],
      slots: [S([0], "plan", [...COMMON, ["undefined", undefined], ["42", 42], ["{}", {}], ["{ kind }", { kind: "hardlearn.sweep.plan" }]]),
        S([1], "records", [...COMMON, ["undefined", undefined], ["42", 42], ["{}", {}], ["[]", []], ["[null]", [null]], ["[{}]", [{}]], ["[{ index: -1 }]", [{ index: -1, params: {}, result: {}, seed: "1" }]]])] },
    { name: "formatSweepResult", owner: "sweep", call: (r) => api.formatSweepResult(r as never), args: () => [sweepDoc],
      slots: [S([0], "result", [...COMMON, ["undefined", undefined], ["42", 42], ["{}", {}], ["{ kind }", { kind: "hardlearn.sweep.result" }], ["cells: [null]", { kind: "hardlearn.sweep.result", cells: [null] }]])] },
    { name: "sweepCsv", owner: "sweep", call: (r) => api.sweepCsv(r as never), args: () => [sweepDoc],
      slots: [S([0], "result", [...COMMON, ["undefined", undefined], ["42", 42], ["{}", {}], ["{ kind }", { kind: "hardlearn.sweep.result" }], ["cells: [{}]", { kind: "hardlearn.sweep.result", cells: [{}] }]])] },
    { name: "mergeShardOutputs", owner: "sweep", call: (o) => api.mergeShardOutputs(o as never), args: () => [[sweepOutput()]],
      slots: [S([0], "outputs", [...COMMON, ["undefined", undefined], ["42", 42], ["{}", {}], ["[]", []], ["[null]", [null]], ["[{}]", [{}]],
        ["[{ bad specHash }]", [{ ...sweepOutput(), specHash: "x" }]], ["[{ shard: null }]", [{ ...sweepOutput(), shard: null }]],
        ["[{ records: [null] }]", [{ ...sweepOutput(), records: [null] }]], ["[{ spec: {} }]", [{ ...sweepOutput(), spec: {} }]]])] },
  ];
  // float32 matrices and vectors are valid in these slots (README "float32"): not garbage there.
  for (const x of list) for (const slot of x.slots) {
    if (FLOAT32_VALID.has(`${x.name} ${slot.name}`)) slot.garbage = slot.garbage.filter(([label]) => !/Float32Array/.test(label));
  }
  return list;
}

/** Members that are not functions to audit (constants, types at runtime, classes constructed only internally). */
export const NOT_FUNCTIONS = new Set([
  "DEFAULT_MEMORY_LIMIT", "GEMM_KERNELS", "SGEMM_KERNELS", "SVD_MAX_SWEEPS", "MAX_POSITION", "F32_MAX", "PSI_KINDS", "WEIGHT_FAMILIES", "PERIODIC_PSI", "OPTIMIZERS",
  // Error classes (constructed by the library) and classes whose constructors are documented @internal.
  "HardlearnError", "InvalidArgumentError", "OverflowError", "ConvergenceError", "AllocationError", "AbortError", "InternalError",
  "LoadError", "MissingDependencyError", "WorkerPoolClosedError", "Engine", "RngStream", "GemmThreads",
  // Namespace; its functions are audited one by one as distributions.<name>.
  "distributions",
]);
