/**
 * Daniely & Vardi 2020: depth-2 networks N_W(x) = sum_i [<w_i, x>]_+ with natural weights (every family of
 * PAPERS §3.2 and the convolutional variant §3.3), learned by an over-specified ReLU network with Adam, under
 * (a) Gaussian inputs N(0, I_n) and (b) the Boolean cube {0,1}^n — a discrete input distribution of the kind hardness
 * reductions use (PAPERS §3.5). It is NOT the paper's worst-case distribution (its K-SAT encoding was not recovered,
 * PAPERS §3.7); the hardness claim is asymptotic and rests on the RSAT assumption, so no finite run can confirm it.
 */
import type { Matrix } from "../../types.js";
import type { ReluNet, SampleNetworkOptions } from "../../models/network.js";
import { WEIGHT_FAMILIES } from "../../index.js";
import type { TrainFn } from "../compute.js";
import { DV_FAILS_IF, DV_RULE, dvVerdict } from "../verdicts.js";
import { claim, fmt, PAPER_B, steps, type ExperimentDef } from "../experiment.js";
import { lossCurveSpec } from "../specs.js";
import { sq } from "../../math/detmath.js";

/** Relative test MSE (MSE / Var(y)) under which a network counts as learned. */
export const LEARNED_REL_MSE = 0.1;

const variance = (y: Float64Array) => { let m = 0; for (const v of y) m += v; m /= y.length; let s = 0; for (const v of y) s += sq(v - m); return s / y.length; };

