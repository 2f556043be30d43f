// webpack 5 needs no loader or plugin for hardlearn: it emits the .wasm (asset) and pool-worker.js (worker chunk)
// from the library's `new URL(..., import.meta.url)` and `new Worker(new URL(...), { type: "module" })` references.
import { fileURLToPath } from "node:url";

export default {
  mode: "production",
  context: fileURLToPath(new URL(".", import.meta.url)),
  entry: "./src/main.js",
  // public/index.html loads public/main.js; the bundle, its worker chunk and the .wasm are written next to it.
  output: { path: fileURLToPath(new URL("./public", import.meta.url)), filename: "main.js" },
};
