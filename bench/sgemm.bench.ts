/**
 * float32 benchmarks: SGEMM C = A B for n = 64 .. 1024, the tall shapes (Gram X^T X of 20000 x 100 and
 * (20000 x 50)(50 x 1000)), and one SGD epoch of the models benchmark (10^5 samples, d = 100, width 200, batch 256)
 * in float32 against float64. Every rate is also printed as a fraction of the in-process float32 peak measured in
 * the same run: peak_f32 (assembly/gemm/peak_f32.ts), 12 independent f32x4 multiply-add chains fed from L1 with the
 * micro-kernel's own multiply-add, compiled into the core (the float32 twin of bench/peak.ts), timed by process CPU
 * time (best of 7); with createEngine({ fma: true }) also the relaxed_madd peak and the FMA-mode kernel.
 *
 * Peers, all float32, all in this process except numpy: tfjs-backend-wasm (devDependency; single thread in Node),
 * jax-js (wasm device; Node 20 lacks `navigator`, which jax-js reads for its thread count: a stub with
 * hardwareConcurrency 1 is installed if missing) and numpy-ts, loaded from PEERS_DIR, else the pinned copies that
 * `npm run bench:peers` (bench/peers/install.mjs) puts in ~/.cache/hardlearn-peers, else ./node_modules (they are not
 * project dependencies);
 * numpy float32 (OpenBLAS) in a python3 subprocess with OPENBLAS_NUM_THREADS=1 and 2, timed by itself (best of
 * repeated calls) right after the group, when python3 has numpy.
 *
 * What is timed: "hardlearn matmul" is the public API (Float32Array inputs to a fresh Float32Array result: copies in
 * and out, finiteness and overflow checks); "kernel" is gemm_f32 on operands already in WASM memory. Peers multiply
 * tensors created before timing and read the result back into a typed array (tfjs dataSync, jax-js data(),
 * numpy-ts .data), which is their equivalent of the copy-out.
 * Noise: the machine is shared; tinybench medians of one group are taken at nearby times, and the "interleaved
 * best-of" table (full mode) runs kernel, API and peers round-robin and keeps each one's best process-CPU time
 * (wall time for the 2-thread row, whose CPU time counts both threads), so the ratios compare like with like.
 * Report ratios from one run, not absolute numbers.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createContext, type BenchContext, type BenchTask, type TaskResultRow } from "./harness.js";
import { createEngine, createGemmThreads, type Engine, type GemmThreads, type Matrix32 } from "../src/index.js";
import { putF32 } from "../src/linalg/matmul_f32.js";
import { peakOf } from "./peak.js";

/** Deterministic float32 inputs in [-1, 1) (LCG). */
function rand32(rows: number, cols: number, seed: number): Matrix32 {
  const data = new Float32Array(rows * cols);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2147483648 - 1;
  }
  return { rows, cols, data };
}

function transpose32(M: Matrix32): Matrix32 {
  const T = new Float32Array(M.data.length);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.cols; j++) T[j * M.rows + i] = M.data[i * M.cols + j];
  return { rows: M.cols, cols: M.rows, data: T };
}

// ------------------------------------------------------------------ peers

type Tf = typeof import("@tensorflow/tfjs-core");
let tfReady: Promise<Tf> | undefined;
/** tfjs-core with the tfjs-backend-wasm backend ready (1 thread: the backend disables threads in Node). */
export const loadTfPeer = (): Promise<Tf> => loadTf();
async function loadTf(): Promise<Tf> {
  return (tfReady ??= (async () => {
    const tf = await import("@tensorflow/tfjs-core");
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")) + path.sep + "dist" + path.sep);
    if (typeof wasm.setThreadsCount === "function") wasm.setThreadsCount(1);
    if (!(await tf.setBackend("wasm"))) throw new Error("tfjs wasm backend failed to initialize");
    await tf.ready();
    return tf;
  })());
}

function peerDirs(): string[] {
  const dirs = [];
  if (process.env.PEERS_DIR) dirs.push(path.resolve(process.env.PEERS_DIR));
  // bench/peers/install.mjs (npm run bench:peers) installs the pinned peers into this cache directory.
  const cache = path.resolve(process.env.HARDLEARN_PEERS_CACHE ?? path.join(os.homedir(), ".cache", "hardlearn-peers"));
  dirs.push(path.join(cache, "node_modules"), path.resolve("node_modules"));
  return dirs;
}

