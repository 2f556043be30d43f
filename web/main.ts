/**
 * The hardlearn browser playground: the engine loaded from ./hardlearn.wasm with createEngine({ wasm: url }),
 * three panels rendered from the same Vega-Lite specs as the report (src/report/specs.ts):
 *  1. Fig. 2 landscape of Eq. (3): r slider, click to place w and watch gradient descent;
 *  2. Var_w ∇F_w(θ) against r: exact lines (main thread) and Monte-Carlo points (Web Worker);
 *  3. a training demo with a live loss curve (Web Worker).
 * `window.hardlearn` exposes the engine and seeded checks for the end-to-end test (test/web.test.ts).
 */
import { createEngine, type Engine } from "../src/index.js";
import { lookup, lookupExport } from "../src/report/api.js";
import { landscapeSpec, lossCurveSpec, varianceSpec, type LossRow, type PathPoint, type VarianceExactRow, type VarianceMcRow } from "../src/report/specs.js";
import type { LandscapeOptions, LandscapeResult } from "../src/gradvar/landscape.js";
import { gradvarDigest, seededDigest, type GradvarDigest, type SeededDigest } from "./check.js";
import type { LossPoint, McPoint, Reply, Request } from "./protocol.js";
import { show } from "./view.js";
import type * as vega from "vega";

type LandscapeFn = (o: LandscapeOptions) => LandscapeResult;
type Eq3Fn = (w: Float64Array, wStar: Float64Array) => { F: number; grad: Float64Array };
type ExactFn = (a: { dim: number; radius: number; thetaNorm: number }) => { variance: number };

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = (s: string): void => { $("status").textContent = s; };

/** Figures that finished rendering (the e2e test waits for all three). */
const rendered = new Set<string>();

// ---------------------------------------------------------------- worker RPC
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
let nextId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (v: unknown) => void }>();
worker.onmessage = (ev: MessageEvent<Reply>) => {
  const m = ev.data, p = pending.get(m.id);
  if (!p) return;
  if (m.type === "progress") p.progress?.(m.value);
  else {
    pending.delete(m.id);
    if (m.type === "result") p.resolve(m.value);
    else p.reject(new Error(m.message));
  }
};
type Payload<T extends Request["type"]> = Omit<Extract<Request, { type: T }>, "id" | "type">;
function call<T extends Request["type"]>(type: T, payload: Payload<T>, progress?: (v: unknown) => void): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, progress });
    worker.postMessage({ id, type, ...payload });
  });
}

// ---------------------------------------------------------------- panel 1: landscape + gradient descent
let landView: vega.View | undefined;
let landResult: LandscapeResult | undefined;
let paths: PathPoint[] = [];
let runs = 0;
let animation = 0;

async function drawLandscape(engine: Engine): Promise<void> {
  const land = lookup<LandscapeFn>(engine, "landscape");
  const el = $("fig-landscape");
  if (!land) { el.textContent = "The landscape API is not available in this build."; rendered.add("landscape"); return; }
  const r = Number($<HTMLInputElement>("radius").value);
  $("radius-out").textContent = r.toFixed(1);
  landResult = land({ radius: r, extent: 4, grid: 41, starts: 17 });
  const g = landResult.grid;
  const cells = [];
  for (let j = 0; j < g.y.length; j++) for (let i = 0; i < g.x.length; i++) cells.push({ x: g.x[i], y: g.y[j], F: g.F[j][i] });
  paths = [];
  cancelAnimationFrame(animation);
  landView = await show(el, landscapeSpec({
    cells, cellSize: g.x[1] - g.x[0], namedPath: true, size: 360,
    criticalPoints: landResult.criticalPoints.map((c) => ({ x: c.w[0], y: c.w[1], F: c.F, kind: c.kind })),
  }));
  landView.addEventListener("click", (_ev, item) => {
    const d = (item as unknown as { datum?: { x?: number; y?: number } } | null)?.datum;
    if (d && typeof d.x === "number" && typeof d.y === "number") startDescent(engine, [d.x, d.y]);
  });
  $("gd-stat").textContent = `${landResult.criticalPoints.length} critical points: ` +
    landResult.criticalPoints.map((c) => `${c.kind} (${c.w[0].toFixed(3)}, ${c.w[1].toFixed(3)})`).join(", ");
  rendered.add("landscape");
}

