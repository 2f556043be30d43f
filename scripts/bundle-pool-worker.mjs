// Builds dist/parallel/pool-worker.js as ONE self-contained ES module (esbuild bundle of src/parallel/pool-worker.ts
// and everything it imports), replacing tsc's output of that file. The pool starts it with
// new Worker(new URL("./pool-worker.js", import.meta.url), { type: "module" }) in browsers and worker_threads in
// Node; bundlers (Vite, webpack, Rollup) emit it as a worker chunk, and a static server needs no sibling file.
// Node built-ins are imported through variables inside the code, so the bundle runs unchanged in Node and browsers.
// Usage: node scripts/bundle-pool-worker.mjs   (part of `npm run build:ts`, after tsc)
import { build } from "esbuild";
import { rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "parallel", "pool-worker.js");

// Inside a pool worker the engine never starts pools of its own: the pool module (which holds the
// new Worker(new URL("./pool-worker.js", ...)) expression) is replaced by a stub, so bundlers that process this file
// do not see a worker that starts itself. The default .wasm location is not used either (the pool sends the
// compiled Module), so it is written in a form bundlers do not treat as an asset to emit.
const stubPool = {
  name: "stub-pool",
  setup(b) {
    b.onResolve({ filter: /\/parallel\/pool\.js$|^\.\/pool\.js$/ }, (a) => ({ path: a.path, namespace: "stub-pool" }));
    b.onLoad({ filter: /.*/, namespace: "stub-pool" }, () => ({
      loader: "js",
      contents: `export async function closePool() {}
export function runPooled() { return Promise.reject(new Error("a pool worker cannot start a pool of its own")); }`,
    }));
  },
};

const res = await build({
  plugins: [stubPool],
  entryPoints: [join(root, "src", "parallel", "pool-worker.ts")],
  bundle: true,
  write: false,
  format: "esm",
  platform: "neutral",
  mainFields: ["module", "main"],
  target: ["es2022"],
  minify: false,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  outfile: out,
});
const bundled = res.outputFiles[0].text.replace(/new URL\("(\.\.\/\.\.\/build\/[a-z]+\.wasm)", import\.meta\.url\)/g,
  (_m, rel) => `new URL(${JSON.stringify(rel)}, String(import.meta.url))`);
const text = `// hardlearn pool worker: self-contained bundle of src/parallel/pool-worker.ts (built by scripts/bundle-pool-worker.mjs).\n${bundled}`;
const tmp = `${out}.tmp-${process.pid}`;
await writeFile(tmp, text);
await rename(tmp, out);
// tsc's map described the unbundled file; the bundle has no map.
await rm(`${out}.map`, { force: true });
console.log(`bundled ${out} (${(text.length / 1024).toFixed(0)} kB)`);
