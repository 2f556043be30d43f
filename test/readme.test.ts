// The README cannot drift: every TypeScript/JavaScript example in it runs here as a user would write it
// (`import … from "hardlearn"` resolves to this package's dist/), and a line `expr; //=> value` (then optionally two spaces and a comment) asserts what the
// README says the expression gives (`≈1.17` compares to the digits written). Browser examples (```ts browser) run in
// Node with `location` pointing at a directory that serves the .wasm. Every `$ hardlearn …` line of a ```console block
// runs the CLI and the output shown must appear in what it prints ("…" skips text). The README's links must point at
// files of the repository (no links outside it). Needs the build (dist/, build/release.wasm): `npm test` builds first.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(".");
const readme = readFileSync(join(root, "README.md"), "utf8");
interface Block { lang: string; info: string; code: string; line: number }
const blocks: Block[] = [];
for (const m of readme.matchAll(/^```(\w*)([^\n]*)\n([\s\S]*?)^```$/gm)) {
  blocks.push({ lang: m[1], info: m[2].trim(), code: m[3], line: readme.slice(0, m.index).split("\n").length });
}
let dir = "";

test.before(() => {
  mkdirSync(join(root, ".tmp"), { recursive: true });
  // Inside the package directory, so that `import "hardlearn"` resolves to this package (self-reference).
  dir = mkdtempSync(join(root, ".tmp", "readme-"));
});
test.after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const CHECK = `
function __digits(s) { return s.replace(/^[-+]?0*\\.?0*/, "").replace(/e.*$/i, "").replace(".", "").length; }
globalThis.__check = (line, actual, expected) => {
  let ok;
  if (expected.startsWith("≈")) {
    const want = expected.slice(1).trim();
    ok = typeof actual === "number" && actual.toPrecision(__digits(want)) === Number(want).toPrecision(__digits(want));
  } else {
    ok = JSON.stringify(actual) === JSON.stringify(JSON.parse(expected));
  }
  if (!ok) throw new Error("README line " + line + ": expected " + expected + ", got " + JSON.stringify(actual));
  globalThis.__checked = (globalThis.__checked ?? 0) + 1;
};
`;

/** Turn `expr; //=> value` lines into checks; returns the program and the number of checks. */
function instrument(b: Block): { src: string; checks: number } {
  let checks = 0;
  const lines = b.code.split("\n").map((l, i) => {
    const m = /^(\s*)(.+?);\s*\/\/=>\s*(.+?)(?:\s{2,}.*)?$/.exec(l);
    if (!m) return l;
    checks++;
    return `${m[1]}__check(${b.line + 1 + i}, ${m[2]}, ${JSON.stringify(m[3])});`;
  });
  return { src: lines.join("\n"), checks };
}

test("every ts/js example is marked runnable or browser, and there are some", () => {
  const code = blocks.filter((b) => ["ts", "js", "typescript", "javascript"].includes(b.lang));
  assert.ok(code.length >= 3, `only ${code.length} code examples found`);
  for (const b of code) assert.ok(/\b(runnable|browser)\b/.test(b.info), `README line ${b.line}: mark the example "runnable" or "browser"`);
});

test("runnable and browser examples run as written and give the values the README shows", () => {
  const wasmDir = join(dir, "site");
  mkdirSync(wasmDir);
  copyFileSync(join(root, "build", "release.wasm"), join(wasmDir, "hardlearn.wasm"));
  let total = 0;
  for (const b of blocks.filter((x) => /\b(runnable|browser)\b/.test(x.info))) {
    const { src, checks } = instrument(b);
    const prelude = CHECK + (/\bbrowser\b/.test(b.info) ? `globalThis.location = { href: ${JSON.stringify(pathToFileURL(wasmDir).href + "/")} };\n` : "");
    const file = join(dir, `example-line${b.line}.ts`);
    writeFileSync(file, `${prelude}\n${src}\nconsole.log("checked " + (globalThis.__checked ?? 0));\n`);
    const r = spawnSync(process.execPath, ["--import", "tsx", file], { cwd: dir, encoding: "utf8", timeout: 300000 });
    assert.is(r.status, 0, `README example at line ${b.line} failed:\n${r.stderr}`);
    assert.match(r.stdout, new RegExp(`checked ${checks}\\s*$`), `README example at line ${b.line}: ${r.stdout}`);
    total += checks;
  }
  assert.ok(total >= 5, `only ${total} checked values in the README`);
});

test("every `$ hardlearn …` example prints what the README shows and exits as shown", () => {
  const cli = join(root, "dist", "cli", "main.js");
  const squash = (s: string) => s.replace(/\s+/g, "");
  let ran = 0;
  for (const b of blocks.filter((x) => x.lang === "console")) {
    const lines = b.code.split("\n");
    let last: { status: number | null } | undefined;
    for (let i = 0; i < lines.length; i++) {
      const m = /^\$ (hardlearn|echo \$\?)(.*?)(?:\s+#\s*(.*))?$/.exec(lines[i]);
      if (!m) continue;
      const expected: string[] = [];
      if (m[3]) expected.push(m[3]);
      for (let j = i + 1; j < lines.length && !lines[j].startsWith("$ "); j++) expected.push(lines[j]);
      if (m[1] === "echo $?") {
        assert.ok(last, `README line ${b.line + 1 + i}: echo $? without a command`);
        assert.is(String(last!.status), expected.join("").trim(), `README line ${b.line + 1 + i}: exit code`);
        continue;
      }
      const args = m[2].trim().split(/\s+/).filter(Boolean);
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: "utf8", timeout: 300000 });
      last = r;
      ran++;
      const out = squash(r.stdout + r.stderr);
      let from = 0;
      for (const chunk of squash(expected.join("\n")).split("…").filter(Boolean)) {
        const at = out.indexOf(chunk, from);
        assert.ok(at >= 0, `README line ${b.line + 1 + i}: \`hardlearn ${args.join(" ")}\` does not print ${chunk}\n(it prints ${out.slice(0, 400)}…)`);
        from = at + chunk.length;
      }
    }
  }
  assert.ok(ran >= 4, `only ${ran} CLI examples found`);
});

test("README links point at files of the repository, never outside it", () => {
  const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^(https?:|mailto:|#)/.test(l));
  assert.ok(links.some((l) => l.startsWith("docs/api/")), "the README links the API reference");
  assert.ok(links.includes("docs/formulas.md"), "the README links docs/formulas.md");
  for (const l of links) {
    const path = l.split("#")[0];
    assert.not.ok(path.startsWith("..") || path.startsWith("/"), `README links outside the repository: ${l}`);
    assert.ok(existsSync(join(root, path)), `README links a missing file: ${l}`);
  }
  assert.not.match(readme, /shared\/PAPERS|issue \d/i, "the README names workspace files or work items a user cannot see");
});

test.run();
