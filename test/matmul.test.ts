import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, randMatrix } from "./helpers.js";

test("matmul: small product against hand values", async () => {
  const e = await engine();
  const A = { rows: 2, cols: 3, data: Float64Array.from([1, 2, 3, 4, 5, 6]) };
  const C = e.matmul(A, A, { transB: true });
  assert.equal(Array.from(C.data), [14, 32, 32, 77]);
});

test("matmul: engine still works after a shape error", async () => {
  const e = await engine();
  const A = randMatrix(3, 4, 1);
  assert.throws(() => e.matmul(A, A), /B\.rows must be equal to the inner dimension/);
  assert.is(e.matmul(A, A, { transB: true }).rows, 3);
});

test.run();
