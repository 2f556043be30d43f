/**
 * Vega-Lite specs of every figure. Shared by the report (rendered to SVG in Node by src/report/render.ts) and by
 * the browser playground (web/main.ts renders the same specs live), so a figure looks the same in both places.
 *
 * Browser-safe: no Node imports. Each builder takes plain rows (data inline) and returns a top-level spec.
 * Conventions: log-scale y axes wherever values span decades (variances, losses); F has no 1/2 factor.
 */

export type Spec = Record<string, unknown>;

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const FONT = { font: "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" };
const base = (width: number, height: number): Spec => ({
  $schema: SCHEMA,
  width,
  height,
  // labelLimit/titleLimit 0: legends and axis titles are never truncated with "…".
  config: { ...FONT, view: { stroke: "#888" }, axis: { labelFontSize: 11, titleFontSize: 12, titleLimit: 0, labelLimit: 0 }, legend: { labelFontSize: 11, labelLimit: 0, titleLimit: 0 } },
});

/** A cell of the landscape grid: F at w = (x, y). */
export interface LandscapeCell { x: number; y: number; F: number }
/** A critical point of F. */
export interface CriticalPointRow { x: number; y: number; F: number; kind: "max" | "min" | "saddle" }
/** A point of a gradient-descent path; `run` separates several paths. */
export interface PathPoint { x: number; y: number; step: number; run?: string }

/**
 * Fig. 2 of Shamir (Eq. (3) in d = 2): heatmap of F over the square [-extent, extent]^2, critical points marked by kind,
 * and a named data set "path" (gradient-descent trajectories) that the playground updates live.
 * `cellSize` is the grid step, so the rectangles tile the square exactly.
 */
export function landscapeSpec(opts: {
  cells: LandscapeCell[];
  cellSize: number;
  criticalPoints: CriticalPointRow[];
  path?: PathPoint[];
  title?: string;
  size?: number;
  /** Emit `{ name: "path" }` data (for live updates in the browser) instead of inline values. */
  namedPath?: boolean;
}): Spec {
  const size = opts.size ?? 300;
  const h = opts.cellSize / 2;
  const cells = opts.cells.map((c) => ({ x: c.x, y: c.y, F: c.F, x0: c.x - h, x1: c.x + h, y0: c.y - h, y1: c.y + h }));
  const ext = Math.max(...cells.map((c) => Math.max(Math.abs(c.x1), Math.abs(c.y1))));
  const fMax = Math.max(1.05, ...cells.map((c) => c.F));
  const dom = [-ext, ext];
  return {
    ...base(size, size),
    ...(opts.title ? { title: opts.title } : {}),
    layer: [
      {
        data: { values: cells },
        mark: { type: "rect", tooltip: true },
        encoding: {
          x: { field: "x0", type: "quantitative", title: "w₁", scale: { domain: dom, nice: false, zero: false } },
          x2: { field: "x1" },
          y: { field: "y0", type: "quantitative", title: "w₂", scale: { domain: dom, nice: false, zero: false } },
          y2: { field: "y1" },
          color: { field: "F", type: "quantitative", title: "F(w)", scale: { scheme: "viridis", domain: [0, fMax] } },
        },
      },
      {
        data: { values: opts.criticalPoints },
        mark: { type: "point", filled: true, size: 90, stroke: "white", strokeWidth: 1.2 },
        encoding: {
          x: { field: "x", type: "quantitative" },
          y: { field: "y", type: "quantitative" },
          shape: {
            field: "kind", type: "nominal", title: "critical point",
            scale: { domain: ["max", "min", "saddle"], range: ["triangle-up", "circle", "diamond"] },
          },
          fill: {
            field: "kind", type: "nominal", legend: null,
            scale: { domain: ["max", "min", "saddle"], range: ["#e45756", "#f2f2f2", "#ff9da6"] },
          },
          tooltip: [{ field: "kind" }, { field: "x", format: ".4f" }, { field: "y", format: ".4f" }, { field: "F", format: ".6f" }],
        },
      },
      {
        data: opts.namedPath ? { name: "path" } : { values: opts.path ?? [] },
        mark: { type: "line", point: { size: 12, filled: true }, color: "#ff7f0e", strokeWidth: 2, clip: true },
        encoding: {
          x: { field: "x", type: "quantitative" },
          y: { field: "y", type: "quantitative" },
          order: { field: "step", type: "quantitative" },
          detail: { field: "run", type: "nominal" },
        },
      },
    ],
    resolve: { legend: { shape: "independent" } },
  };
}

