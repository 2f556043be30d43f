/**
 * The hardlearn browser playground: the engine loaded from ./hardlearn.wasm with createEngine({ wasm: url }),
 * three panels rendered from the same Vega-Lite specs as the report (src/report/specs.ts):
 *  1. Fig. 2 landscape of Eq. (3): r slider, click to place w and watch gradient descent;
 *  2. Var_w ∇F_w(θ) against r: exact lines (main thread) and Monte-Carlo points (Web Worker);
 *  3. a training demo with a live loss curve (Web Worker).
 * `window.hardlearn` exposes the engine and seeded checks for the end-to-end test (test/web.test.ts).
 */
import { createEngine, landscape, type Engine } from "../src/index.js";
import { lookup, lookupExport } from "../src/report/api.js";
import { landscapeSpec, lossCurveSpec, varianceSpec, type LossRow, type PathPoint, type Spec, type VarianceExactRow, type VarianceMcRow } from "../src/report/specs.js";
import type { LandscapeResult } from "../src/gradvar/landscape.js";
import { gradvarDigest, seededDigest, type GradvarDigest, type SeededDigest } from "./check.js";
import type { LossPoint, McPoint, Reply, Request } from "./protocol.js";
import { show } from "./view.js";
import type * as vega from "vega";
import { changeset as vegaChangeset } from "vega";

type Eq3Fn = (w: Float64Array, wStar: Float64Array) => { F: number; grad: Float64Array };
type ExactFn = (a: { dim: number; radius: number; thetaNorm: number }) => { variance: number };

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = (s: string): void => { $("status").textContent = s; };

/** Figures that finished rendering (the e2e test waits for all three). */
const rendered = new Set<string>();
/** Slider-to-screen latency of every r-slider input event, ms (read by the browser test). */
const redrawTimes: number[] = [];

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

// ---------------------------------------------------------------- input validation
/**
 * A number field with its rule. `read()` returns the value, or undefined after showing a plain-language message next to
 * the field (and marking it invalid for assistive technology); the message goes away when the value is fixed.
 */
interface Field { id: string; read: () => number | undefined }
function field(id: string, label: string, rule: { min: number; max: number; integer?: boolean; exclusiveMin?: boolean }): Field {
  const input = $<HTMLInputElement>(id);
  const msg = document.createElement("span");
  msg.id = `${id}-error`;
  msg.className = "error";
  msg.setAttribute("role", "alert");
  input.setAttribute("aria-describedby", msg.id);
  (input.closest("label") ?? input).after(msg);
  const kind = rule.integer ? "a whole number" : "a number";
  const range = rule.exclusiveMin ? `greater than ${rule.min} and at most ${rule.max}` : `from ${rule.min} to ${rule.max}`;
  const check = (): number | undefined => {
    const text = input.value.trim();
    const v = Number(text);
    let problem = "";
    if (text === "") problem = `Enter ${label}: ${kind} ${range}.`;
    else if (!Number.isFinite(v)) problem = `${cap(label)} must be ${kind}.`;
    else if (rule.integer && !Number.isInteger(v)) problem = `${cap(label)} must be a whole number.`;
    else if (rule.exclusiveMin ? v <= rule.min : v < rule.min) problem = `${cap(label)} must be ${rule.exclusiveMin ? `greater than ${rule.min}` : `at least ${rule.min}`}.`;
    else if (v > rule.max) problem = `${cap(label)} must be at most ${rule.max}.`;
    msg.textContent = problem;
    input.setAttribute("aria-invalid", problem ? "true" : "false");
    return problem ? undefined : v;
  };
  input.addEventListener("input", () => void check());
  return { id, read: check };
}
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Disable a panel's controls while its computation runs (and say so on the button). */
async function busy<T>(panel: string, button: string, label: string, work: () => Promise<T>): Promise<T> {
  const controls = [...document.querySelectorAll<HTMLInputElement | HTMLButtonElement>(`#${panel} input, #${panel} button`)];
  const b = $<HTMLButtonElement>(button);
  const text = b.textContent;
  for (const c of controls) c.disabled = true;
  b.textContent = label;
  $(panel).setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    for (const c of controls) c.disabled = false;
    b.textContent = text;
    $(panel).setAttribute("aria-busy", "false");
  }
}

// ---------------------------------------------------------------- panel 1: landscape + gradient descent
/**
 * The landscape for each slider position is computed once (the playground's Web Worker fills the cache in the
 * background; a position not cached yet is computed on the spot) and shown by swapping the data of ONE live Vega view:
 * no recompiling, no new DOM. Slider input events are coalesced: while a frame is drawn, only the newest r waits.
 */
