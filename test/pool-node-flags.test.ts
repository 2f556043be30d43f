// Pool workers in real Node processes started with flags that workers cannot take (per-process and V8 options,
// --input-type for inline scripts): each child runs a pooled gradVariance({ workers: 2 }) and the same with
// workers: 1, and prints the bits; they must equal each other and this process's in-process result.
// The children load the built package (dist/, as users do; `npm test` builds first) except one that runs the
// TypeScript sources through `--import tsx`, whose loader the workers must keep.
// Also: `--jitless` (no WebAssembly) gives a LoadError from createEngine, and the two-thread GEMM's worker starts
// under an inline ESM script.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { engine } from "./helpers.js";
import { workerExecArgvTiers } from "../src/parallel/node-flags.js";
import type { GradVarianceOptions } from "../src/index.js";

const root = resolve(".");
const distIndex = pathToFileURL(join(root, "dist", "index.js")).href;
const srcIndex = pathToFileURL(join(root, "src", "index.ts")).href;
let dir = "";

const OPTS = { dim: 9, radius: 1.25, directions: 150, samples: 1500, seed: 42, blocks: 3 };
const THETA = "Float64Array.from({ length: 9 }, (_, i) => Math.sin(i + 1))";

/** Child program: prints { w1, w2 } (each the JSON of a gradVariance result) on one line. */
function program(index: string): string {
  return `import { createEngine } from ${JSON.stringify(index)};
const e = await createEngine();
const o = { ...${JSON.stringify(OPTS)}, theta: ${THETA} };
const w1 = JSON.stringify(await e.gradVariance({ ...o, workers: 1 }));
const w2 = JSON.stringify(await e.gradVariance({ ...o, workers: 2 }));
await e.closeWorkers();
console.log(JSON.stringify({ w1, w2 }));
`;
}

interface Run { code: number | null; stdout: string; stderr: string; ms: number }

function run(args: string[], timeoutMs = 120000): Promise<Run> {
  return new Promise((resolvePromise) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (b: Buffer) => { stdout += b; });
    child.stderr.on("data", (b: Buffer) => { stderr += b; });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => { clearTimeout(timer); resolvePromise({ code, stdout, stderr, ms: Date.now() - t0 }); });
  });
}

let expected = "";

test.before(async () => {
  assert.ok(existsSync(join(root, "dist", "index.js")) && existsSync(join(root, "dist", "parallel", "pool-worker.js")), "run `npm run build` first");
  dir = mkdtempSync(join(tmpdir(), "hardlearn-flags-"));
  writeFileSync(join(dir, "dist.mjs"), program(distIndex));
  writeFileSync(join(dir, "src.mts"), program(srcIndex));
  const e = await engine();
  const theta = Float64Array.from({ length: 9 }, (_, i) => Math.sin(i + 1));
  expected = JSON.stringify(await e.gradVariance({ ...OPTS, theta } as GradVarianceOptions));
});

test.after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("workerExecArgvTiers keeps loaders, drops per-process, V8 and inline-script flags", () => {
  const argv = ["--max-old-space-size=4096", "--import", "tsx", "--stack-size=2000", "--expose-gc", "--title=x",
    "--input-type=module", "-e", "code --import evil", "--conditions", "dev", "--no-warnings", "-r", "./hook.cjs",
    "--import=./b.mjs", "--inspect", "--jitless"];
  const tiers = workerExecArgvTiers(argv);
  assert.equal(tiers[0], ["--import", "tsx", "--conditions", "dev", "--no-warnings", "-r", "./hook.cjs", "--import=./b.mjs"]);
  assert.equal(tiers[1], ["--import", "tsx", "--conditions", "dev", "-r", "./hook.cjs", "--import=./b.mjs"]);
  assert.equal(tiers.at(-1), []);
  assert.equal(workerExecArgvTiers([]), [[]]);
});

const CASES: [string, string[]][] = [
  ["--max-old-space-size=4096", ["--max-old-space-size=4096"]],
  ["--stack-size=2000", ["--stack-size=2000"]],
  ["--expose-gc", ["--expose-gc"]],
  ["--title", ["--title=hardlearn-flags-test"]],
  ["all of them + --no-warnings --enable-source-maps", ["--max-old-space-size=4096", "--stack-size=2000", "--expose-gc", "--title=hl", "--no-warnings", "--enable-source-maps"]],
];

