// End-to-end test of the browser playground in real headless Chromium (Debian's `chromium`, driven by playwright-core).
// Builds web/dist with esbuild, serves it on 127.0.0.1 (random port), and checks that:
//  - the engine loads in the page and in a Web Worker;
//  - a seeded computation (16 normals + a hashed matmul) has the same bits in Node, the page and the Worker;
//  - engine.gradVariance with workers 1 and 2 (the pool's module Web Workers running pool-worker.js) has the same bits
//    as in Node, on the page, inside the playground's Worker (nested pool workers) and on a crossOriginIsolated page
//    (SharedArrayBuffer path of the pool);
//  - every figure renders (non-empty SVG) and a screenshot is saved (.tmp/web-playground.png);
//  - clicking the landscape starts gradient descent (the path grows).
// It FAILS (never skips) when Chromium is missing: CI installs it in .ci/run.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { engine } from "./helpers.js";
import { GRADVAR_CHECK_CASES, gradvarDigest, seededDigest, type GradvarDigest, type SeededDigest } from "../web/check.js";
// @ts-expect-error plain ESM helper without types
import { buildWeb } from "../web/build.mjs";
// @ts-expect-error plain ESM helper without types
import { serve } from "../web/serve.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let browser: Browser | undefined;
let page: Page | undefined;
let server: { url: string; close: () => Promise<void> } | undefined;
let isolatedServer: { url: string; close: () => Promise<void> } | undefined;
/** URLs of pool-worker.js requests seen by any page (proves the pool really started Web Workers). */
const poolWorkerRequests: string[] = [];
let outDir = "";
const consoleErrors: string[] = [];

