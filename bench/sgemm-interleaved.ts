/**
 * Short interleaved float32 comparison for a shared machine (the targets of the float32 benchmark, without the
 * tinybench groups): per n, round-robin over the in-process float32 peak (peak_f32, 40 ms CPU-time runs), the SGEMM
 * kernel with each register tile, 4x8 and 6x8 (operands in WASM memory), engine.matmul with each tile (the API, copies and checks included), the 2-thread matmul (wall
 * time: its CPU time counts both threads), the FMA-build kernel and engine.matmul (both tiles) and its relaxed_madd peak when the host has relaxed
 * SIMD, tfjs-backend-wasm (1 thread) and jax-js; each keeps its best time. Prints fractions of the peak measured in
 * the same rounds and the ratios to the peers. Peers: see bench/sgemm.bench.ts (npm run bench:peers).
 *
 * Then (unless --no-epoch) one SGD epoch (1e5 samples, d = 100, width 200, batch 256) float32 vs float64 kernels,
 * round-robin, best CPU time each.
 *
 *   node --import tsx bench/sgemm-interleaved.ts [--ms 6000] [--sizes 256,512,1024] [--no-peers] [--no-epoch]
 */
import { createEngine, createGemmThreads, type Engine, type Matrix32 } from "../src/index.js";
import { putF32 } from "../src/linalg/matmul_f32.js";
import { peakOf } from "./peak.js";
import { epochTasks, loadJaxPeer, loadTfPeer } from "./sgemm.bench.js";

const arg = (name: string, dflt: string) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : dflt; };
const ms = Number(arg("--ms", "6000")), sizes = arg("--sizes", "256,512,1024").split(",").map(Number);
const withPeers = !process.argv.includes("--no-peers");
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

function rand32(n: number, seed: number): Float32Array {
  const d = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; d[i] = s / 2147483648 - 1; }
  return d;
}

