/**
 * In-process arithmetic peak of the WASM core on this host and this Node/V8: the GEMM micro-kernel's own arithmetic
 * (8 f64x2 accumulators, the kernel's multiply-add) without its loads, compiled into the core (peak_f64). The default
 * build's peak uses mul + add; the FMA build's (createEngine({ fma: true }), where the host runs relaxed SIMD)
 * uses relaxed_madd. Benchmarks report each kernel's GFLOP/s as a fraction of the matching peak measured in the same
 * run, so results compare across machines and Node versions without quoting one host's absolute numbers.
 */
import { createEngine, type Engine } from "../src/index.js";

export interface Peaks {
  /** GFLOP/s of the default build's mul + add. */
  muladd: number;
  /** GFLOP/s of the FMA build's relaxed_madd, when this host runs relaxed SIMD. */
  madd?: number;
  /** Whether relaxed_madd is fused on this host. */
  fused?: boolean;
}

function peakOf(e: Engine, ms: number): number {
  const x = e.core.x as unknown as { peak_f64(steps: number, seed: number): number; peak_f64_flops_per_step(): number };
  const perStep = x.peak_f64_flops_per_step();
  let steps = 1 << 16;
  // Calibrate to ~ms per run, then keep the best of 7 runs (the peak is a best case by definition).
  for (;;) {
    const t0 = performance.now();
    x.peak_f64(steps, 1.25);
    if (performance.now() - t0 > ms / 4 || steps > 1 << 30) break;
    steps *= 2;
  }
  let best = 0;
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    x.peak_f64(steps, 1.25 + r);
    const s = (performance.now() - t0) / 1000;
    best = Math.max(best, (steps * perStep) / s / 1e9);
  }
  return best;
}

export async function measurePeaks(smoke = false): Promise<Peaks> {
  const ms = smoke ? 4 : 60;
  const p: Peaks = { muladd: peakOf(await createEngine(), ms) };
  const f = await createEngine({ fma: true });
  if (f.fma.active) {
    p.madd = peakOf(f, ms);
    p.fused = f.fma.fused;
  }
  return p;
}