test.before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH`);
  }
  outDir = mkdtempSync(join(tmpdir(), "hardlearn-web-"));
  await buildWeb({ outdir: outDir, minify: true });
  server = await serve(outDir, 0);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  page = await browser.newPage({ viewport: { width: 1500, height: 1300 } });
  page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(`console: ${m.text()}`); });
  page.context().on("request", (r) => { if (/\/pool-worker\.js$/.test(r.url())) poolWorkerRequests.push(r.url()); });
  await page.goto(server!.url + "index.html");
  await page.waitForFunction(() => window.hardlearn && (window.hardlearn.ready || window.hardlearn.error), undefined, { timeout: 60000 });
  const err = await page.evaluate(() => window.hardlearn.error);
  assert.is(err, undefined, `playground failed to start: ${err}`);
});

test.after(async () => {
  await browser?.close();
  await server?.close();
  await isolatedServer?.close();
  await (await engine()).closeWorkers();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

test("seeded computation: same bits in Node, in the page and in a Web Worker", async () => {
  const e = await engine();
  for (const seed of [0, 12345, 2 ** 40 + 7]) {
    const node = seededDigest(e, seed);
    const inPage = await page!.evaluate((s) => window.hardlearn.check(s), seed) as SeededDigest;
    const inWorker = await page!.evaluate((s) => window.hardlearn.workerCheck(s), seed) as SeededDigest;
    assert.equal(inPage.normals, node.normals, `normals differ (seed ${seed})`);
    assert.is(inPage.matmulHash, node.matmulHash, `matmul hash differs (seed ${seed})`);
    assert.equal(inWorker.normals, node.normals, `worker normals differ (seed ${seed})`);
    assert.is(inWorker.matmulHash, node.matmulHash, `worker matmul hash differs (seed ${seed})`);
  }
});

test("gradVariance with 1 and 2 pool workers: same bits in Node, in the page, in the Worker, and cross-origin isolated", async () => {
  const e = await engine();
  const expected: GradvarDigest[] = [];
  for (let c = 0; c < GRADVAR_CHECK_CASES.length; c++) {
    const ref = await gradvarDigest(e, c, 1);
    expected.push(ref);
    const node2 = await gradvarDigest(e, c, 2);
    assert.equal({ ...node2, workers: 1 }, ref, `Node: workers 2 differs from workers 1 (case ${c})`);
  }
  // Closed-form fields (src/gradvar/exact.ts) use src/math/detmath.ts (musl ports in plain IEEE arithmetic) instead of
  // the host's Math.exp/log/sin/... (which differ by an ulp between V8 versions), so they too must have the same bits
  // in Node and in Chromium: compared bit for bit (Object.is, so -0 and NaN are distinguished/matched exactly).
  const closeForm = (where: string, got: GradvarDigest["closedForm"], ref: GradvarDigest["closedForm"]) => {
    const same = (a: number | undefined, b: number | undefined, what: string) => {
      assert.ok(Object.is(a, b), `${where}: ${what} = ${a}, Node ${b} (bits must be identical)`);
    };
    same(got.exact, ref.exact, "exact");
    same(got.z, ref.z, "z");
    const mg = ref.meanGradientExact ?? [];
    assert.is(got.meanGradientExact?.length, ref.meanGradientExact?.length, `${where}: meanGradientExact length`);
    mg.forEach((v, i) => same(got.meanGradientExact![i], v, `meanGradientExact[${i}]`));
  };
  const checkIn = async (where: string, run: (c: number, w: number) => Promise<GradvarDigest>) => {
    for (let c = 0; c < GRADVAR_CHECK_CASES.length; c++) {
      const got: GradvarDigest[] = [];
      for (const w of [1, 2]) {
        let g: GradvarDigest;
        try {
          g = await run(c, w);
        } catch (err) {
          throw new Error(`${where}: gradVariance case ${c} with ${w} workers failed: ${(err as Error).message}`);
        }
        const { closedForm, ...mc } = g;
        const { closedForm: refClosed, ...refMc } = expected[c];
        assert.equal(mc, { ...refMc, workers: w }, `${where}: Monte-Carlo bits differ from Node (case ${c}, ${w} workers)`);
        closeForm(`${where} (case ${c}, ${w} workers)`, closedForm, refClosed);
        got.push(g);
      }
      // Within one JS engine everything, closed forms included, is bit-identical for 1 and 2 workers.
      assert.equal({ ...got[1], workers: 1 }, got[0], `${where}: workers 2 differs from workers 1 (case ${c})`);
    }
  };
  await checkIn("page", (c, w) => page!.evaluate(([c, w]) => window.hardlearn.gradvarCheck(c, w), [c, w] as const));
  assert.ok(poolWorkerRequests.length >= 1, "the page's pool never requested pool-worker.js");
  await checkIn("playground Worker", (c, w) => page!.evaluate(([c, w]) => window.hardlearn.workerGradvarCheck(c, w), [c, w] as const));
  // A crossOriginIsolated page: SharedArrayBuffer exists, so the pool workers regenerate X cooperatively.
  isolatedServer = await serve(outDir, 0, { isolated: true });
  const iso = await browser!.newPage();
  iso.on("pageerror", (err) => consoleErrors.push(`isolated pageerror: ${err.message}`));
  iso.on("console", (m) => { if (m.type() === "error") consoleErrors.push(`isolated console: ${m.text()}`); });
  try {
    await iso.goto(isolatedServer.url + "index.html");
    await iso.waitForFunction(() => window.hardlearn && (window.hardlearn.ready || window.hardlearn.error), undefined, { timeout: 60000 });
    assert.is(await iso.evaluate(() => window.hardlearn.error), undefined, "isolated playground failed to start");
    assert.is(await iso.evaluate(() => crossOriginIsolated), true, "COOP/COEP page is not crossOriginIsolated");
    await checkIn("isolated page", (c, w) => iso.evaluate(([c, w]) => window.hardlearn.gradvarCheck(c, w), [c, w] as const));
  } finally {
    await iso.close();
  }
});

test("Monte Carlo in the Web Worker adds points to the variance figure; training draws a live loss curve", async () => {
  await page!.fill("#mc-j", "64");
  await page!.fill("#mc-n", "2000");
  const marksBefore = await page!.evaluate(() => document.querySelectorAll("#fig-variance svg path").length);
  await page!.evaluate(() => window.hardlearn.runMonteCarlo());
  const mcText = await page!.evaluate(() => document.getElementById("mc-stat")!.textContent ?? "");
  assert.match(mcText, /^done in/, `Monte Carlo did not finish: ${mcText}`);
  const marksAfter = await page!.evaluate(() => document.querySelectorAll("#fig-variance svg path").length);
  assert.ok(marksAfter > marksBefore, `no Monte-Carlo marks added (${marksBefore} -> ${marksAfter})`);
  await page!.fill("#tr-epochs", "4");
  await page!.fill("#tr-width", "16");
  await page!.evaluate(() => window.hardlearn.runTraining());
  const trText = await page!.evaluate(() => document.getElementById("tr-stat")!.textContent ?? "");
  assert.match(trText, /^epoch 4: train [0-9.]+, test [0-9.]+/, `training did not finish: ${trText}`);
  const lines = await page!.evaluate(() => [...document.querySelectorAll("#fig-training svg path")].filter((p) => (p.getAttribute("d") ?? "").length > 20).length);
  assert.ok(lines >= 2, "no loss curves drawn");
});

test("figures render: non-empty SVG in every panel, screenshot saved", async () => {
  const rendered = await page!.evaluate(() => window.hardlearn.rendered());
  for (const f of ["landscape", "variance", "training"]) assert.ok(rendered.includes(f), `figure ${f} not rendered (${rendered})`);
  for (const id of ["fig-landscape", "fig-variance", "fig-training"]) {
    const n = await page!.evaluate((i) => document.querySelectorAll(`#${i} svg path, #${i} svg rect, #${i} svg text`).length, id);
    const text = await page!.evaluate((i) => document.getElementById(i)!.textContent ?? "", id);
    assert.ok(n > 10 || /not available in this build/.test(text), `#${id} has only ${n} SVG elements`);
  }
  // The landscape must really be there (its API is part of the build): a heatmap of many cells.
  const cells = await page!.evaluate(() => document.querySelectorAll("#fig-landscape svg path, #fig-landscape svg rect").length);
  assert.ok(cells > 400, `landscape heatmap has ${cells} elements`);
  mkdirSync(".tmp", { recursive: true });
  await page!.screenshot({ path: ".tmp/web-playground.png", fullPage: true });
  assert.ok(statSync(".tmp/web-playground.png").size > 20000, "screenshot is suspiciously small");
});

test("clicking the landscape runs gradient descent", async () => {
  const before = await page!.evaluate(() => document.getElementById("gd-stat")!.textContent ?? "");
  const box = await page!.locator("#fig-landscape svg").boundingBox();
  assert.ok(box, "landscape svg has no box");
  // Click inside the plot area (left third, upper half: on the plateau side).
  await page!.mouse.click(box!.x + box!.width * 0.3, box!.y + box!.height * 0.3);
  await page!.waitForFunction((b) => (document.getElementById("gd-stat")!.textContent ?? "") !== b && /step \d+/.test(document.getElementById("gd-stat")!.textContent ?? ""), before, { timeout: 20000 });
});

test("no errors in the page console", () => {
  assert.equal(consoleErrors, []);
});

test.run();
