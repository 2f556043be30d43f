// float32 products on two threads (createGemmThreads: columns of C split between the caller and one worker on
// shared WASM memory): the same bits as engine.matmul for float32 operands, for every transpose, alpha/beta and
// shapes around the split; typed errors for mixed dtypes and non-finite entries; float32 Gram on two threads
// (upper-triangle columns split) gives engine.gram's bits below and above the 2-thread threshold and for d not a
// multiple of the tile, and reports a non-finite entry read by the worker.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, testRng, throwsWith } from "./helpers.js";
import { createGemmThreads, InvalidArgumentError, type GemmThreads, type Matrix32 } from "../src/index.js";

function rand32(rows: number, cols: number, seed: number): Matrix32 {
  const r = testRng(seed), data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = 2 * r() - 1;
  return { rows, cols, data };
}
const same = (a: Float32Array, b: Float32Array) => a.length === b.length && new Uint32Array(a.buffer, a.byteOffset, a.length).every((v, i) => v === new Uint32Array(b.buffer, b.byteOffset, b.length)[i]);

let t2: GemmThreads | undefined;
test.after(async () => { await t2?.close(); });

test("2-thread float32 matmul: bit-identical to engine.matmul (transposes, alpha/beta, odd shapes, small and large)", async () => {
  const e = await engine();
  t2 = await createGemmThreads(e);
  assert.is(t2.threads, 2, `2-thread path active in Node (fallback: ${t2.fallbackReason})`);
  let seed = 1;
  for (const [m, n, k] of [[3, 5, 7], [64, 17, 300], [129, 257, 131], [256, 256, 256], [37, 1000, 61]]) {
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const A = tA ? rand32(k, m, seed++) : rand32(m, k, seed++), B = tB ? rand32(n, k, seed++) : rand32(k, n, seed++);
      const C0 = rand32(m, n, seed++);
      for (const o of [{ transA: tA, transB: tB }, { transA: tA, transB: tB, alpha: -0.75, beta: 1.5, C: C0 }]) {
        const one = e.matmul(A, B, o), two = t2.matmul(A, B, o);
        assert.ok(two.data instanceof Float32Array);
        assert.ok(same(one.data, two.data), `${m}x${n}x${k} tA ${tA} tB ${tB} beta ${"beta" in o}`);
      }
    }
  }
  for (const [m, d] of [[300, 40], [1501, 77], [2000, 128], [700, 259]]) {
    const X = rand32(m, d, 99 + d);
    assert.ok(same(t2.gram(X).data, e.gram(X).data), `float32 gram through GemmThreads ${m}x${d}`);
  }
  const Xbad = rand32(1501, 77, 7);
  Xbad.data[1500 * 77 + 76] = Infinity; // last column: in the worker's half of the upper triangle
  throwsWith(() => t2!.gram(Xbad), InvalidArgumentError, `X.data[${1500 * 77 + 76}] must be a finite number`);
  const Xok = rand32(1501, 77, 8);
  assert.ok(same(t2.gram(Xok).data, e.gram(Xok).data), "float32 gram works after the error");
});

test("2-thread float32 matmul errors: mixed dtypes, non-finite entries in the worker's columns; context still works", async () => {
  const e = await engine();
  t2 ??= await createGemmThreads(e);
  const A = rand32(200, 150, 5), B = rand32(150, 300, 6);
  throwsWith(() => t2!.matmul(A, { rows: 150, cols: 300, data: Float64Array.from(B.data) } as never), InvalidArgumentError, "A.data must be a Float64Array like B.data");
  const Bbad = { rows: 150, cols: 300, data: B.data.slice() };
  Bbad.data[149 * 300 + 299] = NaN; // last column: computed by the worker
  throwsWith(() => t2!.matmul(A, Bbad), InvalidArgumentError, `B.data[${149 * 300 + 299}] must be a finite number`);
  assert.ok(same(t2.matmul(A, B).data, e.matmul(A, B).data), "works after errors");
});

test.run();
