/**
 * Figures to SVG: Vega-Lite spec -> Vega spec (vega-lite's compile) -> headless Vega View -> SVG string.
 * Runs in Node (renderer "none": no canvas needed) and in browsers. Deterministic for a given spec
 * (no animation, no random layout).
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { Spec } from "./specs.js";

/** Compile a Vega-Lite spec to a Vega spec. */
export function toVega(spec: Spec): vega.Spec {
  return compile(spec as unknown as TopLevelSpec).spec as vega.Spec;
}

/** Render a Vega-Lite spec to a standalone SVG string. */
export async function renderSvg(spec: Spec): Promise<string> {
  const view = new vega.View(vega.parse(toVega(spec)), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
