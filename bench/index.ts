/**
 * `npm run bench [-- --smoke] [-- --filter TEXT] [-- --json FILE]`: runs every bench/*.bench.ts suite.
 * Prints markdown tables (median time, GFLOP/s or items/s, hardlearn speedup over each peer).
 */
import { readdirSync } from "node:fs";
import { writeFileAtomic } from "../src/atomic.js";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createContext, type BenchContext } from "./harness.js";
import { measurePeaks } from "./peak.js";

export async function runSuites(ctx: BenchContext, only?: string[]): Promise<void> {
  const dir = fileURLToPath(new URL(".", import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith(".bench.ts")).sort();
  for (const f of files) {
    if (only && !only.some((o) => f.startsWith(o))) continue;
    const mod = await import(pathToFileURL(dir + f).href);
    await mod.default(ctx);
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const args = process.argv.slice(2);
  const smoke = args.includes("--smoke");
  const fi = args.indexOf("--filter");
  const ji = args.indexOf("--json");
  const si = args.indexOf("--suite");
  const peaks = await measurePeaks(smoke);
  const ctx = createContext({ smoke, filter: fi >= 0 ? args[fi + 1] : "", print: (s) => console.log(s), peaks });
  console.log(`# hardlearn benchmarks (${smoke ? "smoke" : "full"}), node ${process.version}, ${new Date().toISOString()}`);
  console.log(`In-process WASM f64 peak (12 multiply-add chains from L1, process CPU time, best of 7): mul+add ${peaks.muladd.toFixed(2)} GFLOP/s` +
    (peaks.madd ? `; relaxed_madd ${peaks.madd.toFixed(2)} GFLOP/s (${peaks.fused ? "fused" : "not fused"} on this host)` : "; relaxed SIMD not available on this host (FMA mode falls back)"));
  await runSuites(ctx, si >= 0 ? args[si + 1].split(",") : undefined);
  // Atomic (temporary name + rename); refuses a symlink or a directory at that path.
  if (ji >= 0) await writeFileAtomic(args[ji + 1], JSON.stringify(ctx.rows, null, 2));
}
