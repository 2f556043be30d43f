// Minimal app embedding hardlearn with webpack 5 (config: entry and output only): the engine's .wasm and the worker pool's
// pool-worker.js are found and emitted by webpack from the library's own `new URL(..., import.meta.url)` references.
import { createEngine } from "hardlearn";
import { runChecks } from "./check.js";

const out = document.querySelector("#out");
(async () => {
  try {
    const t0 = performance.now();
    const engine = await createEngine();
    const loadMs = performance.now() - t0;
    const result = { ...(await runChecks(engine)), loadMs };
    window.__hardlearn = { result };
    out.textContent = `engine loaded in ${loadMs.toFixed(0)} ms; gradVariance with 2 workers: ${JSON.parse(result.gv2).estimate}`;
  } catch (e) {
    window.__hardlearn = { error: `${e?.name}: ${e?.message}`, code: e?.code };
    out.textContent = `error: ${e?.message}`;
  }
})();
