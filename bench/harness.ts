/**
 * Benchmark harness on tinybench. A suite is a file bench/<name>.bench.ts whose default export is
 * `async (ctx: BenchContext) => void`; it calls ctx.group(...) for each problem size. Each group measures
 * hardlearn and its peers in the same run and reports the ratio hardlearn / peer (> 1 means hardlearn is faster).
 * Smoke mode (used by `npm test`) runs every task once at small sizes so the benchmarks never rot.
 */
import { Bench } from "tinybench";

export interface BenchTask {
  name: string;
  /** The measured work. Must consume its result (return it, or fold it into `sink`). */
  fn: () => unknown | Promise<unknown>;
  /** The hardlearn task that peers are compared to. Exactly one per group. */
  self?: boolean;
  /** Run once before timing; return false (or throw) to mark the peer as unavailable with a reason. */
  setup?: () => unknown | Promise<unknown>;
  /** Which in-process peak this task's GFLOP/s is a fraction of: "muladd" (default) or "madd" (FMA mode). */
  peak?: "muladd" | "madd";
  /**
   * A peer timed outside this process (e.g. numpy in a child python3, bench/peers/numpy.ts): returns the median
   * seconds per call, measured right after the in-process tasks of the same group. `fn` is not used then.
   */
  external?: () => number | Promise<number>;
}

export interface GroupSpec {
  title: string;
  /** Floating-point operations per call (e.g. 2mnk): reported as GFLOP/s. */
  flops?: number;
  /** Items per call (e.g. normals generated): reported as items/s. */
  items?: number;
  tasks: BenchTask[];
}

export interface TaskResultRow {
  group: string;
  task: string;
  /** Median seconds per call, or null if the task failed. */
  seconds: number | null;
  gflops?: number;
  itemsPerSecond?: number;
  /** hardlearn time / ... expressed as speedup of hardlearn over this task (peer time / hardlearn time). */
  speedupOfHardlearn?: number;
  /** GFLOP/s divided by the in-process WASM peak of the same run (see bench/peak.ts). */
  fractionOfPeak?: number;
  error?: string;
  samples?: number;
}

export interface BenchContext {
  smoke: boolean;
  /** Filter from the command line (substring of a group title), or "". */
  filter: string;
  group(spec: GroupSpec): Promise<TaskResultRow[]>;
  rows: TaskResultRow[];
  /** In-process WASM peaks measured at the start of the run (GFLOP/s), when the runner measured them. */
  peaks?: { muladd: number; madd?: number };
}

/** Values folded in here keep the optimizer from discarding results. */
export let sink = 0;
export function consume(x: unknown): void {
  if (typeof x === "number") sink += x;
  else if (x && typeof x === "object") {
    const o = x as { data?: ArrayLike<number>; length?: number; [k: number]: number };
    if (o.data && o.data.length) sink += o.data[0];
    else if (typeof o.length === "number" && o.length > 0) sink += Number(o[0]) || 0;
  }
}

function fmt(x: number | undefined, digits = 3): string {
  if (x === undefined || !Number.isFinite(x)) return "-";
  return x >= 100 ? x.toFixed(0) : x.toPrecision(digits);
}

export function createContext(opts: { smoke: boolean; filter?: string; print?: (s: string) => void; timeMs?: number; peaks?: BenchContext["peaks"] }): BenchContext {
  const print = opts.print ?? (() => {});
  const rows: TaskResultRow[] = [];
  const peaks = opts.peaks;
  return {
    smoke: opts.smoke,
    filter: opts.filter ?? "",
    rows,
    peaks,
    async group(spec: GroupSpec): Promise<TaskResultRow[]> {
      if (opts.filter && !spec.title.includes(opts.filter)) return [];
      const out: TaskResultRow[] = [];
      const bench = new Bench({
        name: spec.title,
        time: opts.smoke ? 0 : (opts.timeMs ?? 1500),
        iterations: opts.smoke ? 1 : 3,
        warmup: !opts.smoke,
        warmupIterations: opts.smoke ? 0 : 1,
        warmupTime: opts.smoke ? 0 : 200,
        throws: false,
      });
      const failed = new Map<string, string>();
      for (const t of spec.tasks) {
        if (t.setup) {
          try {
            const ok = await t.setup();
            if (ok === false) { failed.set(t.name, "unavailable"); continue; }
          } catch (e) {
            failed.set(t.name, (e as Error).message ?? String(e));
            continue;
          }
        }
        if (!t.external) bench.add(t.name, async () => consume(await t.fn()));
      }
      await bench.run();
      const externalSeconds = new Map<string, number>();
      for (const t of spec.tasks) {
        if (!t.external || failed.has(t.name)) continue;
        try {
          externalSeconds.set(t.name, await t.external());
        } catch (e) {
          failed.set(t.name, (e as Error).message ?? String(e));
        }
      }
      for (const t of spec.tasks) {
        if (t.external && !failed.has(t.name)) {
          const sec = externalSeconds.get(t.name)!;
          const gflops = spec.flops ? spec.flops / sec / 1e9 : undefined;
          const peak = t.peak === "madd" ? peaks?.madd : peaks?.muladd;
          out.push({ group: spec.title, task: t.name, seconds: sec, gflops, fractionOfPeak: gflops !== undefined && peak ? gflops / peak : undefined,
            itemsPerSecond: spec.items ? spec.items / sec : undefined });
          continue;
        }
        const task = bench.getTask(t.name);
        const res = task?.result as unknown as { state?: string; latency?: { p50?: number; mean: number; samplesCount?: number }; error?: Error } | undefined;
        const err = failed.get(t.name) ?? (res?.state === "errored" ? (res.error?.message ?? "error") : undefined);
        if (err || !res?.latency) {
          out.push({ group: spec.title, task: t.name, seconds: null, error: err ?? "no result" });
          continue;
        }
        const sec = (res.latency.p50 ?? res.latency.mean) / 1000;
        const gflops = spec.flops ? spec.flops / sec / 1e9 : undefined;
        const peak = t.peak === "madd" ? peaks?.madd : peaks?.muladd;
        out.push({
          group: spec.title, task: t.name, seconds: sec,
          gflops,
          fractionOfPeak: gflops !== undefined && peak ? gflops / peak : undefined,
          itemsPerSecond: spec.items ? spec.items / sec : undefined,
          samples: res.latency.samplesCount,
        });
      }
      const selfName = spec.tasks.find((t) => t.self)?.name;
      const selfRow = out.find((r) => r.task === selfName);
      for (const r of out) {
        if (selfRow?.seconds && r.seconds) r.speedupOfHardlearn = r.seconds / selfRow.seconds;
      }
      print(`\n## ${spec.title}${opts.smoke ? " (smoke)" : ""}`);
      const withPeak = !!(spec.flops && peaks);
      print(`| task | median ms | ${spec.flops ? "GFLOP/s" : "items/s"} |${withPeak ? " fraction of WASM peak |" : ""} hardlearn speedup (peer time / hardlearn time) |`);
      print(`|---|---|---|${withPeak ? "---|" : ""}---|`);
      for (const r of out) {
        const rate = spec.flops ? fmt(r.gflops) : fmt(r.itemsPerSecond);
        const frac = withPeak ? ` ${r.fractionOfPeak === undefined ? "-" : r.fractionOfPeak.toFixed(2)} |` : "";
        print(`| ${r.task} | ${r.seconds === null ? `failed: ${r.error}` : fmt(r.seconds * 1000)} | ${rate} |${frac} ${r.task === selfName ? "(self)" : fmt(r.speedupOfHardlearn)} |`);
      }
      rows.push(...out);
      return out;
    },
  };
}
