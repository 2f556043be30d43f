// The `hardlearn` CLI: exit codes (0 ok, 1 failure, 2 usage error with ONE line on stderr), --json purity
// (stdout is exactly one JSON document), --help with examples, and the public JSON contracts.
// Most cases run in-process through runCli (fast); two spawn the real entry point to check the process exit code.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, type CliIO } from "../src/cli/program.js";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const io: CliIO = { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false };
  const code = await runCli(argv, io);
  return { code, out, err };
}

function oneLine(err: string): boolean {
  return err.endsWith("\n") && err.trimEnd().split("\n").length === 1;
}

const usage: [string[], RegExp][] = [
  [[], /missing command/],
  [["frobnicate"], /unknown command 'frobnicate'/],
  [["gradvar", "--dim", "3", "--radius", "1", "--bogus"], /unknown option '--bogus'/],
  [["gradvar", "--dim", "3", "--radius", "1", "--sed", "4"], /unknown option '--sed'.*did you mean --seed/],
  [["gradvar", "--dim", "abc", "--radius", "1"], /--dim.*'abc'.*positive integers/],
  [["gradvar", "--dim", "2.5", "--radius", "1"], /--dim.*'2\.5'/],
  [["gradvar", "--dim", "3", "--radius"], /--radius.*argument missing/],
  [["gradvar", "--radius", "1"], /required option '--dim/],
  [["gradvar", "--dim", "3", "--radius", "0"], /--radius.*'0'.*> 0/],
  [["gradvar", "--dim", "3", "--radius", "1,-2"], /--radius.*'-2'/],
  [["landscape", "--radius", "-1"], /--radius.*> 0/],
  [["landscape", "--radius", "2", "--grid", "1e999"], /--grid/],
  [["halfspaces", "--dim", "x"], /--dim/],
  [["bench", "--threads", "0"], /--threads.*\[1, 64\]/],
  [["--seed", "-3", "bench"], /--seed/],
  [["reproduce", "--only", "nope"], /--only.*'nope'/],
];

for (const [argv, re] of usage) {
  test(`usage error exits 2 with one line: hardlearn ${argv.join(" ")}`, async () => {
    const r = await cli(...argv);
    assert.is(r.code, 2, `exit code ${r.code}, stderr: ${r.err}`);
    assert.is(r.out, "", "nothing on stdout");
    assert.ok(oneLine(r.err), `not one line: ${JSON.stringify(r.err)}`);
    assert.match(r.err, /^hardlearn: /);
    assert.match(r.err, re);
  });
}

test("--help lists every subcommand and examples, exits 0", async () => {
  const r = await cli("--help");
  assert.is(r.code, 0);
  for (const c of ["reproduce", "landscape", "gradvar", "oracle", "train", "invariance", "halfspaces", "networks", "bench"]) {
    assert.match(r.out, new RegExp(`\\n\\s+${c}\\b`), `help lacks ${c}`);
  }
  assert.match(r.out, /Examples:/);
  assert.match(r.out, /--json/);
  const sub = await cli("gradvar", "--help");
  assert.is(sub.code, 0);
  assert.match(sub.out, /--theta-norm/);
  assert.match(sub.out, /Examples:\n\s+\$ hardlearn gradvar/);
});

test("bench --quick --json prints exactly one JSON document", async () => {
  const r = await cli("bench", "--quick", "--reps", "1", "--json");
  assert.is(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.ok(Array.isArray(doc.rows) && doc.rows.length >= 2);
  assert.ok(doc.rows.every((x: { seconds: number }) => x.seconds > 0));
  assert.is(r.out.trim().split("\n").length, 1);
});

test("JSON contracts: gradvar, landscape, invariance, halfspaces", async () => {
  const g = await cli("gradvar", "--dim", "10", "--theta-norm", "1", "--radius", "1,2,8", "--json");
  assert.is(g.code, 0, g.err);
  const gj = JSON.parse(g.out);
  assert.is(gj.rows.length, 3);
  for (const k of ["dim", "radius", "thetaNorm", "exact", "estimate", "stderr", "floor"]) assert.ok(k in gj.rows[0], `gradvar row lacks ${k}`);
  assert.is(gj.rows[0].estimate, null, "exact only without --directions");
  // PAPERS §4.9: d = 10, r = 8, |θ| = 1 gives about 1.898374258e-23.
  assert.ok(Math.abs(gj.rows[2].exact / 1.898374258e-23 - 1) < 1e-8, `exact(10, 8, 1) = ${gj.rows[2].exact}`);
  const m = await cli("gradvar", "--dim", "3", "--radius", "1", "--directions", "64", "--samples", "2000", "--json", "--seed", "5");
  assert.is(m.code, 0, m.err);
  const mr = JSON.parse(m.out).rows[0];
  assert.ok(mr.stderr > 0 && mr.floor > 0 && Math.abs(mr.estimate - mr.exact) <= 4 * mr.stderr, JSON.stringify(mr));

  const l = await cli("landscape", "--radius", "2", "--extent", "4", "--grid", "21", "--json");
  assert.is(l.code, 0, l.err);
  const lj = JSON.parse(l.out);
  assert.equal(lj.wStar, [2, 0]);
  assert.equal(lj.criticalPoints.map((c: { kind: string }) => c.kind).sort(), ["max", "min", "min", "saddle", "saddle"]);
  const sad = lj.criticalPoints.find((c: { kind: string; w: number[] }) => c.kind === "saddle" && c.w[1] > 0);
  assert.ok(Math.abs(sad.w[1] - 2 / Math.sqrt(3)) < 1e-9 && Math.abs(sad.w[0]) < 1e-9, "saddle at (0, r/sqrt 3)");
  assert.is(lj.grid.F.length, 21);

  const inv = await cli("invariance", "--samples", "40", "--dim", "4", "--width", "4", "--steps", "5", "--cond", "1000", "--json");
  assert.is(inv.code, 0, inv.err);
  const rows = JSON.parse(inv.out).rows as { learner: string; transform: string; cond: number; maxDiff: number }[];
  assert.equal(rows.map((r) => `${r.learner}/${r.transform}`).sort(), ["plain/invertible", "plain/orthogonal", "whitened/invertible", "whitened/orthogonal"]);
  for (const r of rows) assert.ok(typeof r.cond === "number" && typeof r.maxDiff === "number");

  const h = await cli("halfspaces", "--dim", "5", "--instances", "10", "--json");
  assert.is(h.code, 0, h.err);
  const hj = JSON.parse(h.out);
  assert.is(hj.checked, 10 * 32);
  assert.is(hj.mismatches, 0);
});

test("--out writes the JSON and the figure (SVG from the shared Vega-Lite spec)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hardlearn-cli-"));
  try {
    const r = await cli("landscape", "--radius", "2", "--grid", "15", "--out", dir);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /5 critical points/);
    assert.ok(JSON.parse(readFileSync(join(dir, "landscape.json"), "utf8")).criticalPoints.length === 5);
    const svg = readFileSync(join(dir, "landscape.svg"), "utf8");
    assert.match(svg, /^<svg/);
    assert.ok((svg.match(/<path/g) ?? []).length > 15 * 15, "heatmap cells missing");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the real process: usage error exits 2 with one stderr line; --version exits 0", () => {
  const bad = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "gradvar", "--dim", "3", "--radius", "0"], { encoding: "utf8" });
  assert.is(bad.status, 2);
  assert.is(bad.stdout, "");
  assert.ok(oneLine(bad.stderr), bad.stderr);
  const v = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "--version"], { encoding: "utf8" });
  assert.is(v.status, 0);
  assert.match(v.stdout, /^\d+\.\d+\.\d+/);
});

test.run();
