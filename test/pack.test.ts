// `npm pack` ships what a user needs and nothing else; the tarball installs into a fresh project (dependencies from
// the npm cache / registry) where the library computes and the `hardlearn` CLI runs.
// Needs the build (dist/, build/release.wasm): `npm test` builds first.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(".");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
let work = "";
let tgz = "";
let files: string[] = [];

test.before(() => {
  assert.ok(existsSync("dist/index.js") && existsSync("dist/cli/main.js") && existsSync("build/release.wasm"), "run `npm run build` first");
  work = mkdtempSync(join(tmpdir(), "hardlearn-pack-"));
  const out = execFileSync(NPM, ["pack", "--json", "--pack-destination", work], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const info = JSON.parse(out)[0] as { filename: string; files: { path: string }[] };
  tgz = join(work, info.filename);
  files = info.files.map((f) => f.path);
});

test.after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the tarball holds dist JS + .d.ts, the release .wasm, the CLI, and nothing else", () => {
  for (const f of ["package.json", "README.md", "build/release.wasm", "build/threads.wasm", "build/fma.wasm", "dist/index.js", "dist/index.d.ts", "dist/engine.js", "dist/engine.d.ts", "dist/cli/main.js"]) {
    assert.ok(files.includes(f), `missing ${f}`);
  }
  const allowed = (f: string) =>
    f === "package.json" || f === "README.md" || f === "LICENSE" || f === "build/release.wasm" || f === "build/threads.wasm" || f === "build/fma.wasm" ||
    (f.startsWith("dist/") && (f.endsWith(".js") || f.endsWith(".d.ts")));
  const extra = files.filter((f) => !allowed(f));
  assert.equal(extra, [], `unexpected files in the package: ${extra.join(", ")}`);
  for (const f of files) assert.not.match(f, /^(src|test|bench|assembly|web|report|\.tmp|node_modules)\//);
  assert.ok(readFileSync("dist/cli/main.js", "utf8").startsWith("#!/usr/bin/env node"), "CLI lacks its shebang");
});

test("installs into a fresh project: the library computes and the CLI runs", () => {
  const proj = join(work, "app");
  execFileSync("mkdir", ["-p", proj]);
  writeFileSync(join(proj, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true, type: "module" }));
  const inst = spawnSync(NPM, ["install", tgz, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: proj, encoding: "utf8", timeout: 240000 });
  assert.is(inst.status, 0, `npm install failed: ${inst.stderr}`);
  writeFileSync(join(proj, "main.js"), `
import { createEngine } from "hardlearn";
const e = await createEngine();
const C = e.matmul({ rows: 2, cols: 2, data: Float64Array.from([1, 2, 3, 4]) }, { rows: 2, cols: 1, data: Float64Array.from([5, 6]) });
const z = e.rng(7).normal(4);
console.log(JSON.stringify({ C: Array.from(C.data), normals: z.length }));
`);
  const run = spawnSync(process.execPath, ["main.js"], { cwd: proj, encoding: "utf8" });
  assert.is(run.status, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout), { C: [17, 39], normals: 4 });
  const bin = join(proj, "node_modules", ".bin", "hardlearn");
  const help = spawnSync(bin, ["--help"], { cwd: proj, encoding: "utf8" });
  assert.is(help.status, 0, help.stderr);
  assert.match(help.stdout, /Usage: hardlearn/);
  const bench = spawnSync(bin, ["bench", "--quick", "--reps", "1", "--json"], { cwd: proj, encoding: "utf8" });
  assert.is(bench.status, 0, bench.stderr);
  assert.ok(JSON.parse(bench.stdout).rows.length >= 2);
  const bad = spawnSync(bin, ["gradvar", "--dim", "2", "--radius", "-1"], { cwd: proj, encoding: "utf8" });
  assert.is(bad.status, 2);
  assert.is(bad.stderr.trim().split("\n").length, 1);
});

test.run();
