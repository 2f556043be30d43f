// Bundles the browser playground with esbuild: web/main.ts and web/worker.ts -> web/dist/, plus index.html and the
// engine's release .wasm copied next to the bundle (the page loads it with createEngine({ wasm: url })).
// The engine's worker pool (src/parallel/pool.ts, used by gradVariance({ workers: k >= 2 })) is bundled as a third
// entry, pool-worker.js, next to main.js/worker.js: the pool resolves it as new URL("./pool-worker.js", import.meta.url)
// and starts it as a module Web Worker; the pool sends the compiled WebAssembly.Module in its init message, so the
// pool worker never fetches the .wasm itself.
// Usage: node web/build.mjs [--outdir DIR] [--dev]   (npm run build:web). Needs build/release.wasm (npm run build:wasm).
import { build } from "esbuild";
import { copyFile, mkdir, readFile, writeFile, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");

/** Build the playground into `outdir` (default web/dist). Returns the output directory. */
export async function buildWeb({ outdir = join(here, "dist"), minify = true } = {}) {
  const wasm = join(root, "build", "release.wasm");
  try {
    await stat(wasm);
  } catch {
    throw new Error(`build/release.wasm is missing: run "npm run build:wasm" first`);
  }
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: {
      main: join(here, "main.ts"),
      worker: join(here, "worker.ts"),
      "pool-worker": join(root, "src", "parallel", "pool-worker.ts"),
    },
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify,
    sourcemap: false,
    // Node-only branches of the engine (reading the .wasm from disk, worker_threads) are never taken in a browser.
    external: ["node:*"],
    logLevel: "warning",
    legalComments: "none",
  });
  await copyFile(wasm, join(outdir, "hardlearn.wasm"));
  const html = await readFile(join(here, "index.html"), "utf8");
  await writeFile(join(outdir, "index.html"), html);
  return outdir;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const i = process.argv.indexOf("--outdir");
  const out = await buildWeb({ outdir: i > 0 ? resolve(process.argv[i + 1]) : undefined, minify: !process.argv.includes("--dev") });
  console.log(`playground built into ${out} (serve it: node web/serve.mjs --dir ${out})`);
}
