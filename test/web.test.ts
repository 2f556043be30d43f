// End-to-end test of the browser playground in real headless Chromium (Debian's `chromium`, driven by playwright-core).
// Builds web/dist with esbuild, serves it on 127.0.0.1 (random port), and checks that:
//  - the engine loads in the page and in a Web Worker;
//  - a seeded computation (16 normals + a hashed matmul) has the same bits in Node, the page and the Worker;
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
import { seededDigest, type SeededDigest } from "../web/check.js";
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
  await page.goto(server!.url + "index.html");
  await page.waitForFunction(() => window.hardlearn && (window.hardlearn.ready || window.hardlearn.error), undefined, { timeout: 60000 });
  const err = await page.evaluate(() => window.hardlearn.error);
  assert.is(err, undefined, `playground failed to start: ${err}`);
});

test.after(async () => {
  await browser?.close();
  await server?.close();
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