// Both float32 register tiles, fixed (no calibration), in the same rounds: 4x8 (the default) and 6x8.
const e = await createEngine({ sgemmTuning: { kernel: "tile4x8" } });
const e6 = await createEngine({ sgemmTuning: { kernel: "tile6x8" } });
const fe = await createEngine({ fma: true, sgemmTuning: { kernel: "tile4x8" } });
const fe6 = await createEngine({ fma: true, sgemmTuning: { kernel: "tile6x8" } });
const fma = fe.fma.active;
const t2 = await createGemmThreads(e);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let tf: any, jax: any;
if (withPeers) {
  try { tf = await loadTfPeer(); } catch (err) { console.log(`tfjs-wasm unavailable: ${(err as Error).message}`); }
  try { jax = await loadJaxPeer(); } catch (err) { console.log(`jax-js unavailable: ${(err as Error).message}`); }
}
console.log(`# float32 interleaved, node ${process.version}, ${new Date().toISOString()}, ${ms} ms per n; FMA build: ${fma ? `active (fused: ${fe.fma.fused})` : `inactive (${fe.fma.note ?? "no relaxed SIMD"})`}; 2 threads: ${t2.threads === 2 ? "active" : `fallback (${t2.fallbackReason})`}`);
console.log("| n | f32 peak | kernel 4x8 (fraction) | kernel 6x8 (fraction) | 6x8 / 4x8 | matmul 4x8 (fraction) | matmul 6x8 (fraction) | 2-thread matmul, wall (fraction of 2 x peak) | FMA kernel 4x8 (fraction of FMA peak) | FMA kernel 6x8 (fraction) | FMA 6x8 / 4x8 | tfjs-wasm 1T | jax-js | matmul 4x8 / tfjs | matmul 6x8 / tfjs | FMA matmul 4x8 / tfjs | FMA matmul 6x8 / tfjs | matmul / jax | 2T / tfjs | 2T / jax |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
const kernelOf = (en: Engine, A: Float32Array, B: Float32Array, n: number) => {
  const ar = en.core.arena, mark = ar.mark();
  const pC = ar.alloc(4 * n * n), pA = putF32(ar, A), pB = putF32(ar, B);
  return { fn: () => en.core.x.gemm_f32(0, 0, n, n, n, 1, pA, n, pB, n, 0, pC, n), release: () => ar.release(mark) };
};
for (const n of sizes) {
  const A = rand32(n * n, 1), B = rand32(n * n, 2);
  const MA: Matrix32 = { rows: n, cols: n, data: A }, MB: Matrix32 = { rows: n, cols: n, data: B };
  const k = kernelOf(e, A, B, n), k6 = kernelOf(e6, A, B, n);
  const fk = fma ? kernelOf(fe, A, B, n) : undefined, fk6 = fma ? kernelOf(fe6, A, B, n) : undefined;
  const tasks: Array<{ name: string; fn: () => unknown; wall?: boolean }> = [
    { name: "kernel", fn: k.fn }, { name: "kernel6", fn: k6.fn },
    { name: "matmul", fn: () => e.matmul(MA, MB) }, { name: "matmul6", fn: () => e6.matmul(MA, MB) },
    { name: "2T", fn: () => t2.matmul(MA, MB), wall: true },
  ];
  if (fk && fk6) {
    tasks.push({ name: "fma", fn: fk.fn }, { name: "fma6", fn: fk6.fn });
    tasks.push({ name: "fmatmul", fn: () => fe.matmul(MA, MB) }, { name: "fmatmul6", fn: () => fe6.matmul(MA, MB) });
  }
  const cleanup: Array<() => void> = [];
  if (tf) {
    const ta = tf.tensor2d(A, [n, n]), tb = tf.tensor2d(B, [n, n]);
    tasks.push({ name: "tfjs", fn: () => { const c = tf.matMul(ta, tb); c.dataSync(); c.dispose(); } });
    cleanup.push(() => { ta.dispose(); tb.dispose(); });
  }
  if (jax) {
    const np = jax.numpy, ja = np.array(A).reshape([n, n]), jb = np.array(B).reshape([n, n]);
    tasks.push({ name: "jax", fn: async () => { const c = np.matmul(ja.ref, jb.ref); await c.data(); } });
  }
  for (const t of tasks) await t.fn();
  const best = new Map<string, number>();
  let peak = 0, fpeak = 0;
  const end = Date.now() + ms;
  for (let r = 0; r < 3 || Date.now() < end; r++) {
    peak = Math.max(peak, peakOf(e, 40, "f32"));
    if (fma) fpeak = Math.max(fpeak, peakOf(fe, 40, "f32"));
    for (const t of tasks) {
      const t0 = t.wall ? performance.now() / 1000 : cpu();
      await t.fn();
      const s = (t.wall ? performance.now() / 1000 : cpu()) - t0;
      best.set(t.name, Math.min(best.get(t.name) ?? Infinity, s));
    }
  }
  const g = (name: string) => (best.has(name) ? 2 * n ** 3 / best.get(name)! / 1e9 : undefined);
  const f = (x: number | undefined, d = 1) => (x === undefined ? "-" : x.toFixed(d));
  const r = (a: number | undefined, b: number | undefined) => (a && b ? (a / b).toFixed(2) : "-");
  const [kr, k6r, mr, m6r, m2, fr, f6r, fm, fm6, tr, jr] = ["kernel", "kernel6", "matmul", "matmul6", "2T", "fma", "fma6", "fmatmul", "fmatmul6", "tfjs", "jax"].map(g);
  const fp = (x: number | undefined, p: number) => (x ? `${f(x)} (${f(x / p, 3)})` : "-");
  console.log(`| ${n} | ${f(peak)} | ${fp(kr, peak)} | ${fp(k6r, peak)} | ${r(k6r, kr)} | ${fp(mr, peak)} | ${fp(m6r, peak)} | ${f(m2)} (${f(m2! / (2 * peak), 3)}) | ${fp(fr, fpeak)} | ${fp(f6r, fpeak)} | ${r(f6r, fr)} | ${f(tr)} | ${f(jr)} | ${r(mr, tr)} | ${r(m6r, tr)} | ${r(fm, tr)} | ${r(fm6, tr)} | ${r(mr, jr)} | ${r(m2, tr)} | ${r(m2, jr)} |`);
  k.release(); k6.release(); fk?.release(); fk6?.release();
  for (const c of cleanup) c();
}
await t2.close();
if (!process.argv.includes("--no-epoch")) {
  const ep = epochTasks(e, 100000, 100, 200, 256);
  for (const t of ep) await t.setup!();
  const best = [Infinity, Infinity];
  const end = Date.now() + 2 * ms;
  for (let r = 0; r < 3 || Date.now() < end; r++) {
    ep.forEach((t, i) => { const t0 = cpu(); t.fn(); best[i] = Math.min(best[i], cpu() - t0); });
  }
  for (const t of [...ep].reverse()) t.release();
  console.log(`SGD epoch (1e5 x 100, width 200, batch 256), best CPU time: float32 ${(best[0] * 1000).toFixed(0)} ms, float64 ${(best[1] * 1000).toFixed(0)} ms, float64 / float32 = ${(best[1] / best[0]).toFixed(2)}`);
}
