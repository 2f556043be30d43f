// Cost guard (src/cost.ts): memory estimates made before any allocation. (1) Calls over the memory limit throw
// AllocationError naming the estimate and WebAssembly memory does not grow (it never shrinks); (2) the scratch
// estimates are upper bounds of the arena's real high-water mark and not wasteful (within 2x + 256 KiB); (3) the JS
// estimate covers at least the arrays returned; (4) the examples of the issue: a 10000^2 matmul and a gradVariance
// with 2e6 directions and 1e6 samples are refused at once.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AllocationError, createEngine, type Engine, type Matrix } from "../src/index.js";
import { costGram, costLandscapeMonteCarlo, costMatmul, costSvd, costTrain, costWhiten, type CostEstimate } from "../src/cost.js";
import { estimateGradVariance } from "../src/gradvar/estimator.js";
import { gauss, testRng } from "./helpers.js";

const MiB = 2 ** 20;

function peakOf(e: Engine, fn: () => unknown): { peak: number; result: unknown } {
  const ar = e.core.arena;
  assert.is(ar.mark(), ar.base, "arena not at its base before the call");
  ar.highWater = 0;
  const result = fn();
  return { peak: ar.highWater, result };
}
async function peakOfAsync(e: Engine, fn: () => Promise<unknown>): Promise<{ peak: number; result: unknown }> {
  const ar = e.core.arena;
  ar.highWater = 0;
  const result = await fn();
  return { peak: ar.highWater, result };
}
function bounds(label: string, est: CostEstimate, peak: number): void {
  assert.ok(peak <= est.wasmBytes, `${label}: scratch ${peak} B above the estimate ${est.wasmBytes} B`);
  assert.ok(est.wasmBytes <= 2 * peak + 256 * 1024, `${label}: estimate ${est.wasmBytes} B far above the scratch used ${peak} B`);
}
function typedBytes(v: unknown, seen = new Set<unknown>()): number {
  if (v === null || typeof v !== "object" || seen.has(v)) return 0;
  seen.add(v);
  if (ArrayBuffer.isView(v)) return v.byteLength;
  let s = 0;
  for (const x of Object.values(v as object)) s += typedBytes(x, seen);
  return s;
}

test("scratch estimates bound the arena's high-water mark (matmul, gram, svd, whiten, train, gradVariance, landscapeMonteCarlo)", async () => {
  const e = await createEngine();
  const r = testRng(7);
  const shapes = Array.from({ length: 6 }, () => [1 + Math.floor(r() * 300), 1 + Math.floor(r() * 300), 1 + Math.floor(r() * 300)]);
  for (const [m, k, n] of shapes) {
    const A = gauss(m, k, m + k), B = gauss(k, n, k + n);
    const mm = peakOf(e, () => e.matmul(A, B));
    bounds(`matmul ${m}x${k}x${n}`, costMatmul(m, n, k), mm.peak);
    assert.ok(costMatmul(m, n, k).jsBytes >= typedBytes(mm.result));
    bounds(`gram ${m}x${k}`, costGram(m, k), peakOf(e, () => e.gram(A)).peak);
    const sv = peakOf(e, () => e.svd(A));
    bounds(`svd ${m}x${k}`, costSvd(e.core, m, k), sv.peak);
    assert.ok(costSvd(e.core, m, k).jsBytes >= typedBytes(sv.result));
    const wh = peakOf(e, () => e.whiten(A, { center: true }));
    bounds(`whiten ${m}x${k}`, costWhiten(e.core, m, k, true), wh.peak);
    assert.ok(costWhiten(e.core, m, k, true).jsBytes >= typedBytes(wh.result));
  }
  for (const [m, d, k, opt] of [[500, 5, 20, "gd"], [2000, 10, 50, "adam"], [300, 40, 8, "sgd"]] as const) {
    const X = gauss(m, d, 3), y = new Float64Array(m).map((_, i) => Math.sin(i));
    const tr = await peakOfAsync(e, () => e.train({ X, y, Xtest: gauss(100, d, 4), ytest: new Float64Array(100), width: k, epochs: 3, optimizer: opt, batchSize: 50, bias: true }));
    const est = costTrain(e.core, { m, d, k, epochs: 3, batch: opt === "gd" ? m : 50, nTest: 100, nParams: d * k + k, history: true, whiten: false, minibatch: opt !== "gd", dataInit: false });
    bounds(`train ${m}x${d} width ${k} ${opt}`, est, tr.peak);
  }
  for (const [dim, J, n, relu] of [[10, 200, 3000, false], [50, 1000, 2000, false], [5, 100, 1000, true]] as const) {
    const theta = new Float64Array(relu ? 3 * dim : dim).fill(0.3);
    const o = { dim, radius: 1, theta, directions: J, samples: n, seed: 1, predictor: relu ? "relu" as const : "cos" as const };
    const gv = await peakOfAsync(e, () => e.gradVariance(o));
    bounds(`gradVariance d=${dim} J=${J} n=${n}${relu ? " relu" : ""}`, estimateGradVariance(o), gv.peak);
  }
  const lm = peakOf(e, () => e.landscapeMonteCarlo({ radius: 1, points: [[0, 0], [1, 1], [2, 0]], samples: 50000, seed: 1 }));
  bounds("landscapeMonteCarlo", costLandscapeMonteCarlo(50000, 2, 3), lm.peak);
});