/** One value of the exact variance curve. */
export interface VarianceExactRow { r: number; d: number; exact: number }
/** One Monte-Carlo point: unbiased estimate with a +-2 standard-error interval (lo clipped at the plot floor). */
export interface VarianceMcRow { r: number; d: number; estimate: number; lo: number; hi: number; floor: number; /** Legend label (default "d = <d>"). */ family?: string }

/**
 * Var_w ∇F_w(θ) against the radius r (Shamir Thm 3): exact line per d (cos family under N(0, I)), Monte-Carlo points
 * with +-2 SE whiskers, and the Monte-Carlo resolution floor (dashed). Log-scale y: the values span 20+ decades.
 * Non-positive values cannot sit on a log axis; they are dropped from the point layer and drawn at the floor instead.
 */
export function varianceSpec(opts: {
  exact: VarianceExactRow[];
  mc: VarianceMcRow[];
  title?: string;
  width?: number;
  height?: number;
  yTitle?: string;
}): Spec {
  const exact = opts.exact.filter((e) => e.exact > 0).map((e) => ({ ...e, dim: `d = ${e.d}` }));
  const mc = opts.mc.map((m) => ({ ...m, dim: m.family ?? `d = ${m.d}`, shown: m.estimate > m.floor ? m.estimate : m.floor, resolved: m.estimate > m.floor }));
  const floors = opts.mc.map((m) => ({ r: m.r, floor: m.floor, dim: m.family ?? `d = ${m.d}` })).filter((f) => f.floor > 0);
  // Legend in numeric order of d (nominal fields sort as strings otherwise: "d = 10" < "d = 2"), labelled rows after.
  const ds = [...new Set([...opts.exact.map((e) => e.d), ...opts.mc.filter((m) => !m.family).map((m) => m.d)])].sort((a, b) => a - b);
  const domain = [...ds.map((d) => `d = ${d}`), ...new Set(opts.mc.filter((m) => m.family).map((m) => m.family!))];
  const color = { field: "dim", type: "nominal", title: "dimension", scale: { domain } };
  const layers: Spec[] = [];
  if (exact.length) {
    layers.push({
      data: { values: exact },
      mark: { type: "line", strokeWidth: 2 },
      encoding: {
        x: { field: "r", type: "quantitative", title: "radius r = |w|" },
        y: { field: "exact", type: "quantitative", scale: { type: "log" }, title: opts.yTitle ?? "Var_w ∇F_w(θ)", axis: { format: ".0e" } },
        color,
      },
    });
  }
  if (mc.length) {
    layers.push({
      data: { values: mc.filter((m) => m.hi > 0).map((m) => ({ ...m, lo: Math.max(m.lo, m.floor > 0 ? m.floor : m.hi * 1e-3) })) },
      mark: { type: "rule", strokeWidth: 1.5 },
      encoding: {
        x: { field: "r", type: "quantitative", title: "radius r = |w|" },
        y: { field: "lo", type: "quantitative", scale: { type: "log" }, title: opts.yTitle ?? "Var_w ∇F_w(θ)" },
        y2: { field: "hi" },
        color,
      },
    });
    layers.push({
      data: { values: mc.filter((m) => m.shown > 0) },
      mark: { type: "point", filled: true, size: 45 },
      encoding: {
        x: { field: "r", type: "quantitative" },
        y: { field: "shown", type: "quantitative", scale: { type: "log" } },
        color,
        shape: { field: "resolved", type: "nominal", title: "Monte Carlo", scale: { domain: [true, false], range: ["circle", "triangle-down"] }, legend: { labelExpr: "datum.value ? 'estimate (±2 SE)' : 'below floor'" } },
        tooltip: [{ field: "dim" }, { field: "r" }, { field: "estimate", format: ".3e" }, { field: "floor", format: ".3e" }],
      },
    });
  }
  if (floors.length) {
    layers.push({
      data: { values: floors.map((f) => ({ ...f, line: "Monte-Carlo floor (3 SE)" })) },
      mark: { type: "line", strokeWidth: 1, opacity: 0.8 },
      encoding: {
        x: { field: "r", type: "quantitative" },
        y: { field: "floor", type: "quantitative", scale: { type: "log" } },
        color,
        strokeDash: { field: "line", type: "nominal", title: "dashed", scale: { domain: ["Monte-Carlo floor (3 SE)"], range: [[4, 3]] } },
      },
    });
  }
  return { ...base(opts.width ?? 420, opts.height ?? 300), ...(opts.title ? { title: opts.title } : {}), layer: layers };
}

