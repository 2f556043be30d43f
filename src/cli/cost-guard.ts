/**
 * The CLI's cost guard: before a command starts, its memory and work are estimated (src/cost.ts models, and for
 * gradvar and train a short timed probe of the same function at a small size to measure this machine's rate).
 * - Memory over the engine's limit: exit 2 with one line naming the estimate and which flags to reduce.
 * - Estimated work above CONFIRM_SECONDS (one minute; HARDLEARN_CONFIRM_SECONDS overrides it): exit 2 with one line
 *   naming the estimate, unless --yes.
 * - Above NOTE_SECONDS the estimate is printed (one line on stderr) and it seeds the progress bar's ETA, so the ETA
 *   is meaningful from the start.
 */
import { availableParallelism } from "node:os";
import { DEFAULT_MEMORY_LIMIT } from "../engine.js";
import type { CostEstimate } from "../cost.js";
import { CliError, type CliIO } from "./io.js";

/** Estimated seconds above which a command needs --yes. */
export const CONFIRM_SECONDS = 60;
/** The threshold in force: CONFIRM_SECONDS, or HARDLEARN_CONFIRM_SECONDS (a positive number of seconds) when set. */
export function confirmSeconds(): number {
  const v = Number(process.env.HARDLEARN_CONFIRM_SECONDS);
  return process.env.HARDLEARN_CONFIRM_SECONDS && v > 0 ? v : CONFIRM_SECONDS;
}
/** Estimated seconds above which the estimate is printed before starting. */
export const NOTE_SECONDS = 10;
/** flop/s assumed for models without a probe (measured on a loaded 2-core machine for the engine's mixed workloads). */
export const DEFAULT_RATE = 2e9;
/** Jobs whose work at this optimistic rate stays below NOTE_SECONDS are not probed (the probe would cost more). */
const OPTIMISTIC_RATE = 5e10;

export interface WorkEstimate {
  /** The whole command's memory peak and work (src/cost.ts). */
  cost: CostEstimate;
  /** Times a small instance of the same computation: its estimated flops and the measured seconds. */
  probe?: () => Promise<{ flops: number; seconds: number }>;
  /** Which flags reduce the work, e.g. "--directions or --samples". */
  reduce: string;
  /** Worker threads the work is spread over. */
  threads?: number;
}

export interface GuardResult {
  seconds: number;
  rate: number;
  measured: boolean;
}

export function formatBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(1)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(0)} MiB`;
  return `${Math.ceil(b / 1024)} KiB`;
}

export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return "forever";
  if (s < 1) return "< 1 s";
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${(s / 3600).toFixed(1)} h`;
  if (s < 730 * 86400) return `${(s / 86400).toFixed(1)} days`;
  return `${(s / (365.25 * 86400)).toPrecision(2)} years`;
}

/**
 * Check a command's estimate (see the module comment); returns the estimated seconds for the progress ETA.
 * `memoryLimit` is the engine's limit (the CLI uses the default one).
 */
export async function guardCost(command: string, w: WorkEstimate, yes: boolean, io: CliIO, memoryLimit = DEFAULT_MEMORY_LIMIT): Promise<GuardResult> {
  const mem = w.cost.wasmBytes + w.cost.jsBytes;
  const threads = Math.max(1, Math.min(w.threads ?? 1, availableParallelism()));
  let rate = DEFAULT_RATE, measured = false;
  if (w.probe && w.cost.flops / OPTIMISTIC_RATE >= NOTE_SECONDS / 10 && mem <= memoryLimit) {
    const p = await w.probe();
    if (p.seconds > 0 && p.flops > 0) {
      rate = p.flops / p.seconds;
      measured = true;
    }
  }
  const seconds = w.cost.flops / (rate * threads);
  const what = `estimated ${formatDuration(seconds)} of work (${w.cost.flops.toExponential(2)} flop at ${(rate / 1e9).toPrecision(3)} Gflop/s${measured ? " measured" : ""}${threads > 1 ? ` x ${threads} threads` : ""}) and ${formatBytes(mem)} of memory`;
  if (mem > memoryLimit) {
    throw new CliError(`${command}: ${what}, over the engine's memory limit of ${formatBytes(memoryLimit)}; reduce ${w.reduce}`, 2);
  }
  const confirm = confirmSeconds();
  if (seconds > confirm && !yes) {
    throw new CliError(`${command}: ${what}, above the ${confirm} s threshold; add --yes to run it anyway, or reduce ${w.reduce}`, 2);
  }
  if (seconds > NOTE_SECONDS) io.stderr(`hardlearn: ${command}: ${what}\n`);
  return { seconds, rate, measured };
}

/**
 * Seconds left for a progress bar: from the measured rate once some work is done, from the up-front estimate before
 * (so the ETA is meaningful from the start); never negative.
 */
export function etaSeconds(elapsed: number, done: number, total: number, estimate: number | undefined): number | undefined {
  if (total > 0 && done > 0) return Math.max(0, (elapsed * (total - done)) / done);
  if (estimate !== undefined) return Math.max(0, estimate - elapsed);
  return undefined;
}
