/**
 * Sizes of the reproduction run. "default" is embedded in `npm start` (budget: the whole run in <= 3 minutes on a
 * 2-core machine, build included); "full" is the publication size (`hardlearn reproduce --full`); "small" is for
 * tests (seconds). Every number here is written to results.json as the experiment's params.
 */
export type SizeName = "small" | "default" | "full";

export interface ReproduceConfig {
  size: SizeName;
  landscape: { radii: number[]; extent: number; grid: number; gdSteps: number; gdRate: number };
  gradvar: {
    thetaNorm: number;
    /** Dimensions of the exact curves. */
    dims: number[];
    /** Dimensions of the Monte-Carlo points (memory: samples x dim doubles per run). */
    mcDims: number[];
    /** Radii of the exact curve. */
    exactRadii: number[];
    /** Radii of the Monte-Carlo points. */
    mcRadii: number[];
    directions: number;
    samples: number;
    /** Monte Carlo for a ReLU network predictor and the triangle-wave target. */
    relu: { dim: number; width: number; radii: number[]; directions: number; samples: number };
    triangle: { dim: number; radii: number[]; directions: number; samples: number };
  };
  /** Theorem 4 grid: every (d, r) cell runs `targets` targets for `steps` steps. */
  oracle: { dims: number[]; radii: number[]; targets: number; steps: number; rate: number; thetaNorm: number };
  /** Learning map: lrs per optimizer (chosen per cell on validation), seeds per cell, early stopping over `epochs`. */
  sgdmap: { dims: number[]; radii: number[]; width: number; train: number; val: number; test: number; epochs: number; batch: number; lrs: { adam?: number[]; sgd?: number[] }; seeds: number };
  invariance: { samples: number; dim: number; width: number; steps: number; rate: number; conds: number[] };
  halfspaces: { maxDim: number; instances: number; maxK: number; transferDim: number };
  networks: { dim: number; width: number; learnerWidth: number; train: number; test: number; epochs: number; batch: number; rate: number; patch: number };
}

const range = (a: number, b: number, step: number): number[] => {
  const out: number[] = [];
  for (let i = 0; a + i * step <= b + 1e-12; i++) out.push(Number((a + i * step).toFixed(10)));
  return out;
};

export function configFor(size: SizeName): ReproduceConfig {
  if (size === "small") {
    return {
      size,
      landscape: { radii: [2], extent: 4, grid: 21, gdSteps: 20, gdRate: 0.5 },
      gradvar: {
        thetaNorm: 1, dims: [2, 10], mcDims: [2, 10], exactRadii: range(0.5, 4, 0.5), mcRadii: [1, 2], directions: 16, samples: 512,
        relu: { dim: 4, width: 4, radii: [1], directions: 8, samples: 256 },
        triangle: { dim: 4, radii: [0.5], directions: 8, samples: 256 },
      },
      oracle: { dims: [5, 10], radii: [2, 4], targets: 10, steps: 10, rate: 0.5, thetaNorm: 1 },
      sgdmap: { dims: [2], radii: [0.5, 2], width: 8, train: 256, val: 128, test: 256, epochs: 2, batch: 32, lrs: { adam: [1e-2], sgd: [1e-2] }, seeds: 2 },
      invariance: { samples: 40, dim: 4, width: 4, steps: 5, rate: 0.05, conds: [1e3] },
      halfspaces: { maxDim: 4, instances: 5, maxK: 3, transferDim: 4 },
      networks: { dim: 8, width: 4, learnerWidth: 8, train: 256, test: 256, epochs: 2, batch: 32, rate: 0.01, patch: 4 },
    };
  }
  if (size === "full") {
    return {
      size,
      landscape: { radii: [1.5, 2, 3], extent: 4, grid: 161, gdSteps: 400, gdRate: 0.5 },
      gradvar: {
        thetaNorm: 1, dims: [2, 10, 100, 1000], mcDims: [2, 10, 100], exactRadii: range(0.25, 8, 0.125), mcRadii: [0.5, 1, 1.5, 2, 3, 4, 6],
        directions: 2000, samples: 100000,
        relu: { dim: 20, width: 20, radii: [0.5, 1, 2, 3, 4], directions: 1000, samples: 100000 },
        triangle: { dim: 10, radii: [0.1, 0.25, 0.5, 1, 2], directions: 1000, samples: 100000 },
      },
      oracle: { dims: [2, 5, 10, 20, 50, 100], radii: [1, 2, 4, 6, 8, 10], targets: 400, steps: 500, rate: 0.5, thetaNorm: 1 },
      sgdmap: { dims: [2, 5, 10, 20, 50], radii: [0.5, 1, 1.5, 2, 3, 4, 6], width: 100, train: 20000, val: 5000, test: 10000, epochs: 60, batch: 50, lrs: { adam: [3e-4, 1e-3, 3e-3], sgd: [1e-2, 3e-2, 1e-1] }, seeds: 10 },
      invariance: { samples: 500, dim: 20, width: 20, steps: 200, rate: 0.05, conds: [1e2, 1e4, 1e6] },
      halfspaces: { maxDim: 12, instances: 500, maxK: 6, transferDim: 12 },
      networks: { dim: 64, width: 64, learnerWidth: 256, train: 50000, test: 10000, epochs: 40, batch: 128, rate: 0.005, patch: 8 },
    };
  }
  return {
    size,
    landscape: { radii: [1.5, 2, 3], extent: 4, grid: 41, gdSteps: 200, gdRate: 0.5 },
    gradvar: {
      thetaNorm: 1, dims: [2, 10, 100], mcDims: [2, 10, 100], exactRadii: range(0.25, 8, 0.25), mcRadii: [0.5, 1, 2, 3, 4],
      directions: 1000, samples: 20000,
      relu: { dim: 10, width: 10, radii: [0.5, 1, 2, 4], directions: 200, samples: 20000 },
      triangle: { dim: 10, radii: [0.1, 0.25, 0.5, 1], directions: 200, samples: 20000 },
    },
    oracle: { dims: [2, 5, 10, 20, 50], radii: [2, 4, 6, 8], targets: 100, steps: 100, rate: 0.5, thetaNorm: 1 },
    sgdmap: { dims: [2, 5, 10, 20, 50], radii: [0.5, 1, 2, 3, 4], width: 50, train: 2000, val: 1000, test: 2000, epochs: 30, batch: 50, lrs: { adam: [1e-3, 1e-2], sgd: [3e-2, 1e-1] }, seeds: 5 },
    invariance: { samples: 200, dim: 10, width: 10, steps: 100, rate: 0.05, conds: [1e2, 1e6] },
    halfspaces: { maxDim: 10, instances: 100, maxK: 5, transferDim: 8 },
    networks: { dim: 32, width: 32, learnerWidth: 128, train: 10000, test: 5000, epochs: 15, batch: 100, rate: 0.005, patch: 8 },
  };
}