/** A point of a loss curve. */
export interface LossRow { step: number; loss: number; series: string; facet?: string }

/**
 * Loss curves (training or test loss against step/epoch), log-scale y, one colour per series, optional facets
 * (e.g. input distribution). Rows with loss <= 0 are dropped (log axis).
 */
export function lossCurveSpec(opts: { rows: LossRow[]; title?: string; xTitle?: string; yTitle?: string; width?: number; height?: number; logY?: boolean; logX?: boolean; /** Series whose name ends with this are drawn dashed. */ dashSuffix?: string }): Spec {
  const logY = opts.logY ?? true;
  const kept = logY ? opts.rows.filter((r) => r.loss > 0 && Number.isFinite(r.loss)) : opts.rows.filter((r) => Number.isFinite(r.loss));
  const rows = opts.dashSuffix ? kept.map((r) => ({ ...r, dashed: r.series.endsWith(opts.dashSuffix!) })) : kept;
  const hasFacet = rows.some((r) => r.facet !== undefined);
  // Keep the order in which series and facets first appear (nominal fields would sort as strings: "d = 20" < "d = 5").
  const seriesOrder = [...new Set(rows.map((r) => r.series))];
  const facetOrder = [...new Set(rows.map((r) => r.facet).filter((f): f is string => f !== undefined))];
  const inner: Spec = {
    mark: { type: "line", strokeWidth: 1.8 },
    encoding: {
      x: { field: "step", type: "quantitative", title: opts.xTitle ?? "step", axis: { tickMinStep: 1, format: "d" }, ...(opts.logX ? { scale: { type: "log" } } : {}) },
      y: { field: "loss", type: "quantitative", title: opts.yTitle ?? "loss", scale: logY ? { type: "log" } : { zero: false }, ...(logY ? { axis: { format: ".0e" } } : {}) },
      ...(opts.dashSuffix ? { strokeDash: { field: "dashed", type: "nominal", legend: null, scale: { domain: [false, true], range: [[1, 0], [5, 3]] } } } : {}),
      color: { field: "series", type: "nominal", title: null, scale: { domain: seriesOrder, ...(seriesOrder.length > 10 ? { scheme: "tableau20" } : {}) } },
      tooltip: [{ field: "series" }, { field: "step" }, { field: "loss", format: ".4e" }],
    },
  };
  const w = opts.width ?? 360, h = opts.height ?? 220;
  if (hasFacet) {
    const { config, $schema } = base(w, h);
    return {
      $schema, config,
      ...(opts.title ? { title: opts.title } : {}),
      data: { values: rows },
      facet: { field: "facet", type: "nominal", title: null, sort: facetOrder },
      columns: 2,
      spec: { width: w, height: h, ...inner },
      resolve: { scale: { y: "independent" } },
    };
  }
  return { ...base(w, h), ...(opts.title ? { title: opts.title } : {}), data: { values: rows }, ...inner };
}

/** A cell of the SGD success map. */
export interface SuccessCell { d: number; r: number; loss: number; baseline: number; success: boolean }

/**
 * SGD success/failure over (d, r): each cell coloured by the final test loss relative to the trivial predictor's loss
 * (ratio < 1 means progress), with the verdict as text.
 */
