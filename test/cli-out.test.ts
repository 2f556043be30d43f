// --out never destroys what hardlearn did not write: refusal (exit 2, one stderr line naming --out and the path) of
// `--out .` in a directory with user files, a file, a non-empty foreign directory, symlinks (the directory itself or
// a planted link at one of the output names), `--out ""`; every user file byte-identical afterwards. Also: outputs of
// several commands share a directory through the marker, and `reproduce` refuses a directory with a file it did not
// write. And the CLI's structure: no import cycle through src/cli/program.ts, no API lookup by name.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli, type CliIO } from "../src/cli/program.js";
import { MARKER } from "../src/atomic.js";

const work = mkdtempSync(join(tmpdir(), "hardlearn-cli-out-"));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const io: CliIO = { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false };
  const code = await runCli(argv, io);
  return { code, out, err };
}

/** Every entry below dir: files with their bytes (base64), symlinks with their target, directories as "<dir>". */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name), rel = relative(dir, p);
      if (e.isSymbolicLink()) out[rel] = `-> ${readlinkSync(p)}`;
      else if (e.isDirectory()) { out[rel] = "<dir>"; walk(p); }
      else out[rel] = readFileSync(p).toString("base64");
    }
  };
  walk(dir);
  return out;
}

function userDir(name: string): string {
  const d = join(work, name);
  mkdirSync(join(d, "sub"), { recursive: true });
  writeFileSync(join(d, "thesis.tex"), "\\documentclass{article} % the user's work\n");
  writeFileSync(join(d, "sub", "data.bin"), Buffer.from([0, 1, 2, 255, 254]));
  writeFileSync(join(d, "landscape.json"), "{\"mine\": true}\n"); // same name as an output: must never be overwritten
  return d;
}

function refused(r: { code: number; out: string; err: string }, path: string): void {
  assert.is(r.code, 2, r.err);
  assert.is(r.out, "");
  const lines = r.err.split("\n").filter(Boolean);
  assert.is(lines.length, 1, r.err);
  assert.ok(lines[0].includes("--out"), r.err);
  assert.ok(lines[0].includes(JSON.stringify(path)), r.err);
}

test("`--out .` in a directory with user files: refused by every writing command, nothing changed", async () => {
  const d = userDir("cwd");
  const before = tree(d);
  const cwd = process.cwd();
  process.chdir(d);
  try {
    refused(await cli("landscape", "--grid", "5", "--out", "."), ".");
    refused(await cli("gradvar", "--dim", "3", "--radius", "1", "--out", "."), ".");
    refused(await cli("halfspaces", "--dim", "3", "--instances", "2", "--out", "."), ".");
    refused(await cli("reproduce", "--size", "small", "--only", "landscape", "--out", "."), ".");
  } finally {
    process.chdir(cwd);
  }
  assert.equal(tree(d), before);
});

test("`--out FILE`, `--out non-empty-dir`, `--out \"\"`: exit 2, one line; the file and directory are byte-identical", async () => {
  const d = userDir("plain");
  const before = tree(d);
  const file = join(d, "thesis.tex");
  refused(await cli("landscape", "--grid", "5", "--out", file), file);
  refused(await cli("reproduce", "--size", "small", "--only", "landscape", "--out", file), file);
  refused(await cli("landscape", "--grid", "5", "--out", d), d);
  refused(await cli("reproduce", "--size", "small", "--only", "landscape", "--out", d), d);
  const empty = await cli("landscape", "--grid", "5", "--out", "");
  assert.is(empty.code, 2);
  assert.match(empty.err, /^hardlearn: option '--out <dir>' argument must be a non-empty path\n$/);
  assert.equal(tree(d), before);
});

test("symlinks: a symlinked --out directory and a link planted at an output name are refused; targets untouched", async () => {
  const d = userDir("links");
  const link = join(work, "link-to-user-dir");
  symlinkSync(d, link);
  refused(await cli("landscape", "--grid", "5", "--out", link), link);
  refused(await cli("reproduce", "--size", "small", "--only", "landscape", "--out", link), link);
  // A hardlearn output directory in which someone planted out/landscape.json -> the user's file.
  const out = join(work, "out-with-link");
  const first = await cli("landscape", "--grid", "5", "--out", out);
  assert.is(first.code, 0, first.err);
  rmSync(join(out, "landscape.json"));
  symlinkSync(join(d, "thesis.tex"), join(out, "landscape.json"));
  const before = tree(d);
  refused(await cli("landscape", "--grid", "5", "--out", out), out);
  assert.ok(lstatSync(join(out, "landscape.json")).isSymbolicLink(), "the link itself is left alone");
  assert.equal(tree(d), before, "nothing written through the link");
});

