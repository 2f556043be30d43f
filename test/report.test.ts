// The reproduction report: (1) every number in results.json equals what the public API returns for the same seeds
// and parameters (small config); (2) the HTML is self-contained, has every figure as inline SVG and one verdict
// sentence per claim; (3) publication is atomic: a failed or interrupted run leaves the previous report intact and
// no temporary directory behind.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engine } from "./helpers.js";
import { reproduce, resultsToJson, runExperiments } from "../src/report/reproduce.js";
import { configFor } from "../src/report/config.js";
import { publishDir } from "../src/report/atomic.js";
import { periodicData } from "../src/report/compute.js";
import type { ReproduceResults, ExperimentResult } from "../src/report/types.js";
import { EXPERIMENTS } from "../src/report/experiments/index.js";
import { standardInit } from "../src/report/experiments/sgdmap.js";
import { sq } from "../src/math/detmath.js";

async function rejects(p: Promise<unknown>): Promise<void> {
  try { await p; } catch { return; }
  throw new Error("expected a rejection");
}

import { VERDICTS } from "../src/report/verdicts.js";
const SEED = 4242;
const work = mkdtempSync(join(tmpdir(), "hardlearn-report-"));
const out = join(work, "report");
let results: ReproduceResults;
let json: ReproduceResults;
let html = "";

/** JSON round trip with the report's serializer: what results.json holds for a value. */
const asJson = (v: unknown): unknown => JSON.parse(resultsToJson(v as ReproduceResults));
const exp = (id: string): ExperimentResult => {
  const e = json.experiments.find((x) => x.id === id);
  assert.ok(e, `experiment ${id} missing`);
  assert.is(e!.status, "ok", `experiment ${id} is ${e!.status}: ${e!.reason}`);
  return e!;
};

