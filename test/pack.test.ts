// `npm pack` from a clean clone ships what a user needs and nothing else: the test clones this checkout's committed
// HEAD into a temporary directory (no dist/, no build/), packs it there (the `prepack` script builds), checks the file
// list and that every file the shipped code refers to is in the tarball (relative imports, the .wasm, package.json,
// source maps with their sources inlined), then installs the tarball into a fresh project where the library computes,
// the `hardlearn` CLI runs, and the report's plotting stack (vega, vega-lite, d3) is absent: `hardlearn reproduce`
// says what to install instead.
// Uses git and the checkout's node_modules (linked into the clone: no network for the build).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix, resolve } from "node:path";

const root = resolve(".");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
let work = "";
let clone = "";
let tgz = "";
let files: string[] = [];

test.before(() => {
  work = mkdtempSync(join(tmpdir(), "hardlearn-pack-"));
  clone = join(work, "clone");
  const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  execFileSync("git", ["clone", "--quiet", "--no-checkout", root, clone], { stdio: ["ignore", "ignore", "pipe"] });
  execFileSync("git", ["checkout", "--quiet", head], { cwd: clone, stdio: ["ignore", "ignore", "pipe"] });
  assert.not.ok(existsSync(join(clone, "dist")) || existsSync(join(clone, "build")), "a clean clone has no build outputs");
  symlinkSync(join(root, "node_modules"), join(clone, "node_modules"), "dir");
  const out = execFileSync(NPM, ["pack", "--json", "--pack-destination", work], { cwd: clone, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const info = JSON.parse(out)[0] as { filename: string; files: { path: string }[] };
  tgz = join(work, info.filename);
  files = info.files.map((f) => f.path);
});

test.after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test("a clean clone packs dist JS + maps + .d.ts, the release, FMA and threads .wasm, the CLI, and nothing else", () => {
  for (const f of ["package.json", "README.md", "build/release.wasm", "build/threads.wasm", "build/fma.wasm", "dist/index.js", "dist/index.d.ts", "dist/index.js.map", "dist/engine.js", "dist/engine.d.ts", "dist/cli/main.js", "dist/parallel/pool-worker.js"]) {
    assert.ok(files.includes(f), `missing ${f} (tarball has ${files.length} files)`);
  }
  const allowed = (f: string) =>
    f === "package.json" || f === "README.md" || f === "LICENSE" || f === "build/release.wasm" || f === "build/threads.wasm" || f === "build/fma.wasm" ||
    (f.startsWith("dist/") && (f.endsWith(".js") || f.endsWith(".d.ts") || f.endsWith(".js.map")));
  const extra = files.filter((f) => !allowed(f));
  assert.equal(extra, [], `unexpected files in the package: ${extra.join(", ")}`);
  for (const f of files) assert.not.match(f, /^(src|test|bench|assembly|web|docs|scripts|report|\.tmp|node_modules)\//);
  // Every compiled module is there: one .js and .d.ts per source file, and a .js.map for each tsc output (the bundled
  // pool worker has no map and no map comment).
  const js = files.filter((f) => f.endsWith(".js"));
  assert.ok(js.length >= 40, `only ${js.length} .js files`);
  const maps = js.filter((f) => files.includes(f + ".map"));
  assert.ok(maps.length >= js.length - 1, `only ${maps.length} of ${js.length} .js files have a map`);
  for (const f of js) assert.ok(files.includes(f.replace(/\.js$/, ".d.ts")), `${f} without its .d.ts`);
  assert.ok(readFileSync(join(clone, "dist/cli/main.js"), "utf8").startsWith("#!/usr/bin/env node"), "CLI lacks its shebang");
});

test("every file the shipped code refers to is in the tarball (imports, .wasm, package.json, source maps and their sources)", () => {
  const shipped = new Set(files);
  const missing: string[] = [];
  for (const f of files.filter((p) => p.startsWith("dist/") && (p.endsWith(".js") || p.endsWith(".d.ts")))) {
    const text = readFileSync(join(clone, f), "utf8");
    const dir = posix.dirname(f);
    // Relative module specifiers and new URL("…", import.meta.url) targets.
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|new URL\(\s*|import\s+)["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = posix.normalize(posix.join(dir, m[1]));
      if (!shipped.has(target)) missing.push(`${f} -> ${m[1]}`);
    }
    for (const m of text.matchAll(/\/\/# sourceMappingURL=(\S+)/g)) {
      const target = posix.normalize(posix.join(dir, m[1]));
      if (!shipped.has(target)) { missing.push(`${f} -> ${m[1]}`); continue; }
      const map = JSON.parse(readFileSync(join(clone, target), "utf8")) as { sources: string[]; sourcesContent?: (string | null)[] };
      // The sources (../src/*.ts) are not shipped: the map must carry their text.
      map.sources.forEach((s, i) => {
        if (typeof map.sourcesContent?.[i] !== "string" || map.sourcesContent[i]!.length === 0) missing.push(`${target}: no inline text for ${s}`);
      });
    }
  }
  assert.equal(missing, [], `the package refers to files it does not ship:\n${missing.join("\n")}`);
});

test("installs into a fresh project without the plotting stack: the library computes, the CLI runs, reproduce says what to install", () => {
  const proj = join(work, "app");
  execFileSync("mkdir", ["-p", proj]);
  writeFileSync(join(proj, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true, type: "module" }));
  const inst = spawnSync(NPM, ["install", tgz, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: proj, encoding: "utf8", timeout: 240000 });
  assert.is(inst.status, 0, `npm install failed: ${inst.stderr}`);
  const installed = readdirSync(join(proj, "node_modules"));
  for (const heavy of ["vega", "vega-lite", "d3-scale", "d3-geo"]) assert.not.ok(installed.includes(heavy), `a library install pulled ${heavy}`);
  const lock = JSON.parse(readFileSync(join(proj, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
  const count = Object.keys(lock.packages).filter((k) => k !== "").length;
  assert.ok(count <= 15, `a library install pulls ${count} packages`);

  writeFileSync(join(proj, "main.js"), `
import { createEngine, InvalidArgumentError, HardlearnError } from "hardlearn";
const e = await createEngine();
const C = e.matmul({ rows: 2, cols: 2, data: Float64Array.from([1, 2, 3, 4]) }, { rows: 2, cols: 1, data: Float64Array.from([5, 6]) });
const z = e.rng(7).normal(4);
let err;
try { e.rng(-1); } catch (x) { err = x; }
console.log(JSON.stringify({ C: Array.from(C.data), normals: z.length, name: err.name, code: err.code, typed: err instanceof InvalidArgumentError && err instanceof HardlearnError }));
`);
  const run = spawnSync(process.execPath, ["main.js"], { cwd: proj, encoding: "utf8" });
  assert.is(run.status, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout), { C: [17, 39], normals: 4, name: "InvalidArgumentError", code: "EINVAL", typed: true });
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
  // The figures need vega and vega-lite: one line that says what to install, before any experiment runs, no report.
  const rep = spawnSync(bin, ["reproduce", "--size", "small", "--out", "rep"], { cwd: proj, encoding: "utf8", timeout: 120000 });
  assert.is(rep.status, 1, rep.stderr);
  const lines = rep.stderr.trim().split("\n");
  assert.is(lines.length, 1, rep.stderr);
  assert.match(lines[0], /vega and vega-lite/);
  assert.match(lines[0], /npm install vega@\^6\.\d+\.\d+ vega-lite@\^6\.\d+\.\d+/);
  assert.not.ok(existsSync(join(proj, "rep")), "no report directory without the plotting stack");
});

test("the optional peer ranges are the ones the checkout is developed with", () => {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  for (const name of ["vega", "vega-lite"]) {
    assert.is(pkg.peerDependenciesMeta?.[name]?.optional, true, `${name} must be an optional peer dependency`);
    assert.is(pkg.devDependencies?.[name], pkg.peerDependencies?.[name], `${name}: devDependency and peer range differ`);
    assert.not.ok(pkg.dependencies?.[name], `${name} must not be a dependency`);
  }
  const render = readFileSync(join(root, "src/report/render.ts"), "utf8");
  for (const name of ["vega", "vega-lite"]) assert.ok(render.includes(`"${name}@${pkg.peerDependencies[name]}"`), `render.ts names ${name}@${pkg.peerDependencies[name]}`);
});

test.run();
