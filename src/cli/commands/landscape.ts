/**
 * `hardlearn landscape`: Eq. (3) in d = 2 (Shamir §4.1, Fig. 2) with w* = (r, 0): grid of F on [-E, E]^2,
 * critical points (Newton search, classified by the Hessian), flatness share. With --out: landscape.json and
 * landscape.svg (the report's figure spec).
 * JSON contract: { "wStar": [R, 0], "criticalPoints": [ { "w": [x, y], "F", "kind": "max"|"min"|"saddle" } ], "grid": { x, y, F }, ... }.
 */
import { landscapeSpec } from "../../report/specs.js";
import { renderSvg } from "../../report/render.js";
import * as P from "../args.js";
import type { CommandSpec } from "./types.js";
import { toJson } from "../json.js";

export const landscapeCommand: CommandSpec = {
  name: "landscape",
  description: "the Eq. (3) landscape in d = 2 (Fig. 2): grid of F, critical points (5 of them: max, 2 minima, 2 saddles)",
  options: [
    { flags: "--radius <R>", description: "r = |w*| > 0; w* = (r, 0)", parse: P.positiveNumber, default: 2 },
    { flags: "--extent <E>", description: "half-width of the square [-E, E]^2 (default 2r)", parse: P.positiveNumber },
    { flags: "--grid <G>", description: "grid points per side (2..4096)", parse: P.positiveInt, default: 81 },
    { flags: "--starts <S>", description: "Newton starts per side for the critical-point search", parse: P.positiveInt, default: 33 },
  ],
  outputs: ["landscape.json", "landscape.svg"],
  examples: ["hardlearn landscape --radius 2 --extent 4 --grid 81 --json", "hardlearn landscape --radius 3 --out figs"],
  async estimate(ctx) {
    const o = ctx.opts as { grid: number; starts: number };
    // Calibrated: ~4 us per grid point (closed-form F and gradient) and ~240 us per Newton start at 2 Gflop/s.
    const g2 = o.grid * o.grid, s2 = o.starts * o.starts;
    return { cost: { what: "landscape", wasmBytes: 0, jsBytes: 64 * g2, flops: 8000 * g2 + 480_000 * s2 }, reduce: "--grid or --starts" };
  },
  async run(ctx) {
    const engine = await ctx.engine();
    const o = ctx.opts as { radius: number; extent?: number; grid: number; starts: number };
    const res = engine.landscape({ radius: o.radius, extent: o.extent, grid: o.grid, starts: o.starts });
    const json = {
      wStar: res.wStar,
      radius: res.radius,
      extent: res.extent,
      criticalPoints: res.criticalPoints.map((c) => ({ w: c.w, F: c.F, kind: c.kind, hessianEigenvalues: c.eigenvalues, gradNorm: c.gradNorm })),
      flatShare: res.flatShare,
      flatTol: res.flatTol,
      plateau: res.plateau,
      saddleValueClosed: res.saddleValueClosed,
      grid: { x: res.grid.x, y: res.grid.y, F: res.grid.F },
    };
    if (ctx.global.out) {
      const cells = [];
      for (let j = 0; j < res.grid.y.length; j++) for (let i = 0; i < res.grid.x.length; i++) cells.push({ x: res.grid.x[i], y: res.grid.y[j], F: res.grid.F[j][i] });
      const spec = landscapeSpec({ cells, cellSize: res.grid.x[1] - res.grid.x[0], criticalPoints: res.criticalPoints.map((c) => ({ x: c.w[0], y: c.w[1], F: c.F, kind: c.kind })), title: `Eq. (3), r = ${res.radius}` });
      await ctx.writeOut({ "landscape.json": toJson(json), "landscape.svg": await renderSvg(spec) });
    }
    const lines = [
      `Eq. (3), d = 2, w* = (${res.wStar[0]}, 0), square [-${res.extent}, ${res.extent}]^2, grid ${o.grid}x${o.grid}`,
      `${res.criticalPoints.length} critical points:`,
      ...res.criticalPoints.map((c) => `  ${c.kind.padEnd(6)} w = (${c.w[0].toFixed(6)}, ${c.w[1].toFixed(6)})  F = ${c.F.toPrecision(8)}  Hessian eigenvalues ${c.eigenvalues.map((v) => v.toPrecision(4)).join(", ")}`),
      `flat share (|grad F| < ${res.flatTol}): ${(100 * res.flatShare).toFixed(1)}%   plateau F = ${res.plateau.toPrecision(8)}`,
    ];
    return { json, text: lines.join("\n") };
  },
};
