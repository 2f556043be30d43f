// Concurrent use of one engine is safe by construction: any interleaving of async and sync calls gives the same
// bits as running the calls one after another, no scratch is leaked, and a WASM trap is always a typed error.
//
// The property test draws random schedules of calls (matmul, svd, gram, rng normals, trainSync as sync calls;
// gradVariance with and without an AbortSignal, train and oracleSimulation as async calls), starts the async ones
// without awaiting, runs the sync ones at random points between random yields to the event loop, and compares every
// result bit for bit with the same call run alone on a fresh engine. It would fail if an async computation's scratch
// were released or overwritten while it was suspended (the bug this guards against gave 0.02127 instead of 0.02466)
// or if memory growth detached a view a suspended computation still used.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine, trainNetworkSync, type Engine } from "../src/index.js";
import { AbortError, InternalError } from "../src/errors.js";
import { gauss, testRng } from "./helpers.js";

type Call = { name: string; async: boolean; run: (e: Engine, signal?: AbortSignal) => unknown };

function bits(v: unknown): string {
  // Canonical bit-level fingerprint of a result: every float64 by its IEEE bits.
  const parts: string[] = [];
  const walk = (x: unknown): void => {
    if (typeof x === "number") {
      const b = new DataView(new ArrayBuffer(8));
      b.setFloat64(0, x);
      parts.push(b.getBigUint64(0).toString(16));
    } else if (x instanceof Float64Array || x instanceof Float32Array || x instanceof Int32Array) {
      for (const y of x) walk(y);
    } else if (Array.isArray(x)) {
      parts.push("[");
      for (const y of x) walk(y);
      parts.push("]");
    } else if (x && typeof x === "object") {
      for (const k of Object.keys(x).sort()) {
        parts.push(k);
        walk((x as Record<string, unknown>)[k]);
      }
    } else parts.push(String(x));
  };
  walk(v);
  return parts.join(",");
}

const A = gauss(120, 90, 1), B = gauss(90, 70, 2), S = gauss(60, 25, 3);
const BIG = gauss(420, 420, 4); // grows WASM memory when first used: detaches old views
const t8 = new Float64Array(8).fill(0.25), t12 = new Float64Array(12);
t12[0] = 1;
const Xtr = gauss(200, 6, 5), ytr = new Float64Array(200).map((_, i) => Math.cos(Xtr.data[6 * i]));

const CALLS: Call[] = [
  { name: "matmul", async: false, run: (e) => e.matmul(A, B).data },
  { name: "matmul-big", async: false, run: (e) => e.matmul(BIG, BIG).data },
  { name: "svd", async: false, run: (e) => { const r = e.svd(S); return [r.U.data, r.S, r.V.data]; } },
  { name: "gram", async: false, run: (e) => e.gram(A).data },
  { name: "normals", async: false, run: (e) => e.rng(7).normal(5000) },
  { name: "trainSync", async: false, run: (e) => trainNetworkSync(e, { X: Xtr, y: ytr, width: 8, epochs: 3, optimizer: "sgd", lr: 0.01, seed: 3 }).net.W.data },
  {
    name: "gradvar-signal", async: true,
    run: (e, signal) => e.gradVariance({ dim: 8, radius: 2, theta: t8, directions: 700, samples: 3000, seed: 6, signal })
      .then((r) => [r.estimate, r.stderr, r.meanGradient]),
  },
  {
    name: "gradvar-signal-2", async: true,
    run: (e, signal) => e.gradVariance({ dim: 12, radius: 1, theta: t12, directions: 600, samples: 4000, seed: 5, signal })
      .then((r) => [r.estimate, r.stderr, r.finiteSampleVariance]),
  },
  {
    name: "gradvar-plain", async: true,
    run: (e) => e.gradVariance({ dim: 8, radius: 1.5, theta: t8, directions: 300, samples: 2000, seed: 9 }).then((r) => [r.estimate, r.stderr]),
  },
  {
    name: "train", async: true,
    run: (e, signal) => e.train({ X: Xtr, y: ytr, width: 8, epochs: 40, optimizer: "adam", lr: 0.01, seed: 4, signal }).then((r) => r.net.W.data),
  },
];

const reference = new Map<string, string>();

test.before(async () => {
  for (const c of CALLS) {
    const e = await createEngine(); // each call alone, on a fresh engine
    reference.set(c.name, bits(await c.run(e, new AbortController().signal)));
  }
});

test("the reported overlap: two signalled gradVariance calls with engine calls between them", async () => {
  // The exact calls of the original report: the second estimate came out 0.02127 instead of 0.02466.
  const t10 = new Float64Array(10), t20 = new Float64Array(20);
  t10[0] = 1; t20[0] = 1;
  const X300 = gauss(300, 300, 8);
  const callA = (e: Engine, signal?: AbortSignal) => e.gradVariance({ dim: 10, radius: 2, theta: t10, directions: 400, samples: 5000, seed: 6, signal });
  const callB = (e: Engine, signal?: AbortSignal) => e.gradVariance({ dim: 20, radius: 1, theta: t20, directions: 1000, samples: 20000, seed: 5, signal });
  const alone = await createEngine();
  const refA = (await callA(alone)).estimate, refB = (await callB(alone)).estimate;
  assert.ok(Math.abs(refB - 0.02466) < 5e-5, `reference estimate ${refB}`);
  const e = await createEngine();
  const base = e.core.arena.mark();
  const signal = new AbortController().signal;
  const pA = callA(e, signal), pB = callB(e, signal);
  await pA;
  e.matmul(X300, X300);
  e.matmul(BIG, BIG);
  assert.is((await pA).estimate, refA);
  assert.is((await pB).estimate, refB);
  assert.is(e.core.arena.mark(), base, "scratch back at its start");
});