test.before(async () => {
  const e = await engine();
  results = await reproduce({ engine: e, config: configFor("small"), seed: SEED, outDir: out });
  json = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
  html = readFileSync(join(out, "index.html"), "utf8");
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test("every experiment ran (none failed) and results.json carries seeds, versions, timings, rules and engine checks", () => {
  assert.equal(json.experiments.map((x) => x.id), EXPERIMENTS.map((x) => x.id));
  for (const x of json.experiments) {
    assert.is(x.status, "ok", `${x.id}: ${x.status} ${x.reason ?? ""}`);
    assert.ok(x.seconds >= 0 && typeof x.seeds.experiment === "number");
    for (const c of x.claims) {
      assert.ok(VERDICTS.includes(c.verdict) && c.sentence.length > 20, `${c.id}: ${c.verdict}`);
      assert.ok(c.rule.length > 20 && c.failsIf.length > 10, `${c.id} has its rule and failure condition`);
    }
    assert.ok(Array.isArray(x.checks));
  }
  assert.is(json.seed, SEED);
  assert.ok(json.versions.node && json.versions.hardlearn && json.versions.vega);
  assert.ok(json.totalSeconds > 0);
});

test("landscape: numbers equal engine.landscape; five critical points reported as contradicting the text", async () => {
  const e = await engine();
  const x = exp("landscape");
  const cfg = configFor("small").landscape;
  for (const r of cfg.radii) {
    const api = e.landscape({ radius: r, extent: cfg.extent, grid: cfg.grid });
    const got = x.data[`r=${r}`] as Record<string, unknown>;
    assert.equal(got.criticalPoints, asJson(api.criticalPoints));
    assert.equal(got.grid, asJson(api.grid));
    assert.equal(got.flatShare, api.flatShare);
  }
  const c = x.claims.find((k) => k.id === "A.fig2.critical-points")!;
  assert.is(c.verdict, "contradicts the paper");
  assert.ok(c.control?.passed, "the search found 0 and ±w*");
  assert.match(c.sentence, /saddles at \(0, -1\.155\) and \(0, 1\.155\)/);
});

test("gradvar: exact and Monte-Carlo numbers equal engine.gradVarianceExact / engine.gradVariance", async () => {
  const e = await engine();
  const x = exp("gradvar");
  const d = x.data as { exact: { dim: number; radius: number; thetaNorm: number; exact: number }[]; monteCarlo: { dim: number; radius: number; thetaNorm: number; estimate: number; stderr: number; floor: number; seed: number; samples: number; directions: number }[]; relu: { radius: number; estimate: number; seed: number }[] };
  assert.ok(d.exact.length > 0 && d.monteCarlo.length > 0);
  for (const row of d.exact) assert.is(row.exact, e.gradVarianceExact({ dim: row.dim, radius: row.radius, thetaNorm: row.thetaNorm }).variance);
  for (const row of d.monteCarlo) {
    const th = new Float64Array(row.dim);
    th[0] = row.thetaNorm;
    const api = await e.gradVariance({ predictor: "cos", psi: "cos", dim: row.dim, radius: row.radius, theta: th, directions: row.directions, samples: row.samples, seed: row.seed });
    assert.is(row.estimate, api.estimate);
    assert.is(row.stderr, api.stderr);
    assert.is(row.floor, api.floor);
  }
  const cfg = configFor("small").gradvar;
  const theta = e.rng(d.relu[0].seed).normal(cfg.relu.width * cfg.relu.dim, 0, 1 / Math.sqrt(cfg.relu.dim));
  const api = await e.gradVariance({ predictor: "relu", psi: "cos", dim: cfg.relu.dim, radius: d.relu[0].radius, theta, directions: cfg.relu.directions, samples: cfg.relu.samples, seed: d.relu[0].seed });
  assert.is(d.relu[0].estimate, api.estimate);
});

test("oracle, invariance, halfspaces: results equal the API calls with the recorded params", async () => {
  const e = await engine();
  const o = exp("oracle");
  const cfg = configFor("small");
  const cells = (o.data as { cells: { d: number; r: number; bound: number; deviating: number; targets: number }[] }).cells;
  assert.is(cells.length, cfg.oracle.dims.length * cfg.oracle.radii.length);
  const c0 = cells[0];
  const theta0 = new Float64Array(c0.d);
  theta0[0] = cfg.oracle.thetaNorm;
  const sim = await e.oracleSimulation({ dim: c0.d, radius: c0.r, theta0, targets: cfg.oracle.targets, seed: o.seeds[`d=${c0.d},r=${c0.r}`], steps: cfg.oracle.steps, learningRate: cfg.oracle.rate });
  assert.is(c0.bound, sim.failureBound);
  assert.is(c0.deviating, sim.rows.filter((x) => x.failures > 0).length);

  const inv = exp("invariance");
  const p = inv.params as { m: number; d: number; width: number; steps: number; conds: number[]; lr: number };
  const rows = await e.invarianceExperiment({ m: p.m, d: p.d, width: p.width, steps: p.steps, conds: p.conds, lr: p.lr, seed: inv.seeds.invarianceExperiment });
  assert.equal((inv.data as { rows: unknown }).rows, asJson(rows));

  const hs = exp("halfspaces");
  for (const r of (hs.data as { encoding: { dim: number; instances: number; maxK: number; checked: number; mismatches: number; positiveFraction: number }[] }).encoding) {
    const api = e.checkHalfspaceEncoding({ dim: r.dim, instances: r.instances, seed: hs.seeds.checkHalfspaceEncoding, maxK: r.maxK });
    assert.equal({ checked: r.checked, mismatches: r.mismatches, positiveFraction: r.positiveFraction }, api);
  }
});

test("sgdmap and networks: a cell retrained through engine.train gives the same losses", async () => {
  const e = await engine();
  const s = exp("sgdmap");
  const cfg = configFor("small").sgdmap;
  const cells = (s.data as { cells: { d: number; r: number; optimizer: string; rel: number[]; runs: { seed: number; lr: number; curve: number[] }[] }[] }).cells;
  assert.is(cells.length, cfg.dims.length * cfg.radii.length * Object.keys(cfg.lrs).length);
  for (const c of cells) assert.is(c.rel.length, cfg.seeds);
  const cell = cells[0], run0 = cell.runs[0];
  const data = periodicData(e, { dim: cell.d, radius: cell.r, train: cfg.train + cfg.val, test: cfg.test, seed: run0.seed });
  const n0 = cfg.train;
  const init = standardInit(e.rng(run0.seed).stream(20), cell.d, cfg.width);
  const res = await e.train({ X: { rows: n0, cols: cell.d, data: data.X.data.subarray(0, n0 * cell.d) }, y: data.y.subarray(0, n0), Xtest: { rows: cfg.val, cols: cell.d, data: data.X.data.subarray(n0 * cell.d) }, ytest: data.y.subarray(n0), width: cfg.width, bias: true, trainSecondLayer: true, init, optimizer: cell.optimizer as "adam", lr: run0.lr, batchSize: cfg.batch, epochs: cfg.epochs, seed: run0.seed });
  let m = 0; for (const v of data.y.subarray(n0)) m += v; m /= cfg.val;
  let tv = 0; for (const v of data.y.subarray(n0)) tv += sq(v - m); tv /= cfg.val;
  assert.equal(run0.curve, res.history.filter((h) => h.epoch >= 1).map((h) => h.testLoss! / tv));

  const n = exp("networks");
  const nc = configFor("small").networks;
  const run = (n.data as { runs: { family: string; input: string; netSeed: number; dataSeed: number; trainSeed: number; history: { trainLoss: number }[] }[] }).runs[0];
  const net = e.sampleNetwork({ n: nc.dim, width: nc.width, family: run.family as "normal", seed: run.netSeed });
  const rng = e.rng(run.dataSeed);
  const X = { rows: nc.train, cols: nc.dim, data: rng.stream(0).normal(nc.train * nc.dim) };
  const Xt = { rows: nc.test, cols: nc.dim, data: rng.stream(1).normal(nc.test * nc.dim) };
  const r2 = await e.train({ X, y: e.reluNet(net, X), Xtest: Xt, ytest: e.reluNet(net, Xt), width: nc.learnerWidth, bias: true, trainSecondLayer: true, optimizer: "adam", lr: nc.rate, batchSize: nc.batch, epochs: nc.epochs, seed: run.trainSeed });
  assert.equal(run.history.map((h) => h.trainLoss), r2.history.map((h) => h.trainLoss));
});

test("index.html is self-contained: inline SVG for every figure, every claim's sentence, no scripts or remote resources", () => {
  const figures = results.experiments.flatMap((x) => x.figures);
  assert.ok(figures.length >= 8, `only ${figures.length} figures`);
  for (const f of figures) {
    const at = html.indexOf(`<figure id="fig-${f.id}">`);
    assert.ok(at >= 0, `figure ${f.id} missing`);
    assert.ok(html.slice(at, at + 200).includes("<svg"), `figure ${f.id} has no inline SVG`);
  }
  assert.is((html.match(/<svg/g) ?? []).length, figures.length);
  assert.not.match(html, /<script/i);
  assert.not.match(html, /(src|href)="https?:/i);
  for (const x of results.experiments) for (const c of x.claims) {
    const esc = c.sentence.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    assert.ok(html.includes(esc), `sentence of ${c.id} missing`);
  }
  // Log-scale axes where values span decades: the variance figure's y scale.
  const v = figures.find((f) => f.id === "gradvar-cos")!;
  assert.match(JSON.stringify(v.spec), /"type":"log"/);
});

test("--threads 2 gives bit-identical numbers (gradvar through the worker pool)", async () => {
  const e = await engine();
  try {
    const r2 = await runExperiments({ engine: e, config: configFor("small"), seed: SEED, threads: 2, only: ["gradvar"] });
    assert.is(r2.threads, 2);
    assert.equal(asJson(r2.experiments[0].data), exp("gradvar").data);
  } finally {
    await e.closeWorkers();
  }
});

test("atomic publication: a failing write leaves the previous report and no temporary directory", async () => {
  const dir = join(work, "atomic");
  await publishDir(dir, { "index.html": "old", "results.json": "{}" });
  await rejects(publishDir(dir, { "index.html": "new", "sub": "file", "sub/x.json": "cannot: sub is a file" }));
  assert.is(readFileSync(join(dir, "index.html"), "utf8"), "old");
  assert.equal(readdirSync(work).filter((f) => f.includes(".tmp-")), []);
  await publishDir(dir, { "index.html": "new" });
  assert.is(readFileSync(join(dir, "index.html"), "utf8"), "new");
  assert.not.ok(existsSync(join(dir, "results.json")), "the new report replaces the old one entirely");
});

test("an interrupted reproduction (AbortSignal) leaves the previous report untouched", async () => {
  const e = await engine();
  const dir = join(work, "interrupted");
  mkdirSync(dir);
  writeFileSync(join(dir, "index.html"), "previous");
  const ac = new AbortController();
  const p = reproduce({ engine: e, config: configFor("small"), seed: 1, outDir: dir, signal: ac.signal, onExperiment: (i) => { if (i === 2) ac.abort(); } });
  await rejects(p);
  assert.is(readFileSync(join(dir, "index.html"), "utf8"), "previous");
  assert.equal(readdirSync(work).filter((f) => f.includes(".tmp-")), []);
});

test.run();
