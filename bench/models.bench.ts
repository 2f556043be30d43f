/**
 * Models benchmark: one minibatch-SGD epoch of a depth-2 ReLU network (all-ones second layer, squared loss)
 * over m = 10^5 samples, d = 100, width 200, batch 256 — hardlearn (float64, WASM on GEMM) side by side with the
 * same model in TF.js (@tensorflow/tfjs-backend-wasm, float32, single thread) and with plain JS loops (float64).
 * Reported as samples per second and the speedup of hardlearn over each peer. Smoke mode: m = 512, d = 8, width 4.
 *
 * Work per epoch: forward X_B W (2 b d k flops per batch) and backward X_B^T G (2 b d k), i.e. about 4 m d k flops
 * = 8 GFLOP at full size. Every peer visits the same fixed permutation in the same batches.
 */
import { createRequire } from "node:module";
import path from "node:path";
import type { BenchContext } from "./harness.js";
import { createEngine, trainNetworkSync, type Engine, type Matrix } from "../src/index.js";

type Tf = typeof import("@tensorflow/tfjs-core");
let tfReady: Promise<Tf> | undefined;

/** TF.js with the WASM backend, single thread; the .wasm binaries are read from the npm package's dist folder. */
async function loadTf(): Promise<Tf> {
  return (tfReady ??= (async () => {
    const tf = await import("@tensorflow/tfjs-core");
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")) + path.sep + "dist" + path.sep;
    wasm.setWasmPaths(dir);
    if (typeof wasm.setThreadsCount === "function") wasm.setThreadsCount(1);
    if (!(await tf.setBackend("wasm"))) throw new Error("tfjs wasm backend failed to initialize");
    await tf.ready();
    return tf;
  })());
}

function permutation(m: number, seed: number): Int32Array {
  const p = new Int32Array(m);
  for (let i = 0; i < m; i++) p[i] = i;
  let s = seed >>> 0;
  for (let i = m - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}

/** One SGD epoch in plain JS (float64): the reference peer, same math as the WASM kernel. */
function jsEpoch(X: Float64Array, y: Float64Array, W: Float64Array, m: number, d: number, k: number, batch: number, lr: number, perm: Int32Array): number {
  const Z = new Float64Array(batch * k), G = new Float64Array(d * k);
  let total = 0;
  for (let i0 = 0; i0 < m; i0 += batch) {
    const bm = Math.min(batch, m - i0);
    G.fill(0);
    for (let i = 0; i < bm; i++) {
      const r0 = perm[i0 + i] * d;
      let s = 0;
      for (let j = 0; j < k; j++) Z[i * k + j] = 0;
      for (let p = 0; p < d; p++) {
        const x = X[r0 + p];
        for (let j = 0; j < k; j++) Z[i * k + j] += x * W[p * k + j];
      }
      for (let j = 0; j < k; j++) if (Z[i * k + j] > 0) s += Z[i * k + j];
      const r = s - y[perm[i0 + i]];
      total += r * r;
      const c = (2 / bm) * r;
      for (let j = 0; j < k; j++) Z[i * k + j] = Z[i * k + j] > 0 ? c : 0;
      for (let p = 0; p < d; p++) {
        const x = X[r0 + p];
        for (let j = 0; j < k; j++) G[p * k + j] += x * Z[i * k + j];
      }
    }
    for (let q = 0; q < d * k; q++) W[q] -= lr * G[q];
  }
  return total;
}

export default async function (ctx: BenchContext): Promise<void> {
  const m = ctx.smoke ? 512 : 100000, d = ctx.smoke ? 8 : 100, k = ctx.smoke ? 4 : 200, batch = ctx.smoke ? 64 : 256;
  const lr = 1e-4;
  const e: Engine = await createEngine();
  const rng = e.rng(2026);
  const X: Matrix = { rows: m, cols: d, data: rng.normal(m * d) };
  const U: Matrix = { rows: d, cols: 4, data: rng.normal(d * 4, 0, 1 / Math.sqrt(d)) };
  const y = e.reluNet({ W: U }, X);
  const W0: Matrix = { rows: d, cols: k, data: rng.normal(d * k, 0, 1 / Math.sqrt(d)) };
  const perm = permutation(m, 7);

  let tf: Tf | undefined;
  let tfState: { X: import("@tensorflow/tfjs-core").Tensor2D; y: import("@tensorflow/tfjs-core").Tensor1D; W: import("@tensorflow/tfjs-core").Variable; idx: import("@tensorflow/tfjs-core").Tensor1D[] } | undefined;

  await ctx.group({
    title: `models: one SGD epoch, m=${m}, d=${d}, width=${k}, batch=${batch} (samples/s)`,
    items: m,
    tasks: [
      {
        name: "hardlearn trainNetworkSync sgd (f64, WASM)",
        self: true,
        fn: () => trainNetworkSync(e, { X, y, width: k, init: { W: W0 }, optimizer: "sgd", batchSize: batch, epochs: 1, lr, history: false, seed: 1 }).steps,
      },
      {
        name: "tfjs-backend-wasm (f32, 1 thread)",
        setup: async () => {
          tf = await loadTf();
          const t = tf;
          const Xt = t.tensor2d(Float32Array.from(X.data), [m, d]);
          const yt = t.tensor1d(Float32Array.from(y));
          const W = t.variable(t.tensor2d(Float32Array.from(W0.data), [d, k]));
          const idx: import("@tensorflow/tfjs-core").Tensor1D[] = [];
          for (let i0 = 0; i0 < m; i0 += batch) idx.push(t.tensor1d(perm.slice(i0, Math.min(m, i0 + batch)), "int32"));
          tfState = { X: Xt, y: yt, W, idx };
        },
        fn: () => {
          const t = tf!, s = tfState!;
          // Same math as the WASM kernel, written with TF.js ops (manual backward pass: the tfjs-core CJS bundle that
          // Node loads ships without gradient registrations, and manual gradients avoid the tape overhead anyway).
          let last = 0;
          s.idx.forEach((ix, b) => {
            const loss = t.tidy(() => {
              const xb = t.gather(s.X, ix), yb = t.gather(s.y, ix);
              const Z = t.matMul(xb, s.W);
              const r = t.sub(t.sum(t.relu(Z), 1), yb);
              const G = t.mul(t.step(Z), t.reshape(t.mul(r, 2 / ix.shape[0]), [-1, 1]));
              s.W.assign(t.sub(s.W, t.mul(t.matMul(xb, G, true, false), lr)));
              return b === s.idx.length - 1 ? t.mean(t.square(r)) : undefined;
            });
            if (loss) { last = loss.dataSync()[0]; loss.dispose(); }
          });
          return last;
        },
      },
      {
        name: "plain JS loops (f64)",
        fn: () => jsEpoch(X.data, y, Float64Array.from(W0.data), m, d, k, batch, lr, perm),
      },
    ],
  });
  if (tfState) {
    tfState.X.dispose(); tfState.y.dispose(); tfState.W.dispose(); tfState.idx.forEach((t) => t.dispose());
  }
}
