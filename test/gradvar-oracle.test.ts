// Theorem 4 simulation (PAPERS §2.5): δ-approximate oracle GD vs exact-gradient GD.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InvalidArgumentError, gradVarianceExact } from "../src/index.js";
import { engine, rejectsWith } from "./helpers.js";

test("oracle: with δ = (max Var)^{1/3} the trajectories for all w* coincide bit for bit; exact GD does not", async () => {
  const e = await engine();
  const theta0 = new Float64Array(20); theta0[0] = 1; theta0[1] = 0.5;
  const res = await e.oracleSimulation({ dim: 20, radius: 6, theta0, targets: 12, seed: 3, steps: 40 });
  assert.ok(Math.abs(res.delta - Math.cbrt(res.maxVariance)) < 1e-15 * res.delta);
  // maxVariance is the exact variance at the worst point of the common path, at least the one at θ0.
  assert.ok(res.maxVariance >= gradVarianceExact({ dim: 20, radius: 6, thetaNorm: Math.hypot(1, 0.5) }).variance);
  assert.is(res.failureRate, 0);
  assert.is(res.trajectoriesCoincide, true);
  assert.is(res.oracleSpread, 0);
  assert.ok(res.exactSpread > 0);
  assert.ok(res.failureBound <= 40 * res.delta + 1e-15);
  assert.is(res.commonNorms.length, 41);
});

test("oracle: a tiny δ makes every query fail, and the oracle run becomes exact GD", async () => {
  const e = await engine();
  const theta0 = Float64Array.from([0.8, -0.3, 0.2]);
  const res = await e.oracleSimulation({ dim: 3, radius: 1, theta0, targets: 5, seed: 8, steps: 15, delta: 1e-14 });
  assert.is(res.failureRate, 1);
  assert.is(res.targetFailureRate, 1);
  assert.is(res.trajectoriesCoincide, false);
  for (const r of res.rows) assert.equal(r.oracleFinal, r.exactFinal);
});

test("oracle: bad inputs give typed errors", async () => {
  const e = await engine();
  const ok = { dim: 3, radius: 1, theta0: Float64Array.from([1, 0, 0]), targets: 3, seed: 1, steps: 2 };
  await rejectsWith(e.oracleSimulation({ ...ok, radius: 0 }), InvalidArgumentError, "options.radius");
  await rejectsWith(e.oracleSimulation({ ...ok, targets: 1 }), InvalidArgumentError, "options.targets");
  await rejectsWith(e.oracleSimulation({ ...ok, theta0: Float64Array.from([1, 0]) }), InvalidArgumentError, "options.theta0.length");
  await rejectsWith(e.oracleSimulation({ ...ok, delta: -1 }), InvalidArgumentError, "options.delta");
  await rejectsWith(e.oracleSimulation({ ...ok, theta0: Float64Array.from([1, NaN, 0]) }), InvalidArgumentError, "options.theta0[1]");
});

test.run();
