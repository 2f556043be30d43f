/**
 * In-process arithmetic peak of the WASM core on this host and this Node/V8: 12 independent f64x2 multiply-add chains
 * fed from an L1-resident buffer, with the GEMM kernel's own multiply-add, compiled into the core (assembly/gemm/
 * peak_f64.ts). Timed by process CPU time (best of 7), which other processes on the machine disturb far less than
 * wall time. The default
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

/**
 * GFLOP/s of one of the core's peak kernels (`peak_f64` or `peak_f32`): process CPU time, calibrated to about `ms` per
 * run, best of 7 (a peak is a best case by definition). The operand buffer holds 1e-3 in either precision's bits.
 */
export function peakOf(e: Engine, ms: number, precision: "f64" | "f32" = "f64"): number {
  // f64: the better of the 12-chain and the 10-chain kernel (peak_f64.ts: V8 13 spills the 12-chain one in the FMA
  // build on some hosts, which would put the "peak" below the GEMM kernel).
  const kernels = precision === "f64" ? ["peak_f64", "peak_f64_10"] : [`peak_${precision}`];
  return Math.max(...kernels.map((k) => peakOfKernel(e, ms, precision, k)));
}

function peakOfKernel(e: Engine, ms: number, precision: "f64" | "f32", name: string): number {
  const x = e.core.x as unknown as Record<string, (...a: number[]) => number>;
  const run = x[name], perStep = x[`${name}_flops_per_step`](), bytes = x[`peak_${precision}_buffer_bytes`]();
  return e.core.scope((ar) => {
    const p = ar.alloc(bytes);
    if (precision === "f64") ar.f64(p, bytes / 8).fill(1e-3);
    else new Float32Array(ar.memory.buffer, p, bytes / 4).fill(1e-3);
    const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
    let steps = 1 << 14;
    for (;;) {
      const t0 = cpu();
      run(steps, p);
      if ((cpu() - t0) * 1000 > ms / 4 || steps > 1 << 30) break;
      steps *= 2;
    }
    let best = 0;
    for (let r = 0; r < 7; r++) {
      const t0 = cpu();
      run(steps, p);
      const s = cpu() - t0;
      if (s > 0) best = Math.max(best, (steps * perStep) / s / 1e9);
    }
    return best;
  });
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
