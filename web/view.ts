/** Live Vega views of the shared Vega-Lite specs (src/report/specs.ts), rendered as SVG into a container. */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { Spec } from "../src/report/specs.js";

const views = new Map<HTMLElement, vega.View>();

/** Render `spec` into `el`, replacing any previous view there. Resolves when the first render is done. */
export async function show(el: HTMLElement, spec: Spec): Promise<vega.View> {
  views.get(el)?.finalize();
  el.innerHTML = "";
  const view = new vega.View(vega.parse(compile(spec as unknown as TopLevelSpec).spec as vega.Spec), { renderer: "svg", container: el, hover: true });
  views.set(el, view);
  await view.runAsync();
  return view;
}