function startDescent(engine: Engine, start: [number, number]): void {
  const eq3 = lookupExport<Eq3Fn>("eq3");
  if (!eq3 || !landResult || !landView) return;
  const ws = Float64Array.from(landResult.wStar);
  const lr = Number($<HTMLInputElement>("gd-rate").value) || 0.5;
  const run = `run ${++runs}`;
  let w = Float64Array.from(start);
  let step = 0;
  paths.push({ x: w[0], y: w[1], step, run });
  cancelAnimationFrame(animation);
  const view = landView;
  const frame = (): void => {
    let g = eq3(w, ws);
    for (let k = 0; k < 4 && step < 400; k++, step++) {
      w = Float64Array.from([w[0] - lr * g.grad[0], w[1] - lr * g.grad[1]]);
      g = eq3(w, ws);
    }
    paths.push({ x: w[0], y: w[1], step, run });
    view.data("path", paths.slice());
    void view.runAsync();
    $("gd-stat").textContent = `${run}: step ${step}, w = (${w[0].toFixed(4)}, ${w[1].toFixed(4)}), F = ${g.F.toFixed(6)}, |∇F| = ${Math.hypot(g.grad[0], g.grad[1]).toExponential(2)}`;
    if (step < 400 && Math.hypot(g.grad[0], g.grad[1]) > 1e-9) animation = requestAnimationFrame(frame);
  };
  animation = requestAnimationFrame(frame);
}

// ---------------------------------------------------------------- panel 2: variance vs r
const VAR_DIMS = [2, 10, 100];
const VAR_RADII_EXACT = Array.from({ length: 24 }, (_, i) => 0.25 * (i + 1));
const VAR_RADII_MC = [0.5, 1, 2, 3];
let mcRows: VarianceMcRow[] = [];

function exactRows(engine: Engine): VarianceExactRow[] {
  const exact = lookup<ExactFn>(engine, "gradVarianceExact");
  if (!exact) return [];
  return VAR_DIMS.flatMap((d) => VAR_RADII_EXACT.map((r) => ({ d, r, exact: exact({ dim: d, radius: r, thetaNorm: 1 }).variance })));
}

async function drawVariance(engine: Engine): Promise<void> {
  const ex = exactRows(engine);
  if (!ex.length && !mcRows.length) { $("fig-variance").textContent = "The variance API is not available in this build."; rendered.add("variance"); return; }
  await show($("fig-variance"), varianceSpec({ exact: ex, mc: mcRows, width: 400, height: 280 }));
  rendered.add("variance");
}

async function runMonteCarlo(engine: Engine): Promise<void> {
  const J = Math.max(2, Math.floor(Number($<HTMLInputElement>("mc-j").value)));
  const n = Math.max(2, Math.floor(Number($<HTMLInputElement>("mc-n").value)));
  mcRows = [];
  $("mc-stat").textContent = "computing in a Web Worker…";
  const t0 = performance.now();
  try {
    await call("gradvar", { dims: VAR_DIMS.slice(0, 2), radii: VAR_RADII_MC, thetaNorm: 1, directions: J, samples: n, seed: 7 }, (v) => {
      const p = v as McPoint;
      mcRows.push({ d: p.d, r: p.r, estimate: p.estimate, lo: p.lo, hi: p.hi, floor: p.floor });
      $("mc-stat").textContent = `${mcRows.length} / ${VAR_DIMS.slice(0, 2).length * VAR_RADII_MC.length} points`;
      void drawVariance(engine);
    });
    $("mc-stat").textContent = `done in ${((performance.now() - t0) / 1000).toFixed(2)} s (J = ${J}, n = ${n})`;
  } catch (e) {
    $("mc-stat").textContent = (e as Error).message;
  }
}

