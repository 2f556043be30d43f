/**
 * Live Vega views of the shared Vega-Lite specs (src/report/specs.ts), rendered into a container: SVG, or canvas for
 * figures with thousands of marks that must redraw within a frame (the landscape heatmap).
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { Spec } from "../src/report/specs.js";

const views = new Map<HTMLElement, vega.View>();

/**
 * Render `spec` into `el`, replacing any previous view there, with the rows of its named data sets (`data`).
 * Resolves when the first render is done.
 */
export async function show(el: HTMLElement, spec: Spec, data: Record<string, object[]> = {}, renderer: "svg" | "canvas" = "svg"): Promise<vega.View> {
  views.get(el)?.finalize();
  el.innerHTML = "";
  const view = new vega.View(vega.parse(compile(spec as unknown as TopLevelSpec).spec as vega.Spec), { renderer, container: el, hover: true });
  views.set(el, view);
  for (const [name, rows] of Object.entries(data)) view.data(name, rows);
  await view.runAsync();
  return view;
}