test("an output directory is shared by commands through its marker; user files added to it are kept; reproduce refuses it", async () => {
  const out = join(work, "shared");
  assert.is((await cli("landscape", "--grid", "5", "--out", out)).code, 0);
  assert.is((await cli("gradvar", "--dim", "3", "--radius", "1", "--out", out)).code, 0);
  const marker = JSON.parse(readFileSync(join(out, MARKER), "utf8"));
  assert.equal(marker.files, ["gradvar.json", "landscape.json", "landscape.svg"]);
  writeFileSync(join(out, "my-notes.txt"), "kept");
  assert.is((await cli("landscape", "--grid", "7", "--out", out)).code, 0, "rewriting its own files is fine");
  assert.is(readFileSync(join(out, "my-notes.txt"), "utf8"), "kept");
  const r = await cli("reproduce", "--size", "small", "--only", "landscape", "--out", out);
  refused(r, out);
  assert.match(r.err, /my-notes\.txt/);
  assert.is(readFileSync(join(out, "my-notes.txt"), "utf8"), "kept");
  // A name hardlearn did not write (created by the user under an output name) is refused as well.
  const out2 = join(work, "shared2");
  mkdirSync(out2);
  writeFileSync(join(out2, "gradvar.json"), "user");
  refused(await cli("gradvar", "--dim", "3", "--radius", "1", "--out", out2), out2);
  assert.is(readFileSync(join(out2, "gradvar.json"), "utf8"), "user");
});

test("a report written before the marker existed (index.html + results.json of hardlearn) is still replaceable", async () => {
  const out = join(work, "legacy");
  mkdirSync(out);
  writeFileSync(join(out, "index.html"), "<p>old</p>");
  writeFileSync(join(out, "results.json"), JSON.stringify({ tool: { name: "hardlearn", version: "0.0.1" } }));
  const r = await cli("reproduce", "--size", "small", "--only", "landscape", "--out", out, "--json");
  assert.is(r.code, 0, r.err);
  assert.ok(existsSync(join(out, MARKER)));
  assert.is(JSON.parse(readFileSync(join(out, "results.json"), "utf8")).experiments[0].id, "landscape");
  assert.equal(readdirSync(dirname(out)).filter((n) => n.includes(".hardlearn-")), []);
});

test("CLI structure: no module under src/cli imports program.ts except main.ts, no import cycle, no API lookup by name", () => {
  const root = fileURLToPath(new URL("../src/", import.meta.url));
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith(".ts")) files.push(p);
    }
  };
  walk(root);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const src = readFileSync(f, "utf8");
    const deps: string[] = [];
    for (const m of src.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/gm)) {
      if (/^\s*(?:import|export)\s+type\s/.test(m[0])) continue; // type-only: erased at run time
      deps.push(resolve(dirname(f), m[1].replace(/\.js$/, ".ts")));
    }
    graph.set(f, deps);
  }
  const cli = files.filter((f) => f.includes(`${join(root, "cli")}`));
  for (const f of cli) {
    const src = readFileSync(f, "utf8");
    if (!f.endsWith("main.ts")) assert.not.ok(graph.get(f)!.some((d) => d.endsWith(join("cli", "program.ts"))), `${relative(root, f)} imports program.ts`);
    assert.not.match(src, /\b(need|needs|lookup|needExport|needValue|available)\(/, `${relative(root, f)} looks an API function up by name`);
    assert.not.match(src, /report\/api\.js/, `${relative(root, f)} imports the by-name lookup module`);
  }
  // Cycle search (DFS) from every CLI module.
  const state = new Map<string, number>();
  const stack: string[] = [];
  const visit = (f: string): string[] | null => {
    state.set(f, 1);
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (!graph.has(d)) continue;
      if (state.get(d) === 1) return [...stack.slice(stack.indexOf(d)), d];
      if (!state.get(d)) { const c = visit(d); if (c) return c; }
    }
    stack.pop();
    state.set(f, 2);
    return null;
  };
  for (const f of cli) {
    if (state.get(f)) continue;
    const c = visit(f);
    assert.is(c, null, `import cycle: ${c?.map((x) => relative(root, x)).join(" -> ")}`);
  }
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
