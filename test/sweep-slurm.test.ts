// Sweeps on a real Slurm (Debian slurm-wlm + munge, installed by .ci/slurm-up.sh): a throwaway single-node cluster
// (scripts/slurm/local-cluster.sh: own munge key/socket, ports, state) runs a 4-task array job of a sweep through the
// shipped sbatch script; `hardlearn merge` of the 4 shards must give the bytes of a local run. Then one task of a
// second array is cancelled mid-run (scancel), merge must refuse the gap, the task is resubmitted and resumes, and
// the merged bytes are again those of the local run. If Slurm cannot start here, the test FAILS with the reason.
// The daemons started here are stopped by their process ids (pid files of the cluster directory).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const CLI = join(root, "dist", "cli", "main.js");
const CLUSTER = join(root, "scripts", "slurm", "local-cluster.sh");
const SBATCH = join(root, "scripts", "slurm", "sweep-array.sbatch");

// 16 cells, 4 per shard, each a fraction of a second to a second on this kind of machine.
const SPEC = { experiment: "gradvar", params: { samples: 20000, directions: 400 }, grid: { dim: [10, 20], radius: [1, 2, 4, 8] }, seeds: 2 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv, what: string): string {
  const r = spawnSync(cmd, args, { env, encoding: "utf8", timeout: 120_000 });
  if (r.error || r.status !== 0) throw new Error(`${what} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ""}): ${(r.stderr || r.stdout || "").trim().split("\n").slice(-3).join(" | ")}`);
  return r.stdout;
}

// Complete cell lines only (a torn last line has no newline after it).
const cellLines = (p: string) => (existsSync(p) ? readFileSync(p, "utf8").split("\n").slice(0, -1).filter((l) => l.startsWith('{"t":"cell"')).length : 0);

async function waitJob(env: NodeJS.ProcessEnv, job: string, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const q = sh("squeue", ["-h", "-j", job, "-o", "%i %T"], env, "squeue").trim();
    if (q === "") return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`job ${job} still queued/running after ${timeoutMs / 1000} s: ${q.replace(/\n/g, "; ")}`);
    await sleep(250);
  }
}

function logs(dir: string): string {
  return readdirSync(dir).filter((f) => f.startsWith("log-")).map((f) => `${f}: ${readFileSync(join(dir, f), "utf8").trim().split("\n").slice(-2).join(" | ")}`).join("\n");
}

test("real Slurm: 4-task array job merges to the local bits; a cancelled task resumes", async () => {
  if (process.getuid?.() !== 0) throw new Error("the Slurm test runs a throwaway cluster with SlurmUser=root and needs root");
  for (const b of ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "scancel", "sinfo"]) {
    if (spawnSync("sh", ["-c", `command -v ${b}`]).status !== 0) throw new Error(`Slurm is not installed (${b} not found): run .ci/slurm-up.sh (Debian slurm-wlm + munge)`);
  }
  if (!existsSync(CLI)) throw new Error("dist/cli/main.js is missing: run npm run build");
  const dir = mkdtempSync("/tmp/hardlearn-slurm-test-");
  const cluster = join(dir, "cluster");
  const port = 17000 + 2 * Math.floor(Math.random() * 2000);
  const env: NodeJS.ProcessEnv = { ...process.env, HARDLEARN_SLURM_PORT: String(port), SLURM_CONF: join(cluster, "slurm.conf"), HARDLEARN: `${process.execPath} ${CLI}`, HARDLEARN_NO_PROGRESS: "1" };
  for (const k of Object.keys(env)) if (k.startsWith("SLURM_") && k !== "SLURM_CONF") delete env[k];
  try {
    sh("bash", [CLUSTER, "start", cluster, "2"], env, `starting slurm (munged + slurmctld + slurmd, port ${port})`);
    const spec = join(dir, "spec.json");
    writeFileSync(spec, JSON.stringify(SPEC));
    sh(process.execPath, [CLI, "sweep", spec, "--results", join(dir, "local.jsonl"), "--output", join(dir, "local.json")], env, "local sweep");
    const local = readFileSync(join(dir, "local.json"), "utf8");

    // 1. A 4-task array job through the shipped sbatch script; each task picks its shard from the environment.
    const out1 = join(dir, "out1");
    const job1 = sh("sbatch", ["--parsable", "--array=0-3", "-o", join(dir, "log-a-%a.txt"), "-D", dir, SBATCH, spec, out1], env, "sbatch --array=0-3").trim();
    await waitJob(env, job1, 600_000);
    for (let k = 0; k < 4; k++) assert.is(cellLines(join(out1, `shard-${k}.jsonl`)), 4, `shard ${k} complete\n${logs(dir)}`);
    assert.match(readFileSync(join(dir, "log-a-2.txt"), "utf8"), /shard 2\/4 \(from the Slurm array environment\)/);
    const merged1 = join(dir, "merged1.json");
    sh(process.execPath, [CLI, "merge", ...[3, 1, 0, 2].map((k) => join(out1, `shard-${k}.jsonl`)), "--output", merged1], env, "merge of the array job");
    assert.is(readFileSync(merged1, "utf8"), local, "merged array result has the local bytes");

    // 2. Cancel task 1 of a second array after its first cell, then resubmit only that task.
    const out2 = join(dir, "out2");
    const job2 = sh("sbatch", ["--parsable", "--array=0-3", "-o", join(dir, "log-b-%a.txt"), "-D", dir, SBATCH, spec, out2], env, "sbatch --array=0-3 (second)").trim();
    const target = join(out2, "shard-1.jsonl");
    const t0 = Date.now();
    while (cellLines(target) < 1) {
      if (Date.now() - t0 > 600_000) throw new Error(`task 1 wrote no cell in 600 s\n${logs(dir)}`);
      await sleep(50);
    }
    sh("scancel", [`${job2}_1`], env, "scancel");
    await waitJob(env, job2, 600_000);
    const partial = cellLines(target);
    assert.ok(partial >= 1 && partial < 4, `task 1 was cancelled mid-run (${partial} of 4 cells written)`);
    const gap = spawnSync(process.execPath, [CLI, "merge", ...[0, 1, 2, 3].map((k) => join(out2, `shard-${k}.jsonl`))], { env, encoding: "utf8" });
    assert.is(gap.status, 2);
    assert.match(gap.stderr, /shard-1\.jsonl must be complete \(gap: \d of 4 cells unfinished/);
    const job3 = sh("sbatch", ["--parsable", "--array=1", "-o", join(dir, "log-c-%a.txt"), "-D", dir, SBATCH, spec, out2, "4"], env, "sbatch --array=1 (resubmission)").trim();
    await waitJob(env, job3, 600_000);
    const resumedLog = readFileSync(join(dir, "log-c-1.txt"), "utf8");
    assert.match(resumedLog, new RegExp(`resuming: ${partial} cells already done`), resumedLog);
    assert.is(cellLines(target), 4);
    const merged2 = join(dir, "merged2.json");
    sh(process.execPath, [CLI, "merge", ...[0, 1, 2, 3].map((k) => join(out2, `shard-${k}.jsonl`)), "--output", merged2], env, "merge after the resubmission");
    assert.is(readFileSync(merged2, "utf8"), local, "resumed array result has the local bytes");
  } finally {
    spawnSync("bash", [CLUSTER, "stop", cluster], { env });
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
