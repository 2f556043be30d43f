/**
 * The unit of parallel work of the gradient-variance estimator: one chunk of target directions.
 * Runs identically in the main thread and in pool workers (each with its own WASM core), so results are
 * bit-identical for any number of workers: a chunk's output depends only on (X, D, E, the chunk's directions,
 * the fixed row partition), and chunks are reduced in index order by the caller.
 *
 * Per chunk (jc directions, nb row blocks, p parameters) it returns:
 *  - count: jc;
 *  - mean[b][.]: the chunk mean over directions of block b's gradient (w-dependent part), nb x p;
 *  - cross[b][l] = sum_j <g^b_j - mean^b, g^l_j - mean^l>, nb x nb (within-chunk centred cross products);
 *  - q[j] = mean over ordered pairs b != l of <g^b_j - mean^b, g^l_j - mean^l> (per-direction U-statistic terms);
 *  - h[j] = || sum_b ω_b (g^b_j - mean^b) ||^2 with ω_b = n_b / n (full-sample deviation, squared).
 */
import type { Core } from "../core/core.js";

/** Setup data shared by every chunk of one estimator run (JSON/structured-clone friendly). */
export interface ChunkSetup {
  n: number;
  d: number;
  /** n x d input rows, or (when absent) xNormal: X = rng(seed).stream(0).normal(n d) regenerated in place. */
  X?: Float64Array;
  /** Philox key and stream words of the standard-normal X (position 0); same bits as RngStream.normal. */
  xNormal?: [number, number, number, number];
  /**
   * Optional shared buffer for regenerating xNormal cooperatively in a pool: worker i of k fills its slice of X,
   * copies it into `sab` (8 n d bytes of data, then an Int32 counter and an error flag), waits until all k slices are
   * there (Atomics barrier, 120 s cap), and copies the rest. Same bits as one full fill (Philox block alignment kept).
   */
  xShared?: SharedArrayBuffer;
  /** n x nd per-sample scalings of x in the predictor gradient. */
  nd: number;
  D: Float64Array;
  /** cos predictor: when set and D is empty, D = -sin(X θ) is computed in the worker's arena (same kernels, same bits). */
  cosTheta?: Float64Array;
  /** n x ne extra per-sample gradient features. */
  ne: number;
  E: Float64Array;
  psiKind: number;
  /** nb + 1 row offsets. */
  blockStart: Int32Array;
  sub: number;
  /** Largest chunk size (buffers). */
  maxChunk: number;
}

export interface ChunkStats {
  count: number;
  mean: Float64Array; // nb * p
  cross: Float64Array; // nb * nb
  q: Float64Array; // count
  h: Float64Array; // count
}

/** A prepared setup living in one core's arena (valid until release()). */
export interface ChunkState {
  core: Core;
  setup: ChunkSetup;
  mark: number;
  px: number; pd: number; pe: number; pw: number; pbs: number; pbsc: number; pz: number; py: number; pg: number;
  pmean: number; pgram: number; pdev: number;
  p: number;
  nb: number;
  omega: Float64Array;
}

/** Copy the shared inputs into the core's arena and allocate the chunk buffers. Call releaseChunkState after. */
export function prepareChunkState(core: Core, s: ChunkSetup, pxExisting = 0, slot?: { index: number; count: number }): ChunkState {
  const ar = core.arena;
  const mark = ar.mark();
  try {
    const nb = s.blockStart.length - 1;
    const p = s.nd * s.d + s.ne;
    const px = pxExisting || (s.xShared && s.xNormal && slot && slot.count > 1 ? loadXShared(core, s, slot) : loadX(core, s));
    const pd = s.nd === 0 ? 0 : s.cosTheta && s.D.length === 0 ? cosFactors(core, px, s.n, s.d, s.cosTheta).pD : ar.put(s.D);
    const pe = s.ne > 0 ? ar.put(s.E) : 0;
    const pw = ar.allocF64(s.maxChunk * s.d);
    const pbs = ar.alloc(4 * (nb + 1));
    ar.i32(pbs, nb + 1).set(s.blockStart);
    const pbsc = ar.allocF64(nb);
    const sc = ar.f64(pbsc, nb);
    const omega = new Float64Array(nb);
    for (let b = 0; b < nb; b++) {
      const nbRows = s.blockStart[b + 1] - s.blockStart[b];
      sc[b] = -2 / nbRows; // g_w = -(2/|R|) sum psi P_i
      omega[b] = nbRows / s.n;
    }
    const pz = ar.allocF64(s.sub * s.maxChunk);
    const py = ar.allocF64(s.sub * s.d);
    const pg = ar.allocF64(nb * p * s.maxChunk);
    const pmean = ar.allocF64(nb * p), pgram = ar.allocF64(((nb * (nb + 1)) / 2) * s.maxChunk), pdev = ar.allocF64(nb * s.maxChunk);
    return { core, setup: s, mark, px, pd, pe, pw, pbs, pbsc, pz, py, pg, pmean, pgram, pdev, p, nb, omega };
  } catch (e) {
    ar.release(mark);
    throw e;
  }
}

