// Worker-pool lifecycle (engine.gradVariance({ workers: k >= 2 })), from source in this process:
//  - closeWorkers() during a run rejects the running and queued pooled calls with WorkerPoolClosedError
//    (an AbortError, code EABORT), never an InternalError; the engine stays usable, with the same bits after;
//  - concurrent pooled calls with different worker counts queue (the pool is resized only when idle) and each
//    gives the same bits as the sequential workers: 1 run;
//  - an abort while waiting for the pool rejects with AbortError and leaves the queue moving.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AbortError, HardlearnError, InternalError, WorkerPoolClosedError, type GradVarianceOptions, type GradVarianceResult } from "../src/index.js";
import { engine } from "./helpers.js";

/** Every number of the result as exact bits (JSON keeps float64 round-trip exact; NaN/Infinity would be null). */
const bits = (r: GradVarianceResult) => JSON.stringify(r);

function options(seed: number, dim = 12, directions = 240, samples = 3000): GradVarianceOptions {
  const theta = new Float64Array(dim).map((_, i) => Math.cos(i + seed));
  return { dim, radius: 1.5, theta, directions, samples, seed, blocks: 4 };
}

/** The rejection reason of `p` (handled at once, so an early rejection is never "unhandled"). */
function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => assert.unreachable("expected a rejection"), (e) => e);
}

test("closeWorkers() during a pooled run: WorkerPoolClosedError (an AbortError), then the engine works with the same bits", async () => {
  const e = await engine();
  const big = options(3, 40, 4000, 20000);
  const small = options(4);
  const ref = await e.gradVariance(small);
  let started = false;
  const running = rejection(e.gradVariance({ ...big, workers: 2, onProgress: (done) => { if (done >= 1) started = true; } }));
  const queuedSame = rejection(e.gradVariance({ ...small, workers: 2 }));
  const queuedOther = rejection(e.gradVariance({ ...small, workers: 3 }));
  const t0 = Date.now();
  while (!started && Date.now() - t0 < 60000) await new Promise((r) => setTimeout(r, 5));
  assert.ok(started, "the pooled run never reported progress");
  await e.closeWorkers();
  for (const [what, p] of [["running", running], ["queued, same size", queuedSame], ["queued, other size", queuedOther]] as const) {
    const err = await p;
    assert.instance(err, WorkerPoolClosedError, `${what}: ${err}`);
    assert.instance(err, AbortError);
    assert.instance(err, HardlearnError);
    assert.not.instance(err, InternalError);
    assert.is((err as HardlearnError).code, "EABORT");
    assert.match((err as Error).message, /the worker pool was closed while a computation was running/);
    assert.not.match((err as Error).message, /report/i);
  }
  // Usable afterwards: a new pool, same bits as in-process.
  assert.is(bits(await e.gradVariance({ ...small, workers: 2 })), bits(ref));
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

test("an abort while waiting for a resize rejects with AbortError; later calls still run", async () => {
  const e = await engine();
  const o = options(21);
  const ref = bits(await e.gradVariance(o));
  const first = e.gradVariance({ ...o, workers: 2 });
  const ac = new AbortController();
  const waiting = rejection(e.gradVariance({ ...o, workers: 3, signal: ac.signal }));
  const after = e.gradVariance({ ...o, workers: 3 });
  ac.abort();
  const err = await waiting;
  assert.instance(err, AbortError);
  assert.not.instance(err, WorkerPoolClosedError);
  assert.is(bits(await first), ref);
  assert.is(bits(await after), ref);
  await e.closeWorkers();
});

test("closeWorkers() while the pool is still starting rejects the call with WorkerPoolClosedError", async () => {
  const e = await engine();
  await e.closeWorkers();
  const p = rejection(e.gradVariance({ ...options(31), workers: 2 }));
  await e.closeWorkers();
  const err = await p;
  assert.instance(err, WorkerPoolClosedError, String(err));
  assert.is(bits(await e.gradVariance({ ...options(31), workers: 2 })), bits(await e.gradVariance(options(31))));
  await e.closeWorkers();
});

test.run();
