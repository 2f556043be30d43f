// Bit-neutral GEMM tuning: every block height MC and every micro-kernel variant gives the same bits as the default
// on the odd-size grid (all transposes, alpha/beta, sizes that straddle MC and KC), for gram too; the one-time
// calibration picks one of the candidates; bad options are typed errors.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine, GEMM_KERNELS, type Engine } from "../src/index.js";
import { InvalidArgumentError } from "../src/errors.js";
import { gauss } from "./helpers.js";

const SIZES = [1, 3, 7, 17, 49, 97, 130, 193, 257];

function fingerprint(e: Engine): Float64Array[] {
  const out: Float64Array[] = [];
  for (let s = 0; s < SIZES.length; s++) {
    const m = SIZES[s], k = SIZES[(s + 3) % SIZES.length], n = SIZES[(s + 5) % SIZES.length];
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      const A = ta ? gauss(k, m, 10 * s + 1) : gauss(m, k, 10 * s + 1);
      const B = tb ? gauss(n, k, 10 * s + 2) : gauss(k, n, 10 * s + 2);
      const C = gauss(m, n, 10 * s + 3);
      out.push(e.matmul(A, B, { transA: ta, transB: tb }).data);
      out.push(e.matmul(A, B, { transA: ta, transB: tb, alpha: -0.75, beta: 1.5, C }).data);
    }
    out.push(e.gram(gauss(m + 40, n, 10 * s + 4)).data);
  }
  return out;
}

function same(a: Float64Array[], b: Float64Array[], what: string): void {
  assert.is(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    assert.is(x.length, y.length);
    for (let j = 0; j < x.length; j++) if (!Object.is(x[j], y[j])) assert.unreachable(`${what}: product ${i} entry ${j}: ${x[j]} vs ${y[j]}`);
  }
}

test("every MC and micro-kernel variant gives the default bits", async () => {
  const ref = fingerprint(await createEngine({ gemmTuning: "default" }));
  let variants = 0;
  for (const mc of [4, 48, 96, 100, 192]) {
    for (const kernel of GEMM_KERNELS) {
      const e = await createEngine({ gemmTuning: { mc, kernel } });
      assert.equal({ ...e.gemmTuning }, { mc, kernel, source: "option" });
      same(fingerprint(e), ref, `mc ${mc}, ${kernel}`);
      variants++;
    }
  }
  assert.is(variants, 5 * GEMM_KERNELS.length);
  assert.ok(GEMM_KERNELS.includes("tile6x4"), "the 6 x 4 tile is a candidate");
});

test("FMA mode: every micro-kernel gives the FMA-mode default bits", async () => {
  // Where the host has no relaxed SIMD the FMA engine falls back to the default build: then this checks the fallback.
  const ref = await createEngine({ fma: true, gemmTuning: "default" });
  const bits = fingerprint(ref);
  for (const kernel of GEMM_KERNELS) {
    for (const mc of [4, 100]) same(fingerprint(await createEngine({ fma: true, gemmTuning: { mc, kernel } })), bits, `fma, mc ${mc}, ${kernel}`);
  }
});

test("auto: calibrates once on the first product of at least 256^3 multiply-adds, keeping a candidate", async () => {
  const e = await createEngine();
  assert.is(e.gemmTuning.source, "default");
  e.matmul(gauss(100, 100, 1), gauss(100, 100, 2)); // 1e6 < 256^3: no calibration
  assert.is(e.gemmTuning.source, "default");
  const A = gauss(256, 256, 3), B = gauss(256, 256, 4);
  const before = (await createEngine({ gemmTuning: "default" })).matmul(A, B).data;
  const C = e.matmul(A, B).data;
  const t = e.gemmTuning;
  assert.is(t.source, "calibrated");
  assert.ok([48, 96, 192].includes(t.mc), `mc ${t.mc}`);
  assert.ok(GEMM_KERNELS.includes(t.kernel));
  assert.ok(t.calibrationMs! > 0 && t.calibrationMs! < 5000, `calibration took ${t.calibrationMs} ms`);
  same([C], [before], "after calibration");
});

test("bad gemmTuning options are typed errors naming the field", async () => {
  for (const [v, name] of [
    ["fast", "options.gemmTuning"], [{ mc: 50, kernel: "unroll8" }, "options.gemmTuning.mc"], [{ mc: 256, kernel: "unroll8" }, "options.gemmTuning.mc"],
    [{ mc: 96, kernel: "unroll16" }, "options.gemmTuning.kernel"], [null, "options.gemmTuning"],
  ] as const) {
    let err: unknown;
    try { await createEngine({ gemmTuning: v as never }); } catch (x) { err = x; }
    assert.instance(err, InvalidArgumentError, JSON.stringify(v));
    assert.is((err as InvalidArgumentError).argument, name);
  }
});

test.run();