const LAND = { extent: 4, grid: 41, starts: 17 };
interface LandData { result: Pick<LandscapeResult, "wStar" | "criticalPoints" | "grid">; cells: object[]; critical: object[] }
const landCache = new Map<string, LandData>();
let landView: vega.View | undefined;
let landResult: LandData["result"] | undefined;
let paths: PathPoint[] = [];
let runs = 0;
let animation = 0;
let wantedR = NaN;
let shownR = NaN;
let landBusy = false;
const inputTimes: number[] = [];
let stepField: Field | undefined;

const radiusKey = (r: number): string => r.toFixed(1);

function prepareLand(result: LandData["result"]): LandData {
  const g = result.grid;
  const h = (g.x[1] - g.x[0]) / 2;
  const cells = [];
  for (let j = 0; j < g.y.length; j++) {
    for (let i = 0; i < g.x.length; i++) cells.push({ i: cells.length, x: g.x[i], y: g.y[j], F: g.F[j][i], x0: g.x[i] - h, x1: g.x[i] + h, y0: g.y[j] - h, y1: g.y[j] + h });
  }
  const critical = result.criticalPoints.map((c) => ({ x: c.w[0], y: c.w[1], F: c.F, kind: c.kind }));
  return { result, cells, critical };
}

function landData(r: number): LandData {
  const key = radiusKey(r);
  let d = landCache.get(key);
  if (!d) {
    d = prepareLand(landscape({ radius: Number(key), ...LAND }));
    landCache.set(key, d);
  }
  return d;
}

const nextFrame = (): Promise<void> => new Promise((res) => requestAnimationFrame(() => res()));

async function createLandscapeView(engine: Engine): Promise<void> {
  const r = Number($<HTMLInputElement>("radius").value);
  const d = landData(r);
  const g = d.result.grid;
  // The spec is built from the first r's data (its axes span the fixed square); the data then become named sets.
  const spec = landscapeSpec({
    cells: d.cells as { x: number; y: number; F: number }[], cellSize: g.x[1] - g.x[0], namedPath: true, size: 360, criticalPoints: [],
  }) as unknown as { layer: { data: unknown; encoding: { color?: { scale?: unknown } } }[] };
  // Named data sets, so a new r only swaps data; the colour scale follows the data ([0, max F]).
  spec.layer[0].data = { name: "cells" };
  spec.layer[0].encoding.color!.scale = { scheme: "viridis", zero: true };
  spec.layer[1].data = { name: "critical" };
  // Canvas: redrawing 1681 heatmap cells as SVG elements takes longer than a frame.
  // The view owns copies of the cells: later radii modify their F in place.
  landView = await show($("fig-landscape"), spec as unknown as Spec, { cells: d.cells.map((c) => ({ ...c })), critical: d.critical, path: [] }, "canvas");
  landView.addEventListener("click", (_ev, item) => {
    const datum = (item as unknown as { datum?: { x?: number; y?: number } } | null)?.datum;
    if (datum && typeof datum.x === "number" && typeof datum.y === "number") startDescent(engine, [datum.x, datum.y]);
  });
  showLandStat(d, r);
  shownR = wantedR = r;
  rendered.add("landscape");
}

function showLandStat(d: LandData, r: number): void {
  landResult = d.result;
  $("radius-out").textContent = r.toFixed(1);
  $("gd-stat").textContent = `${d.result.criticalPoints.length} critical points: ` +
    d.result.criticalPoints.map((c) => `${c.kind} (${c.w[0].toFixed(3)}, ${c.w[1].toFixed(3)})`).join(", ");
}

/** A new slider value: remember when it came, draw the newest value as soon as the previous frame is done. */
function requestRadius(r: number, at: number): void {
  wantedR = r;
  inputTimes.push(at);
  if (!landBusy) void drawLoop();
}

async function drawLoop(): Promise<void> {
  landBusy = true;
  try {
    while (landView && radiusKey(wantedR) !== radiusKey(shownR)) {
      const r = wantedR;
      const answered = inputTimes.splice(0);
      const d = landData(r);
      cancelAnimationFrame(animation);
      paths = [];
      // Only F changes between radii (the grid is fixed): modify the live tuples instead of replacing 1681 of them.
      const F = d.cells as { F: number }[];
      landView
        .change("cells", vegaChangeset().modify(() => true, "F", (t: { i: number }) => F[t.i].F))
        .data("critical", d.critical)
        .data("path", []);
      await landView.runAsync();
      shownR = r;
      showLandStat(d, r);
      await nextFrame();
      const now = performance.now();
      for (const t of answered) redrawTimes.push(now - t);
    }
    // Events for the value already shown (e.g. the pointer moved within one step) are answered at once.
    const now = performance.now();
    for (const t of inputTimes.splice(0)) redrawTimes.push(now - t);
  } finally {
    landBusy = false;
  }
}

