/**
 * Shamir §3: (1) the exact encoding of an intersection of integer halfspaces over {0,1}^d as 1 minus a clipped ReLU
 * network without bias (PAPERS §1.4), checked exhaustively; (2) Proposition 1's [W; I_k] augmentation (§1.5):
 * identical labels and s_min >= 1; (3) Theorem 2's transfer matrix M with W'^T = W^T M (§1.7): a fixed network W
 * reproduces the labels of the hard instance W' on inputs x = M x'.
 */
import type { Matrix } from "../../types.js";
import type { RngStream } from "../../random/rng.js";
import type { HalfspaceCheckOptions, HalfspaceCheckResult, HalfspaceIntersection } from "../../models/targets.js";
import type { ReluNet } from "../../models/network.js";
import { claim, fmt, PAPER_A, steps, type ExperimentDef } from "../experiment.js";
import { ENCODING_FAILS_IF, ENCODING_RULE, encodingVerdict, engineCheck, PROP1_FAILS_IF, PROP1_RULE, prop1Verdict, TRANSFER_FAILS_IF, TRANSFER_RULE, transferVerdict } from "../verdicts.js";
import { appendOnes, augmentIndependent, booleanCube, clippedReluNet, encodeHalfspaces, padZeros, randomHalfspaces, smallestSingularValue, transferMatrix } from "../../index.js";
import type { Engine } from "../../engine.js";

type CheckFn = (o: HalfspaceCheckOptions) => HalfspaceCheckResult;

interface Fns {
  rng: (seed: number) => RngStream;
  randomHalfspaces: (rng: RngStream, d: number, maxK?: number, maxWeight?: number) => HalfspaceIntersection;
  encodeHalfspaces: (H: HalfspaceIntersection) => ReluNet;
  augmentIndependent: (W: Matrix) => Matrix;
  padZeros: (X: Matrix, k: number) => Matrix;
  appendOnes: (X: Matrix) => Matrix;
  booleanCube: (d: number) => Matrix;
  clippedReluNet: (engine: Engine, W: Matrix, X: Matrix) => Float64Array;
  smallestSingularValue: (engine: Engine, W: Matrix) => number;
  transferMatrix: (W: Matrix, Wp: Matrix) => Matrix;
  svd: (A: Matrix) => { S: Float64Array };
}

/** Proposition 1 and Theorem 2 on `count` random instances of dimension d (seeded); every number from the API. */
export function propositionAndTransfer(engine: Engine, f: Fns, a: { dim: number; count: number; maxK: number; seed: number }) {
  const rng = f.rng(a.seed);
  const X0 = f.appendOnes(f.booleanCube(a.dim)); // (x, 1): the bias-free encoding's inputs
  const rows: { instance: number; k: number; D: number; labelDiffProp1: number; sminAug: number; sminPlain: number; sminIdentityErr: number; transferResidual: number; labelDiffTransfer: number; zeroOneMismatches: number; normM: number; normBound: number }[] = [];
  for (let t = 0; t < a.count; t++) {
    const H = f.randomHalfspaces(rng.stream(2 * t), a.dim, a.maxK);
    const Wt = f.encodeHalfspaces(H).W; // (d+1) x k
    const k = Wt.cols;
    // Proposition 1: W^ = [W~; I_k], inputs (x~, 0_k).
    const Wa = f.augmentIndependent(Wt);
    const Xa = f.padZeros(X0, k);
    const y0 = f.clippedReluNet(engine, Wt, X0);
    const ya = f.clippedReluNet(engine, Wa, Xa);
    let labelDiffProp1 = 0;
    for (let i = 0; i < y0.length; i++) labelDiffProp1 = Math.max(labelDiffProp1, Math.abs(y0[i] - ya[i]));
    const sminAug = f.smallestSingularValue(engine, Wa);
    const sminPlain = f.smallestSingularValue(engine, Wt);
    const sminIdentityErr = Math.abs(sminAug - Math.sqrt(1 + sminPlain * sminPlain));
    // Theorem 2: a fixed network W (D x k, i.i.d. N(0,1), "natural" weights) and the hard instance W' = W^.
    const D = Wa.rows;
    const W = { rows: D, cols: k, data: rng.stream(2 * t + 1).normal(D * k) };
    const M = f.transferMatrix(W, Wa); // D x D, W'^T = W^T M
    const WtM = engine.matmul(W, M, { transA: true }); // k x D
    let transferResidual = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < D; j++) transferResidual = Math.max(transferResidual, Math.abs(WtM.data[i * D + j] - Wa.data[j * k + i]));
    const Xm = engine.matmul(Xa, M, { transB: true }); // rows x = M x'
    const ym = f.clippedReluNet(engine, W, Xm);
    let labelDiffTransfer = 0, zeroOneMismatches = 0;
    for (let i = 0; i < ya.length; i++) {
      labelDiffTransfer = Math.max(labelDiffTransfer, Math.abs(ym[i] - ya[i]));
      if ((ym[i] > 0.5) !== (ya[i] > 0.5)) zeroOneMismatches++;
    }
    const normM = f.svd(M).S[0];
    const normWa = f.svd(Wa).S[0];
    const sminW = f.smallestSingularValue(engine, W);
    rows.push({ instance: t, k, D, labelDiffProp1, sminAug, sminPlain, sminIdentityErr, transferResidual, labelDiffTransfer, zeroOneMismatches, normM, normBound: normWa / sminW + 1 });
  }
  return { points: X0.rows, rows };
}

