// Vectorized exp/cos/sin (assembly/math/vmath_f64.ts): ulp error against Math.* on many points, special values,
// and the invariant that an element's result does not depend on its neighbours (scalar fallback lanes).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, testRng } from "./helpers.js";

/** Distance in units in the last place of the reference value. */
function ulps(a: number, ref: number): number {
  if (Object.is(a, ref)) return 0;
  if (Number.isNaN(a) || Number.isNaN(ref)) return Number.isNaN(a) && Number.isNaN(ref) ? 0 : Infinity;
  const m = Math.abs(ref);
  const e = m === 0 ? -1074 : Math.max(Math.floor(Math.log2(m)) - 52, -1074);
  return Math.abs(a - ref) / 2 ** e;
}

type Fn = "vm_cos_f64" | "vm_sin_f64" | "vm_exp_f64";
async function run(fn: Fn, x: Float64Array): Promise<Float64Array> {
  const e = await engine();
  return e.core.scope((ar) => {
    const p = ar.put(x), q = ar.allocF64(x.length);
    (e.core.x[fn] as (a: number, b: number, n: number) => void)(p, q, x.length);
    return ar.take(q, x.length);
  });
}

test("vmath: cos/sin within 1 ulp of Math.cos/Math.sin for |x| <= 1000 (2^18 random points + grid near kπ/2)", async () => {
  const seed = 4242;
  const r = testRng(seed);
  const n = 1 << 18;
  const x = new Float64Array(n + 4000);
  for (let i = 0; i < n; i++) x[i] = (2 * r() - 1) * (i % 3 === 0 ? 1000 : i % 3 === 1 ? 10 : 1);
  for (let k = 0; k < 4000; k++) x[n + k] = (k - 2000) * Math.PI / 2 + (r() - 0.5) * 1e-3;
  for (const [fn, ref] of [["vm_cos_f64", Math.cos], ["vm_sin_f64", Math.sin]] as [Fn, (v: number) => number][]) {
    const y = await run(fn, x);
    let worst = 0, at = 0;
    for (let i = 0; i < x.length; i++) {
      const u = ulps(y[i], ref(x[i]));
      // near a zero of the function, both libraries' reduction error (~|n| 2^-99 absolute) is counted in ulps of a tiny
      // value; we bound the absolute error there by 2^-60 instead.
      const tiny = Math.abs(ref(x[i])) < 1e-3 && Math.abs(y[i] - ref(x[i])) < 2 ** -60;
      if (!tiny && u > worst) { worst = u; at = x[i]; }
    }
    assert.ok(worst <= 1, `seed ${seed}: ${fn} worst ${worst} ulp at x = ${at}`);
  }
});

test("vmath: cos/sin within 2 ulp for |x| < 2^19 and exact fallback beyond; exp within 1 ulp on [-708, 709]", async () => {
  const r = testRng(99);
  const n = 1 << 16;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = (2 * r() - 1) * 500000;
  for (const [fn, ref] of [["vm_cos_f64", Math.cos], ["vm_sin_f64", Math.sin]] as [Fn, (v: number) => number][]) {
    const y = await run(fn, x);
    let worst = 0;
    for (let i = 0; i < n; i++) if (Math.abs(ref(x[i])) > 1e-6) worst = Math.max(worst, ulps(y[i], ref(x[i])));
    assert.ok(worst <= 2, `${fn} worst ${worst} ulp`);
  }
  const xe = new Float64Array(n);
  for (let i = 0; i < n; i++) xe[i] = (2 * r() - 1) * (i % 2 ? 708 : 5);
  const ye = await run("vm_exp_f64", xe);
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, ulps(ye[i], Math.exp(xe[i])));
  assert.ok(worst <= 1, `exp worst ${worst} ulp`);
});

test("vmath: special values and neighbour independence", async () => {
  const x = Float64Array.from([0, -0, NaN, Infinity, -Infinity, 1e300, -745.2, 710, 800, -800, 1e-300, 3]);
  const c = await run("vm_cos_f64", x), s = await run("vm_sin_f64", x), e = await run("vm_exp_f64", x);
  assert.is(c[0], 1); assert.is(s[0], 0); assert.is(s[1], 0); // sign of zero not preserved (documented)
  assert.ok(Number.isNaN(c[2]) && Number.isNaN(c[3]) && Number.isNaN(s[4]));
  assert.is(c[5], Math.cos(1e300));
  assert.is(e[3], Infinity); assert.is(e[4], 0); assert.is(e[7], Math.exp(710)); assert.is(e[8], Infinity); assert.is(e[9], 0);
  assert.is(e[0], 1);
  // The same value alone, next to a huge value, or next to ordinary values gives the same bits.
  const v = 1.2345678;
  for (const fn of ["vm_cos_f64", "vm_sin_f64", "vm_exp_f64"] as Fn[]) {
    const a = await run(fn, Float64Array.from([v])), b = await run(fn, Float64Array.from([1e300, v, 2, 3])), d = await run(fn, Float64Array.from([0.5, v, 2, 3, 4]));
    assert.ok(Object.is(a[0], b[1]) && Object.is(a[0], d[1]), fn);
  }
});

test.run();
