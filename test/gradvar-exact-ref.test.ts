// gradVarianceExact against 120-digit mpmath references (test/fixtures/gradvar-exact-ref.json, made by the committed
// test/fixtures/gradvar-exact-ref.py): within 1e-12 relative for d <= 1e6 and s = r |θ| <= 1e6 — `variance` wherever the
// reference is a normal double, `logVariance` everywhere (relative to max(1, |ln Var|)) — and a typed error naming the
// supported range outside it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { gradVarianceExact, MAX_DIM, MAX_S } from "../src/gradvar/exact.js";
import { InvalidArgumentError } from "../src/errors.js";

interface Ref { dim: number; radius: number; thetaNorm: number; variance: string; logVariance: string; meanCoefficient: string }
const doc = JSON.parse(readFileSync(new URL("./fixtures/gradvar-exact-ref.json", import.meta.url), "utf8")) as { rows: Ref[] };

/** Relative errors of every reference row (exported for the README's error table). */
export function errors() {
  return doc.rows.map((ref) => {
    const got = gradVarianceExact({ dim: ref.dim, radius: ref.radius, thetaNorm: ref.thetaNorm });
    const v = Number(ref.variance), lv = Number(ref.logVariance);
    const normal = v >= 2.3e-308 && Number.isFinite(v);
    return {
      ...ref, got: got.variance, gotLog: got.logVariance,
      relVariance: normal ? Math.abs(got.variance - v) / v : NaN,
      relLog: Math.abs(got.logVariance - lv) / Math.max(1, Math.abs(lv)),
      relClosed: normal ? Math.abs(got.varianceClosed - v) / v : NaN,
    };
  });
}

test("the reference table covers d up to 1e6 and s = r|θ| up to 1e6, incl. d = 10, 100 at r = |θ| = 1000", () => {
  assert.ok(doc.rows.length >= 100);
  assert.ok(doc.rows.some((r) => r.dim === 1e6) && doc.rows.some((r) => r.radius * r.thetaNorm === 1e6));
  for (const d of [10, 100]) assert.ok(doc.rows.some((r) => r.dim === d && r.radius === 1000 && r.thetaNorm === 1000));
});

test("variance within 1e-12 relative of the reference where it is a normal double; logVariance everywhere", () => {
  const bad: string[] = [];
  for (const e of errors()) {
    if (!(e.relLog <= 1e-12)) bad.push(`log d=${e.dim} r=${e.radius} t=${e.thetaNorm}: ${e.relLog}`);
    if (Number.isFinite(e.relVariance) && !(e.relVariance <= 1e-12)) bad.push(`var d=${e.dim} r=${e.radius} t=${e.thetaNorm}: ${e.relVariance}`);
  }
  assert.equal(bad, []);
});

test("outside the supported range: a typed error naming the range, never a ConvergenceError or NaN", () => {
  const cases = [
    { dim: 10, radius: 1e308, thetaNorm: 1 },
    { dim: 10, radius: 2000, thetaNorm: 1000 },
    { dim: MAX_DIM + 1, radius: 1, thetaNorm: 1 },
    { dim: 2, radius: 1, thetaNorm: 1e200 },
    { dim: 3, radius: 1e-100, thetaNorm: 1 }, // s = 1e-100: log-space evaluation would underflow (was -Infinity)
    { dim: 3, radius: 1, thetaNorm: 1e-160 }, // s = 1e-160: was a ConvergenceError in the 0F1 series
  ];
  for (const c of cases) {
    try {
      gradVarianceExact(c);
      assert.unreachable(`accepted ${JSON.stringify(c)}`);
    } catch (e) {
      assert.instance(e, InvalidArgumentError);
      assert.match((e as Error).message, /at most|at least|<= 1000000/);
    }
  }
  // The edges of the range are accepted and finite.
  for (const c of [{ dim: MAX_DIM, radius: 1000, thetaNorm: MAX_S / 1000 }, { dim: 2, radius: 1e150, thetaNorm: 1e-144 }, { dim: 3, radius: 1e-150, thetaNorm: 1e150 }]) {
    const r = gradVarianceExact(c);
    for (const k of ["variance", "varianceClosed", "meanCoefficient", "lossMean", "lossVariance"] as const) assert.ok(Number.isFinite(r[k]), `${k} at ${JSON.stringify(c)}: ${r[k]}`);
    assert.ok(r.logVariance < 0 && Number.isFinite(r.logVariance));
  }
});

test.run();
