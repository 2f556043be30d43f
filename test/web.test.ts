// End-to-end test of the browser playground in real headless Chromium (Debian's `chromium`, driven by playwright-core).
// Builds web/dist with esbuild, serves it on 127.0.0.1 (random port), and checks that:
//  - the engine loads in the page and in a Web Worker;
//  - a seeded computation (16 normals + a hashed matmul) has the same bits in Node, the page and the Worker;
//  - engine.gradVariance with workers 1 and 2 (the pool's module Web Workers running pool-worker.js) has the same bits
//    as in Node, on the page, inside the playground's Worker (nested pool workers) and on a crossOriginIsolated page
//    (SharedArrayBuffer path of the pool);
//  - every figure renders (non-empty SVG) and a screenshot is saved (.tmp/web-playground.png);
//  - clicking the landscape starts gradient descent (the path grows);
//  - dragging the r slider redraws within 50 ms (median over the input events; the p95 is printed);
//  - bad inputs get a plain-language message next to their field, controls are disabled while busy, and the page is
//    usable at 360 px (screenshot .tmp/web-playground-360.png).
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
  for (const id of ["fig-variance", "fig-training"]) {
    const n = await page!.evaluate((i) => document.querySelectorAll(`#${i} svg path, #${i} svg rect, #${i} svg text`).length, id);
    const text = await page!.evaluate((i) => document.getElementById(i)!.textContent ?? "", id);
    assert.ok(n > 10 || /not available in this build/.test(text), `#${id} has only ${n} SVG elements`);
  }
  // The landscape must really be there (its API is part of the build): a canvas heatmap of many colours.
  const colours = await page!.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>("#fig-landscape canvas");
    if (!c) return 0;
    const px = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < px.length; i += 4 * 7) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
    return seen.size;
  });
  assert.ok(colours > 100, `landscape heatmap shows only ${colours} colours`);
  mkdirSync(".tmp", { recursive: true });
  await page!.screenshot({ path: ".tmp/web-playground.png", fullPage: true });
  assert.ok(statSync(".tmp/web-playground.png").size > 20000, "screenshot is suspiciously small");
});

test("clicking the landscape runs gradient descent", async () => {
  const before = await page!.evaluate(() => document.getElementById("gd-stat")!.textContent ?? "");
  const box = await page!.locator("#fig-landscape canvas").boundingBox();
  assert.ok(box, "landscape svg has no box");
  // Click inside the plot area (left third, upper half: on the plateau side).
  await page!.mouse.click(box!.x + box!.width * 0.3, box!.y + box!.height * 0.3);
  await page!.waitForFunction((b) => (document.getElementById("gd-stat")!.textContent ?? "") !== b && /step \d+/.test(document.getElementById("gd-stat")!.textContent ?? ""), before, { timeout: 20000 });
});

test("dragging the r slider redraws the landscape within 50 ms (median; p95 reported)", async () => {
  const box = await page!.locator("#radius").boundingBox();
  assert.ok(box, "slider has no box");
  const y = box!.y + box!.height / 2;
  const before = (await page!.evaluate(() => window.hardlearn.redrawTimes())).length;
  // A human drag: one pointer move per frame (16 ms) across the slider, both ways.
  await page!.mouse.move(box!.x + 2, y);
  await page!.mouse.down();
  const steps = 40;
  for (const dir of [1, -1]) {
    for (let i = 1; i <= steps; i++) {
      const f = dir > 0 ? i / steps : 1 - i / steps;
      await page!.mouse.move(box!.x + 2 + f * (box!.width - 4), y);
      await page!.waitForTimeout(16);
    }
  }
  await page!.mouse.up();
  await page!.waitForTimeout(1500);
  const times = (await page!.evaluate(() => window.hardlearn.redrawTimes())).slice(before).sort((a, b) => a - b);
  assert.ok(times.length >= 20, `only ${times.length} input events were redrawn`);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  const median = q(0.5), p95 = q(0.95);
  console.log(`slider redraw latency over ${times.length} input events: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`);
  assert.ok(median <= 50, `median redraw ${median.toFixed(1)} ms > 50 ms`);
  // The p95 is reported; its bound only catches a page that stalls (on a quiet machine it is under 60 ms, but a loaded
  // 2-core CI machine delays single frames by a few hundred ms).
  assert.ok(p95 <= 500, `p95 redraw ${p95.toFixed(1)} ms > 500 ms`);
});