async function importPeer(pkg: string, entry: string): Promise<Record<string, unknown>> {
  for (const d of peerDirs()) {
    const f = path.join(d, pkg, entry);
    if (existsSync(f)) return import(pathToFileURL(f).href);
  }
  throw new Error(`${pkg} not installed (npm run bench:peers installs the pinned peers; or PEERS_DIR=DIR/node_modules)`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
let jaxReady: Promise<Any> | undefined;
/** jax-js, initialized (from PEERS_DIR or the bench:peers cache). */
export const loadJaxPeer = (): Promise<Any> => loadJax();
async function loadJax(): Promise<Any> {
  return (jaxReady ??= (async () => {
    const g = globalThis as Any;
    if (g.navigator === undefined) g.navigator = { hardwareConcurrency: 1 };
    const jax = await importPeer("@jax-js/jax", "dist/index.js");
    await (jax.init as () => Promise<unknown>)();
    return jax;
  })());
}

/** numpy float32 matmul timings from a python3 subprocess: best seconds per call for each (m, k, n). */
function numpyTimes(shapes: Array<[number, number, number]>, threads: number, budget: number): Map<string, number> | string {
  const script = `
import json, sys, time
import numpy as np
shapes = json.loads(sys.argv[1]); budget = float(sys.argv[2]); out = {}
rng = np.random.default_rng(1)
for m, k, n in shapes:
    a = rng.standard_normal((m, k), dtype=np.float32); b = rng.standard_normal((k, n), dtype=np.float32)
    a @ b
    best = 1e9; t_end = time.perf_counter() + budget; reps = 0
    while reps < 3 or time.perf_counter() < t_end:
        t0 = time.perf_counter(); c = a @ b; best = min(best, time.perf_counter() - t0); reps += 1
    out[f"{m}x{k}x{n}"] = best
print(json.dumps(out))
`;
  const r = spawnSync("python3", ["-c", script, JSON.stringify(shapes), String(budget)], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) },
    encoding: "utf8", timeout: 600_000,
  });
  if (r.status !== 0) return (r.stderr || r.error?.message || "python3 failed").trim().split("\n").at(-1)!;
  const o = JSON.parse(r.stdout) as Record<string, number>;
  return new Map(Object.entries(o));
}

// ------------------------------------------------------------------ tasks

/** The SGEMM kernel alone on operands already in WASM memory (arena held for the group). */
function kernelTask(e: Engine, A: Matrix32, B: Matrix32): BenchTask & { release: () => void } {
  const ar = e.core.arena;
  let mark = -1, pA = 0, pB = 0, pC = 0;
  return {
    name: "hardlearn gemm_f32 kernel (data already in WASM)",
    setup: () => { mark = ar.mark(); pC = ar.alloc(4 * A.rows * B.cols); pA = putF32(ar, A.data); pB = putF32(ar, B.data); },
    fn: () => { e.core.x.gemm_f32(0, 0, A.rows, B.cols, A.cols, 1, pA, A.cols, pB, B.cols, 0, pC, B.cols); return pC; },
    release: () => { if (mark >= 0) ar.release(mark); mark = -1; },
  };
}

function peerTasks(A: Matrix32, B: Matrix32): BenchTask[] {
  const m = A.rows, k = A.cols, n = B.cols;
  let tf: Tf | undefined, ta: Any, tb: Any, ja: Any, jb: Any, np: Any, na: Any, nb: Any;
  return [
    {
      name: "tfjs-backend-wasm (f32, 1 thread)",
      setup: async () => { tf = await loadTf(); ta = tf.tensor2d(A.data, [m, k]); tb = tf.tensor2d(B.data, [k, n]); },
      fn: () => { const c = tf!.matMul(ta, tb); const d = c.dataSync(); c.dispose(); return d[0]; },
    },
    {
      name: "jax-js (wasm, f32)",
      setup: async () => { const jax = await loadJax(); np = jax.numpy; ja = np.array(A.data).reshape([m, k]); jb = np.array(B.data).reshape([k, n]); },
      fn: async () => { const c = np.matmul(ja.ref, jb.ref); const d = await c.data(); return d[0]; },
    },
    {
      name: "numpy-ts (f32)",
      setup: async () => {
        const lib = await importPeer("numpy-ts", "dist/esm/index.js") as Any;
        na = lib.array(A.data, "float32").reshape([m, k]); nb = lib.array(B.data, "float32").reshape([k, n]);
      },
      fn: () => { const c = na.matmul(nb); return c.data[0]; },
    },
  ];
}

