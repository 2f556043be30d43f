/**
 * numpy as a peer in the same benchmark run: each measurement runs bench/peers/numpy_peer.py in a child python3
 * with the BLAS thread count pinned (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS) and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE
 * unset for that command only (they are set on some hosts for old OpenBLAS builds and slow a current one).
 * Unavailable (no python3 or no numpy) -> the row says so instead of failing the run.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./numpy_peer.py", import.meta.url));

export interface NumpyResult { seconds: number; reps: number; blas: string }

export function numpyTime(spec: Record<string, unknown>, threads = 1): NumpyResult {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(process.env.PYTHON ?? "python3", [SCRIPT, JSON.stringify(spec)], { env, encoding: "utf8", timeout: 600_000 });
  if (r.error) throw new Error(`numpy unavailable: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`numpy unavailable: ${(r.stderr || "").trim().split("\n").pop()}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as NumpyResult;
}
