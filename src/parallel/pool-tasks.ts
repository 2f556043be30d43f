/**
 * Job kinds the worker pool can run. A job has a setup (shared data copied once into the worker's own engine),
 * any number of tasks (each returns a structured-clone-friendly result) and a teardown. The same handlers run
 * in-process for workers = 1, so results never depend on where a task ran.
 */
import type { Engine } from "../engine.js";
import { prepareChunkState, releaseChunkState, runChunk, type ChunkSetup, type ChunkState } from "../gradvar/chunk.js";

export interface JobHandler<S = unknown, St = unknown, T = unknown, R = unknown> {
  /** `slot`: this worker's index among the pool's `count` workers (for jobs that split setup work). */
  setup(engine: Engine, payload: S, slot: { index: number; count: number }): St;
  task(state: St, payload: T): R;
  teardown(state: St): void;
}

const gradvarChunks: JobHandler<ChunkSetup, ChunkState, { W: Float64Array; count: number }, unknown> = {
  setup: (engine, payload, slot) => prepareChunkState(engine.core, payload, 0, slot),
  task: (state, t) => runChunk(state, t.W, t.count),
  teardown: (state) => releaseChunkState(state),
};

export const JOB_HANDLERS: Record<string, JobHandler<any, any, any, any>> = {
  "gradvar.chunks": gradvarChunks,
};
