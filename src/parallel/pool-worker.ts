/**
 * Worker entry of the pool (Node worker_threads and browser Web Workers). Each worker owns one WASM instance
 * (its own Engine) created from the compiled Module the pool sends in the "init" message.
 * Protocol (all messages are plain objects):
 *   in : { type: "init", module, memoryLimit }                      out: { type: "ready" } | { type: "error", ... }
 *   in : { type: "setup", job, kind, payload, worker, workers }     (no reply; errors are reported on the next task)
 *   in : { type: "task", job, index, payload }                      out: { type: "result", job, index, result }
 *   in : { type: "teardown", job }                                  (no reply)
 *   out on failure: { type: "error", job, index, name, message, code, argument, rule }
 */
import { createEngine, type Engine } from "../engine.js";
import { JOB_HANDLERS } from "./pool-tasks.js";

type Post = (msg: unknown) => void;

async function main(): Promise<void> {
  let post: Post;
  let listen: (fn: (msg: any) => void) => void;
  const isNode = typeof process !== "undefined" && !!process.versions?.node && typeof (globalThis as any).WorkerGlobalScope === "undefined";
  if (isNode) {
    const wt = "node:worker_threads";
    const { parentPort } = await import(/* @vite-ignore */ /* webpackIgnore: true */ wt);
    post = (m) => parentPort.postMessage(m);
    listen = (fn) => parentPort.on("message", fn);
  } else {
    const scope = globalThis as any;
    post = (m) => scope.postMessage(m);
    listen = (fn) => { scope.onmessage = (ev: MessageEvent) => fn(ev.data); };
  }
  let engine: Engine | undefined;
  const jobs = new Map<number, { kind: string; state?: unknown; error?: unknown }>();
  // Typed errors travel as plain fields; the pool rebuilds the class from `code` (class names do not survive
  // minification). Only a primitive `value` is sent (anything else may not be structured-cloneable).
  const fail = (job: number | undefined, index: number | undefined, e: any) => {
    const v = e?.value;
    post({
      type: "error", job, index, name: e?.name ?? "Error", message: e?.message ?? String(e), code: e?.code,
      argument: e?.argument, rule: e?.rule, value: v === null || (typeof v !== "object" && typeof v !== "function") ? v : undefined,
      bytes: e?.bytes, limit: e?.limit, iterations: e?.iterations, source: e?.source,
    });
  };
  listen(async (msg) => {
    try {
      if (msg.type === "init") {
        engine = await createEngine({ wasm: msg.module, memoryLimit: msg.memoryLimit });
        post({ type: "ready" });
      } else if (msg.type === "setup") {
        const h = JOB_HANDLERS[msg.kind];
        const rec: { kind: string; state?: unknown; error?: unknown } = { kind: msg.kind };
        jobs.set(msg.job, rec);
        try {
          if (!h) throw new Error(`unknown job kind ${msg.kind}`);
          rec.state = h.setup(engine!, msg.payload, { index: msg.worker ?? 0, count: msg.workers ?? 1 });
        } catch (e) { rec.error = e; }
      } else if (msg.type === "task") {
        const rec = jobs.get(msg.job);
        if (!rec) throw new Error(`task for unknown job ${msg.job}`);
        if (rec.error) { fail(msg.job, msg.index, rec.error); return; }
        const result = JOB_HANDLERS[rec.kind].task(rec.state, msg.payload);
        post({ type: "result", job: msg.job, index: msg.index, result });
      } else if (msg.type === "teardown") {
        const rec = jobs.get(msg.job);
        jobs.delete(msg.job);
        if (rec && !rec.error && rec.state !== undefined) JOB_HANDLERS[rec.kind].teardown(rec.state);
      }
    } catch (e) {
      fail(msg?.job, msg?.index, e);
    }
  });
}

void main();