test("random schedules of interleaved async and sync calls give the sequential bits; scratch returns to its start", async () => {
  const SCHEDULES = 40;
  const e = await createEngine();
  const base = e.core.arena.mark();
  const tick = () => new Promise<void>((r) => setTimeout(r, 0));
  let checked = 0;
  for (let s = 0; s < SCHEDULES; s++) {
    const rnd = testRng(1000 + s);
    const pick = () => CALLS[Math.floor(rnd() * CALLS.length)];
    const pending: { name: string; p: Promise<unknown> }[] = [];
    const len = 4 + Math.floor(rnd() * 6);
    for (let i = 0; i < len; i++) {
      const c = pick();
      const signal = rnd() < 0.7 ? new AbortController().signal : undefined;
      if (c.async) pending.push({ name: c.name, p: c.run(e, signal) as Promise<unknown> });
      else assert.is(bits(c.run(e)), reference.get(c.name), `schedule ${s}: sync ${c.name}`);
      const yields = Math.floor(rnd() * 3);
      for (let y = 0; y < yields; y++) await tick();
      checked++;
    }
    for (const { name, p } of pending) assert.is(bits(await p), reference.get(name), `schedule ${s}: async ${name}`);
    assert.is(e.core.arena.mark(), base, `schedule ${s}: scratch back at its start`);
    assert.is(e.core.pending, 0, `schedule ${s}: no session left queued`);
  }
  assert.ok(checked >= SCHEDULES * 4);
});

test("aborting a queued or running computation rejects it with AbortError and leaves the others' bits intact", async () => {
  const e = await createEngine();
  const base = e.core.arena.mark();
  const ac = new AbortController();
  const first = CALLS[7].run(e, new AbortController().signal) as Promise<unknown>;
  const victim = CALLS[6].run(e, ac.signal) as Promise<unknown>; // queued behind `first`
  const last = CALLS[6].run(e, new AbortController().signal) as Promise<unknown>;
  ac.abort();
  let err: unknown;
  try { await victim; } catch (x) { err = x; }
  assert.instance(err, AbortError);
  assert.is(bits(await first), reference.get("gradvar-signal-2"));
  assert.is(bits(await last), reference.get("gradvar-signal"));
  // Abort while running (after the first pause).
  const ac2 = new AbortController();
  let chunks = 0;
  const running = e.gradVariance({ dim: 8, radius: 2, theta: t8, directions: 700, samples: 3000, seed: 6, signal: ac2.signal,
    onProgress: (done) => { chunks = done; if (done === 2) ac2.abort(); } });
  err = undefined;
  try { await running; } catch (x) { err = x; }
  assert.instance(err, AbortError);
  assert.ok(chunks >= 2);
  assert.is(e.core.arena.mark(), base);
  assert.is(e.core.pending, 0);
});

test("arrays passed to an async call are read when the call is made, not when it runs", async () => {
  const e = await createEngine();
  const theta = Float64Array.from(t8);
  const p = e.gradVariance({ dim: 8, radius: 2, theta, directions: 700, samples: 3000, seed: 6, signal: new AbortController().signal });
  theta.fill(9); // the caller reuses its buffer right away
  assert.is(bits(await p.then((r) => [r.estimate, r.stderr, r.meanGradient])), reference.get("gradvar-signal"));
});

test("a WASM trap surfaces as InternalError naming the kernel, and the engine keeps working", async () => {
  const e = await createEngine();
  const base = e.core.arena.mark();
  let err: unknown;
  try {
    e.core.x.gemm_f64(0, 0, 64, 64, 64, 1, 0x7ff00000, 64, 0x7ff00000, 64, 0, 0x7ff00000, 64);
  } catch (x) { err = x; }
  assert.instance(err, InternalError);
  assert.match((err as Error).message, /gemm_f64: memory access out of bounds/);
  assert.is(bits(e.matmul(A, B).data), reference.get("matmul"));
  assert.is(e.core.arena.mark(), base);
});

test("out-of-order release below a suspended computation is refused, not silently corrupting", async () => {
  const e = await createEngine();
  const ar = e.core.arena;
  const m0 = ar.mark();
  ar.alloc(1024);
  const pinned = ar.pin();
  let err: unknown;
  try { ar.release(m0); } catch (x) { err = x; }
  assert.instance(err, InternalError);
  ar.unpin(pinned);
  ar.release(m0);
  assert.is(ar.mark(), m0);
});

test.run();
