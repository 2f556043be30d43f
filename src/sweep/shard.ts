/**
 * Which shard this process runs: `--shard i/n`, or from a scheduler's environment:
 *   Slurm job array:          SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT (and SLURM_ARRAY_TASK_MIN, default 0):
 *                             shard = TASK_ID - TASK_MIN of TASK_COUNT (so --array=0-3 and --array=1-4 both work);
 *   Kubernetes indexed Job:   JOB_COMPLETION_INDEX, with the count in HARDLEARN_SHARD_COUNT (Kubernetes does not
 *                             export spec.completions; set it to the same number in the Job's env).
 * Cell k belongs to shard k mod n (see inShard). Browser-safe: the environment is passed in.
 */
import { InvalidArgumentError } from "../errors.js";
import type { Shard } from "./run.js";

/** Parse "i/n" (0 <= i < n). */
export function parseShard(raw: string, name = "--shard"): Shard {
  const m = /^\s*(\d{1,7})\s*\/\s*(\d{1,7})\s*$/.exec(raw);
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw new InvalidArgumentError(name, "i/n with integers 0 <= i < n (e.g. 2/4)", raw);
  return { index, count };
}

export interface ShardChoice {
  shard: Shard;
  /** "option", "slurm", "kubernetes" or "none" (whole sweep). */
  from: "option" | "slurm" | "kubernetes" | "none";
}

const int = (name: string, v: string | undefined): number => {
  if (v === undefined || !/^\d{1,7}$/.test(v.trim())) throw new InvalidArgumentError(name, "a nonnegative integer", v);
  return Number(v);
};

/** The shard from an explicit option, else from the environment, else the whole sweep. */
export function chooseShard(option: string | undefined, env: Record<string, string | undefined>): ShardChoice {
  if (option !== undefined) return { shard: parseShard(option), from: "option" };
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const id = int("SLURM_ARRAY_TASK_ID", env.SLURM_ARRAY_TASK_ID);
    const count = int("SLURM_ARRAY_TASK_COUNT", env.SLURM_ARRAY_TASK_COUNT);
    const min = env.SLURM_ARRAY_TASK_MIN === undefined ? 0 : int("SLURM_ARRAY_TASK_MIN", env.SLURM_ARRAY_TASK_MIN);
    const index = id - min;
    if (count < 1 || index < 0 || index >= count) {
      throw new InvalidArgumentError("SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN", `in [0, SLURM_ARRAY_TASK_COUNT = ${count}) (submit a contiguous --array=0-${Math.max(0, count - 1)})`, index);
    }
    return { shard: { index, count }, from: "slurm" };
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const index = int("JOB_COMPLETION_INDEX", env.JOB_COMPLETION_INDEX);
    const count = int("HARDLEARN_SHARD_COUNT", env.HARDLEARN_SHARD_COUNT);
    if (count < 1 || index >= count) throw new InvalidArgumentError("JOB_COMPLETION_INDEX", `in [0, HARDLEARN_SHARD_COUNT = ${count})`, index);
    return { shard: { index, count }, from: "kubernetes" };
  }
  return { shard: { index: 0, count: 1 }, from: "none" };
}