export function successMapSpec(opts: { cells: SuccessCell[]; title?: string }): Spec {
  const values = opts.cells.map((c) => ({ ...c, ratio: c.baseline > 0 ? c.loss / c.baseline : c.loss, label: c.success ? "learned" : "failed", dl: String(c.d), rl: String(c.r) }));
  const ds = [...new Set(opts.cells.map((c) => c.d))].sort((a, b) => a - b).map(String);
  const rs = [...new Set(opts.cells.map((c) => c.r))].sort((a, b) => a - b).map(String);
  return {
    ...base(Math.max(200, 70 * rs.length), Math.max(140, 45 * ds.length)),
    ...(opts.title ? { title: opts.title } : {}),
    data: { values },
    encoding: {
      x: { field: "rl", type: "ordinal", title: "radius r = |w*|", sort: rs },
      y: { field: "dl", type: "ordinal", title: "dimension d", sort: ds },
    },
    layer: [
      {
        mark: { type: "rect" },
        encoding: {
          color: { field: "ratio", type: "quantitative", title: "test loss / trivial loss", scale: { scheme: "redyellowgreen", reverse: true, domain: [0, Math.max(1.2, ...values.map((v) => v.ratio).filter(Number.isFinite))] } },
          tooltip: [{ field: "d" }, { field: "r" }, { field: "loss", format: ".4f" }, { field: "baseline", format: ".4f" }],
        },
      },
      { mark: { type: "text", fontSize: 11 }, encoding: { text: { field: "label" }, color: { value: "black" } } },
    ],
  };
}

/** A point of a Theorem 4 trajectory: iteration t, |θ_t| (or any scalar summary), per target w* and oracle. */
export interface TrajectoryRow { step: number; value: number; target: string; oracle: string }

/**
 * Theorem 4: trajectories of gradient descent for several targets w*, fed by the delta-approximate oracle (which
 * answers E_w ∇F_w) and by the exact gradient. Oracle trajectories coincide (one line), exact ones fan out.
 */
export function trajectorySpec(opts: { rows: TrajectoryRow[]; title?: string; yTitle?: string; logY?: boolean }): Spec {
  return {
    ...base(420, 260),
    ...(opts.title ? { title: opts.title } : {}),
    data: { values: opts.rows.filter((r) => Number.isFinite(r.value) && (!opts.logY || r.value > 0)) },
    mark: { type: "line", strokeWidth: 1.6 },
    encoding: {
      x: { field: "step", type: "quantitative", title: "iteration t" },
      y: { field: "value", type: "quantitative", title: opts.yTitle ?? "value", scale: opts.logY ? { type: "log" } : { zero: false } },
      color: { field: "target", type: "nominal", title: "target w*" },
      strokeDash: { field: "oracle", type: "nominal", title: "gradient" },
      tooltip: [{ field: "target" }, { field: "oracle" }, { field: "step" }, { field: "value", format: ".6g" }],
    },
  };
}

/** A bar of a grouped bar chart (log-scale option): e.g. max prediction differences in the invariance table. */
export interface BarRow { group: string; series: string; value: number }

export function barSpec(opts: { rows: BarRow[]; title?: string; yTitle?: string; logY?: boolean; threshold?: { value: number; label: string } }): Spec {
  // Bars need a zero baseline, which a log axis does not have: on a log scale the values are drawn as dots
  // (exact zeros at 1e-18 so they stay visible), optionally with a dashed threshold line.
  const rows = opts.logY ? opts.rows.map((r) => ({ ...r, value: Math.max(r.value, 1e-18) })) : opts.rows;
  const enc = {
    x: { field: "group", type: "nominal", title: null, axis: { labelAngle: 0 }, sort: [...new Set(rows.map((r) => r.group))] },
    xOffset: { field: "series", type: "nominal" },
    y: { field: "value", type: "quantitative", title: opts.yTitle ?? "value", scale: opts.logY ? { type: "log" } : {} },
    color: { field: "series", type: "nominal", title: null },
    tooltip: [{ field: "group" }, { field: "series" }, { field: "value", format: ".3e" }],
  };
  const main: Spec = opts.logY
    ? { data: { values: rows }, mark: { type: "point", filled: true, size: 110 }, encoding: enc }
    : { data: { values: rows }, mark: { type: "bar" }, encoding: enc };
  const layers: Spec[] = [main];
  if (opts.threshold) {
    layers.push({
      data: { values: [{ value: opts.threshold.value, label: opts.threshold.label }] },
      layer: [
        { mark: { type: "rule", strokeDash: [5, 4], color: "#888" }, encoding: { y: { field: "value", type: "quantitative" } } },
        { mark: { type: "text", align: "left", dx: 4, dy: -6, color: "#666", fontSize: 10 }, encoding: { y: { field: "value", type: "quantitative" }, x: { value: 0 }, text: { field: "label" } } },
      ],
    });
  }
  return { ...base(360, 220), ...(opts.title ? { title: opts.title } : {}), layer: layers };
}

