/**
 * A small worker pool: Node worker_threads or browser Web Workers, one WASM instance (one Engine) per worker.
 *
 * A job = one setup payload (copied to every worker once) + a list of tasks. Tasks are handed out dynamically
 * (next free worker), but results are returned in task-index order, and every task's result depends only on its own
 * payload and the setup, so the caller's reduction is deterministic for any pool size.
 * Jobs on one pool run one at a time (a mutex), because a worker's arena is a stack.
 *
 * Lifecycle (per engine, see runPooled / closePool):
 * - One pool per engine. Calls asking for the pool's size run on it (queued one after another). A call asking for a
 *   different size waits until the pool is idle, then the pool is replaced: concurrent pooled calls with different
 *   worker counts never disturb each other and give the same bits as run one after another.
 * - closePool (engine.closeWorkers()) during a run cancels the running job and the jobs waiting for the pool with
 *   WorkerPoolClosedError (an AbortError); the next pooled call starts a new pool. (Engine calls that have not reached
 *   the pool yet, e.g. waiting for their arena session, are not affected.)
 * - A worker that cannot start is a LoadError naming the script's URL; a worker that dies mid-job retires the pool
 *   (InternalError: that is a bug or the host killed it) and the next call starts a new one.
 * - Idle workers are unref'd (Node), so a process with an idle pool exits normally.
 *
 * Worker script: `pool-worker.js` next to this module, a self-contained bundle (the build bundles
 * src/parallel/pool-worker.ts with esbuild, so a bundler or a static server needs no sibling file). Browsers start it
 * as `new Worker(new URL("./pool-worker.js", import.meta.url), { type: "module" })`, the form Vite, webpack 5,
 * Rollup and Parcel detect and emit. Node starts the same file with worker_threads (or, from source under tsx,
 * pool-worker.ts through tsx's API); workers get only the Node flags they can take (see node-flags.ts). The pool
 * sends the compiled WebAssembly.Module in its init message, so a worker never fetches the .wasm itself.
 */
import {
  AbortError, AllocationError, ConvergenceError, HardlearnError, InternalError, InvalidArgumentError, LoadError,
  WorkerPoolClosedError,
} from "../errors.js";
import type { Engine } from "../engine.js";
import { withWorkerExecArgv } from "./node-flags.js";

