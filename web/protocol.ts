/** Messages between the playground page (main.ts) and its Web Worker (worker.ts). */
export type Request =
  | { id: number; type: "check"; seed: number }
  | { id: number; type: "gradvarCheck"; case: number; workers: number }
  | { id: number; type: "gradvar"; dims: number[]; radii: number[]; thetaNorm: number; directions: number; samples: number; seed: number }
  | { id: number; type: "train"; dim: number; radius: number; width: number; epochs: number; seed: number }
  | { id: number; type: "landscapes"; radii: number[]; extent: number; grid: number; starts: number };

export type Reply =
  | { id: number; type: "progress"; value: unknown }
  | { id: number; type: "result"; value: unknown }
  | { id: number; type: "error"; message: string };

/** One Monte-Carlo point of the variance figure. */
export interface McPoint { d: number; r: number; estimate: number; stderr: number; floor: number; lo: number; hi: number }
/** One epoch of the training demo. */
export type { LossPoint } from "../src/report/compute.js";
