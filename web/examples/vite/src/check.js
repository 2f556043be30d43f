// The computations the example app runs, shared (byte-identical copy) by every example app and by the test that
// runs them in Node: results are returned as exact bits (hex of the float64 bytes, or JSON, which round-trips
// float64 exactly), so "same bits as Node" is a string comparison.

/** Hex of the IEEE-754 bytes of each value. */
export function hexBits(values) {
  const a = Float64Array.from(values);
  return Array.from(new Uint8Array(a.buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Options of the pooled gradient-variance run (small: a second or two in a browser). */
export function gradVarianceOptions(workers) {
  const dim = 8;
  const theta = Float64Array.from({ length: dim }, (_, i) => Math.sin(i + 1) / 2);
  return { dim, radius: 1.5, theta, directions: 120, samples: 1500, seed: 2026, blocks: 3, workers };
}

/** Seeded normals and a product of seeded matrices, as bits. */
export function seeded(engine, seed = 12345) {
  const rng = engine.rng(seed);
  const normals = rng.normal(16);
  const A = { rows: 37, cols: 29, data: rng.normal(37 * 29) };
  const B = { rows: 29, cols: 23, data: rng.normal(29 * 23) };
  return { normals: hexBits(normals), matmul: hexBits(engine.matmul(A, B).data) };
}

/** Everything the test compares with Node: seeded bits, gradVariance with 1 and 2 workers (JSON), timings. */
export async function runChecks(engine) {
  const t0 = performance.now();
  const s = seeded(engine);
  const t1 = performance.now();
  const gv1 = JSON.stringify(await engine.gradVariance(gradVarianceOptions(1)));
  const t2 = performance.now();
  const gv2 = JSON.stringify(await engine.gradVariance(gradVarianceOptions(2)));
  const t3 = performance.now();
  return { ...s, gv1, gv2, ms: { seeded: t1 - t0, workers1: t2 - t1, workers2: t3 - t2 } };
}
