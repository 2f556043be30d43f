/**
 * Gradient-variance estimator benchmark: the cos predictor p_θ(x) = cos<θ,x>, target cos<w,x>,
 * n samples, d dims, J directions. Effective GFLOP/s = 4 n d J / t (the two GEMMs Z = X W^T and G = Y^T ψ(Z)).
 * hardlearn (1 worker = in-process; 2 workers = pool) vs a plain-JS implementation of the same estimator (same
 * blocks, same U-statistic) that gets X and W precomputed. The "self" row gets the same X (apples to apples); the
 * other hardlearn rows include sampling X (n d standard normals) inside the call.
 * numpy (bench/peers/numpy_peer.py "gradvar": the same blocks, GEMMs and U-statistic, X and W given) runs in a child
 * python3 with 1 and 2 BLAS threads where python3 has numpy.
 */
import type { BenchContext } from "./harness.js";
import { numpyTime } from "./peers/numpy.js";
import { createEngine, type Engine } from "../src/index.js";

/** Plain-JS estimator: for each direction chunk, loop rows; g^b_j += (2/n_b) cos<w_j,x_i> sin<θ,x_i> x_i. */
function plainEstimator(X: Float64Array, W: Float64Array, theta: Float64Array, n: number, d: number, J: number, K: number): number {
  const sn = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let k = 0; k < d; k++) h += theta[k] * X[i * d + k];
    sn[i] = Math.sin(h);
  }
  const bs = Array.from({ length: K + 1 }, (_, b) => Math.floor((b * n) / K));
  const G = new Float64Array(K * J * d); // block b, direction j, param k
  const z = new Float64Array(J);
  for (let b = 0; b < K; b++) {
    const sc = 2 / (bs[b + 1] - bs[b]);
    for (let i = bs[b]; i < bs[b + 1]; i++) {
      const xo = i * d;
      for (let j = 0; j < J; j++) {
        let s = 0;
        const wo = j * d;
        for (let k = 0; k < d; k++) s += W[wo + k] * X[xo + k];
        z[j] = sc * sn[i] * Math.cos(s);
      }
      for (let j = 0; j < J; j++) {
        const c = z[j], go = (b * J + j) * d;
        for (let k = 0; k < d; k++) G[go + k] += c * X[xo + k];
      }
    }
  }
  // U-statistic over block pairs.
  const mean = new Float64Array(K * d);
  for (let b = 0; b < K; b++) for (let j = 0; j < J; j++) for (let k = 0; k < d; k++) mean[b * d + k] += G[(b * J + j) * d + k] / J;
  let est = 0;
  for (let b = 0; b < K; b++) for (let l = b + 1; l < K; l++) {
    let s = 0;
    for (let j = 0; j < J; j++) for (let k = 0; k < d; k++) s += (G[(b * J + j) * d + k] - mean[b * d + k]) * (G[(l * J + j) * d + k] - mean[l * d + k]);
    est += (2 * s) / (J - 1);
  }
  return est / (K * (K - 1));
}

export default async function (ctx: BenchContext): Promise<void> {
  const e: Engine = await createEngine();
  const fma: Engine = await createEngine({ fma: true });
  const sizes = ctx.smoke ? [[500, 10, 20]] : [[20000, 100, 1000], [100000, 50, 200]];
  for (const [n, d, J] of sizes) {
    const theta = new Float64Array(d); theta[0] = 1;
    const opts = { dim: d, radius: 2, theta, directions: J, samples: n, seed: 11 };
    const X = e.rng(11).stream(0).normal(n * d);
    const W = e.rng(11).stream(1).sphere(J, d, 2).data;
    const Xm = { rows: n, cols: d, data: X };
    await ctx.group({
      title: `gradvar estimator cos n=${n} d=${d} J=${J} (effective GFLOP/s = 4ndJ/t)`,
      flops: 4 * n * d * J,
      tasks: [
        // Same inputs as the plain-JS peer (X given, W sampled inside: J d normals, negligible).
        { name: "hardlearn gradVariance 1 worker (X given)", self: true, fn: () => e.gradVariance({ ...opts, samples: undefined, X: Xm }) },
        { name: "hardlearn gradVariance 1 worker (samples X itself)", fn: () => e.gradVariance(opts) },
        ...(fma.fma.active ? [{ name: "hardlearn gradVariance 1 worker, FMA mode (X given)", peak: "madd" as const,
          fn: () => fma.gradVariance({ ...opts, samples: undefined, X: Xm }) }] : []),
        {
          name: "hardlearn gradVariance 2 workers (samples X itself)",
          setup: async () => { await e.gradVariance({ ...opts, samples: 100, directions: 4, workers: 2 }); },
          fn: () => e.gradVariance({ ...opts, workers: 2 }),
        },
        { name: "plain JS (same estimator, X and W given)", fn: () => plainEstimator(X, W, theta, n, d, J, 8) },
        // Lower bounds, not runs: the two GEMMs alone (4ndJ flops) at the in-process WASM peak of this run. When this
        // row is slower than numpy / 1.5, no single-worker WASM implementation of the estimator can reach that target.
        ...(ctx.peaks ? [{ name: "bound: the two GEMMs alone at the in-process mul+add peak (4ndJ / peak)", fn: () => 0,
          external: () => (4 * n * d * J) / (ctx.peaks!.muladd * 1e9) }] : []),
        ...(ctx.peaks?.madd ? [{ name: "bound: the two GEMMs alone at the in-process relaxed_madd peak", peak: "madd" as const, fn: () => 0,
          external: () => (4 * n * d * J) / (ctx.peaks!.madd! * 1e9) }] : []),
        ...[1, 2].map((t) => ({ name: `numpy ${t} BLAS thread${t > 1 ? "s" : ""} (same estimator, X and W given)`, fn: () => 0,
          external: () => numpyTime({ op: "gradvar", n, d, J }, t).seconds })),
      ],
    });
  }
  await e.closeWorkers();
}
