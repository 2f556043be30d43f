#!/usr/bin/env node
// The build: the WebAssembly cores (asc: release, opt-in FMA, threads) and the TypeScript API (tsc), the steps that `npm start`, `npm test` and
// `npm pack` need, run side by side, one line per step:
//   build: build/release.wasm (78 kB) in 3.1 s
// Status lines go to stderr, so `npm pack --json` and other machine-read stdout stay clean.
// A step whose outputs are newer than all of its inputs is skipped ("up to date"); --force rebuilds anyway.
// The debug core (build/debug.wasm + debug.wat, ~19 MB, nothing uses it at run time) is built only on request.
// Usage: node scripts/build.mjs [--wasm] [--ts] [--debug] [--force]
//   no step flag: release.wasm, fma.wasm, threads.wasm and dist/;  --wasm: the three .wasm only;  --ts: dist/ only;
//   --debug: build/debug.wasm and build/debug.wat only (npm run build:debug).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const known = new Set(["--wasm", "--ts", "--debug", "--force"]);
for (const a of args) {
  if (!known.has(a)) {
    console.error(`build: unknown option ${a} (use --wasm, --ts, --debug, --force)`);
    process.exit(2);
  }
}
const force = args.has("--force");
const ASC = join(root, "node_modules", "assemblyscript", "bin", "asc.js");
const TSC = join(root, "node_modules", "typescript", "bin", "tsc");

/** Newest modification time (ms) of a file, or of every file below a directory; 0 when missing. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const e of readdirSync(path)) t = Math.max(t, newest(join(path, e)));
  return t;
}

/** Oldest modification time of the outputs; 0 when one is missing. */
function oldest(paths) {
  let t = Infinity;
  for (const p of paths) t = Math.min(t, existsSync(join(root, p)) ? statSync(join(root, p)).mtimeMs : 0);
  return t;
}

const COMPILER_INPUTS = ["asconfig.json", "node_modules/assemblyscript/package.json"];
const steps = [
  {
    name: "build/release.wasm", group: "wasm", outputs: ["build/release.wasm"],
    inputs: ["assembly", ...COMPILER_INPUTS], cmd: [ASC, "assembly/index.ts", "--target", "release"],
  },
  {
    name: "build/fma.wasm", group: "wasm", outputs: ["build/fma.wasm"],
    inputs: ["assembly", ...COMPILER_INPUTS], cmd: [ASC, "assembly/index.ts", "--target", "fma"],
  },
  {
    name: "build/threads.wasm", group: "wasm", outputs: ["build/threads.wasm"],
    inputs: ["assembly", ...COMPILER_INPUTS], cmd: [ASC, "assembly/gemm/threads.ts", "--target", "threads"],
  },
  {
    // tsc, then the self-contained pool worker bundle that replaces tsc's dist/parallel/pool-worker.js.
    name: "dist/ (tsc + pool worker bundle)", group: "ts",
    outputs: ["dist/index.js", "dist/index.d.ts", "dist/cli/main.js", "dist/parallel/pool-worker.js"],
    inputs: ["src", "tsconfig.json", "node_modules/typescript/package.json", "scripts/bundle-pool-worker.mjs"],
    cmd: [TSC, "-p", "tsconfig.json"], then: [join(root, "scripts", "bundle-pool-worker.mjs")],
  },
  {
    name: "build/debug.wasm + debug.wat", group: "debug", outputs: ["build/debug.wasm", "build/debug.wat"],
    inputs: ["assembly", ...COMPILER_INPUTS], cmd: [ASC, "assembly/index.ts", "--target", "debug"],
  },
];

const groups = ["--wasm", "--ts", "--debug"].filter((g) => args.has(g)).map((g) => g.slice(2));
const wanted = steps.filter((s) => (groups.length ? groups.includes(s.group) : s.group !== "debug"));

function size(p) {
  const b = statSync(join(root, p)).size;
  return b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${Math.round(b / 1e3)} kB`;
}

function run(step) {
  const inputsTime = Math.max(...step.inputs.map((p) => newest(join(root, p))));
  if (!force && oldest(step.outputs) > inputsTime) {
    console.error(`build: ${step.name} up to date`);
    return Promise.resolve(0);
  }
  const t0 = performance.now();
  let out = "";
  const exec = (cmd) => new Promise((resolveRun) => {
    const child = spawn(process.execPath, cmd, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (b) => { out += b; });
    child.stderr.on("data", (b) => { out += b; });
    child.on("error", (e) => { out += String(e); });
    child.on("close", (code) => resolveRun(code ?? 1));
  });
  return new Promise((resolveStep) => {
    const done = (code) => {
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      if (code === 0) {
        const sizes = step.outputs.filter((p) => p.endsWith(".wasm") || p.endsWith(".wat")).map(size);
        console.error(`build: ${step.name}${sizes.length ? ` (${sizes.join(", ")})` : ""} in ${secs} s`);
      } else {
        console.error(`build: ${step.name} FAILED after ${secs} s (${[process.execPath, ...step.cmd, ...(step.then ? ["&&", ...step.then] : [])].map((a) => relative(root, a) || a).join(" ")})`);
        process.stderr.write(out.endsWith("\n") || !out ? out : out + "\n");
        // tsc writes its outputs even when it reports errors: date them back so the next build retries the step.
        for (const p of step.outputs) if (existsSync(join(root, p))) utimesSync(join(root, p), 0, 0);
      }
      resolveStep(code ?? 1);
    };
    void exec(step.cmd).then((code) => (code === 0 && step.then ? exec(step.then) : code)).then(done);
  });
}

for (const tool of [ASC, TSC]) {
  if (!existsSync(tool)) {
    console.error(`build: ${relative(root, tool)} is missing: run "npm ci" first`);
    process.exit(1);
  }
}
const codes = await Promise.all(wanted.map(run));
process.exitCode = codes.some((c) => c !== 0) ? 1 : 0;
