/**
 * Issue 4 acceptance grid (not part of `npm test`; run with `node --import tsx test/gradvar-acceptance-grid.ts [n] [J] [workers]`):
 * Monte-Carlo vs exact gradient variance on d in {2, 3, 10, 100}, r in {1, 2, 4}, |θ| in {0.5, 1, 2}, printed as a
 * table with z = (estimate - exact) / stderr; exits with code 1 if any |z| > 3. Also exact vs independent quadrature.
 */
import { createEngine, gradVarianceExact } from "../src/index.js";

const n = Number(process.argv[2] ?? 20000), J = Number(process.argv[3] ?? 400), workers = Number(process.argv[4] ?? 1), seed = Number(process.argv[5] ?? 2026);
const e = await createEngine();
const t0 = performance.now();
const sweep = await e.gradVarianceSweep({ dims: [2, 3, 10, 100], radii: [1, 2, 4], thetaNorms: [0.5, 1, 2], samples: n, directions: J, seed, workers });
let bad = 0, worstZ = 0, worstRel = 0;
console.log(`| dim | radius | thetaNorm | exact | estimate | stderr | floor | z | resolved | finiteSampleVariance | closed-vs-quad rel |`);
console.log(`|---|---|---|---|---|---|---|---|---|---|---|`);
for (const r of sweep.rows) {
  const ex = gradVarianceExact({ dim: r.dim, radius: r.radius, thetaNorm: r.thetaNorm });
  const rel = Math.abs(ex.variance - ex.varianceClosed) / ex.variance;
  worstRel = Math.max(worstRel, rel);
  worstZ = Math.max(worstZ, Math.abs(r.z!));
  if (Math.abs(r.z!) > 3) bad++;
  const f = (x: number) => x.toExponential(4);
  console.log(`| ${r.dim} | ${r.radius} | ${r.thetaNorm} | ${f(r.exact!)} | ${f(r.estimate)} | ${f(r.stderr)} | ${f(r.floor)} | ${r.z!.toFixed(2)} | ${r.resolved} | ${f(r.finiteSampleVariance)} | ${rel.toExponential(1)} |`);
}
console.log(`\nn = ${n}, J = ${J}, workers = ${workers}, seed = ${seed}, ${sweep.rows.length} configs, max |z| = ${worstZ.toFixed(2)}, |z| > 3: ${bad}, worst closed-vs-quadrature rel = ${worstRel.toExponential(2)}, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await e.closeWorkers();
process.exit(bad > 0 ? 1 : 0);