export const networksExperiment: ExperimentDef = {
  id: "networks",
  title: "Natural-weight networks: learning curves",
  paper: PAPER_B,
  section: "§1–3 (networks with natural weights, convolutional variant)",
  seedOffset: 7,
  claims: [
    { id: "B.natural.adversarial", source: "Daniely & Vardi 2020, Thms 1–3", claim: "for most natural weights (and for convolutional networks) some input distribution makes learning depth-2 networks hard (under RSAT; asymptotic)", rule: DV_RULE, failsIf: DV_FAILS_IF },
  ],
  async run(ctx) {
    const cfg = ctx.config.networks;
    const e = ctx.engine;
    const train: TrainFn = (o) => e.train(o);
    const rngFn = (s: number) => e.rng(s);
    const sampleNetwork = (o: SampleNetworkOptions) => e.sampleNetwork(o);
    const sampleConv = (o: Parameters<typeof e.sampleConvNetwork>[0]) => e.sampleConvNetwork(o);
    const reluNet = (net: ReluNet, X: Matrix) => e.reluNet(net, X);
    const families: readonly string[] = WEIGHT_FAMILIES;
    const targets = [...families.map((f) => ({ name: f, conv: false })), { name: "conv (normal filter)", conv: true }];
    const inputs = ["Gaussian N(0, I)", "Boolean cube {0,1}^n"] as const;
    const jobs = targets.flatMap((t, ti) => inputs.map((inp, ii) => ({ t, ti, inp, ii })));
    const runs = await steps(jobs.length, ctx, async (j) => {
      const { t, ti, inp, ii } = jobs[j];
      const netSeed = ctx.seed + 100 * ti;
      const net = t.conv ? sampleConv({ n: cfg.dim, patch: cfg.patch, family: "normal", seed: netSeed }).dense : sampleNetwork({ n: cfg.dim, width: cfg.width, family: t.name as SampleNetworkOptions["family"], seed: netSeed });
      const dataSeed = ctx.seed + 100 * ti + 10 * ii + 1;
      const rng = rngFn(dataSeed);
      const draw = (k: number, count: number): Matrix => ii === 0 ? { rows: count, cols: cfg.dim, data: rng.stream(k).normal(count * cfg.dim) } : rng.stream(k).cube01(count, cfg.dim);
      const X = draw(0, cfg.train), Xtest = draw(1, cfg.test);
      const y = reluNet(net, X), ytest = reluNet(net, Xtest);
      const trivial = variance(ytest);
      const trainSeed = dataSeed + 5;
      const res = await train({
        X, y, Xtest, ytest, width: cfg.learnerWidth, bias: true, trainSecondLayer: true,
        optimizer: "adam", lr: cfg.rate, batchSize: cfg.batch, epochs: cfg.epochs, seed: trainSeed, signal: ctx.signal,
      });
      const last = res.history[res.history.length - 1];
      return {
        family: t.name, input: inp, netSeed, dataSeed, trainSeed, trivial,
        relTest: (last.testLoss ?? NaN) / trivial, relTrain: last.trainLoss / trivial,
        history: res.history.map((h) => ({ epoch: h.epoch, trainLoss: h.trainLoss, testLoss: h.testLoss })),
      };
    });
    // "Most networks": the reduction transfers hardness from any hard W' to a fixed W through x = M x' with
    // ‖M‖ ≤ ‖W'‖ / s_min(W) + 1 (Shamir Thm 2 / PAPERS §1.7), so what matters for "most W" is how often s_min(W) is
    // bounded away from 0. Statistics over MOST_W sampled W per family (and per conv filter), seeded.
    const MOST_W = ctx.config.size === "small" ? 20 : 100;
    const most = targets.map((t, ti) => {
      const smins: number[] = [];
      for (let k = 0; k < MOST_W; k++) {
        const seedK = ctx.seed + 50000 + 1000 * ti + k;
        const net = t.conv ? sampleConv({ n: cfg.dim, patch: cfg.patch, family: "normal", seed: seedK }).dense : sampleNetwork({ n: cfg.dim, width: cfg.width, family: t.name as SampleNetworkOptions["family"], seed: seedK });
        const S = e.svd(net.W).S;
        smins.push(S[S.length - 1] / S[0]);
      }
      const sorted = smins.slice().sort((a, b) => a - b);
      return { family: t.name, count: MOST_W, fullRank: smins.filter((x) => x > 1e-12).length / MOST_W, median: sorted[Math.floor(MOST_W / 2)], q05: sorted[Math.floor(0.05 * MOST_W)], min: sorted[0] };
    });
    const gauss = runs.filter((r) => r.input === inputs[0]);
    const cube = runs.filter((r) => r.input === inputs[1]);
    const gaussOk = gauss.every((r) => r.relTest < LEARNED_REL_MSE);
    const list = (rs: typeof runs) => rs.map((r) => `${r.family} ${fmt(r.relTest, 2)}`).join(", ");
    return {
      seeds: Object.fromEntries([["experiment", ctx.seed], ...runs.map((r) => [`${r.family} / ${r.input}`, r.dataSeed])]),
      params: { ...cfg, learner: "depth-2 ReLU, bias, trainable second layer, Adam", targets: targets.map((t) => t.name), inputs, learnedRelMse: LEARNED_REL_MSE, seedRule: "net: seed + 100 i; data: seed + 100 i + 10 j + 1; training: data seed + 5" },
      data: { runs, mostNetworks: { perFamily: most, seedRule: "W k of family i: seed + 50000 + 1000 i + k", statistic: "1 / cond(W) = s_min / s_max" } },
      claims: [
        claim(this, "B.natural.adversarial", { ...dvVerdict(), control: { description: `the same learner learns every family on Gaussian inputs (test MSE / Var y < ${LEARNED_REL_MSE})`, passed: gaussOk } },
          `Illustration only. Gaussian inputs, n = ${cfg.dim}, target width ${cfg.width} (conv: patch ${cfg.patch}), learner width ${cfg.learnerWidth}, ${cfg.epochs} epochs of Adam on ${cfg.train} samples: relative test MSE ${list(gauss)}. On the Boolean cube {0,1}^n (a discrete stand-in, not the paper's RSAT distribution) the same learner reaches ${list(cube)}. Over ${MOST_W} sampled W per family, 1/cond(W) (what bounds the transfer x = M x' from a hard instance to W) has median ${most.map((m) => `${fmt(m.median, 2)} (${m.family}, full rank ${fmt(100 * m.fullRank, 3)}%)`).join(", ")}. The paper's hard distributions encode random K-SAT formulas and are not reproduced; a finite run can neither confirm nor refute the claim. (Note: the {0,1}-Bernoulli family's network is exactly linear on the cube.)`),
      ],
      figures: [{
        id: "networks",
        title: "Learning natural-weight networks",
        caption: `Test MSE / Var(y) per epoch for each weight family (PAPERS §3.2: normal N(0, I/n), sphere, i.i.d. normal, uniform, Rademacher, Bernoulli; and the convolutional network with one normal filter on patches of ${cfg.patch}). Left/right: Gaussian inputs and the Boolean cube.`,
        spec: lossCurveSpec({
          rows: runs.flatMap((r) => r.history.filter((h) => h.testLoss !== undefined).map((h) => ({ step: h.epoch, loss: h.testLoss! / r.trivial, series: r.family, facet: r.input }))),
          xTitle: "epoch", yTitle: "test MSE / Var(y)", width: 300, height: 210,
        }),
      }],
      tables: [{
        id: "networks-most", title: `“Most networks”: 1/cond(W) over ${MOST_W} sampled W per family (n = ${cfg.dim}, width ${cfg.width}; conv: patch ${cfg.patch})`,
        header: ["family", "W sampled", "share full rank", "median 1/cond", "5% quantile", "min"],
        rows: most.map((m) => [m.family, m.count, m.fullRank, m.median, m.q05, m.min]),
      }, {
        id: "networks", title: "Final relative errors", header: ["family", "inputs", "test MSE / Var y", "train MSE / Var y", "Var y"],
        rows: runs.map((r) => [r.family, r.input, r.relTest, r.relTrain, r.trivial]),
      }],
    };
  },
};