for (const [name, flags] of CASES) {
  test(`node ${name}: pooled gradVariance({ workers: 2 }) has the bits of workers: 1 and of this process`, async () => {
    const r = await run([...flags, join(dir, "dist.mjs")]);
    assert.is(r.code, 0, `exit ${r.code}: ${r.stderr}`);
    const { w1, w2 } = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    assert.is(w2, w1);
    assert.is(w1, expected);
  });
}

test("node --input-type=module -e '<inline script>': pooled bits equal", async () => {
  const r = await run(["--input-type=module", "-e", program(distIndex)]);
  assert.is(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  const { w1, w2 } = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
  assert.is(w2, w1);
  assert.is(w1, expected);
});

test("node --import tsx --max-old-space-size=4096 (TypeScript sources): the workers keep the loader, bits equal", async () => {
  const r = await run(["--import", "tsx", "--max-old-space-size=4096", "--expose-gc", join(dir, "src.mts")]);
  assert.is(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  const { w1, w2 } = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
  assert.is(w2, w1);
  assert.is(w1, expected);
});

test("node --jitless: createEngine rejects with a LoadError (code ELOAD) that says why", async () => {
  const code = `import { createEngine, LoadError } from ${JSON.stringify(distIndex)};
try { await createEngine(); console.log("loaded"); }
catch (e) { console.log(JSON.stringify({ isLoad: e instanceof LoadError, code: e.code, message: e.message })); }`;
  const r = await run(["--jitless", "--input-type=module", "-e", code]);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
  assert.is(out.isLoad, true, r.stdout);
  assert.is(out.code, "ELOAD");
  assert.match(out.message, /no WebAssembly/);
  assert.match(out.message, /--jitless/);
});

test("node --input-type=module -e: the two-thread GEMM worker starts (threads = 2) and matches engine.matmul", async () => {
  const code = `import { createEngine, createGemmThreads } from ${JSON.stringify(distIndex)};
const e = await createEngine();
const g = await createGemmThreads(e);
const A = { rows: 160, cols: 128, data: Float64Array.from({ length: 160 * 128 }, (_, i) => Math.sin(i)) };
const B = { rows: 128, cols: 160, data: Float64Array.from({ length: 128 * 160 }, (_, i) => Math.cos(i)) };
const ref = e.matmul(A, B).data;
const same = g.matmul(A, B).data.every((v, i) => Object.is(v, ref[i]));
console.log(JSON.stringify({ threads: g.threads, reason: g.fallbackReason ?? null, same }));
await g.close();`;
  const r = await run(["--input-type=module", "--max-old-space-size=4096", "-e", code]);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
  assert.equal(out, { threads: 2, reason: null, same: true });
});

test("a deployment without pool-worker.js: pooled calls reject with a LoadError naming the URL tried; workers: 1 still works", async () => {
  const app = join(dir, "deploy");
  cpSync(join(root, "dist"), join(app, "dist"), { recursive: true });
  cpSync(join(root, "build", "release.wasm"), join(app, "build", "release.wasm"));
  cpSync(join(root, "package.json"), join(app, "package.json"));
  symlinkSync(join(root, "node_modules"), join(app, "node_modules"), "dir");
  rmSync(join(app, "dist", "parallel", "pool-worker.js"));
  const index = pathToFileURL(join(app, "dist", "index.js")).href;
  const code = `import { createEngine, LoadError, InternalError } from ${JSON.stringify(index)};
const e = await createEngine();
const o = { ...${JSON.stringify(OPTS)}, theta: ${THETA} };
const out = {};
try { await e.gradVariance({ ...o, workers: 2 }); out.pooled = "resolved"; }
catch (err) { out.isLoad = err instanceof LoadError; out.isInternal = err instanceof InternalError; out.code = err.code; out.source = err.source; out.message = err.message; }
out.w1 = JSON.stringify(await e.gradVariance({ ...o, workers: 1 }));
console.log(JSON.stringify(out));`;
  const r = await run(["--input-type=module", "-e", code]);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
  assert.is(out.isLoad, true, r.stdout);
  assert.is(out.isInternal, false);
  assert.is(out.code, "ELOAD");
  assert.is(out.source, pathToFileURL(join(app, "dist", "parallel", "pool-worker.js")).href);
  assert.match(out.message, /pool-worker\.js/);
  assert.not.match(out.message, /report it/i);
  assert.is(out.w1, expected);
});

test.run();