test("over the limit: AllocationError naming the estimate, thrown before WebAssembly memory grows", async () => {
  const e = await createEngine({ memoryLimit: 64 * MiB });
  const mem = () => e.core.arena.memory.buffer.byteLength;
  e.matmul(gauss(8, 8, 1), gauss(8, 8, 2));
  const before = mem();
  const big = (r: number, c: number): Matrix => ({ rows: r, cols: c, data: new Float64Array(r * c) });
  const cases: [string, () => unknown][] = [
    ["matmul", () => e.matmul(big(1600, 1600), big(1600, 1600))],
    ["gram", () => e.gram(big(9000, 1000))],
    ["svd", () => e.svd(big(12000, 300))],
    ["whiten", () => e.whiten(big(12000, 300))],
    ["rng.normal", () => e.rng(1).normal(9_000_000)],
    ["rng.sphere", () => e.rng(1).sphere(100_000, 50)],
    ["rng.integers", () => e.rng(1).integers(9_000_000, 0, 5)],
    ["landscapeMonteCarlo", () => e.landscapeMonteCarlo({ radius: 1, points: [[0, 0]], samples: 3_000_000, seed: 1 })],
  ];
  for (const [name, fn] of cases) {
    try {
      fn();
      assert.unreachable(`${name} accepted`);
    } catch (err) {
      assert.instance(err, AllocationError, `${name}: ${err}`);
      const a = err as AllocationError;
      assert.ok(a.estimate && a.estimate.wasmBytes + a.estimate.jsBytes > 64 * MiB, name);
      assert.match(a.message, /^invalid argument\. the problem size must need at most 67108864 bytes of engine memory\. Value: `\d+`\. Estimated before starting /);
    }
    assert.is(mem(), before, `${name}: memory grew before the refusal`);
    assert.is(e.core.arena.mark(), e.core.arena.base);
  }
  await e.train({ X: gauss(10, 2, 1), y: new Float64Array(10), width: 2, epochs: 1 });
  const grownByTrain = mem();
  try {
    await e.train({ X: big(200_000, 40), y: new Float64Array(200_000), width: 10, epochs: 1 });
    assert.unreachable("train accepted");
  } catch (err) {
    assert.instance(err, AllocationError);
  }
  assert.is(mem(), grownByTrain, "train: memory grew before the refusal");
});

test("the issue's examples: a 10000^2 matmul and gradVariance(d 100, J 2e6, n 1e6) are refused at once, memory unchanged", async () => {
  const e = await createEngine();
  const mem0 = e.core.arena.memory.buffer.byteLength;
  const X = { rows: 10000, cols: 10000, data: new Float64Array(1e8) };
  const t0 = performance.now();
  try {
    e.matmul(X, X);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, AllocationError);
    assert.match((err as Error).message, /Estimated before starting matmul 10000 x 10000 x 10000: 2400000192 bytes of WebAssembly scratch/);
  }
  const theta = new Float64Array(100); theta[0] = 1;
  try {
    await e.gradVariance({ dim: 100, radius: 1, theta, directions: 2_000_000, samples: 1_000_000, seed: 1 });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, AllocationError);
    assert.match((err as Error).message, /gradVariance \(n = 1000000, d = 100, J = 2000000, p = 100\)/);
  }
  assert.ok(performance.now() - t0 < 5000, "refusals must be immediate");
  assert.is(e.core.arena.memory.buffer.byteLength, mem0, "WebAssembly memory grew");
  // The engine keeps working.
  assert.equal(Array.from(e.matmul({ rows: 1, cols: 1, data: new Float64Array([3]) }, { rows: 1, cols: 1, data: new Float64Array([2]) }).data), [6]);
});

test.run();
