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

/**
 * A diagnostic job: each task returns its payload, the job's setup and the worker's slot, plus seeded normals drawn
 * by the worker's own engine (so a test can check the pool's scheduling and size, and that workers compute the same
 * bits as the caller). Cheap; never used by the library itself.
 */
const echo: JobHandler<{ tag: string }, { engine: Engine; tag: string; slot: { index: number; count: number } }, { seed: number; count: number }, unknown> = {
  setup: (engine, payload, slot) => ({ engine, tag: payload.tag, slot }),
  task: (state, t) => ({ tag: state.tag, workers: state.slot.count, seed: t.seed, normals: Array.from(state.engine.rng(t.seed).normal(t.count)) }),
  teardown: () => {},
};

export const JOB_HANDLERS: Record<string, JobHandler<any, any, any, any>> = {
  "gradvar.chunks": gradvarChunks,
  "pool.echo": echo,
};
