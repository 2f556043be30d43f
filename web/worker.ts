/**
 * The playground's Web Worker: its own engine instance (same .wasm), running the long computations off the main
 * thread — Monte-Carlo gradient variance points, the training demo, the landscapes for the r slider — and the seeded
 * determinism check.
 */
import { createEngine, landscape, type Engine } from "../src/index.js";
import { gradvarDigest, seededDigest } from "./check.js";
import { gradvarMcPoint, trainDemo } from "./compute.js";
import type { Reply, Request } from "./protocol.js";

const post = (m: Reply): void => (self as unknown as Worker).postMessage(m);
let enginePromise: Promise<Engine> | undefined;
const engine = (): Promise<Engine> => (enginePromise ??= createEngine({ wasm: new URL("hardlearn.wasm", self.location.href) }));

self.onmessage = async (ev: MessageEvent<Request>) => {
  const m = ev.data;
  try {
    const e = await engine();
    if (m.type === "check") {
      post({ id: m.id, type: "result", value: seededDigest(e, m.seed) });
    } else if (m.type === "gradvarCheck") {
      post({ id: m.id, type: "result", value: await gradvarDigest(e, m.case, m.workers) });
    } else if (m.type === "gradvar") {
      const out = [];
      for (const d of m.dims) {
        for (const r of m.radii) {
          const p = await gradvarMcPoint(e, { dim: d, radius: r, thetaNorm: m.thetaNorm, directions: m.directions, samples: m.samples, seed: m.seed });
          out.push(p);
          post({ id: m.id, type: "progress", value: p });
        }
      }
      post({ id: m.id, type: "result", value: out });
    } else if (m.type === "landscapes") {
      // The playground's r-slider positions, computed ahead so that dragging only redraws (one reply per radius).
      for (const radius of m.radii) {
        const res = landscape({ radius, extent: m.extent, grid: m.grid, starts: m.starts });
        post({ id: m.id, type: "progress", value: { radius, wStar: res.wStar, criticalPoints: res.criticalPoints, grid: res.grid } });
        await new Promise((r) => setTimeout(r, 0)); // let other requests in between
      }
      post({ id: m.id, type: "result", value: null });
    } else if (m.type === "train") {
      const history = await trainDemo(e, { dim: m.dim, radius: m.radius, width: m.width, epochs: m.epochs, seed: m.seed }, (p) => post({ id: m.id, type: "progress", value: p }));
      post({ id: m.id, type: "result", value: history });
    }
  } catch (err) {
    post({ id: m.id, type: "error", message: (err as Error).message });
  }
};
