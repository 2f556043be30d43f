// float32 determinism across hosts: the seeded float32 computation of test/f32_digest.ts (samplers, SGEMM, Gram, GEMV,
// training) must give the same bits in Node and in headless Chromium (Debian's chromium driven by playwright-core).
// FAILS (never skips) when Chromium is missing, like test/web.test.ts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { build } from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { engine } from "./helpers.js";
import { f32Digest, type F32Digest } from "./f32_digest.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let browser: Browser | undefined;

test.after(async () => {
  await browser?.close();
});

test("float32 samplers, SGEMM, Gram, GEMV and training: same bits in Node and Chromium", async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  const entry = `import { createEngine } from "./src/index.ts"; import { f32Digest } from "./test/f32_digest.ts";
    globalThis.f32Check = async (b64, seed) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      return f32Digest(await createEngine({ wasm: bytes }), seed);
    };
    globalThis.f32Ready = true;`;
  const out = await build({
    stdin: { contents: entry, resolveDir: process.cwd(), loader: "ts" }, bundle: true, format: "esm", platform: "browser",
    target: ["es2022"], write: false, external: ["node:*"], logLevel: "error",
  });
  const wasm = readFileSync("build/release.wasm").toString("base64");
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("about:blank");
  await page.addScriptTag({ content: out.outputFiles[0].text, type: "module" });
  await page.waitForFunction(() => (globalThis as { f32Ready?: boolean }).f32Ready === true, undefined, { timeout: 60000 });
  const e = await engine();
  for (const seed of [0, 77, 2 ** 33 + 5]) {
    const node = await f32Digest(e, seed);
    const chrome = await page.evaluate(([b, s]) => (globalThis as unknown as { f32Check: (b: string, s: number) => Promise<F32Digest> }).f32Check(b, s), [wasm, seed] as const);
    assert.equal(chrome, node, `seed ${seed}: float32 bits differ between Chromium and Node`);
  }
  assert.equal(errors, [], "page errors");
});

test.run();