interface RawWorker {
  /** Where the script was looked for (for error messages). */
  readonly where: string;
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

/**
 * The worker script's location next to this module, for messages and for Node. Written so that bundlers do not
 * treat it as an asset reference (webpack would turn `new URL(variable, import.meta.url)` into a module context that
 * throws, Vite would emit a second, unbundled copy): only the `new Worker(new URL("./pool-worker.js", ...))`
 * expression below is theirs.
 */
function scriptUrl(name: string): URL {
  return new URL(name, String(import.meta.url));
}

const WORKER_JS = "./pool-worker.js";

function spawnNode(wt: typeof import("node:worker_threads")): RawWorker {
  const here = import.meta.url;
  let w: import("node:worker_threads").Worker;
  let where: string;
  if (here.endsWith(".ts")) {
    // Running from source under tsx: `--import tsx` hooks are not inherited by workers in Node 20, so a tiny
    // bootstrap loads the worker through tsx's programmatic API (tsImport), which transpiles it and its imports.
    const url = scriptUrl("./pool-worker.ts");
    where = url.href;
    const apiPath = nodeCreateRequire(here).resolve("tsx/esm/api").replace(/index\.cjs$/, "index.mjs");
    const api = new URL(`file://${apiPath}`).href;
    const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)}));`;
    w = withWorkerExecArgv((execArgv) => new wt.Worker(code, { eval: true, execArgv }));
  } else {
    const url = scriptUrl(WORKER_JS);
    where = url.href;
    w = withWorkerExecArgv((execArgv) => new wt.Worker(url, { execArgv }));
  }
  // Errors are collected from the start (an "error" event without a listener would be an uncaught exception) and
  // handed to the pool's handler once it registers.
  const early: unknown[] = [];
  let onErr: ((e: unknown) => void) | undefined;
  const report = (e: unknown) => { if (onErr) onErr(e); else early.push(e); };
  w.on("error", report);
  w.on("exit", (code: number) => { if (code !== 0) report(new Error(`worker exited with code ${code}`)); });
  return {
    where,
    post: (m, t) => w.postMessage(m, t as any),
    onMessage: (fn) => w.on("message", fn),
    onError: (fn) => { onErr = fn; for (const e of early.splice(0)) fn(e); },
    ref: () => w.ref(),
    unref: () => w.unref(),
    terminate: () => w.terminate(),
  };
}

let nodeCreateRequire: (from: string) => NodeJS.Require;
let nodeWorkerThreads: typeof import("node:worker_threads") | undefined;

async function loadNodeModules(): Promise<typeof import("node:worker_threads")> {
  if (!nodeWorkerThreads) {
    // Specifiers in variables: bundlers targeting browsers must not try to resolve Node built-ins.
    const wtSpec = "node:worker_threads", modSpec = "node:module";
    nodeWorkerThreads = await import(/* @vite-ignore */ /* webpackIgnore: true */ wtSpec);
    nodeCreateRequire = (await import(/* @vite-ignore */ /* webpackIgnore: true */ modSpec)).createRequire;
  }
  return nodeWorkerThreads!;
}

async function spawn(): Promise<RawWorker> {
  if (isNode()) return spawnNode(await loadNodeModules());
  if (typeof Worker !== "function") {
    throw new InvalidArgumentError("options.workers", "1 in an environment without Web Workers", 2);
  }
  // The literal form below is what bundlers look for: keep it on one expression.
  const w = new Worker(new URL("./pool-worker.js", import.meta.url), { type: "module" });
  const where = scriptUrl(WORKER_JS).href;
  // A script that fails to load (404, wrong MIME type, syntax error) fires a bare "error" Event without message.
  // Collected from the start and handed to the pool's handler once it registers.
  const early: unknown[] = [];
  let onErr: ((e: unknown) => void) | undefined;
  w.addEventListener("error", (ev: ErrorEvent) => {
    const e = ev.error ?? new Error(ev.message || "the worker script could not be loaded");
    if (onErr) onErr(e); else early.push(e);
  });
  return {
    where,
    post: (m, t) => w.postMessage(m, t ?? []),
    onMessage: (fn) => w.addEventListener("message", (ev: MessageEvent) => fn(ev.data)),
    onError: (fn) => { onErr = fn; for (const e of early.splice(0)) fn(e); },
    ref: () => {},
    unref: () => {},
    terminate: () => w.terminate(),
  };
}

/** Rebuild a typed error sent by a worker (classes are matched by `code`, which survives minification). */
function reviveError(m: any): Error {
  let e: HardlearnError;
  switch (m.code) {
    case "EINVAL": e = new InvalidArgumentError(String(m.argument), String(m.rule), m.value ?? "(in worker)"); break;
    case "ENOCONV": e = new ConvergenceError("", Number(m.iterations)); break;
    case "ENOMEM": e = new AllocationError(Number(m.bytes), Number(m.limit)); break;
    case "EABORT": e = new AbortError(); break;
    case "ELOAD": e = new LoadError(String(m.source), ""); break;
    case "EINTERNAL": e = new InternalError(""); break;
    default: return new InternalError(`worker task failed: ${m.message}`);
  }
  Object.defineProperty(e, "message", { value: String(m.message), writable: true, configurable: true, enumerable: false });
  return e;
}

export interface RunJobOptions<R> {
  onResult?: (index: number, result: R) => void;
  signal?: AbortSignal;
}

interface Slot {
  w: RawWorker;
  handler: ((msg: any) => void) | undefined;
  errHandler: ((e: unknown) => void) | undefined;
}

export class WorkerPool {
  readonly size: number;
  /** Resolves when every worker has instantiated its engine; rejects (LoadError...) when one could not. */
  readonly ready: Promise<void>;
  private slots: Slot[] = [];
  private jobCounter = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private isReady = false;
  /** Cancels the running job (set while one runs). */
  private cancelCurrent: ((err: Error) => void) | undefined;
  /** True once closed, or retired after a worker crash or a failed start. */
  closed = false;
  /** Pooled calls holding this pool (see runPooled). */
  leases = 0;

  private constructor(size: number, module: WebAssembly.Module, memoryLimit: number) {
    this.size = size;
    this.ready = this.init(module, memoryLimit);
    this.ready.then(() => { this.isReady = true; }, () => { this.closed = true; });
  }

  /** Start `size` workers (asynchronously) and instantiate the engine's compiled module in each. */
  static start(size: number, module: WebAssembly.Module, memoryLimit: number): WorkerPool {
    return new WorkerPool(size, module, memoryLimit);
  }

  private async init(module: WebAssembly.Module, memoryLimit: number): Promise<void> {
    const spawned = await Promise.allSettled(Array.from({ length: this.size }, () => spawn()));
    for (const r of spawned) if (r.status === "fulfilled") this.slots.push({ w: r.value, handler: undefined, errHandler: undefined });
    const failed = spawned.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed || this.closed) {
      await this.close();
      if (failed) throw failed.reason instanceof HardlearnError ? failed.reason : new LoadError(scriptUrl(WORKER_JS).href, `the pool worker could not be started (${(failed.reason as Error)?.message ?? failed.reason})`);
      throw new WorkerPoolClosedError();
    }
    for (const s of this.slots) {
      s.w.onMessage((m) => s.handler?.(m));
      s.w.onError((e) => s.errHandler?.(e));
    }
    try {
      await Promise.all(this.slots.map((s) => new Promise<void>((resolve, reject) => {
        s.handler = (m) => (m.type === "ready" ? resolve() : reject(reviveError(m)));
        s.errHandler = (e) => reject(this.closed
          ? new WorkerPoolClosedError()
          : new LoadError(s.w.where, `the pool worker did not start (${(e as Error)?.message ?? e}); pool-worker.js must be served next to the module that starts the pool: bundlers such as Vite and webpack emit it by themselves, a hand-made deployment must copy dist/parallel/pool-worker.js`));
        s.w.post({ type: "init", module, memoryLimit });
      })));
    } catch (e) {
      await this.close();
      throw e;
    }
    for (const s of this.slots) { s.handler = undefined; s.errHandler = undefined; s.w.unref(); }
    if (this.closed) throw new WorkerPoolClosedError();
  }

  /**
   * Run a job: `setup` goes to every worker, tasks are dispatched dynamically; resolves with results in task order.
   * Rejects with AbortError when `signal` aborts (running tasks finish in the background, their results are dropped),
   * with WorkerPoolClosedError when the pool is closed before the job finished.
   */
  runJob<R>(kind: string, setup: unknown, tasks: unknown[], opts: RunJobOptions<R> = {}): Promise<R[]> {
    const run = () => this.runNow<R>(kind, setup, tasks, opts);
    // Start synchronously when ready and idle (so the caller can overlap its own work with the workers'), else queue.
    const p = this.pending === 0 && this.isReady ? run() : this.chain.then(() => this.ready).then(run);
    this.pending++;
    const settle = () => { this.pending--; };
    this.chain = p.then(settle, settle);
    return p;
  }

  private runNow<R>(kind: string, setup: unknown, tasks: unknown[], opts: RunJobOptions<R>): Promise<R[]> {
    if (this.closed) return Promise.reject(new WorkerPoolClosedError());
    const job = ++this.jobCounter;
    const results: R[] = new Array(tasks.length);
    let next = 0, done = 0, settled = false;
    return new Promise<R[]>((resolve, reject) => {
      const finish = (err?: unknown) => {
        if (settled) return;
        settled = true;
        this.cancelCurrent = undefined;
        for (const s of this.slots) {
          s.handler = undefined; s.errHandler = undefined;
          if (!this.closed) { s.w.post({ type: "teardown", job }); s.w.unref(); }
        }
        opts.signal?.removeEventListener("abort", onAbort);
        if (err) reject(err); else resolve(results);
      };
      const onAbort = () => finish(new AbortError("gradient-variance computation"));
      if (opts.signal?.aborted) { onAbort(); return; }
      opts.signal?.addEventListener("abort", onAbort);
      this.cancelCurrent = finish;
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
          if (this.closed) { finish(new WorkerPoolClosedError()); return; }
          // A crashed worker cannot be trusted again: retire the whole pool (the next call builds a new one).
          finish(new InternalError(`a pool worker crashed during a job (${(e as Error)?.message ?? e})`));
          void this.close();
        };
        s.w.post({ type: "setup", job, kind, payload: setup, worker: slotIndex, workers: this.slots.length });
        dispatch(s);
      }
    });
  }

  /** Terminate all workers; a running job rejects with WorkerPoolClosedError, queued jobs as well. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelCurrent?.(new WorkerPoolClosedError());
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.w.terminate()));
  }
}

interface Waiter {
  size: number;
  grant(pool: WorkerPool): void;
  cancel(err: Error): void;
}

interface EngineState {
  pool: WorkerPool | undefined;
  queue: Waiter[];
}

const states = new WeakMap<Engine, EngineState>();

function stateOf(engine: Engine): EngineState {
  let st = states.get(engine);
  if (!st) { st = { pool: undefined, queue: [] }; states.set(engine, st); }
  return st;
}

/** Hand the pool to waiting calls, in order; replace the pool (new size, or retired) only when it is idle. */
function pump(engine: Engine, st: EngineState): void {
  while (st.queue.length > 0) {
    const w = st.queue[0];
    const cur = st.pool;
    if (!cur || cur.closed || cur.size !== w.size) {
      if (cur && !cur.closed && cur.leases > 0) return; // busy with another size: wait until it drains
      if (cur) void cur.close();
      st.pool = WorkerPool.start(w.size, engine.module, engine.core.arena.limit);
      st.pool.ready.catch(() => undefined);
    }
    st.queue.shift();
    w.grant(st.pool!);
  }
}

/**
 * Run a job on the engine's pool of `size` workers (created lazily, reused). Calls with another size queue until
 * the pool is idle, then the pool is replaced. Starts synchronously when the pool is ready and idle, so the caller's
 * following synchronous work overlaps the workers'. Rejects with WorkerPoolClosedError when closePool runs first,
 * AbortError when `opts.signal` aborts, LoadError when the workers cannot start.
 */
export function runPooled<R>(engine: Engine, size: number, kind: string, setup: unknown, tasks: unknown[], opts: RunJobOptions<R> = {}): Promise<R[]> {
  const st = stateOf(engine);
  return new Promise<R[]>((resolve, reject) => {
    const signal = opts.signal;
    const onAbort = () => {
      const i = st.queue.indexOf(waiter);
      if (i >= 0) { st.queue.splice(i, 1); reject(new AbortError("gradient-variance computation")); pump(engine, st); }
    };
    const waiter: Waiter = {
      size,
      grant: (pool) => {
        signal?.removeEventListener("abort", onAbort);
        pool.leases++;
        const p = pool.runJob<R>(kind, setup, tasks, opts);
        const release = () => { pool.leases--; pump(engine, st); };
        p.then(release, release);
        p.then(resolve, reject);
      },
      cancel: (err) => { signal?.removeEventListener("abort", onAbort); reject(err); },
    };
    signal?.addEventListener("abort", onAbort);
    st.queue.push(waiter);
    pump(engine, st);
  });
}

/**
 * Terminate the engine's worker pool, if any: running and queued pooled calls reject with WorkerPoolClosedError.
 * Safe to call repeatedly; the next pooled call starts a new pool.
 */
export async function closePool(engine: Engine): Promise<void> {
  const st = states.get(engine);
  if (!st) return;
  const pool = st.pool;
  st.pool = undefined;
  for (const w of st.queue.splice(0)) w.cancel(new WorkerPoolClosedError());
  await pool?.close();
}
