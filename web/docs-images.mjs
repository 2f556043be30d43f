// Regenerates the README images under web/docs/ (committed): a screenshot of the report (top of report/index.html),
// the variance-vs-r figure as SVG (the report's own inline SVG), and a screenshot of the playground after running its Monte Carlo and
// training demo. Needs `npm start` (report/) and `npm run build:wasm` first, and Debian's chromium.
// Usage: node web/docs-images.mjs
import { chromium } from "playwright-core";
import { mkdir, readFile, writeFile, rm } from "node:fs/promises";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildWeb } from "./build.mjs";
import { serve } from "./serve.mjs";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const docs = join(root, "web", "docs");
await mkdir(docs, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
try {
  // 1. The report: the claims table and the first figures.
  const report = join(root, "report", "index.html");
  const page = await browser.newPage({ viewport: { width: 1100, height: 1500 }, deviceScaleFactor: 1 });
  await page.goto("file://" + report);
  await page.screenshot({ path: join(docs, "report.png"), clip: { x: 0, y: 0, width: 1100, height: 1500 } });
  // The three Fig. 2 panels of the report, side by side as they appear there.
  const figs = page.locator("#fig-landscape-r1\\.5, #fig-landscape-r2, #fig-landscape-r3");
  const boxes = await figs.evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x + scrollX, y: r.y + scrollY, w: r.width, h: r.height }; }));
  if (boxes.length) {
    const x0 = Math.min(...boxes.map((b) => b.x)), y0 = Math.min(...boxes.map((b) => b.y));
    const x1 = Math.max(...boxes.map((b) => b.x + b.w)), y1 = Math.max(...boxes.map((b) => b.y + b.h));
    await page.screenshot({ path: join(docs, "report-fig2.png"), clip: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, fullPage: true });
  }
  // 2. The variance-vs-r figure as a standalone SVG (exactly what the report embeds).
  const html = await readFile(report, "utf8");
  const v = /<figure id="fig-gradvar-cos">(<svg[\s\S]*?<\/svg>)/.exec(html);
  if (v) await writeFile(join(docs, "gradvar-vs-r.svg"), v[1]);
  // 3. The playground, after a Monte-Carlo run and a short training.
  const out = mkdtempSync(join(tmpdir(), "hardlearn-docs-"));
  await buildWeb({ outdir: out });
  const srv = await serve(out, 0);
  const p2 = await browser.newPage({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
  await p2.goto(srv.url + "index.html");
  await p2.waitForFunction(() => window.hardlearn?.ready, undefined, { timeout: 60000 });
  await p2.evaluate(() => window.hardlearn.runMonteCarlo());
  await p2.fill("#tr-epochs", "15");
  await p2.evaluate(() => window.hardlearn.runTraining());
  const box = await p2.locator("#fig-landscape canvas").boundingBox();
  await p2.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.2);
  await p2.waitForTimeout(2500);
  await p2.screenshot({ path: join(docs, "playground.png"), fullPage: true });
  await srv.close();
  await rm(out, { recursive: true, force: true });
} finally {
  await browser.close();
}
console.log(`wrote ${docs}/report.png, report-fig2.png, gradvar-vs-r.svg, playground.png`);
