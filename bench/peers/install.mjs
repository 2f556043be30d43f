#!/usr/bin/env node
// Installs the float32 benchmark's in-process peers that are not project dependencies (@jax-js/jax, numpy-ts) at
// pinned versions into a cache directory outside the project's node_modules, so that every run of
// bench/sgemm.bench.ts compares against the same peer code on any machine. The benchmark looks there by default.
//
//   node bench/peers/install.mjs [DIR]      (or: npm run bench:peers)
//   DIR defaults to $HARDLEARN_PEERS_CACHE, else ~/.cache/hardlearn-peers. Prints the node_modules path to use.
//
// Atomic: the packages are installed into DIR.tmp-<pid> and renamed to DIR only when npm succeeded; an existing DIR
// with the same pins is kept as is (nothing is reinstalled), one with other pins is replaced.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Pinned peer versions (exact; bump deliberately, the benchmark table names them). */
export const PEERS = { "@jax-js/jax": "0.1.25", "numpy-ts": "1.4.0" };

export function defaultPeersCache() {
  return path.resolve(process.env.HARDLEARN_PEERS_CACHE ?? path.join(os.homedir(), ".cache", "hardlearn-peers"));
}

function installedPins(dir) {
  const out = {};
  for (const name of Object.keys(PEERS)) {
    const f = path.join(dir, "node_modules", name, "package.json");
    out[name] = existsSync(f) ? JSON.parse(readFileSync(f, "utf8")).version : null;
  }
  return out;
}

export function installPeers(dir = defaultPeersCache()) {
  const pins = installedPins(dir);
  if (Object.entries(PEERS).every(([n, v]) => pins[n] === v)) return path.join(dir, "node_modules");
  mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  writeFileSync(path.join(tmp, "package.json"), JSON.stringify({ name: "hardlearn-bench-peers", private: true, type: "module", dependencies: PEERS }, null, 2) + "\n");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const r = spawnSync(npm, ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--save-exact"], { cwd: tmp, stdio: "inherit" });
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`npm install of the benchmark peers failed (exit ${r.status ?? r.error?.message})`);
  }
  const got = installedPins(tmp);
  for (const [n, v] of Object.entries(PEERS)) if (got[n] !== v) throw new Error(`${n}: installed ${got[n]}, pinned ${v}`);
  const old = `${dir}.old-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
  return path.join(dir, "node_modules");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const nm = installPeers(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`benchmark peers (${Object.entries(PEERS).map(([n, v]) => `${n}@${v}`).join(", ")}) in ${nm}`);
  console.log(`the float32 benchmark finds them there by default (or PEERS_DIR=${nm})`);
}
