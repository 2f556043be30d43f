/**
 * A small worker pool: Node worker_threads or browser Web Workers, one WASM instance (one Engine) per worker.
 *
 * A job = one setup payload (copied to every worker once) + a list of tasks. Tasks are handed out dynamically
 * (next free worker), but results are returned in task-index order, and every task's result depends only on its own
 * payload and the setup, so the caller's reduction is deterministic for any pool size.
 * Jobs on one pool run one at a time (a mutex), because a worker's arena is a stack.
 * Idle workers are unref'd (Node), so a process with an idle pool exits normally; `closePool(engine)` terminates.
 * Worker script: resolved next to this module (`pool-worker.js` in dist, `pool-worker.ts` when run from source via
 * tsx); Node workers inherit process.execArgv so the tsx loader is active in them too. In a browser bundle,
 * import.meta.url is the bundle's URL, so pool-worker.js must be emitted next to it (web/build.mjs does); the worker
 * gets the compiled WebAssembly.Module in its init message and never fetches the .wasm itself.
 */
import { AbortError, HardlearnError, InternalError, InvalidArgumentError } from "../errors.js";
import type { Engine } from "../engine.js";

interface RawWorker {
  post(msg: unknown, transfer?: Transferable[]): void;
  onMessage(fn: (msg: any) => void): void;
  onError(fn: (err: unknown) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<unknown> | void;
}

function isNode(): boolean {
  return typeof process !== "undefined" && !!process.versions?.node;
}

function workerUrl(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith(".ts") ? "./pool-worker.ts" : "./pool-worker.js", here);
}