/** Rows for numpy (measured by python itself) appended to a group's result, with the same speedup convention. */
function numpyRows(ctx: BenchContext, title: string, flops: number, key: string, np1: Map<string, number> | string, np2: Map<string, number> | string, selfRow?: TaskResultRow): void {
  for (const [name, res] of [["numpy f32 (OpenBLAS, 1 thread, python3)", np1], ["numpy f32 (OpenBLAS, 2 threads, python3)", np2]] as const) {
    const sec = typeof res === "string" ? null : res.get(key) ?? null;
    const row: TaskResultRow = { group: title, task: name, seconds: sec, error: typeof res === "string" ? res : undefined };
    if (sec) {
      row.gflops = flops / sec / 1e9;
      if (selfRow?.seconds) row.speedupOfHardlearn = sec / selfRow.seconds;
    }
    ctx.rows.push(row);
    if (!ctx.smoke) console.log(`| ${name} | ${sec ? (sec * 1000).toPrecision(3) : `failed: ${row.error}`} | ${row.gflops?.toPrecision(3) ?? "-"} | ${row.speedupOfHardlearn?.toPrecision(3) ?? "-"} |`);
  }
}

const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };


/**
 * Round-robin best-of: each task runs once per round until `ms` have passed; returns best seconds per task (process
 * CPU time, or wall time for tasks marked `wall`).
 */
async function interleaved(tasks: Array<{ name: string; fn: () => unknown | Promise<unknown>; wall?: boolean }>, ms: number): Promise<Map<string, number>> {
  const best = new Map<string, number>();
  for (const t of tasks) await t.fn(); // warm-up
  const end = Date.now() + ms;
  for (let round = 0; round < 3 || Date.now() < end; round++) {
    for (const t of tasks) {
      const t0 = t.wall ? performance.now() / 1000 : cpu();
      await t.fn();
      const s = (t.wall ? performance.now() / 1000 : cpu()) - t0;
      best.set(t.name, Math.min(best.get(t.name) ?? Infinity, s));
    }
  }
  return best;
}

// ------------------------------------------------------------------ training epoch (kernel, data in WASM)

export function epochTasks(e: Engine, m: number, d: number, k: number, batch: number): Array<BenchTask & { release: () => void }> {
  const ar = e.core.arena, x = e.core.x;
  const X = rand32(m, d, 11), y = rand32(1, m, 12).data, W = rand32(d, k, 13);
  for (let i = 0; i < W.data.length; i++) W.data[i] *= 0.1;
  const perm = new Int32Array(m).map((_, i) => i);
  let s = 7;
  for (let i = m - 1; i > 0; i--) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; const j = s % (i + 1); const t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
  const make = (dtype: "float64" | "float32") => {
    let mark = -1, p: number[] = [];
    const w = dtype === "float32" ? 4 : 8;
    const put = (a: Float32Array) => dtype === "float32" ? putF32(ar, a) : ar.put(Float64Array.from(a));
    return {
      name: `hardlearn SGD epoch kernel, ${dtype}`,
      self: dtype === "float32",
      setup: () => {
        mark = ar.mark();
        const pX = put(X.data), py = put(y), pth = put(W.data), n = d * k;
        const ps1 = ar.alloc(w * n), ps2 = ar.alloc(w * n), pidx = ar.alloc(4 * m);
        ar.i32(pidx, m).set(perm);
        const pxb = ar.alloc(w * batch * d), pyb = ar.alloc(w * batch), pz = ar.alloc(w * Math.min(batch, 256) * k), pg = ar.alloc(w * n);
        p = [pX, py, pidx, pth, ps1, ps2, pxb, pyb, pz, pg];
      },
      fn: () => {
        const [pX, py, pidx, pth, ps1, ps2, pxb, pyb, pz, pg] = p;
        const f = dtype === "float32" ? x.relu_net_train_epoch_f32 : x.relu_net_train_epoch_f64;
        return f(m, d, k, pX, py, pidx, batch, pth, 0, 0, 0, 0, 1e-4, 0, 0.9, 0.999, 1e-8, ps1, ps2, 0, pxb, pyb, pz, pg);
      },
      release: () => { if (mark >= 0) ar.release(mark); mark = -1; },
    };
  };
  return [make("float32"), make("float64")];
}

// ------------------------------------------------------------------ suite

export default async function sgemmBench(ctx: BenchContext): Promise<void> {
  const e = await createEngine();
  const t2 = await createGemmThreads(e);
  try {
    await suite(ctx, e, t2);
  } finally {
    await t2.close();
  }
}

