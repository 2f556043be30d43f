// The example apps of web/examples/ (a Vite app and a webpack 5 app, no hardlearn-specific configuration), built
// against the PACKED library (`npm pack` of this checkout, installed into a temp copy of each app) and driven in
// headless Chromium:
//   - Vite dev server, Vite production build, webpack 5 production build;
//   - in each: the engine loads (its .wasm found through the library's own new URL(..., import.meta.url)), seeded
//     normals and a seeded matmul have Node's bits, gradVariance with workers 1 and 2 has Node's bits (JSON of the
//     whole result), and the pool really started module/classic Web Workers from the bundler-emitted script.
// Vite and webpack are this repository's devDependencies (run through their Node APIs with the temp app as root);
// the app's own node_modules holds only the installed tarball and its dependencies.
// It FAILS (never skips) when Chromium is missing: CI installs it in .ci/run.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { chromium, type Browser } from "playwright-core";
import { engine } from "./helpers.js";
// @ts-expect-error plain ESM helper without types
import { serve } from "../web/serve.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const root = resolve(".");
const examples = join(root, "web", "examples");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const run = promisify(execFile);

interface PageResult {
  normals: string; matmul: string; gv1: string; gv2: string; loadMs: number;
  ms: { seeded: number; workers1: number; workers2: number };
}
interface Expected { normals: string; matmul: string; gv: string }

let work = "";
let browser: Browser | undefined;
let expected: Expected;
const timings: Record<string, string> = {};

