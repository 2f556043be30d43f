/**
 * The playground's Web Worker: its own engine instance (same .wasm), running the long computations off the main
 * thread — Monte-Carlo gradient variance points and the training demo — and the seeded determinism check.
 */
import { createEngine, type Engine } from "../src/index.js";
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
    } else if (m.type === "train") {
      const history = await trainDemo(e, { dim: m.dim, radius: m.radius, width: m.width, epochs: m.epochs, seed: m.seed }, (p) => post({ id: m.id, type: "progress", value: p }));
      post({ id: m.id, type: "result", value: history });
    }
  } catch (err) {
    post({ id: m.id, type: "error", message: (err as Error).message });
  }
};