/**
 * cos predictor factors in the current arena scope: h = X θ (gemv), pD = D = -sin h (the derivative of cos<θ,x> in
 * <θ,x>), pFD = cos(h) · D. Shared by the main thread (for the w-independent gradient part) and the workers (for D).
 */
export function cosFactors(core: Core, px: number, n: number, d: number, theta: Float64Array): { pD: number; pFD: number } {
  const ar = core.arena;
  const pt = ar.put(theta);
  const ph = ar.allocF64(n), pf = ar.allocF64(n), ps = ar.allocF64(n);
  core.x.gemv_f64(0, n, d, 1, px, d, pt, 0, ph); // h = X θ
  core.x.vm_cos_f64(ph, pf, n);
  core.x.vm_sin_f64(ph, ps, n);
  const f = ar.f64(pf, n), sn = ar.f64(ps, n);
  for (let i = 0; i < n; i++) { sn[i] = -sn[i]; f[i] *= sn[i]; }
  return { pD: ps, pFD: pf };
}

/** Put (or regenerate) X in the arena; returns its address. */
export function loadX(core: Core, s: ChunkSetup): number {
  const ar = core.arena;
  if (s.X) return ar.put(s.X);
  const px = ar.allocF64(s.n * s.d);
  const [k0, k1, s0, s1] = s.xNormal!;
  core.x.rng_fill_normal_f64(k0, k1, s0, s1, 0n, px, s.n * s.d);
  return px;
}

/** Bytes of the shared X buffer for n x d (data + control words). */
export function sharedXBytes(n: number, d: number): number {
  return 8 * n * d + 16;
}

const BARRIER_MS = 120_000;

/** Cooperative regeneration of a standard-normal X through a SharedArrayBuffer (see ChunkSetup.xShared). */
function loadXShared(core: Core, s: ChunkSetup, slot: { index: number; count: number }): number {
  const ar = core.arena;
  const N = s.n * s.d;
  const shared = new Float64Array(s.xShared!, 0, N);
  const ctrl = new Int32Array(s.xShared!, 8 * N, 2);
  // Slice boundaries at even element indices: element e comes from Philox block floor(e / 2).
  const cut = (i: number) => (i >= slot.count ? N : 2 * Math.floor((i * N) / (2 * slot.count)));
  const e0 = cut(slot.index), e1 = cut(slot.index + 1);
  let px = 0;
  try {
    px = ar.allocF64(N); // inside the try: a failure here must still release the other workers
    if (e1 > e0) {
      const [k0, k1, s0, s1] = s.xNormal!;
      core.x.rng_fill_normal_f64(k0, k1, s0, s1, BigInt(e0 / 2), px + 8 * e0, e1 - e0);
      shared.set(ar.f64(px + 8 * e0, e1 - e0), e0);
    }
  } catch (e) {
    Atomics.store(ctrl, 1, 1);
    throw e;
  } finally {
    Atomics.add(ctrl, 0, 1);
    Atomics.notify(ctrl, 0);
  }
  const t0 = Date.now();
  for (let it = 0; it < 1_000_000; it++) {
    const v = Atomics.load(ctrl, 0);
    if (v >= slot.count) break;
    const left = BARRIER_MS - (Date.now() - t0);
    if (left <= 0) throw new Error("shared X barrier timed out (a pool worker did not finish its slice)");
    Atomics.wait(ctrl, 0, v, left);
  }
  if (Atomics.load(ctrl, 1) !== 0) throw new Error("another pool worker failed while generating its slice of X");
  const view = ar.f64(px, N);
  if (e0 > 0) view.set(shared.subarray(0, e0), 0);
  if (e1 < N) view.set(shared.subarray(e1, N), e1);
  return px;
}

