// Sweeps: spec validation with paths, plans as plain data, precision-targeted cells (deterministic, worker-independent),
// resumable JSON-lines files (torn last line redone, changed spec / foreign file refused and left untouched), shards +
// merge bit-identical to one run (duplicates, gaps and mixed specs refused), CSV, the CLI commands.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engine, rejectsWith } from "./helpers.js";
import { InvalidArgumentError } from "../src/errors.js";
import { planSweep, deriveSeed, type SweepPlan } from "../src/sweep/spec.js";
import { runSweep, sweepResult, formatSweepResult, sweepCsv, mergeShardOutputs, memoryStore, type ShardOutput } from "../src/sweep/run.js";
import { openResultsFile, readShardOutput, ResultsFileError, sealLine, openLine } from "../src/sweep/files.js";
import { parseSpecText } from "../src/sweep/load.js";
import { chooseShard, parseShard } from "../src/sweep/shard.js";
import { runCli, type CliIO } from "../src/cli/program.js";

const dir = mkdtempSync(join(tmpdir(), "hardlearn-sweep-test-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = { experiment: "gradvar", params: { samples: 300, directions: 24 }, grid: { dim: [2, 4], radius: [1, 3] }, seeds: [5, 6] };

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const io: CliIO = { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false };
  const code = await runCli(argv, io);
  return { code, out, err };
}

test("spec validation names the path, the rule and the value", async () => {
  const bad: [unknown, string[]][] = [
    [{ ...SMALL, grid: { dim: [2], radius: [1, 2, 3, -1] } }, ["grid.radius[3] must be > 0", "`-1`"]],
    [{ ...SMALL, grid: { dim: [2, 2.5] } }, ["grid.dim[1] must be an integer in [1, 1048576]", "`2.5`"]],
    [{ ...SMALL, grid: { dim: [2], radius: [1], widht: [3] } }, ["grid.widht must be a parameter of \"gradvar\""]],
    [{ ...SMALL, experiment: "gradvr" }, ["experiment must be one of"]],
    [{ experiment: "gradvar", grid: { dim: [2] } }, ["params.radius must be given"]],
    [{ experiment: "gradvar", points: [{ dim: 2, radius: 1 }, { dim: 3 }] }, ["points[1].radius must be given"]],
    [{ ...SMALL, seeds: [1, 1] }, ["seeds[1] must be a seed not repeated"]],
    [{ ...SMALL, precision: { relativeStderr: 1.5 } }, ["precision.relativeStderr must be a number in (0, 1)"]],
    [{ ...SMALL, precision: { relativeStderr: 0.1 }, budget: { maxBlocks: 1 } }, ["budget.maxBlocks must be an integer in [2, 1000000]"]],
    [{ experiment: "landscape", grid: { radius: [1] }, precision: { relativeStderr: 0.1 } }, ["precision must be absent for \"landscape\""]],
    [{ ...SMALL, budget: { maxBlocks: 4 } }, ["budget must be absent without a precision target"]],
    [{ ...SMALL, params: { samples: 4, directions: 24 } }, ["blocks must be <= samples (4)"]],
    [{ ...SMALL, grid: { dim: [2, 2] } }, ["grid.dim[1] must be a value not repeated"]],
    [{ ...SMALL, points: [{ dim: 2, radius: 1 }] }, ["exactly one of `grid`"]],
    [{ ...SMALL, extra: 1 }, ["spec key \"extra\""]],
  ];
  for (const [spec, frags] of bad) await rejectsWith(planSweep(spec), InvalidArgumentError, ...frags);
  assert.throws(() => parseSpecText("{ \"experiment\": ", "json", "s.json"), (e: Error) => e instanceof InvalidArgumentError && /s\.json must be valid JSON/.test(e.message));
  assert.throws(() => parseSpecText("a: 1\na: 2\n", "yaml", "s.yaml"), (e: Error) => e instanceof InvalidArgumentError && /valid YAML/.test(e.message));
});

test("plan: cells in order, plain JSON, seeds depend on (replicate, params) only", async () => {
  const plan = await planSweep(SMALL);
  assert.is(plan.cells.length, 8);
  assert.equal(plan.cells.map((c) => [c.params.dim, c.params.radius, c.replicate]), [[2, 1, 5], [2, 1, 6], [2, 3, 5], [2, 3, 6], [4, 1, 5], [4, 1, 6], [4, 3, 5], [4, 3, 6]]);
  assert.equal(JSON.parse(JSON.stringify(plan)), plan);
  assert.is(new Set(plan.cells.map((c) => c.seed)).size, 8);
  // Adding a radius changes the spec hash but not the seeds of the cells that were there before.
  const wider = await planSweep({ ...SMALL, grid: { dim: [2, 4], radius: [1, 2, 3] } });
  assert.is.not(wider.specHash, plan.specHash);
  const seedOf = (p: SweepPlan, d: number, r: number, s: number) => p.cells.find((c) => c.params.dim === d && c.params.radius === r && c.replicate === s)!.seed;
  assert.is(seedOf(wider, 4, 3, 6), seedOf(plan, 4, 3, 6));
  // The same sweep written as YAML has the same hash.
  const yaml = parseSpecText("experiment: gradvar\nparams: { samples: 300, directions: 24 }\ngrid:\n  dim: [2, 4]\n  radius: [1, 3]\nseeds: [5, 6]\n", "yaml");
  assert.is((await planSweep(yaml)).specHash, plan.specHash);
});

test("shards merge into the same bytes as one run; duplicates, gaps, mixed specs refused", async () => {
  const e = await engine();
  const plan = await planSweep(SMALL);
  const whole = await runSweep(e, plan);
  const ref = formatSweepResult(sweepResult(plan, whole.records));
  const outs: ShardOutput[] = [];
  for (let i = 2; i >= 0; i--) {
    const r = await e.sweep(plan, { shard: { index: i, count: 3 } });
    outs.push({ source: `s${i}`, specHash: plan.specHash, spec: plan.spec, shard: r.shard, records: r.records });
  }
  assert.is(formatSweepResult(await mergeShardOutputs(outs)), ref);
  await rejectsWith(mergeShardOutputs([outs[0], outs[1], outs[1]]), InvalidArgumentError, "duplicate of s1");
  await rejectsWith(mergeShardOutputs([outs[0], outs[1]]), InvalidArgumentError, "missing shard 0");
  const holed = { ...outs[2], records: outs[2].records.slice(1) };
  await rejectsWith(mergeShardOutputs([outs[0], outs[1], holed]), InvalidArgumentError, "gap: 1 of 3 cells unfinished");
  const other = await planSweep({ ...SMALL, seeds: [7] });
  await rejectsWith(mergeShardOutputs([outs[0], { ...outs[1], specHash: other.specHash, spec: other.spec }]), InvalidArgumentError, "mixed specs");
  // CSV: header + one row per cell, params and numbers.
  const csv = sweepCsv(sweepResult(plan, whole.records)).split("\r\n");
  assert.is(csv.length, 8 + 2);
  assert.ok(csv[0].startsWith("index,experiment,replicate,seed,dim,radius,thetaNorm,psi,samples,directions,blocks,exact,estimate,stderr"));
  assert.ok(csv[1].startsWith(`0,gradvar,5,${plan.cells[0].seed},2,1,1,cos,300,24,8,`));
});

test("precision target: blocks of own streams until SE/V <= target, worker-independent bits", async () => {
  const e = await engine();
  const spec = { experiment: "gradvar", params: { samples: 400, directions: 32 }, points: [{ dim: 3, radius: 1 }, { dim: 3, radius: 2 }], precision: { relativeStderr: 0.08 }, budget: { maxBlocks: 40 } };
  const plan = await planSweep(spec);
  const a = await e.sweep(plan);
  const b = await e.sweep(plan, { workers: 2 });
  await e.closeWorkers();
  assert.is(formatSweepResult(sweepResult(plan, b.records)), formatSweepResult(sweepResult(plan, a.records)));
  for (const r of a.records) {
    const x = r.result as { stop: string; relativeStderr: number; blocksUsed: number; estimate: number; stderr: number; exact: number; directionsUsed: number };
    assert.is(x.stop, "target");
    assert.ok(x.relativeStderr <= 0.08, `achieved ${x.relativeStderr}`);
    assert.ok(x.blocksUsed >= 2 && x.blocksUsed < 40);
    assert.is(x.directionsUsed, 32 * x.blocksUsed);
    // Unbiased with a calibrated SE: within 4 SE of the exact value.
    assert.ok(Math.abs(x.estimate - x.exact) < 4 * x.stderr, `estimate ${x.estimate} exact ${x.exact} se ${x.stderr}`);
  }
  // The combination is the mean of independent block runs with seeds derived from the cell seed.
  const c = plan.cells[0];
  const r0 = a.records[0].result as { blocksUsed: number; estimate: number; stderr: number };
  let s = 0, s2 = 0;
  for (let k = 0; k < r0.blocksUsed; k++) {
    const theta = new Float64Array(3); theta[0] = 1;
    const g = await e.gradVariance({ predictor: "cos", psi: "cos", dim: 3, radius: 1, theta, samples: 400, directions: 32, blocks: 8, seed: await deriveSeed(`${c.seed}|block|${k}`) });
    s += g.estimate; s2 += g.stderr * g.stderr;
  }
  assert.is(r0.estimate, s / r0.blocksUsed);
  assert.is(r0.stderr, Math.sqrt(s2) / r0.blocksUsed);
  // A target too tight for the budget stops at the budget and says so.
  const tight = await e.sweep({ ...spec, points: [{ dim: 3, radius: 1 }], precision: { relativeStderr: 0.001 }, budget: { maxBlocks: 3 } });
  const t = tight.records[0].result as { stop: string; blocksUsed: number; relativeStderr: number };
  assert.is(t.stop, "budget");
  assert.is(t.blocksUsed, 3);
  assert.ok(t.relativeStderr > 0.001);
  // Upper confidence bound: Var at d = 5, r = 4 is ~5e-5, far below 0.01.
  const ub = await e.sweep({ experiment: "gradvar", params: { samples: 400, directions: 32 }, points: [{ dim: 5, radius: 4 }], precision: { upperBound: 0.01, z: 2 } });
  const u = ub.records[0].result as { stop: string; upperConfidence: number; estimate: number; stderr: number };
  assert.is(u.stop, "target");
  assert.ok(u.upperConfidence < 0.01 && u.upperConfidence === u.estimate + 2 * u.stderr);
});

test("results file: resume skips finished cells, torn last line redone, same bytes; foreign files untouched", async () => {
  const e = await engine();
  const plan = await planSweep(SMALL);
  const ref = formatSweepResult(sweepResult(plan, (await runSweep(e, plan)).records));
  const path = join(dir, "r.jsonl");
  let f = await openResultsFile(path, plan, { index: 0, count: 1 });
  assert.ok(f.created);
  // Run 3 cells, then simulate a kill during the 4th append: a partial line without its newline.
  const first3 = await runSweep(e, { ...plan, cells: plan.cells.slice(0, 3) } as SweepPlan, { store: memoryStore() });
  for (const r of first3.records) await f.append(r);
  await f.close();
  const good = readFileSync(path, "utf8");
  writeFileSync(path, good + good.split("\n")[3].slice(0, 40));
  f = await openResultsFile(path, plan, { index: 0, count: 1 });
  assert.is(f.resumed, 3);
  assert.ok(f.repairedTornLine);
  assert.is(readFileSync(path, "utf8"), good);
  const run = await runSweep(e, plan, { store: f });
  await f.close();
  assert.is(run.skipped, 3);
  assert.is(run.computed, 5);
  const back = await readShardOutput(path);
  assert.is(formatSweepResult(await mergeShardOutputs([back])), ref);
  // Two runs appending the same deterministic cell: read once; a repeat with other numbers is refused.
  const twice = join(dir, "twice.jsonl");
  const lns = readFileSync(path, "utf8").split("\n");
  writeFileSync(twice, [...lns.slice(0, -1), lns[2], ""].join("\n"));
  assert.is(formatSweepResult(await mergeShardOutputs([await readShardOutput(twice)])), ref);
  // The edited repeat is re-sealed, so only its numbers differ.
  const edited = JSON.parse(lns[2].replace(/,"h":"[0-9a-f]+"\}$/, "}"));
  edited.result.estimate = 1;
  writeFileSync(twice, [...lns.slice(0, -1), sealLine(edited).trimEnd(), ""].join("\n"));
  assert.ok(openLine(sealLine(edited).trimEnd()));
  await rejectsWith(readShardOutput(twice), ResultsFileError, "repeats cell 1 with different numbers");
  // A line with a wrong hash before the end is refused, not guessed.
  const lines = readFileSync(path, "utf8").split("\n");
  const damaged = join(dir, "damaged.jsonl");
  writeFileSync(damaged, [lines[0], lines[1].replace(/"estimate":[-0-9.e]+/, '"estimate":1'), ...lines.slice(2)].join("\n"));
  await rejectsWith(openResultsFile(damaged, plan, { index: 0, count: 1 }), ResultsFileError, "line 2 is damaged");
  // A changed spec is refused with both hashes; the file is not modified.
  const before = readFileSync(path, "utf8");
  const changed = await planSweep({ ...SMALL, params: { samples: 301, directions: 24 } });
  await rejectsWith(openResultsFile(path, changed, { index: 0, count: 1 }), ResultsFileError, "different spec", plan.specHash.slice(0, 12), changed.specHash.slice(0, 12));
  await rejectsWith(openResultsFile(path, plan, { index: 1, count: 2 }), ResultsFileError, "holds shard 0/1");
  assert.is(readFileSync(path, "utf8"), before);
  // A file hardlearn did not write is never touched.
  const foreign = join(dir, "notes.txt");
  writeFileSync(foreign, "my notes\n");
  await rejectsWith(openResultsFile(foreign, plan, { index: 0, count: 1 }), ResultsFileError, "not a hardlearn sweep results file");
  assert.is(readFileSync(foreign, "utf8"), "my notes\n");
});

