// Bit-neutral float32 GEMM tuning: the 6 x 8 register tile gives exactly the bits of the 4 x 8 tile on the odd-size
// grid (all transposes, alpha/beta, sizes that straddle the tile heights 4 and 6, MC = 192 and KC = 256), for gram
// too, in the default build and in the FMA build (or its fallback where the host has no relaxed SIMD); the one-time
// calibration picks one of the two; bad options are typed errors.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine, SGEMM_KERNELS, type Engine, type Matrix32 } from "../src/index.js";
import { InvalidArgumentError } from "../src/errors.js";

const SIZES = [1, 3, 5, 7, 13, 17, 49, 97, 193, 257];

function rand32(rows: number, cols: number, seed: number): Matrix32 {
  const data = new Float32Array(rows * cols);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; data[i] = s / 2147483648 - 1; }
  return { rows, cols, data };
}

function fingerprint(e: Engine): Float32Array[] {
  const out: Float32Array[] = [];
  for (let s = 0; s < SIZES.length; s++) {
    const m = SIZES[s], k = SIZES[(s + 3) % SIZES.length], n = SIZES[(s + 5) % SIZES.length];
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      const A = ta ? rand32(k, m, 10 * s + 1) : rand32(m, k, 10 * s + 1);
      const B = tb ? rand32(n, k, 10 * s + 2) : rand32(k, n, 10 * s + 2);
      const C = rand32(m, n, 10 * s + 3);
      out.push(e.matmul(A, B, { transA: ta, transB: tb }).data as Float32Array);
      out.push(e.matmul(A, B, { transA: ta, transB: tb, alpha: -0.75, beta: 1.5, C }).data as Float32Array);
    }
    out.push(e.gram(rand32(m + 40, n, 10 * s + 4)).data as Float32Array);
  }
  // k > KC and m > MC in one product (two k blocks, two A blocks, a partial 6-row panel: 389 = 6 * 64 + 5).
  out.push(e.matmul(rand32(389, 300, 7), rand32(300, 45, 8)).data as Float32Array);
  return out;
}

function same(a: Float32Array[], b: Float32Array[], what: string): void {
  assert.is(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    assert.ok(x instanceof Float32Array, "float32 result");
    assert.is(x.length, y.length);
    for (let j = 0; j < x.length; j++) if (!Object.is(x[j], y[j])) assert.unreachable(`${what}: product ${i} entry ${j}: ${x[j]} vs ${y[j]}`);
  }
}

test("the 6 x 8 tile gives the 4 x 8 bits (default build)", async () => {
  const ref = await createEngine({ sgemmTuning: "default" });
  assert.equal({ ...ref.sgemmTuning }, { kernel: "tile4x8", source: "default" });
  const bits = fingerprint(ref);
  assert.equal([...SGEMM_KERNELS], ["tile4x8", "tile6x8"]);
  for (const kernel of SGEMM_KERNELS) {
    const e = await createEngine({ sgemmTuning: { kernel } });
    assert.equal({ ...e.sgemmTuning }, { kernel, source: "option" });
    same(fingerprint(e), bits, kernel);
  }
});

test("FMA mode: the 6 x 8 tile gives the FMA-mode 4 x 8 bits", async () => {
  // Where the host has no relaxed SIMD (Node 20) the FMA engine falls back to the default build: then this checks
  // the fallback, and says so.
  const ref = await createEngine({ fma: true, sgemmTuning: { kernel: "tile4x8" } });
  const bits = fingerprint(ref);
  const e = await createEngine({ fma: true, sgemmTuning: { kernel: "tile6x8" } });
  assert.is(e.fma.active, ref.fma.active);
  same(fingerprint(e), bits, `fma (${ref.fma.active ? "active" : `fallback: ${ref.fma.note}`}), tile6x8`);
});

test("the choice is not a no-op: the 6 x 8 tile sets the kernel the core reports", async () => {
  const e = await createEngine({ sgemmTuning: { kernel: "tile6x8" } });
  assert.is((e.core.x as unknown as { sgemm_f32_tuning(): number }).sgemm_f32_tuning(), 1);
  const d = await createEngine({ sgemmTuning: "default" });
  assert.is((d.core.x as unknown as { sgemm_f32_tuning(): number }).sgemm_f32_tuning(), 0);
});

test("auto: calibrates once on the first float32 product of at least 256^3 multiply-adds, keeping a candidate", async () => {
  const e = await createEngine();
  assert.is(e.sgemmTuning.source, "default");
  e.matmul(rand32(100, 100, 1), rand32(100, 100, 2)); // 1e6 < 256^3: no calibration
  assert.is(e.sgemmTuning.source, "default");
  const A = rand32(256, 256, 3), B = rand32(256, 256, 4);
  const before = (await createEngine({ sgemmTuning: "default" })).matmul(A, B).data as Float32Array;
  const C = e.matmul(A, B).data as Float32Array;
  const t = e.sgemmTuning;
  assert.is(t.source, "calibrated");
  assert.ok(SGEMM_KERNELS.includes(t.kernel));
  assert.ok(t.calibrationMs! > 0 && t.calibrationMs! < 5000, `calibration took ${t.calibrationMs} ms`);
  same([C], [before], "after calibration");
});

test("bad sgemmTuning options are typed errors naming the field", async () => {
  for (const [v, name] of [
    ["fast", "options.sgemmTuning"], [{ kernel: "tile8x8" }, "options.sgemmTuning.kernel"], [null, "options.sgemmTuning"], [{}, "options.sgemmTuning.kernel"],
  ] as const) {
    let err: unknown;
    try { await createEngine({ sgemmTuning: v as never }); } catch (x) { err = x; }
    assert.instance(err, InvalidArgumentError, JSON.stringify(v));
    assert.is((err as InvalidArgumentError).argument, name);
  }
});

test.run();