export const halfspacesExperiment: ExperimentDef = {
  id: "halfspaces",
  title: "Halfspace intersections as clipped ReLU nets, Proposition 1, Theorem 2 transfer",
  paper: PAPER_A,
  section: "§3, Thm 5, Prop. 1, Thm 2",
  seedOffset: 6,
  claims: [
    { id: "A.sec3.encoding", source: "Shamir 2018, §3 (Thm 5)", claim: "an intersection of integer halfspaces over {0,1}^d equals 1 minus a clipped ReLU network without bias", rule: ENCODING_RULE, failsIf: ENCODING_FAILS_IF },
    { id: "A.prop1", source: "Shamir 2018, §3, Prop. 1", claim: "stacking I_k under W keeps the labels and gives s_min ≥ 1", rule: PROP1_RULE, failsIf: PROP1_FAILS_IF },
    { id: "A.thm2.transfer", source: "Shamir 2018, §3, Thm 2 (Eq. 8)", claim: "an invertible M with W'^T = W^T M maps the hard instance to the fixed network with identical labels", rule: TRANSFER_RULE, failsIf: TRANSFER_FAILS_IF },
  ],
  async run(ctx) {
    const cfg = ctx.config.halfspaces;
    const e = ctx.engine;
    const check: CheckFn = (o) => e.checkHalfspaceEncoding(o);
    const fns: Fns = {
      rng: (s) => e.rng(s), svd: (A) => e.svd(A), randomHalfspaces: randomHalfspaces as Fns["randomHalfspaces"], encodeHalfspaces, augmentIndependent, padZeros, appendOnes, booleanCube,
      clippedReluNet: clippedReluNet as Fns["clippedReluNet"], smallestSingularValue: smallestSingularValue as Fns["smallestSingularValue"], transferMatrix,
    };
    const dims = Array.from({ length: cfg.maxDim }, (_, i) => i + 1);
    const enc = await steps(dims.length + 1, ctx, (i) => {
      if (i < dims.length) {
        const opts = { dim: dims[i], instances: cfg.instances, seed: ctx.seed, maxK: cfg.maxK };
        return { ...opts, ...check(opts) };
      }
      return undefined;
    });
    const encRows = enc.filter((x): x is NonNullable<typeof x> => !!x);
    const transferSeed = ctx.seed + 1000;
    const pt = propositionAndTransfer(e, fns, { dim: cfg.transferDim, count: Math.min(cfg.instances, 20), maxK: cfg.maxK, seed: transferSeed });

    const checked = encRows.reduce((s, r) => s + r.checked, 0);
    const mism = encRows.reduce((s, r) => s + r.mismatches, 0);
    const p1Diff = Math.max(...pt.rows.map((r) => r.labelDiffProp1));
    const sminMin = Math.min(...pt.rows.map((r) => r.sminAug));
    const sminIdErr = Math.max(...pt.rows.map((r) => r.sminIdentityErr));
    const resid = Math.max(...pt.rows.map((r) => r.transferResidual));
    const labDiff = Math.max(...pt.rows.map((r) => r.labelDiffTransfer));
    const zo = pt.rows.reduce((s, r) => s + r.zeroOneMismatches, 0);
    const normOk = pt.rows.every((r) => r.normM <= r.normBound * (1 + 1e-12));
    const maxNormRatio = Math.max(...pt.rows.map((r) => r.normM / r.normBound));
    return {
      seeds: { experiment: ctx.seed, checkHalfspaceEncoding: ctx.seed, propositionAndTransfer: transferSeed },
      params: { ...cfg, dims, transferInstances: Math.min(cfg.instances, 20), maxWeight: 3 },
      data: { encoding: encRows, proposition1AndTransfer: pt },
      claims: [
        claim(this, "A.sec3.encoding", encodingVerdict(mism, encRows.map((r) => r.positiveFraction)),
          `Exhaustive over {0,1}^d for d = 1..${cfg.maxDim}, ${cfg.instances} random integer instances per d (k ≤ ${cfg.maxK}, |weights| ≤ 3): ${checked.toLocaleString("en-US")} evaluations, ${mism} mismatches between the intersection of halfspaces and 1 − clipped ReLU (decode∘encode included).`),
        claim(this, "A.prop1", prop1Verdict(p1Diff, sminMin),
          `On ${pt.rows.length} instances (d = ${cfg.transferDim}, all ${pt.points} cube points): labels of [W; I_k] on (x, 0_k) differ from W's by at most ${fmt(p1Diff)}; smallest s_min([W; I_k]) = ${fmt(sminMin, 6)} ≥ 1; |s_min([W; I]) − √(1 + s_min(W)²)| ≤ ${fmt(sminIdErr, 2)}.`),
        claim(this, "A.thm2.transfer", transferVerdict(zo, labDiff, normOk),
          `For a fixed Gaussian W and the hard W' = [W~; I_k] (${pt.rows.length} instances): max |W^T M − W'^T| = ${fmt(resid, 2)}, labels of W on x = M x' differ from those of W' by at most ${fmt(labDiff, 2)} (${zo} of ${(pt.rows.length * pt.points).toLocaleString("en-US")} 0/1 labels differ), and ||M|| ≤ ||W'||/s_min(W) + 1 holds ${normOk ? "on every instance" : "NOT on every instance"} (largest ratio ${fmt(maxNormRatio, 3)}).`),
      ],
      checks: [
        engineCheck("halfspaces.smin-identity", "s_min([W; I]) against √(1 + s_min(W)²) (two SVDs)", "difference ≤ 1e-12", sminIdErr <= 1e-12, `largest difference ${fmt(sminIdErr, 2)}`),
        engineCheck("halfspaces.transfer-residual", "W^T M − W'^T for the computed transfer matrix", "max entry ≤ 1e-9", resid <= 1e-9, `largest entry ${fmt(resid, 2)}`),
      ],
      figures: [],
      tables: [
        { id: "encoding", title: "Halfspace intersections = 1 − clipped ReLU, exhaustive over {0,1}^d", header: ["d", "instances", "evaluations", "mismatches", "share of label 1"], rows: encRows.map((r) => [r.dim, r.instances, r.checked, r.mismatches, r.positiveFraction]) },
        { id: "transfer", title: `Proposition 1 and Theorem 2 (d = ${cfg.transferDim})`, header: ["instance", "k", "D = d+1+k", "Prop. 1 label diff", "s_min([W;I])", "|W^T M − W'^T|", "label diff (x = M x')", "‖M‖", "bound"], rows: pt.rows.map((r) => [r.instance, r.k, r.D, r.labelDiffProp1, r.sminAug, r.transferResidual, r.labelDiffTransfer, r.normM, r.normBound]) },
      ],
    };
  },
};
