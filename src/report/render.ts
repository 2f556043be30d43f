/**
 * Figures to SVG: Vega-Lite spec -> Vega spec (vega-lite's compile) -> headless Vega View -> SVG string.
 * Runs in Node (renderer "none": no canvas needed) and in browsers. Deterministic for a given spec
 * (no animation, no random layout).
 *
 * vega and vega-lite are optional peer dependencies: only the figures need them, so they are loaded here, on first
 * use, and a library install that never draws a figure does not pull the plotting stack. When they are missing,
 * MissingDependencyError says what to install.
 */
import type * as Vega from "vega";
import type * as VegaLite from "vega-lite";
import { MissingDependencyError } from "../errors.js";
import type { Spec } from "./specs.js";

/** The packages the figures need, with the ranges this version of hardlearn is tested with. */
export const FIGURE_PACKAGES = ["vega@^6.4.0", "vega-lite@^6.4.3"];

let loaded: Promise<{ vega: typeof Vega; vegaLite: typeof VegaLite }> | undefined;

function isModuleNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

/** Load vega and vega-lite once; throws MissingDependencyError when either is not installed. */
export function loadFigureLibraries(): Promise<{ vega: typeof Vega; vegaLite: typeof VegaLite }> {
  loaded ??= Promise.all([import("vega"), import("vega-lite")]).then(
    ([vega, vegaLite]) => ({ vega, vegaLite }),
    (e: unknown) => {
      loaded = undefined;
      throw isModuleNotFound(e) ? new MissingDependencyError("Drawing the report's figures", FIGURE_PACKAGES) : e;
    },
  );
  return loaded;
}

/** Render a Vega-Lite spec to a standalone SVG string. */
export async function renderSvg(spec: Spec): Promise<string> {
  const { vega, vegaLite } = await loadFigureLibraries();
  const compiled = vegaLite.compile(spec as unknown as VegaLite.TopLevelSpec).spec as Vega.Spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
