/**
 * Progress bars for long CLI work (cli-progress), drawn on stderr. Off when stdout is not a TTY, with --json, or
 * when HARDLEARN_NO_PROGRESS is set, so pipes and machine-readable output stay clean.
 */
import cliProgress from "cli-progress";

export interface Progress {
  /** Begin a task with a label. */
  start(label: string, total?: number): void;
  /** Report progress of the current task. */
  update(done: number, total: number): void;
  /** Finish (erase) the bar. */
  stop(): void;
}

const NOOP: Progress = { start() {}, update() {}, stop() {} };

export function progressEnabled(json: boolean): boolean {
  return !json && !!process.stdout.isTTY && !!process.stderr.isTTY && !process.env.HARDLEARN_NO_PROGRESS;
}

export function createProgress(enabled: boolean): Progress {
  if (!enabled) return NOOP;
  const bar = new cliProgress.SingleBar({
    format: " {label} [{bar}] {percentage}% | {eta_formatted} left",
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
    barsize: 30,
    fps: 10,
  }, cliProgress.Presets.shades_classic);
  let running = false;
  let label = "";
  return {
    start(l, total = 1) {
      label = l;
      if (running) bar.stop();
      bar.start(total, 0, { label });
      running = true;
    },
    update(done, total) {
      if (!running) { bar.start(total, 0, { label }); running = true; }
      bar.setTotal(total);
      bar.update(done, { label });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
