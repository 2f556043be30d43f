#!/usr/bin/env node
// `npm run docs`: the API reference (docs/api/, TypeDoc, from the doc comments of src/index.ts's exports).
// Generated into a temporary sibling directory and swapped in by rename, so an interrupted run never leaves half a site.
// Usage: node scripts/docs.mjs [--out DIR]   (--out: write elsewhere, e.g. to compare with the committed copy)
import { spawnSync } from "node:child_process";
import { existsSync, renameSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const i = process.argv.indexOf("--out");
const out = i > 0 ? resolve(process.argv[i + 1]) : join(root, "docs", "api");
const tmp = `${out}.tmp-${process.pid}`;
const t0 = performance.now();
const r = spawnSync(process.execPath, [join(root, "node_modules", "typedoc", "bin", "typedoc"), "--options", join(root, "docs", "typedoc.json"), "--out", tmp, "--treatWarningsAsErrors"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
if (r.status !== 0) {
  rmSync(tmp, { recursive: true, force: true });
  console.error(`docs: typedoc failed (exit ${r.status})`);
  process.exit(1);
}
const old = `${out}.old-${process.pid}`;
if (existsSync(out)) renameSync(out, old);
renameSync(tmp, out);
rmSync(old, { recursive: true, force: true });
console.error(`docs: ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