test("bad inputs get a plain-language message next to the field and run nothing", async () => {
  const msg = (id: string) => page!.evaluate((i) => document.getElementById(`${i}-error`)?.textContent ?? "(no message element)", id);
  // Step size -1 would be gradient ascent.
  await page!.fill("#gd-rate", "-1");
  assert.match(await msg("gd-rate"), /^The step size must be greater than 0\.$/);
  const stat = await page!.evaluate(() => document.getElementById("gd-stat")!.textContent);
  const box = (await page!.locator("#fig-landscape canvas").boundingBox())!;
  await page!.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await page!.waitForTimeout(300);
  assert.is(await page!.evaluate(() => document.getElementById("gd-stat")!.textContent), stat, "a descent started with step size -1");
  await page!.fill("#gd-rate", "0.5");
  assert.is(await msg("gd-rate"), "");
  // J = 0 is refused, not clamped.
  await page!.fill("#mc-j", "0");
  await page!.evaluate(() => window.hardlearn.runMonteCarlo());
  assert.match(await msg("mc-j"), /^The number of directions J must be at least 2\.$/);
  assert.is(await page!.evaluate(() => document.getElementById("mc-stat")!.textContent), "");
  await page!.fill("#mc-j", "2.5");
  assert.match(await msg("mc-j"), /whole number/);
  await page!.fill("#mc-j", "64");
  // An empty d: one message, next to d; the loss chart stays.
  const curves = await page!.evaluate(() => document.querySelectorAll("#fig-training svg").length);
  await page!.fill("#tr-d", "");
  await page!.click("#tr-run");
  assert.match(await msg("tr-d"), /^Enter the dimension d: a whole number from 1 to 100\.$/);
  const visible = await page!.evaluate(() => [...document.querySelectorAll(".error")].filter((e) => e.textContent).map((e) => e.textContent));
  assert.equal(visible, [await msg("tr-d")], "exactly one message is shown");
  assert.not.match(await page!.evaluate(() => document.body.textContent ?? ""), /options\.|invalid argument/, "an API message reached the page");
  assert.is(await page!.evaluate(() => document.querySelectorAll("#fig-training svg").length), curves, "the chart was wiped");
  assert.is(await page!.evaluate(() => document.getElementById("tr-d")!.getAttribute("aria-invalid")), "true");
  await page!.fill("#tr-d", "2");
  assert.is(await msg("tr-d"), "");
});

test("the train button and the panel's inputs are disabled while training", async () => {
  await page!.fill("#tr-epochs", "6");
  // Record the controls' state when the run starts (training may finish before the test could look).
  await page!.evaluate(() => {
    const w = window as unknown as { __during?: { button: boolean; inputs: boolean } };
    delete w.__during;
    document.getElementById("tr-stat")!.textContent = "";
    new MutationObserver((_m, obs) => {
      if (!/training in a Web Worker/.test(document.getElementById("tr-stat")!.textContent ?? "")) return;
      w.__during = {
        button: (document.getElementById("tr-run") as HTMLButtonElement).disabled,
        inputs: [...document.querySelectorAll<HTMLInputElement>("#training input")].every((i) => i.disabled),
      };
      obs.disconnect();
    }).observe(document.getElementById("tr-stat")!, { childList: true, characterData: true, subtree: true });
  });
  await page!.click("#tr-run");
  await page!.waitForFunction(() => !(document.getElementById("tr-run") as HTMLButtonElement).disabled, undefined, { timeout: 120000 });
  const during = await page!.evaluate(() => (window as unknown as { __during?: unknown }).__during);
  assert.equal(during, { button: true, inputs: true }, "controls enabled while training");
  await page!.waitForFunction(() => !(document.getElementById("tr-run") as HTMLButtonElement).disabled, undefined, { timeout: 120000 });
  assert.match(await page!.evaluate(() => document.getElementById("tr-stat")!.textContent ?? ""), /^epoch 6: /);
  assert.ok(await page!.evaluate(() => [...document.querySelectorAll<HTMLInputElement>("#training input")].every((i) => !i.disabled)));
});

test("usable at 360 px: no horizontal overflow, every control on screen, screenshot saved", async () => {
  const narrow = await browser!.newPage({ viewport: { width: 360, height: 780 } });
  narrow.on("pageerror", (err) => consoleErrors.push(`360px pageerror: ${err.message}`));
  try {
    await narrow.goto(server!.url + "index.html");
    await narrow.waitForFunction(() => window.hardlearn && (window.hardlearn.ready || window.hardlearn.error), undefined, { timeout: 60000 });
    const layout = await narrow.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      outside: [...document.querySelectorAll("input, button, output, h2, .fig svg, .fig canvas")]
        .map((e) => ({ id: e.id || e.tagName, r: e.getBoundingClientRect() }))
        .filter((x) => x.r.left < 0 || x.r.right > 360.5)
        .map((x) => `${x.id} [${x.r.left.toFixed(0)}, ${x.r.right.toFixed(0)}]`),
    }));
    assert.ok(layout.scrollWidth <= 360, `the page is ${layout.scrollWidth} px wide at a 360 px viewport`);
    assert.equal(layout.outside, [], "elements outside the 360 px viewport");
    mkdirSync(".tmp", { recursive: true });
    await narrow.screenshot({ path: ".tmp/web-playground-360.png", fullPage: true });
    assert.ok(statSync(".tmp/web-playground-360.png").size > 20000, "screenshot is suspiciously small");
  } finally {
    await narrow.close();
  }
});

test("no errors in the page console", () => {
  assert.equal(consoleErrors, []);
});

test.run();
