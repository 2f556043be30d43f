/**
 * Progress bars for long CLI work (cli-progress), drawn on stderr. Off when stdout is not a TTY, with --json, or
 * when HARDLEARN_NO_PROGRESS is set, so pipes and machine-readable output stay clean.
 * The ETA comes from the up-front cost estimate (cost-guard.ts) until work has been done, then from the measured
 * rate, so it is meaningful from the start.
 */
import cliProgress from "cli-progress";
import { etaSeconds, formatDuration } from "./cost-guard.js";

export interface Progress {
  /** Begin a task with a label. */
  start(label: string, total?: number): void;
  /** Report progress of the current task. */
  update(done: number, total: number): void;
  /** Finish (erase) the bar. */
  stop(): void;
  /** The estimated seconds of the whole command (seeds the ETA before the first update). */
  setEstimate(seconds: number): void;
}

const NOOP: Progress = { start() {}, update() {}, stop() {}, setEstimate() {} };

export function progressEnabled(json: boolean): boolean {
  return !json && !!process.stdout.isTTY && !!process.stderr.isTTY && !process.env.HARDLEARN_NO_PROGRESS;
}

export function createProgress(enabled: boolean): Progress {
  if (!enabled) return NOOP;
  const bar = new cliProgress.SingleBar({
    format: " {label} [{bar}] {percentage}% | {eta_est} left",
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
    barsize: 30,
    fps: 10,
  }, cliProgress.Presets.shades_classic);
  let running = false;
  let label = "";
  let estimate: number | undefined;
  const t0 = Date.now();
  let barStart = t0, done = 0, total = 1;
  let timer: ReturnType<typeof setInterval> | undefined;
  const eta = () => {
    const now = Date.now();
    const left = done > 0 ? etaSeconds((now - barStart) / 1000, done, total, undefined) : etaSeconds((now - t0) / 1000, 0, total, estimate);
    return left === undefined ? "?" : formatDuration(left);
  };
  const begin = (t: number) => {
    if (running) bar.stop();
    barStart = Date.now(); done = 0; total = t;
    bar.start(total, 0, { label, eta_est: eta() });
    running = true;
    timer ??= setInterval(() => { if (running) bar.update(done, { label, eta_est: eta() }); }, 1000);
    timer.unref?.();
  };
  return {
    start(l, t = 1) {
      label = l;
      begin(t);
    },
    update(d, t) {
      if (!running) begin(t);
      done = d; total = t;
      bar.setTotal(t);
      bar.update(d, { label, eta_est: eta() });
    },
    stop() {
      if (running) bar.stop();
      running = false;
      if (timer) { clearInterval(timer); timer = undefined; }
    },
    setEstimate(s) {
      estimate = s;
    },
  };
}
