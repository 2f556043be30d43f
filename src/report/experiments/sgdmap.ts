/**
 * SGD on periodic targets over a grid of (d, r) (PAPERS §2.6, the experiment recommended to mirror SSS17 §2 for
 * paper A): a depth-2 ReLU network trained by minibatch SGD on y = cos<w*, x>, x ~ N(0, I_d), |w*| = r. Success means
 * a final test loss below half of the trivial predictor's (predicting the mean of y).
 */
import { need } from "../api.js";
import { periodicData, type TrainFn } from "../compute.js";
import { claim, fmt, PAPER_A, steps, type ExperimentDef } from "../experiment.js";
import { lossCurveSpec, successMapSpec, type SuccessCell } from "../specs.js";
import { sq } from "../../math/detmath.js";

/** A cell counts as learned when test loss < SUCCESS_RATIO x the trivial loss Var(y_test). */
export const SUCCESS_RATIO = 0.5;

const variance = (y: Float64Array) => { let m = 0; for (const v of y) m += v; m /= y.length; let s = 0; for (const v of y) s += sq(v - m); return s / y.length; };

export const sgdmapExperiment: ExperimentDef = {
  id: "sgdmap",
  title: "SGD on periodic targets: success/failure over (d, r)",
  paper: PAPER_A,
  section: "§4 (experiment in the style of SSS17 §2)",
  seedOffset: 4,
  claims: [
    { id: "A.sec4.sgd", source: "Shamir 2018, §4 (with SSS17 §2)", claim: "gradient methods fail to learn ψ(<w*,x>) when d and r are large, and succeed when they are small" },
  ],
  async run(ctx) {
    const cfg = ctx.config.sgdmap;
    const train = need<TrainFn>(ctx.engine, "train", "rng", "samplePeriodicTarget", "periodicTargetForward");
    const grid = cfg.dims.flatMap((d) => cfg.radii.map((r) => ({ d, r })));
    const cells = await steps(grid.length, ctx, async (i) => {
      const { d, r } = grid[i];
      const seed = ctx.seed + 10 * i;
      const data = periodicData(ctx.engine, { dim: d, radius: r, train: cfg.train, test: cfg.test, seed });
      const res = await train({
        X: data.X, y: data.y, Xtest: data.Xtest, ytest: data.ytest, width: cfg.width, bias: true, trainSecondLayer: true,
        optimizer: "sgd", lr: cfg.rate, batchSize: cfg.batch, epochs: cfg.epochs, seed, signal: ctx.signal,
      });
      const last = res.history[res.history.length - 1];
      const baseline = variance(data.ytest);
      return { d, r, seed, loss: last.testLoss ?? NaN, trainLoss: last.trainLoss, baseline, success: (last.testLoss ?? Infinity) < SUCCESS_RATIO * baseline, history: res.history };
    });
    const small = cells[0], large = cells[cells.length - 1];
    const ok = small.success && !large.success;
    const learned = cells.filter((c) => c.success).map((c) => `(${c.d}, ${c.r})`);
    const failed = cells.filter((c) => !c.success).map((c) => `(${c.d}, ${c.r})`);
    return {
      seeds: Object.fromEntries([["experiment", ctx.seed], ...cells.map((c) => [`d=${c.d},r=${c.r}`, c.seed])]),
      params: { ...cfg, successRatio: SUCCESS_RATIO, optimizer: "sgd", bias: true, trainSecondLayer: true, target: "cos<w*, x>, w* = rng(seed).sphere(1, d, r) (samplePeriodicTarget)", inputs: "X = rng(seed).stream(10).normal, Xtest = stream(11)" },
      data: { cells: cells.map(({ history, ...c }) => ({ ...c, history })) },
      claims: [
        claim(this, "A.sec4.sgd", ok ? "reproduced" : "not resolvable at this size",
          `After ${cfg.epochs} epochs of SGD (width ${cfg.width}, ${cfg.train} samples): learned (test loss < ${SUCCESS_RATIO} × trivial) at (d, r) = ${learned.join(", ") || "none"}; failed at ${failed.join(", ") || "none"}; smallest cell (${small.d}, ${small.r}) test loss ${fmt(small.loss, 3)} vs trivial ${fmt(small.baseline, 3)}, largest (${large.d}, ${large.r}) ${fmt(large.loss, 3)} vs ${fmt(large.baseline, 3)}.`),
      ],
      figures: [
        {
          id: "sgdmap",
          title: "SGD success/failure over (d, r)",
          caption: `Colour: final test loss / trivial loss (predicting the mean). Target cos<w*, x>, x ~ N(0, I_d), |w*| = r; ReLU network of width ${cfg.width} with bias and trainable second layer, SGD (lr ${cfg.rate}, batch ${cfg.batch}, ${cfg.epochs} epochs, ${cfg.train} samples).`,
          spec: successMapSpec({ cells: cells.map((c): SuccessCell => ({ d: c.d, r: c.r, loss: c.loss, baseline: c.baseline, success: c.success })) }),
        },
        {
          id: "sgdmap-curves",
          title: "Test loss per epoch",
          caption: "One curve per (d, r) from epoch 1, test loss divided by the trivial loss (1 = no better than predicting the mean).",
          spec: lossCurveSpec({
            rows: cells.flatMap((c) => c.history.filter((h) => h.testLoss !== undefined && h.epoch >= 1).map((h) => ({ step: h.epoch, loss: h.testLoss! / c.baseline, series: `d=${c.d}, r=${c.r}`, facet: `d = ${c.d}` }))),
            xTitle: "epoch", yTitle: "test loss / trivial loss",
          }),
        },
      ],
      tables: [{ id: "sgdmap", title: "Final losses", header: ["d", "r", "test loss", "train loss", "trivial loss", "learned"], rows: cells.map((c) => [c.d, c.r, c.loss, c.trainLoss, c.baseline, c.success ? "yes" : "no"]) }],
    };
  },
};
