/**
 * Snapshot of an async call's options, taken when the call is made. An async engine computation may start later
 * (behind another one, see Core.session) or yield midway; computing on a private copy makes its result the one a
 * call made at that moment gives, whatever the caller — or another engine call writing into an `out` array —
 * does to the arrays afterwards.
 *
 * Copies plain objects, plain arrays and typed arrays (recursively, to a small depth); keeps everything else (functions,
 * AbortSignals, class instances, primitives) as is. Accessors are read once, here. Invalid shapes are left for the
 * call's own validation to report.
 */
import { snapshot } from "../validate.js";

const MAX_DEPTH = 6;

/**
 * The engine's async entries now use validate.ts's `snapshot(options, "options", true)` (same copies, plus typed
 * arrays of other realms, detached buffers and Proxies handled as typed errors); this delegates to it.
 */
export function snapshotOptions<T>(value: T): T {
  return snapshot(value, "options", true);
}

/** The former copy (kept for reference; unused). */
export function snapshotOptionsShallow<T>(value: T): T {
  return copy(value, 0) as T;
}

function copy(v: unknown, depth: number): unknown {
  if (v === null || typeof v !== "object") return v;
  if (ArrayBuffer.isView(v)) {
    return v instanceof DataView ? v : (v as unknown as { slice(): unknown }).slice();
  }
  if (depth >= MAX_DEPTH) return v;
  if (Array.isArray(v)) return v.map((x) => copy(x, depth + 1));
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = copy((v as Record<string, unknown>)[k], depth + 1);
  return out;
}