/** Flatness: Pr(steep start) against d per r, exact lines and Monte-Carlo points; log-log axes, zeros not drawn. */
export function flatnessSpec(rows: { d: number; r: number; pSteep: number; mc: number }[]): Spec {
  const rs = [...new Set(rows.map((x) => x.r))].sort((a, b) => a - b).map((r) => `r = ${r}`);
  const values = rows.map((x) => ({ ...x, radius: `r = ${x.r}` }));
  const color = { field: "radius", type: "nominal", title: "target norm", scale: { domain: rs } };
  const x = { field: "d", type: "quantitative", title: "dimension d", scale: { type: "log" }, axis: { format: "d", values: [...new Set(rows.map((v) => v.d))] } };
  return {
    ...base(420, 260),
    layer: [
      { data: { values: values.filter((v) => v.pSteep > 0) }, mark: { type: "line", strokeWidth: 2 }, encoding: { x, y: { field: "pSteep", type: "quantitative", title: "Pr(|∇F(w)| > tol)", scale: { type: "log" } }, color } },
      { data: { values: values.filter((v) => v.mc > 0) }, mark: { type: "point", filled: true, size: 40 }, encoding: { x, y: { field: "mc", type: "quantitative", scale: { type: "log" } }, color, tooltip: [{ field: "d" }, { field: "r" }, { field: "pSteep", format: ".3e" }, { field: "mc", format: ".3e" }] } },
    ],
  };
}

/** Log–log scatter with one colour per series, a text label per point and optionally the line y = x. */
export function scatterSpec(opts: { rows: { x: number; y: number; series: string; label?: string; /** Marker: circle (default) or downward triangle (e.g. "zero, drawn at a floor"). */ open?: boolean }[]; xTitle: string; yTitle: string; diagonal?: boolean; title?: string; openLabel?: string; filledLabel?: string }): Spec {
  const xs = opts.rows.map((r) => r.x).concat(opts.rows.map((r) => r.y)).filter((v) => v > 0);
  const lo = Math.min(...xs), hi = Math.max(...xs, 1);
  const rows = opts.rows.map((r) => ({ ...r, marker: r.open ? (opts.openLabel ?? "other") : (opts.filledLabel ?? "value") }));
  const layers: Spec[] = [{
    data: { values: rows },
    mark: { type: "point", size: 60, filled: true },
    encoding: {
      shape: { field: "marker", type: "nominal", title: null, scale: { domain: [opts.filledLabel ?? "value", opts.openLabel ?? "other"], range: ["circle", "triangle-down"] } },
      x: { field: "x", type: "quantitative", title: opts.xTitle, scale: { type: "log" }, axis: { format: ".0e" } },
      y: { field: "y", type: "quantitative", title: opts.yTitle, scale: { type: "log" }, axis: { format: ".0e" } },
      color: { field: "series", type: "nominal", title: null, scale: { domain: [...new Set(opts.rows.map((r) => r.series))] } },
      tooltip: [{ field: "series" }, { field: "label" }, { field: "x", format: ".3e" }, { field: "y", format: ".3e" }],
    },
  }];
  if (opts.diagonal) {
    layers.push({
      data: { values: [{ x: lo, y: lo }, { x: hi, y: hi }] },
      mark: { type: "line", strokeDash: [4, 3], color: "#888" },
      encoding: { x: { field: "x", type: "quantitative", scale: { type: "log" } }, y: { field: "y", type: "quantitative", scale: { type: "log" } } },
    });
  }
  return { ...base(420, 280), ...(opts.title ? { title: opts.title } : {}), layer: layers };
}