export function releaseChunkState(st: ChunkState): void {
  st.core.arena.release(st.mark);
}

/** Gradients of the directions W (jc x d, row-major) and their chunk statistics. */
export function runChunk(st: ChunkState, W: Float64Array, jc: number): ChunkStats {
  const { core, setup: s, p, nb } = st;
  const ar = core.arena;
  ar.f64(st.pw, jc * s.d).set(W.subarray(0, jc * s.d));
  core.x.gv_grad_chunk_f64(s.n, s.d, st.px, s.nd, st.pd, s.ne, st.pe, jc, st.pw, s.psiKind, nb, st.pbs, st.pbsc,
    s.sub, st.pz, st.py, st.pg);
  core.x.gv_chunk_gram_f64(st.pg, nb, p, jc, st.pmean, st.pgram, st.pdev);
  return chunkFinish(ar.take(st.pmean, nb * p), ar.f64(st.pgram, ((nb * (nb + 1)) / 2) * jc), nb, jc, st.omega);
}

/** From chunk means and per-direction centred Grams (upper triangle, pair-major) to ChunkStats. */
export function chunkFinish(mean: Float64Array, gram: Float64Array, nb: number, jc: number, omega: Float64Array): ChunkStats {
  const cross = new Float64Array(nb * nb);
  const q = new Float64Array(jc), h = new Float64Array(jc);
  let pi = 0;
  const npairsOff = nb * (nb - 1);
  for (let b = 0; b < nb; b++) {
    for (let l = b; l < nb; l++, pi++) {
      const o = pi * jc;
      let acc = 0;
      const wq = l !== b ? 2 / npairsOff : 0, wh = (l === b ? 1 : 2) * omega[b] * omega[l];
      for (let j = 0; j < jc; j++) {
        const v = gram[o + j];
        acc += v;
        q[j] += wq * v;
        h[j] += wh * v;
      }
      cross[b * nb + l] = acc;
      cross[l * nb + b] = acc;
    }
  }
  return { count: jc, mean, cross, q, h };
}

/**
 * Statistics of one chunk from its gradient array (see the file comment). Two passes (means, then centred products),
 * fixed loop order: deterministic.
 */
export function chunkStats(G: Float64Array, nb: number, p: number, jc: number, omega: Float64Array): ChunkStats {
  const mean = new Float64Array(nb * p);
  for (let b = 0; b < nb; b++) {
    for (let r = 0; r < p; r++) {
      const row = (b * p + r) * jc;
      let acc = 0;
      for (let j = 0; j < jc; j++) acc += G[row + j];
      mean[b * p + r] = acc / jc;
    }
  }
  // Per-direction Gram of centred vectors, upper triangle incl. diagonal: gram[(pairIndex) * jc + j].
  const npair = (nb * (nb + 1)) / 2;
  const gram = new Float64Array(npair * jc);
  const dev = new Float64Array(nb * jc);
  for (let r = 0; r < p; r++) {
    for (let b = 0; b < nb; b++) {
      const row = (b * p + r) * jc, m = mean[b * p + r];
      for (let j = 0; j < jc; j++) dev[b * jc + j] = G[row + j] - m;
    }
    let pi = 0;
    for (let b = 0; b < nb; b++) {
      for (let l = b; l < nb; l++, pi++) {
        const o = pi * jc, ob = b * jc, ol = l * jc;
        for (let j = 0; j < jc; j++) gram[o + j] += dev[ob + j] * dev[ol + j];
      }
    }
  }
  return chunkFinish(mean, gram, nb, jc, omega);
}
