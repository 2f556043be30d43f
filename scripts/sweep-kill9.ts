/**
 * Crash test of resumable sweeps: run `hardlearn sweep` on a spec, SIGKILL it at random moments, rerun the same
 * command each time, and compare the final result bytes with an uninterrupted run.
 *   node --import tsx scripts/sweep-kill9.ts [--kills 10] [--seed 1] [--dir DIR]
 * Needs a built CLI (npm run build). Prints one line per kill and a JSON summary; exit code 1 on a mismatch.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { testRng } from "../test/helpers.js";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const CLI = join(root, "dist", "cli", "main.js");

export const KILL_SPEC = {
  experiment: "gradvar",
  params: { samples: 20000, directions: 800 },
  grid: { dim: [2, 5, 10, 20], radius: [1, 2, 4] },
  seeds: 2,
};

function run(args: string[], killAfterMs?: number): Promise<{ code: number | null; signal: string | null; ms: number; err: string }> {
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, HARDLEARN_NO_PROGRESS: "1" } });
    let err = "";
    child.stderr.on("data", (b: Buffer) => { err += b.toString(); });
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("close", (code, signal) => { if (timer) clearTimeout(timer); done({ code, signal, ms: Date.now() - t0, err }); });
  });
}

const sha = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");
const cellsIn = (p: string) => (existsSync(p) ? readFileSync(p, "utf8").split("\n").slice(0, -1).filter((l) => l.startsWith('{"t":"cell"')).length : 0);
const tornIn = (p: string) => existsSync(p) && !readFileSync(p, "utf8").endsWith("\n");

/** mulberry32 (the tests' input PRNG): reproducible kill times. */
const rng = testRng;

export interface KillReport {
  kills: { atMs: number; cellsBefore: number; cellsAfter: number; tornLine: boolean; killed: boolean }[];
  resumedRuns: number;
  uninterruptedMs: number;
  equal: boolean;
  referenceSha256: string;
  finalSha256: string;
}

/**
 * `kills` trials: SIGKILL at a uniform random time in [fromFraction, 1] x one uninterrupted run's duration, then the
 * same command until it completes; compare the result bytes with the uninterrupted run.
 */
export async function killTrial(dir: string, kills: number, seed = 1, spec: object = KILL_SPEC, fromFraction = 0): Promise<KillReport> {
  mkdirSync(dir, { recursive: true });
  const specPath = join(dir, "kill.json");
  writeFileSync(specPath, JSON.stringify(spec));
  const ref = await run(["sweep", specPath, "--results", join(dir, "ref.jsonl"), "--output", join(dir, "ref.json")]);
  if (ref.code !== 0) throw new Error(`reference run failed: ${ref.err}`);
  const a = sha(join(dir, "ref.json"));
  const rand = rng(seed);
  const report: KillReport["kills"] = [];
  const finals: string[] = [];
  for (let k = 0; k < kills; k++) {
    // Trial k: a fresh results file, one SIGKILL at a uniform random moment of an uninterrupted run's duration
    // (start-up, mid-cell or mid-append), then the same command again until it completes; compare the bytes.
    const results = join(dir, `killed-${k}.jsonl`), out = join(dir, `killed-${k}.json`);
    const at = Math.floor((fromFraction + (1 - fromFraction) * rand()) * ref.ms);
    const r = await run(["sweep", specPath, "--results", results], at);
    if (r.signal !== "SIGKILL" && r.code !== 0) throw new Error(`run ${k} failed: ${r.err}`);
    const entry = { atMs: at, cellsBefore: 0, cellsAfter: cellsIn(results), tornLine: tornIn(results), killed: r.signal === "SIGKILL" };
    const fin = await run(["sweep", specPath, "--results", results, "--output", out]);
    if (fin.code !== 0) throw new Error(`final run ${k} failed: ${fin.err}`);
    report.push(entry);
    finals.push(sha(out));
  }
  const bad = finals.find((f) => f !== a);
  return { kills: report, resumedRuns: kills, uninterruptedMs: ref.ms, equal: bad === undefined, referenceSha256: a, finalSha256: bad ?? a };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string, def: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
  const dir = resolve(arg("--dir", join(root, ".tmp", `kill9-${Date.now()}`)));
  const rep = await killTrial(dir, Number(arg("--kills", "10")), Number(arg("--seed", "1")));
  const total = (spec: typeof KILL_SPEC) => spec.grid.dim.length * spec.grid.radius.length * spec.seeds;
  for (const [i, k] of rep.kills.entries()) console.log(`trial ${i + 1}: SIGKILL at ${k.atMs} ms with ${k.cellsAfter}/${total(KILL_SPEC)} cells written${k.tornLine ? " and a torn last line" : ""}${k.killed ? "" : " (finished before the kill)"}; resumed -> ${rep.equal ? "same bytes" : "DIFFERENT"}`);
  console.log(JSON.stringify({ dir, uninterruptedMs: rep.uninterruptedMs, equal: rep.equal, reference: rep.referenceSha256, final: rep.finalSha256 }));
  process.exit(rep.equal ? 0 : 1);
}