/** Fill the cache for every slider position in the Web Worker, nearest to the current r first. */
function precomputeLandscapes(): void {
  const el = $<HTMLInputElement>("radius");
  const lo = Number(el.min), hi = Number(el.max), step = Number(el.step);
  const here = Number(el.value);
  const radii: number[] = [];
  for (let k = 0; lo + k * step <= hi + 1e-9; k++) radii.push(Number(radiusKey(lo + k * step)));
  const todo = radii.filter((r) => !landCache.has(radiusKey(r))).sort((a, b) => Math.abs(a - here) - Math.abs(b - here));
  void call("landscapes", { radii: todo, ...LAND }, (v) => {
    const res = v as LandData["result"] & { radius: number };
    if (!landCache.has(radiusKey(res.radius))) landCache.set(radiusKey(res.radius), prepareLand(res));
  }).catch(() => { /* positions not cached are computed on demand */ });
}

function startDescent(engine: Engine, start: [number, number]): void {
  const eq3 = lookupExport<Eq3Fn>("eq3");
  if (!eq3 || !landResult || !landView) return;
  const ws = Float64Array.from(landResult.wStar);
  const lr = stepField?.read();
  if (lr === undefined) return;
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

let mcFields: { J: Field; n: Field } | undefined;

async function runMonteCarlo(engine: Engine): Promise<void> {
  const J = mcFields!.J.read(), n = mcFields!.n.read();
  if (J === undefined || n === undefined) {
    $("mc-stat").textContent = "";
    return;
  }
  await busy("variance", "mc-run", "running…", () => monteCarlo(engine, J, n));
}

async function monteCarlo(engine: Engine, J: number, n: number): Promise<void> {
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

let trainFields: Record<"d" | "r" | "width" | "epochs", Field> | undefined;

async function runTraining(): Promise<void> {
  const f = trainFields!;
  const v = { dim: f.d.read(), radius: f.r.read(), width: f.width.read(), epochs: f.epochs.read() };
  if (Object.values(v).some((x) => x === undefined)) {
    $("tr-stat").textContent = "";
    return;
  }
  await busy("training", "tr-run", "training…", () => train(v as { dim: number; radius: number; width: number; epochs: number }));
}

async function train(opts: { dim: number; radius: number; width: number; epochs: number }): Promise<void> {
  const points: LossPoint[] = [];
  $("tr-stat").textContent = "training in a Web Worker…";
  try {
    await call("train", { ...opts, seed: 11 }, (v) => {
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
      /** Latency of each r-slider input event until the redrawn landscape is on screen, ms. */
      redrawTimes: () => number[];
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
    redrawTimes: () => redrawTimes.slice(),
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
    stepField = field("gd-rate", "the step size", { min: 0, max: 5, exclusiveMin: true });
    mcFields = { J: field("mc-j", "the number of directions J", { min: 2, max: 5000, integer: true }), n: field("mc-n", "the number of samples n", { min: 2, max: 200000, integer: true }) };
    trainFields = {
      d: field("tr-d", "the dimension d", { min: 1, max: 100, integer: true }),
      r: field("tr-r", "the radius r", { min: 0, max: 8, exclusiveMin: true }),
      width: field("tr-width", "the width", { min: 1, max: 512, integer: true }),
      epochs: field("tr-epochs", "the number of epochs", { min: 1, max: 200, integer: true }),
    };
    $("radius").addEventListener("input", (ev) => requestRadius(Number((ev.target as HTMLInputElement).value), ev.timeStamp));
    $("gd-clear").addEventListener("click", () => { paths = []; landView?.data("path", []); void landView?.runAsync(); });
    $("mc-run").addEventListener("click", () => void runMonteCarlo(engine));
    $("tr-run").addEventListener("click", () => void runTraining());
    await createLandscapeView(engine);
    precomputeLandscapes();
    await drawVariance(engine);
    await drawLoss([]);
    window.hardlearn.ready = true;
  } catch (e) {
    window.hardlearn.error = (e as Error).message;
    status(`failed to start: ${(e as Error).message}`);
  }
}

void boot();