async function spawn(): Promise<RawWorker> {
  if (isNode()) {
    const spec = "node:worker_threads";
    const { Worker } = await import(/* @vite-ignore */ spec);
    const url = workerUrl();
    let w;
    if (url.pathname.endsWith(".ts")) {
      // Running from source under tsx: `--import tsx` hooks are not inherited by workers in Node 20, so a tiny
      // bootstrap loads the worker through tsx's programmatic API (tsImport), which transpiles it and its imports.
      const modSpec = "node:module";
      const { createRequire } = await import(/* @vite-ignore */ modSpec);
      const apiPath = createRequire(import.meta.url).resolve("tsx/esm/api").replace(/index\.cjs$/, "index.mjs");
      const api = new URL(`file://${apiPath}`).href;
      const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)}));`;
      w = new Worker(code, { eval: true, execArgv: process.execArgv });
    } else {
      w = new Worker(url, { execArgv: process.execArgv });
    }
    return {
      post: (m, t) => w.postMessage(m, t as any),
      onMessage: (fn) => w.on("message", fn),
      onError: (fn) => { w.on("error", fn); w.on("exit", (code: number) => { if (code !== 0) fn(new Error(`worker exited with code ${code}`)); }); },
      ref: () => w.ref(),
      unref: () => w.unref(),
      terminate: () => w.terminate(),
    };
  }
  const W = (globalThis as any).Worker;
  if (typeof W !== "function") throw new InvalidArgumentError("options.workers", "1 in an environment without Web Workers", 2);
  // Browser: a module Web Worker (pool-worker.js is ESM). Bundlers must emit it next to the module holding this code
  // (web/build.mjs bundles src/parallel/pool-worker.ts as the entry "pool-worker"). A script that fails to load
  // (404, syntax error) fires a bare "error" Event without message: report the URL then.
  const url = workerUrl();
  const w = new W(url, { type: "module" });
  return {
    post: (m, t) => w.postMessage(m, t ?? []),
    onMessage: (fn) => w.addEventListener("message", (ev: MessageEvent) => fn(ev.data)),
    onError: (fn) => w.addEventListener("error", (ev: ErrorEvent) => fn(ev.error ?? new Error(ev.message || `could not load the worker script ${url.href}`))),
    ref: () => {},
    unref: () => {},
    terminate: () => w.terminate(),
  };
}

interface Slot {
  w: RawWorker;
  handler: ((msg: any) => void) | undefined;
  errHandler: ((e: unknown) => void) | undefined;
}

function reviveError(m: any): Error {
  if (m.name === "InvalidArgumentError") return new InvalidArgumentError(m.argument, m.rule, "(in worker)");
  if (typeof m.code === "string") {
    const e = new HardlearnError(m.code, m.message);
    return e;
  }
  return new InternalError(`worker task failed: ${m.message}`);
}

export interface RunJobOptions<R> {
  onResult?: (index: number, result: R) => void;
  signal?: AbortSignal;
}

export class WorkerPool {
  readonly size: number;
  private slots: Slot[] = [];
  private jobCounter = 0;
  private chain: Promise<unknown> = Promise.resolve();
  /** True once closed or retired after a worker crash. */
  closed = false;

  private constructor(size: number) {
    this.size = size;
  }

  /** Start `size` workers and instantiate the engine's compiled module in each. */
  static async create(size: number, module: WebAssembly.Module, memoryLimit: number): Promise<WorkerPool> {
    const pool = new WorkerPool(size);
    const ws = await Promise.all(Array.from({ length: size }, () => spawn()));
    pool.slots = ws.map((w) => ({ w, handler: undefined, errHandler: undefined }));
    for (const s of pool.slots) {
      s.w.onMessage((m) => s.handler?.(m));
      s.w.onError((e) => s.errHandler?.(e));
    }
    try {
      await Promise.all(pool.slots.map((s) => new Promise<void>((resolve, reject) => {
        s.handler = (m) => (m.type === "ready" ? resolve() : reject(reviveError(m)));
        s.errHandler = (e) => reject(new InternalError(`worker failed to start: ${(e as Error)?.message ?? e}`));
        s.w.post({ type: "init", module, memoryLimit });
      })));
    } catch (e) {
      await pool.close();
      throw e;
    }
    for (const s of pool.slots) { s.handler = undefined; s.w.unref(); }
    return pool;
  }

  /**
   * Run a job: `setup` goes to every worker, tasks are dispatched dynamically; resolves with results in task order.
   * Rejects with AbortError when `signal` aborts (running tasks finish in the background, their results are dropped).
   */
  runJob<R>(kind: string, setup: unknown, tasks: unknown[], opts: RunJobOptions<R> = {}): Promise<R[]> {
    const run = () => this.runNow<R>(kind, setup, tasks, opts);
    // Start synchronously when idle (so the caller can overlap its own work with the workers'), else queue.
    const p = this.pending === 0 ? run() : this.chain.then(run, run);
    this.pending++;
    const settle = () => { this.pending--; };
    this.chain = p.then(settle, settle);
    return p;
  }
  private pending = 0;

  private runNow<R>(kind: string, setup: unknown, tasks: unknown[], opts: RunJobOptions<R>): Promise<R[]> {
    if (this.closed) return Promise.reject(new InternalError("worker pool is closed"));
    const job = ++this.jobCounter;
    const results: R[] = new Array(tasks.length);
    let next = 0, done = 0, settled = false;
    return new Promise<R[]>((resolve, reject) => {
      const finish = (err?: unknown) => {
        if (settled) return;
        settled = true;
        for (const s of this.slots) {
          s.handler = undefined; s.errHandler = undefined;
          s.w.post({ type: "teardown", job });
          s.w.unref();
        }
        opts.signal?.removeEventListener("abort", onAbort);
        if (err) reject(err); else resolve(results);
      };
      const onAbort = () => finish(new AbortError("gradient-variance computation"));
      if (opts.signal?.aborted) { onAbort(); return; }
      opts.signal?.addEventListener("abort", onAbort);
      const dispatch = (s: Slot) => {
        if (settled || next >= tasks.length) return;
        const index = next++;
        s.w.post({ type: "task", job, index, payload: tasks[index] });
      };
      if (tasks.length === 0) { finish(); return; }
      for (const [slotIndex, s] of this.slots.entries()) {
        s.w.ref();
        s.handler = (m) => {
          if (settled || m.job !== job) return;
          if (m.type === "error") { finish(reviveError(m)); return; }
          if (m.type !== "result") return;
          results[m.index] = m.result as R;
          done++;
          try { opts.onResult?.(m.index, m.result as R); } catch (e) { finish(e); return; }
          if (done === tasks.length) finish();
          else dispatch(s);
        };
        s.errHandler = (e) => {
          // A crashed worker cannot be trusted again: retire the whole pool (getPool then builds a new one).
          this.closed = true;
          finish(new InternalError(`worker crashed: ${(e as Error)?.message ?? e}`));
          void this.close();
        };
        s.w.post({ type: "setup", job, kind, payload: setup, worker: slotIndex, workers: this.slots.length });
        dispatch(s);
      }
    });
  }

  /** Terminate all workers. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.w.terminate()));
    this.slots = [];
  }
}

const pools = new WeakMap<Engine, Promise<WorkerPool>>();

/** The engine's pool with exactly `size` workers (created lazily, reused; a different size replaces it). */
export async function getPool(engine: Engine, size: number): Promise<WorkerPool> {
  const cur = pools.get(engine);
  if (cur) {
    const p = await cur.catch(() => undefined);
    if (p && p.size === size && !p.closed) return p;
    if (p) await p.close();
  }
  const created = WorkerPool.create(size, engine.module, engine.core.arena.limit);
  pools.set(engine, created);
  created.catch(() => pools.delete(engine));
  return created;
}

/** Terminate the engine's worker pool, if any. Safe to call repeatedly. */
export async function closePool(engine: Engine): Promise<void> {
  const cur = pools.get(engine);
  pools.delete(engine);
  if (cur) {
    const p = await cur.catch(() => undefined);
    await p?.close();
  }
}
