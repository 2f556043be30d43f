// Two-thread GEMM/Gram on shared WebAssembly memory (src/parallel/gemm-threads.ts, build/threads.wasm).
// Invariant under test: results are bit-identical to the single-thread engine.matmul / engine.gram for every
// shape, transpose and alpha/beta (the column split never changes any entry's arithmetic), the fallback gives the
// same bits, and errors are the same typed errors.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, randMatrix, throwsWith } from "./helpers.js";
import { createGemmThreads, InvalidArgumentError, InternalError, type GemmThreads } from "../src/index.js";

function bitsEqual(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length * 2), y = new Uint32Array(b.buffer, b.byteOffset, b.length * 2);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

let ctx: GemmThreads | undefined;
async function threads(): Promise<GemmThreads> {
  return (ctx ??= await createGemmThreads(await engine()));
}

test("threads: the shared-memory path is active in Node 20 (no fallback)", async () => {
  const t = await threads();
  assert.is(t.fallbackReason, undefined);
  assert.is(t.threads, 2);
});

test("threads: matmul bit-identical to engine.matmul (shapes across the split threshold, all transposes, alpha/beta)", async () => {
  const e = await engine(), t = await threads();
  let seed = 1;
  // Row split (m >= 32, >= 4 MFLOP) with k > KC = 256 also runs the worker over k ranges gated on the copy of B.
  const shapes = [[1, 1, 1], [7, 9, 3], [129, 17, 33], [200, 200, 200], [33, 301, 257], [300, 129, 513], [1000, 64, 50],
    [64, 40, 800], [97, 35, 1025], [8, 700, 900]];
  for (const [m, n, k] of shapes) for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]]) {
    seed++;
    const A = tA ? randMatrix(k, m, seed) : randMatrix(m, k, seed);
    const B = tB ? randMatrix(n, k, seed + 1) : randMatrix(k, n, seed + 1);
    const C0 = randMatrix(m, n, seed + 2);
    for (const opts of [{}, { alpha: -0.75, beta: 1.5, C: C0 }]) {
      const o = { transA: tA, transB: tB, ...opts };
      const one = e.matmul(A, B, o), two = t.matmul(A, B, o);
      assert.is(two.rows, m);
      assert.is(two.cols, n);
      assert.ok(bitsEqual(one.data, two.data), `seed ${seed} ${m}x${n}x${k} tA ${tA} tB ${tB} ${JSON.stringify(Object.keys(opts))}`);
    }
  }
});

test("threads: gram bit-identical to engine.gram and exactly symmetric", async () => {
  const e = await engine(), t = await threads();
  for (const [m, d] of [[5, 3], [2000, 17], [3000, 100], [500, 129]]) {
    const X = randMatrix(m, d, m + d);
    const one = e.gram(X), two = t.gram(X);
    assert.ok(bitsEqual(one.data, two.data), `gram ${m}x${d}`);
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) assert.is(two.data[i * d + j], two.data[j * d + i]);
  }
});

test("threads: same typed errors as the engine, and the context still works after them", async () => {
  const t = await threads();
  const A = randMatrix(2, 3, 1);
  throwsWith(() => t.matmul(A, A), InvalidArgumentError, "invalid argument. B.rows must be equal to the inner dimension of op(A) (3). Value: `2`.");
  throwsWith(() => t.matmul(A, { rows: 3, cols: 2, data: Float64Array.from([1, NaN, 0, 0, 0, 0]) }), InvalidArgumentError, "B.data[1] must be a finite number. Value: `NaN`.");
  throwsWith(() => t.gram({ rows: 0, cols: 2, data: new Float64Array(0) }), InvalidArgumentError, "X.rows must be a positive integer <= 268435456. Value: `0`.");
  const I = { rows: 2, cols: 2, data: Float64Array.from([1, 2, 3, 4]) };
  assert.equal(Array.from(t.matmul(I, I).data), [7, 10, 15, 22]);
});

test("threads: fallback (threads.wasm unavailable) gives the same bits with a reason; closed context throws", async () => {
  const e = await engine();
  const fb = await createGemmThreads(e, { wasm: new Uint8Array([0, 1, 2, 3]) });
  assert.is(fb.threads, 1);
  assert.ok(/threads\.wasm could not be loaded/.test(fb.fallbackReason ?? ""), fb.fallbackReason);
  const A = randMatrix(300, 200, 5), B = randMatrix(200, 100, 6);
  assert.ok(bitsEqual(fb.matmul(A, B).data, e.matmul(A, B).data));
  await fb.close();
  const t = await createGemmThreads(e);
  await t.close();
  throwsWith(() => t.matmul(A, B), InternalError, "GemmThreads used after close()");
});

test("threads: row-split path (overlapped copies) reports non-finite inputs like the engine and leaves options.out untouched", async () => {
  const t = await threads();
  const A = randMatrix(200, 150, 5), B = randMatrix(150, 120, 6); // 7.2 MFLOP: above the split threshold
  const poke = (M: { rows: number; cols: number; data: Float64Array }, i: number, v: number) => {
    const data = M.data.slice();
    data[i] = v;
    return { rows: M.rows, cols: M.cols, data };
  };
  const out = { rows: 200, cols: 120, data: new Float64Array(200 * 120).fill(7) };
  // Last row of A (worker's rows), first row of A (caller's rows), B anywhere.
  for (const [badA, badB, want] of [
    [poke(A, A.data.length - 1, NaN), B, "A.data[29999] must be a finite number. Value: `NaN`."],
    [poke(A, 3, Infinity), poke(B, 0, NaN), "A.data[3] must be a finite number. Value: `Infinity`."],
    [A, poke(B, B.data.length - 1, -Infinity), "B.data[17999] must be a finite number. Value: `-Infinity`."],
  ] as const) {
    throwsWith(() => t.matmul(badA, badB), InvalidArgumentError, want);
    throwsWith(() => t.matmul(badA, badB, { out }), InvalidArgumentError, want);
    assert.ok(out.data.every((v) => v === 7), "options.out untouched on error");
  }
  const e = await engine();
  assert.ok(bitsEqual(t.matmul(A, B, { out }).data, e.matmul(A, B).data));
  // Gram with the copy of X overlapped (m > KC rows): NaN in the first block, in a later block, in either column half.
  const X = randMatrix(700, 40, 7);
  for (const at of [5, 300 * 40 + 39, 699 * 40]) {
    throwsWith(() => t.gram(poke(X, at, NaN)), InvalidArgumentError, `X.data[${at}] must be a finite number. Value: \`NaN\`.`);
  }
  assert.ok(bitsEqual(t.gram(X).data, e.gram(X).data));
});

test("threads: close the shared context", async () => {
  await (await threads()).close();
});

test.run();