test("shard from the scheduler environment", () => {
  assert.equal(chooseShard(undefined, { SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "0" }), { shard: { index: 3, count: 4 }, from: "slurm" });
  assert.equal(chooseShard(undefined, { SLURM_ARRAY_TASK_ID: "4", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "1" }).shard, { index: 3, count: 4 });
  assert.equal(chooseShard(undefined, { JOB_COMPLETION_INDEX: "2", HARDLEARN_SHARD_COUNT: "5" }), { shard: { index: 2, count: 5 }, from: "kubernetes" });
  assert.equal(chooseShard("1/2", { SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "4" }).shard, { index: 1, count: 2 });
  assert.equal(chooseShard(undefined, {}).shard, { index: 0, count: 1 });
  assert.throws(() => chooseShard(undefined, { JOB_COMPLETION_INDEX: "2" }), /HARDLEARN_SHARD_COUNT must be a nonnegative integer/);
  assert.throws(() => chooseShard(undefined, { SLURM_ARRAY_TASK_ID: "7", SLURM_ARRAY_TASK_COUNT: "4" }), /must be in \[0, SLURM_ARRAY_TASK_COUNT = 4\)/);
  assert.throws(() => parseShard("4/4"), /--shard must be i\/n/);
});

test("other experiments run as cells: train, oracle, landscape, networks", async () => {
  const e = await engine();
  const specs = [
    { experiment: "train", params: { dim: 3, width: 6, samples: 200, test: 100, epochs: 2, batch: 20 }, grid: { radius: [1] } },
    { experiment: "oracle", params: { dim: 5, targets: 3, steps: 10 }, grid: { radius: [3] } },
    { experiment: "landscape", params: { grid: 9, starts: 5 }, grid: { radius: [2] } },
    { experiment: "networks", params: { dim: 8, width: 4, samples: 200 }, grid: { family: ["normal", "conv"] }, seeds: 2 },
  ];
  for (const s of specs) {
    const plan = await planSweep(s);
    const a = formatSweepResult(sweepResult(plan, (await e.sweep(plan)).records));
    const b = formatSweepResult(sweepResult(plan, (await e.sweep(plan)).records));
    assert.is(a, b, s.experiment);
    assert.not.match(a, /null,"?NaN|"Infinity"/);
  }
  const land = (await e.sweep({ experiment: "landscape", params: { grid: 21, starts: 21 }, grid: { radius: [2] } })).records[0].result;
  assert.equal([land.maxima, land.minima, land.saddles], [1, 2, 2]);
});

test("CLI: sweep, resume, merge, csv, dry run, errors", async () => {
  const spec = join(dir, "cli.json");
  writeFileSync(spec, JSON.stringify(SMALL));
  const res = join(dir, "cli.results.jsonl");
  const r1 = await cli("sweep", spec, "--output", join(dir, "cli.json.out"));
  assert.is(r1.code, 0, r1.err);
  assert.ok(existsSync(res));
  assert.match(r1.out, /\| cell \| dim \| radius \| seed \|/);
  const again = await cli("--json", "sweep", spec);
  assert.is(again.code, 0);
  const doc = JSON.parse(again.out);
  assert.is(doc.kind, "hardlearn.sweep.result");
  assert.is(again.out, readFileSync(join(dir, "cli.json.out"), "utf8"));
  const merged = await cli("merge", res, "--format", "json");
  assert.is(merged.out.trimEnd(), again.out.trimEnd());
  const csv = await cli("sweep", spec, "--format", "csv");
  assert.is(csv.out.split("\r\n").length, 10);
  for (let i = 0; i < 2; i++) assert.is((await cli("sweep", spec, "--shard", `${i}/2`, "--results", join(dir, `sh${i}.jsonl`))).code, 0);
  const m2 = await cli("--json", "merge", join(dir, "sh1.jsonl"), join(dir, "sh0.jsonl"));
  assert.is(m2.out, again.out);
  const dup = await cli("merge", join(dir, "sh1.jsonl"), join(dir, "sh1.jsonl"));
  assert.is(dup.code, 2);
  assert.match(dup.err, /duplicate/);
  const gap = await cli("merge", join(dir, "sh1.jsonl"));
  assert.is(gap.code, 2);
  assert.match(gap.err, /missing shard 0/);
  const dry = await cli("sweep", spec, "--dry-run");
  assert.match(dry.out, /8 cells.*estimated/);
  writeFileSync(spec, JSON.stringify({ ...SMALL, grid: { dim: [2], radius: [1, 2, 3, -1] } }));
  const bad = await cli("sweep", spec);
  assert.is(bad.code, 2);
  assert.match(bad.err, /^hardlearn: invalid argument\. grid\.radius\[3\] must be > 0\. Value: `-1`\.\n$/);
  writeFileSync(spec, JSON.stringify({ ...SMALL, seeds: [9] }));
  const changed = await cli("sweep", spec);
  assert.is(changed.code, 1);
  assert.match(changed.err, /different spec/);
  // The output file is not ours to replace when it holds something else.
  writeFileSync(spec, JSON.stringify(SMALL));
  writeFileSync(join(dir, "mine.json"), "{\"precious\": true}");
  const refused = await cli("sweep", spec, "--output", join(dir, "mine.json"));
  assert.is(refused.code, 1);
  assert.is(readFileSync(join(dir, "mine.json"), "utf8"), "{\"precious\": true}");
});

test.run();