test.before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH`);
  }
  assert.ok(existsSync("dist/index.js") && existsSync("dist/parallel/pool-worker.js") && existsSync("build/release.wasm"), "run `npm run build` first");
  work = mkdtempSync(join(tmpdir(), "hardlearn-examples-"));
  const packed = await run(NPM, ["pack", "--json", "--pack-destination", work], { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 });
  const tgz = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0].filename);
  await Promise.all(["vite", "webpack"].map(async (name) => {
    const app = join(work, name);
    cpSync(join(examples, name), app, { recursive: true, filter: (src) => !/node_modules|[\\/]dist$/.test(src) });
    // --omit=dev: the app's own bundler devDependency is this repository's (same major), run through its API.
    await run(NPM, ["install", tgz, "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
      { cwd: app, encoding: "utf8", timeout: 300000 });
  }));
  // Node's bits, from the same check module the apps run.
  const check = await import(pathToFileURL(join(examples, "vite", "src", "check.js")).href);
  const e = await engine();
  const s = check.seeded(e);
  expected = { ...s, gv: JSON.stringify(await e.gradVariance(check.gradVarianceOptions(1))) };
  const gv2 = JSON.stringify(await e.gradVariance(check.gradVarianceOptions(2)));
  assert.is(gv2, expected.gv, "Node: workers 2 differs from workers 1");
  await e.closeWorkers();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

test.after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
  if (Object.keys(timings).length) console.log(`example apps (ms): ${JSON.stringify(timings)}`);
});

/** Open `url`, wait for the app's result, check it against Node; returns the URLs of the Web Workers started. */
async function drive(where: string, url: string): Promise<void> {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  // Record every Web Worker the page starts (the pool's workers), wrapping the constructor before any script runs.
  await page.addInitScript(() => {
    const W = window.Worker;
    (window as any).__workers = [] as string[];
    window.Worker = class extends W {
      constructor(u: string | URL, o?: WorkerOptions) { super(u, o); (window as any).__workers.push(String(u)); }
    };
  });
  try {
    await page.goto(url);
    await page.waitForFunction(() => (window as any).__hardlearn, undefined, { timeout: 120000 });
    const out = await page.evaluate(() => (window as any).__hardlearn) as { result?: PageResult; error?: string };
    assert.is(out.error, undefined, `${where}: the app failed: ${out.error}`);
    const r = out.result!;
    assert.is(r.normals, expected.normals, `${where}: seeded normals differ from Node`);
    assert.is(r.matmul, expected.matmul, `${where}: seeded matmul differs from Node`);
    assert.is(r.gv1, expected.gv, `${where}: gradVariance (workers 1) differs from Node`);
    assert.is(r.gv2, expected.gv, `${where}: gradVariance (workers 2) differs from Node`);
    const workers = await page.evaluate(() => (window as any).__workers) as string[];
    assert.ok(workers.length >= 2, `${where}: the pool started ${workers.length} Web Workers`);
    assert.equal(errors, [], `${where}: ${errors.join("; ")}`);
    timings[where] = `load ${r.loadMs.toFixed(0)}, workers1 ${r.ms.workers1.toFixed(0)}, workers2 ${r.ms.workers2.toFixed(0)}`;
  } finally {
    await page.close();
  }
}

test("the apps' check modules are the same file (the test's Node reference uses it)", () => {
  assert.is(readFileSync(join(examples, "webpack", "src", "check.js"), "utf8"), readFileSync(join(examples, "vite", "src", "check.js"), "utf8"));
});

test("Vite dev server (zero config): engine loads, seeded bits and gradVariance({ workers: 2 }) equal Node's", async () => {
  const { createServer } = await import("vite");
  const server = await createServer({
    root: join(work, "vite"), logLevel: "error", configFile: false, clearScreen: false,
    server: { host: "127.0.0.1", port: 0, strictPort: false, hmr: false },
  });
  try {
    await server.listen();
    await drive("vite dev", server.resolvedUrls!.local[0]);
  } finally {
    await server.close();
  }
});

test("Vite production build (zero config): pool-worker emitted as a worker chunk; bits equal Node's", async () => {
  const { build } = await import("vite");
  const outDir = join(work, "vite-dist");
  await build({ root: join(work, "vite"), logLevel: "error", configFile: false, build: { outDir, emptyOutDir: true } });
  const assets = readdirSync(join(outDir, "assets"));
  assert.ok(assets.some((f) => /^pool-worker-.*\.js$/.test(f)), `no pool-worker chunk in ${assets.join(", ")}`);
  assert.ok(assets.some((f) => /^release-.*\.wasm$/.test(f)), `no .wasm asset in ${assets.join(", ")}`);
  const srv = await serve(outDir, 0);
  try {
    await drive("vite build", srv.url + "index.html");
    // A broken deployment (the worker chunk not uploaded): a LoadError (code ELOAD) about pool-worker.js, not an
    // internal error; the engine itself still loads and computes.
    for (const f of assets.filter((f) => /^pool-worker-.*\.js$/.test(f))) rmSync(join(outDir, "assets", f));
    const page = await browser!.newPage();
    try {
      await page.goto(srv.url + "index.html");
      await page.waitForFunction(() => (window as any).__hardlearn, undefined, { timeout: 120000 });
      const out = await page.evaluate(() => (window as any).__hardlearn) as { error?: string; code?: string };
      assert.is(out.code, "ELOAD", `expected a LoadError, got ${JSON.stringify(out)}`);
      assert.match(out.error!, /pool-worker\.js/);
      assert.not.match(out.error!, /report it/i);
    } finally {
      await page.close();
    }
  } finally {
    await srv.close();
  }
});

test("webpack 5 production build (entry + output only): no warnings; bits equal Node's", async () => {
  const webpack = (await import("webpack")).default;
  const app = join(work, "webpack");
  const config = (await import(pathToFileURL(join(app, "webpack.config.js")).href)).default;
  const stats = await new Promise<any>((ok, no) => webpack(config, (err: unknown, s: unknown) => (err ? no(err) : ok(s))));
  const info = stats.toJson({ all: false, errors: true, warnings: true });
  assert.equal(info.errors.map((e: { message: string }) => e.message), [], "webpack errors");
  assert.equal(info.warnings.map((e: { message: string }) => e.message), [], "webpack warnings");
  const srv = await serve(join(app, "public"), 0);
  try {
    await drive("webpack", srv.url + "index.html");
  } finally {
    await srv.close();
  }
});

test.run();
