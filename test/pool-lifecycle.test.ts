// Worker-pool lifecycle (engine.gradVariance({ workers: k >= 2 })), from source in this process:
//  - closeWorkers() during a run rejects the running pooled call with WorkerPoolClosedError (an AbortError, code
//    EABORT), never an InternalError; calls made meanwhile (waiting for the engine) run afterwards on a new pool with
//    the same bits; closing while the pool is still starting is the same error;
//  - concurrent pooled calls with different worker counts queue (the pool is resized only when idle) and each
//    gives the same bits as the sequential workers: 1 run;
//  - an abort while waiting for the pool rejects with AbortError and leaves the queue moving.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AbortError, HardlearnError, InternalError, WorkerPoolClosedError, type GradVarianceOptions, type GradVarianceResult } from "../src/index.js";
import { engine } from "./helpers.js";
import { closePool, runPooled } from "../src/parallel/pool.js";

/** Every number of the result as exact bits (JSON keeps float64 round-trip exact; NaN/Infinity would be null). */
const bits = (r: GradVarianceResult) => JSON.stringify(r);

function options(seed: number, dim = 12, directions = 240, samples = 3000): GradVarianceOptions {
  const theta = new Float64Array(dim).map((_, i) => Math.cos(i + seed));
  return { dim, radius: 1.5, theta, directions, samples, seed, blocks: 4 };
}

/** The outcome of `p`, handled at once (an early rejection is never "unhandled"). */
function settle<T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return p.then((value) => ({ value }), (error) => ({ error: error ?? new Error("rejected without a reason") }));
}

test("closeWorkers() during a pooled run: WorkerPoolClosedError (an AbortError); calls made meanwhile run afterwards, same bits", async () => {
  const e = await engine();
  const big = options(3, 40, 4000, 20000);
  const small = options(4);
  const ref = bits(await e.gradVariance(small));
  let started = false;
  const running = settle(e.gradVariance({ ...big, workers: 2, onProgress: (done) => { if (done >= 1) started = true; } }));
  // Made while the big call runs: they wait for the engine (one computation at a time), not yet for the pool.
  const laterSame = settle(e.gradVariance({ ...small, workers: 2 }));
  const laterOther = settle(e.gradVariance({ ...small, workers: 3 }));
  const t0 = Date.now();
  while (!started && Date.now() - t0 < 60000) await new Promise((r) => setTimeout(r, 5));
  assert.ok(started, "the pooled run never reported progress");
  await e.closeWorkers();
  const err = (await running).error;
  assert.instance(err, WorkerPoolClosedError, String(err));
  assert.instance(err, AbortError);
  assert.instance(err, HardlearnError);
  assert.not.instance(err, InternalError);
  assert.is((err as HardlearnError).code, "EABORT");
  assert.match((err as Error).message, /the worker pool was closed while a computation was running/);
  assert.not.match((err as Error).message, /report/i);
  // The engine stays usable: the calls made meanwhile start a new pool and give the in-process bits.
  for (const [what, p] of [["same size", laterSame], ["other size", laterOther]] as const) {
    const r = await p;
    assert.is(r.error, undefined, `${what}: ${r.error}`);
    assert.is(bits(r.value!), ref, what);
  }
  await e.closeWorkers();
  await e.closeWorkers(); // idempotent
});

test("concurrent pooled calls with different worker counts queue and give the sequential bits", async () => {
  const e = await engine();
  const cases = [options(11), options(12, 8, 200, 2500), options(13, 16, 300, 2000)];
  const seq = [] as string[];
  for (const o of cases) seq.push(bits(await e.gradVariance(o)));
  const sizes = [2, 3, 2, 1, 3, 2];
  const all = await Promise.all(sizes.map((w, i) => e.gradVariance({ ...cases[i % cases.length], workers: w })));
  all.forEach((r, i) => assert.is(bits(r), seq[i % cases.length], `call ${i} (workers ${sizes[i]})`));
  // Interleaved with closeWorkers afterwards: nothing left hanging.
  await e.closeWorkers();
});

test("an abort while waiting (for the engine or the pool) rejects with AbortError; later calls still run", async () => {
  const e = await engine();
  const o = options(21);
  const ref = bits(await e.gradVariance(o));
  const first = e.gradVariance({ ...o, workers: 2 });
  const ac = new AbortController();
  const waiting = settle(e.gradVariance({ ...o, workers: 3, signal: ac.signal }));
  const after = e.gradVariance({ ...o, workers: 3 });
  ac.abort();
  const err = (await waiting).error;
  assert.instance(err, AbortError);
  assert.not.instance(err, WorkerPoolClosedError);
  assert.is(bits(await first), ref);
  assert.is(bits(await after), ref);
  await e.closeWorkers();
});

test("closeWorkers() while the pool is still starting rejects the call with WorkerPoolClosedError", async () => {
  const e = await engine();
  await e.closeWorkers();
  // onProgress(0) comes right before the pool job is submitted; a microtask later the pool exists but its workers
  // are still starting (spawning and instantiating take milliseconds).
  const p = settle(e.gradVariance({ ...options(31), workers: 2, onProgress: (done) => { if (done === 0) queueMicrotask(() => void e.closeWorkers()); } }));
  const err = (await p).error;
  assert.instance(err, WorkerPoolClosedError, String(err));
  assert.is(bits(await e.gradVariance({ ...options(31), workers: 2 })), bits(await e.gradVariance(options(31))));
  await e.closeWorkers();
});

test("pool level: concurrent jobs with different sizes queue, each sees its own pool size, bits equal in-process", async () => {
  const e = await engine();
  await e.closeWorkers();
  const sizes = [2, 3, 3, 2, 4, 2];
  const jobs = sizes.map((k, i) => runPooled<any>(e, k, "pool.echo", { tag: `job${i}` },
    Array.from({ length: 5 }, (_, t) => ({ seed: 100 * i + t, count: 7 }))));
  const out = await Promise.all(jobs);
  out.forEach((results, i) => {
    assert.is(results.length, 5);
    results.forEach((r: any, t: number) => {
      assert.is(r.tag, `job${i}`);
      assert.is(r.workers, sizes[i], `job ${i} ran on a pool of ${r.workers}`);
      assert.is(r.seed, 100 * i + t);
      assert.equal(r.normals, Array.from(e.rng(100 * i + t).normal(7)), `job ${i} task ${t}: worker bits differ`);
    });
  });
  // closePool while jobs of two sizes are queued: every one rejects with WorkerPoolClosedError.
  const pending = [2, 3, 2].map((k, i) => settle(runPooled<any>(e, k, "pool.echo", { tag: `c${i}` }, [{ seed: i, count: 3 }])));
  await closePool(e);
  for (const p of pending) {
    const r = await p;
    assert.instance(r.error, WorkerPoolClosedError, String(r.error ?? "resolved"));
  }
  const again = await runPooled<any>(e, 2, "pool.echo", { tag: "again" }, [{ seed: 9, count: 2 }]);
  assert.equal(again[0].normals, Array.from(e.rng(9).normal(2)));
  await e.closeWorkers();
});

test.run();