async function suite(outer: BenchContext, e: Engine, t2: GemmThreads): Promise<void> {
  const peak = peakOf(e, outer.smoke ? 4 : 60, "f32");
  const fe = await createEngine({ fma: true });
  const fmaPeak = fe.fma.active ? peakOf(fe, outer.smoke ? 4 : 60, "f32") : undefined;
  if (!outer.smoke) {
    console.log(`\n## float32 peak (peak_f32, process CPU time, best of 7): ${peak.toPrecision(3)} GFLOP/s mul + add` +
      (fmaPeak ? `; FMA build ${fmaPeak.toPrecision(3)} GFLOP/s relaxed_madd (fused: ${fe.fma.fused})` : `; FMA mode unavailable: ${fe.fma.note ?? "not active"}`));
  }
  // This suite's "fraction of WASM peak" column is relative to the float32 peaks: a context of its own, whose rows
  // are handed to the runner's context at the end.
  const ctx = createContext({ smoke: outer.smoke, filter: outer.filter, print: outer.smoke ? undefined : (s) => console.log(s), peaks: { muladd: peak, madd: fmaPeak } });
  try {
    await groups(ctx, e, t2, fe, peak, fmaPeak);
  } finally {
    outer.rows.push(...ctx.rows);
  }
}

async function groups(ctx: BenchContext, e: Engine, t2: GemmThreads, fe: Engine, peak: number, fmaPeak: number | undefined): Promise<void> {
  const t2Name = `hardlearn 2 threads matmul (float32)${t2.threads === 2 ? "" : ` (fallback: ${t2.fallbackReason})`}`;
  const frac: Array<[string, string, number | undefined]> = [];
  const sizes = ctx.smoke ? [8, 33] : [64, 128, 256, 512, 1024];
  const tall = ctx.smoke ? { gm: 200, gd: 10, tm: 200, tk: 5, tn: 10 } : { gm: 20000, gd: 100, tm: 20000, tk: 50, tn: 1000 };
  const shapes: Array<[number, number, number]> = [
    ...sizes.map((n) => [n, n, n] as [number, number, number]), [tall.gd, tall.gm, tall.gd], [tall.tm, tall.tk, tall.tn],
  ];
  const np1 = ctx.smoke ? "skipped in smoke mode" : numpyTimes(shapes, 1, 1.5);
  const np2 = ctx.smoke ? "skipped in smoke mode" : numpyTimes(shapes, 2, 1.5);

  const product = async (title: string, A: Matrix32, B: Matrix32, self: BenchTask, peersA: Matrix32, key: string, two?: BenchTask) => {
    const kernel = kernelTask(e, peersA, B);
    const flops = 2 * peersA.rows * peersA.cols * B.cols;
    try {
      const rows = await ctx.group({ title, flops, tasks: [self, kernel, ...(two ? [two] : []), ...peerTasks(peersA, B)] });
      numpyRows(ctx, title, flops, key, np1, np2, rows.find((r) => r.task === self.name));
      for (const r of [...rows, ...ctx.rows.filter((r) => r.group === title && r.task.startsWith("numpy f32"))]) {
        frac.push([title, r.task, r.gflops && peak ? r.gflops / peak : undefined]);
      }
    } finally {
      kernel.release();
    }
  };

  for (const n of sizes) {
    const A = rand32(n, n, 1), B = rand32(n, n, 2);
    await product(`SGEMM ${n}x${n}x${n} (float32, C = A B)`, A, B, { name: "hardlearn matmul (float32)", self: true, fn: () => e.matmul(A, B) }, A, `${n}x${n}x${n}`,
      { name: t2Name, fn: () => t2.matmul(A, B) });
  }
  const X = rand32(tall.gm, tall.gd, 3), XT = transpose32(X);
  await product(`float32 Gram X^T X, X ${tall.gm}x${tall.gd} (GEMM-equivalent 2 m d^2 flops; peers compute X^T X as a product)`, X, X,
    { name: "hardlearn gram (float32)", self: true, fn: () => e.gram(X) }, XT, `${tall.gd}x${tall.gm}x${tall.gd}`);
  const T = rand32(tall.tm, tall.tk, 4), W = rand32(tall.tk, tall.tn, 5);
  await product(`float32 tall x small (${tall.tm}x${tall.tk})(${tall.tk}x${tall.tn})`, T, W,
    { name: "hardlearn matmul (float32)", self: true, fn: () => e.matmul(T, W) }, T, `${tall.tm}x${tall.tk}x${tall.tn}`,
    { name: t2Name, fn: () => t2.matmul(T, W) });

  // One SGD epoch, float32 vs float64 (kernel only: data, permutation and parameters already in WASM memory).
  const [em, ed, ek, eb] = ctx.smoke ? [512, 8, 4, 64] : [100000, 100, 200, 256];
  const ep = epochTasks(e, em, ed, ek, eb);
  try {
    await ctx.group({ title: `SGD epoch m=${em} d=${ed} width=${ek} batch=${eb}: float32 vs float64 (4 m d k flops)`, flops: 4 * em * ed * ek, tasks: ep });
  } finally {
    for (const t of [...ep].reverse()) t.release(); // arena marks: last set up, first released
  }

  if (ctx.smoke) return;
  console.log(`\n## float32 rates as fractions of the in-process f32 mul+add peak (${peak.toPrecision(3)} GFLOP/s; tinybench medians)`);
  console.log("| group | task | fraction of peak |\n|---|---|---|");
  for (const [g, t, f] of frac) console.log(`| ${g} | ${t} | ${f === undefined ? "-" : f.toFixed(3)} |`);

  // Interleaved best-of for the targets (n = 256..1024): peak, kernel, API and the in-process peers round-robin.
  console.log("\n## interleaved best-of (round-robin, best time of each; same process, same minutes)");
  console.log("| n | kernel GFLOP/s (fraction of peak) | matmul GFLOP/s (fraction) | 2-thread matmul (fraction of 2 x peak) | FMA kernel (fraction of FMA peak) | tfjs-wasm | jax-js | matmul / tfjs | matmul / jax-js | 2 threads / tfjs |");
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const n of [256, 512, 1024]) {
    const A = rand32(n, n, 1), B = rand32(n, n, 2);
    const kernel = kernelTask(e, A, B);
    await kernel.setup!();
    // numpy-ts is left out here: after its out-of-memory failure on the Gram shape its module state is unusable
    // (the process then exits silently at its next call); its group rows above stand.
    const peers = peerTasks(A, B).filter((p) => !p.name.startsWith("numpy-ts"));
    const fk = fe.fma.active ? kernelTask(fe, A, B) : undefined;
    await fk?.setup!();
    const live: Array<{ name: string; fn: () => unknown; wall?: boolean }> = [
      { name: "kernel", fn: kernel.fn }, { name: "matmul", fn: () => e.matmul(A, B) }, { name: "2 threads", fn: () => t2.matmul(A, B), wall: true },
    ];
    if (fk) live.push({ name: "fma kernel", fn: fk.fn });
    for (const p of peers) {
      try { await p.setup!(); live.push({ name: p.name, fn: p.fn }); } catch { /* unavailable: column shows "-" */ }
    }
    const best = await interleaved(live, 20_000);
    const rate = (name: string, fl: number) => (best.has(name) ? fl / best.get(name)! / 1e9 : undefined);
    const fl = 2 * n ** 3, pk = peak;
    const kr = rate("kernel", fl)!, mr = rate("matmul", fl)!, m2 = rate("2 threads", fl)!, fr = rate("fma kernel", fl);
    const [tfr, jr] = peers.map((p) => rate(p.name, fl));
    const f = (x: number | undefined) => (x === undefined ? "-" : x.toPrecision(3));
    console.log(`| ${n} | ${f(kr)} (${(kr / pk).toFixed(3)}) | ${f(mr)} (${(mr / pk).toFixed(3)}) | ${f(m2)} (${(m2 / (2 * pk)).toFixed(3)}) | ${fr && fmaPeak ? `${f(fr)} (${(fr / fmaPeak).toFixed(3)})` : "-"} | ${f(tfr)} | ${f(jr)} | ${tfr ? (mr / tfr).toFixed(2) : "-"} | ${jr ? (mr / jr).toFixed(2) : "-"} | ${tfr ? (m2 / tfr).toFixed(2) : "-"} |`);
    fk?.release();
    kernel.release();
  }

  // One SGD epoch, float32 vs float64 kernels, round-robin best process-CPU time.
  const epi = epochTasks(e, 100000, 100, 200, 256);
  for (const t of epi) await t.setup!();
  const ebest = await interleaved(epi.map((t) => ({ name: t.name, fn: t.fn })), 30_000);
  for (const t of [...epi].reverse()) t.release();
  const [t32, t64] = epi.map((t) => ebest.get(t.name)!);
  console.log(`\n## SGD epoch (1e5 x 100, width 200, batch 256), interleaved best-of CPU time: float32 ${(t32 * 1000).toFixed(0)} ms, float64 ${(t64 * 1000).toFixed(0)} ms, float64 / float32 = ${(t64 / t32).toFixed(2)}`);
}