// ---------------------------------------------------------------- panel 3: training demo
async function drawLoss(points: LossPoint[]): Promise<void> {
  const rows: LossRow[] = points.flatMap((p) => [
    { step: p.epoch, loss: p.train, series: "train" }, { step: p.epoch, loss: p.test, series: "test" },
    { step: p.epoch, loss: p.trivial, series: "trivial (predict the mean)" },
  ]);
  await show($("fig-training"), lossCurveSpec({ rows, xTitle: "epoch", yTitle: "squared loss", width: 400, height: 240 }));
  rendered.add("training");
}

async function runTraining(): Promise<void> {
  const num = (id: string) => Number($<HTMLInputElement>(id).value);
  const points: LossPoint[] = [];
  $("tr-stat").textContent = "training in a Web Worker…";
  try {
    await call("train", { dim: num("tr-d"), radius: num("tr-r"), width: num("tr-width"), epochs: num("tr-epochs"), seed: 11 }, (v) => {
      points.push(v as LossPoint);
      const q = points[points.length - 1];
      $("tr-stat").textContent = `epoch ${points.length}: train ${q.train.toFixed(4)}, test ${q.test.toFixed(4)} (trivial ${q.trivial.toFixed(4)})`;
      void drawLoss(points);
    });
  } catch (e) {
    $("tr-stat").textContent = (e as Error).message;
    if (!points.length) { $("fig-training").textContent = (e as Error).message; rendered.add("training"); }
  }
}

// ---------------------------------------------------------------- boot
declare global {
  interface Window {
    hardlearn: {
      engine?: Engine;
      ready: boolean;
      error?: string;
      rendered: () => string[];
      check: (seed: number) => SeededDigest;
      workerCheck: (seed: number) => Promise<SeededDigest>;
      /** engine.gradVariance check case `c` with `workers` pool workers, run on the page (see check.ts). */
      gradvarCheck: (c: number, workers: number) => Promise<GradvarDigest>;
      /** The same, run inside the playground's Web Worker (its pool workers are nested workers). */
      workerGradvarCheck: (c: number, workers: number) => Promise<GradvarDigest>;
      runMonteCarlo: () => Promise<void>;
      runTraining: () => Promise<void>;
    };
  }
}

async function boot(): Promise<void> {
  window.hardlearn = {
    ready: false,
    rendered: () => [...rendered],
    check: () => { throw new Error("engine not ready"); },
    workerCheck: (seed) => call("check", { seed }) as Promise<SeededDigest>,
    gradvarCheck: () => Promise.reject(new Error("engine not ready")),
    workerGradvarCheck: (c, workers) => call("gradvarCheck", { case: c, workers }) as Promise<GradvarDigest>,
    runMonteCarlo: async () => {},
    runTraining: async () => {},
  };
  try {
    const t0 = performance.now();
    const engine = await createEngine({ wasm: new URL("hardlearn.wasm", location.href) });
    status(`engine ready in ${(performance.now() - t0).toFixed(0)} ms`);
    Object.assign(window.hardlearn, {
      engine,
      check: (seed: number) => seededDigest(engine, seed),
      gradvarCheck: (c: number, workers: number) => gradvarDigest(engine, c, workers),
      runMonteCarlo: () => runMonteCarlo(engine),
      runTraining: () => runTraining(),
    });
    $("radius").addEventListener("input", () => void drawLandscape(engine));
    $("gd-clear").addEventListener("click", () => { paths = []; landView?.data("path", []); void landView?.runAsync(); });
    $("mc-run").addEventListener("click", () => void runMonteCarlo(engine));
    $("tr-run").addEventListener("click", () => void runTraining());
    await drawLandscape(engine);
    await drawVariance(engine);
    await drawLoss([]);
    window.hardlearn.ready = true;
  } catch (e) {
    window.hardlearn.error = (e as Error).message;
    status(`failed to start: ${(e as Error).message}`);
  }
}

void boot();
