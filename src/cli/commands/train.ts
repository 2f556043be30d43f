/**
 * `hardlearn train`: train an over-specified depth-2 ReLU network on psi(<w*, x>) (x ~ N(0, I_d), |w*| = r,
 * w* uniform on the sphere) or on a natural-weight network N_W (paper B), and print the loss history.
 */
import type { Matrix } from "../../types.js";
import { periodicData } from "../../report/compute.js";
import * as P from "../args.js";
import type { CommandSpec } from "./types.js";
import { costTrain, FLOPS_NORMAL, type TrainSizes } from "../../cost.js";

type Opts = { target: "cos" | "triangle" | "network"; dim: number; radius: number; targetWidth: number; width: number; samples: number; test: number; epochs: number; optimizer: "gd" | "sgd" | "adagrad" | "adam"; lr: number; batch: number; whiten?: boolean; initScale?: number };

/** Sizes of the training run this command makes (bias and a trained second layer, history every epoch). */
function sizes(o: Opts, m: number, epochs: number): TrainSizes {
  return {
    m, d: o.dim, k: o.width, epochs, batch: o.optimizer === "gd" ? m : o.batch, nTest: o.test, nParams: o.dim * o.width + 2 * o.width,
    history: true, whiten: !!o.whiten, minibatch: o.optimizer !== "gd", dataInit: !!o.whiten,
  };
}
import { sq } from "../../math/detmath.js";
import { toJson } from "../json.js";

export const trainCommand: CommandSpec = {
  name: "train",
  description: "train a depth-2 ReLU network on a periodic target psi(<w*,x>) or a natural-weight network; print the loss history",
  options: [
    { flags: "--target <kind>", description: "cos, triangle (periodic, |w*| = r) or network (natural weights, family normal)", choices: ["cos", "triangle", "network"], default: "cos" },
    { flags: "--dim <d>", description: "input dimension", parse: P.positiveInt, default: 5 },
    { flags: "--radius <r>", description: "|w*| (periodic targets)", parse: P.positiveNumber, default: 1 },
    { flags: "--target-width <k>", description: "width of the target network (--target network)", parse: P.positiveInt, default: 8 },
    { flags: "--width <k>", description: "learner hidden width", parse: P.positiveInt, default: 50 },
    { flags: "--samples <m>", description: "training samples", parse: P.positiveInt, default: 10000 },
    { flags: "--test <n>", description: "test samples", parse: P.positiveInt, default: 2000 },
    { flags: "--epochs <n>", description: "epochs", parse: P.positiveInt, default: 20 },
    { flags: "--optimizer <name>", description: "gd, sgd, adagrad or adam", choices: ["gd", "sgd", "adagrad", "adam"], default: "sgd" },
    { flags: "--lr <eta>", description: "learning rate", parse: P.positiveNumber, default: 0.01 },
    { flags: "--batch <b>", description: "minibatch size", parse: P.positiveInt, default: 50 },
    { flags: "--init-scale <s>", description: "first-layer init scale: W0 ~ N(0, s^2/d) (default 1)", parse: P.positiveNumber },
    { flags: "--whiten", description: "train on whitened inputs (Theorem 1)" },
  ],
  outputs: ["train.json"],
  examples: ["hardlearn train --target cos --dim 2 --radius 1 --epochs 20", "hardlearn train --target cos --dim 20 --radius 4 --json", "hardlearn train --target network --dim 20 --optimizer adam --lr 0.005"],
  async estimate(ctx) {
    const o = ctx.opts as Opts;
    const engine = await ctx.engine();
    const c = costTrain(engine.core, sizes(o, o.samples, o.epochs));
    // The data: (samples + test) x dim normal inputs and their labels, held in JS for the whole run.
    const data = (o.samples + o.test) * (o.dim + 1);
    return {
      cost: { ...c, what: `train ${c.what}`, jsBytes: c.jsBytes + 8 * data, flops: c.flops + FLOPS_NORMAL * data },
      reduce: "--samples, --epochs, --width or --dim",
      probe: async () => {
        const m = Math.min(o.samples, 2000);
        const X = { rows: m, cols: o.dim, data: engine.rng(1).normal(m * o.dim) };
        const y = engine.rng(2).normal(m);
        const Xtest = { rows: o.test, cols: o.dim, data: new Float64Array(o.test * o.dim) };
        const run = () => engine.train({ X, y, Xtest, ytest: new Float64Array(o.test), width: o.width, bias: true, trainSecondLayer: true, optimizer: o.optimizer, lr: 1e-9, batchSize: o.batch, epochs: 1, seed: 1, whiten: !!o.whiten });
        await run();
        const t = performance.now();
        await run();
        return { flops: costTrain(engine.core, sizes(o, m, 1)).flops, seconds: (performance.now() - t) / 1000 };
      },
    };
  },
  async run(ctx) {
    const engine = await ctx.engine();
    const o = ctx.opts as Opts;
    const seed = ctx.global.seed;
    let X: Matrix, y: Float64Array, Xtest: Matrix, ytest: Float64Array;
    if (o.target === "network") {
      const net = engine.sampleNetwork({ n: o.dim, width: o.targetWidth, family: "normal", seed });
      const rng = engine.rng(seed);
      const fwd = (X: Matrix) => engine.reluNet(net, X);
      X = { rows: o.samples, cols: o.dim, data: rng.stream(10).normal(o.samples * o.dim) };
      Xtest = { rows: o.test, cols: o.dim, data: rng.stream(11).normal(o.test * o.dim) };
      y = fwd(X); ytest = fwd(Xtest);
    } else {
      ({ X, y, Xtest, ytest } = periodicData(engine, { dim: o.dim, radius: o.radius, train: o.samples, test: o.test, seed, psi: o.target }));
    }
    ctx.progress.start("train", o.epochs);
    const res = await engine.train({
      X, y, Xtest, ytest, width: o.width, bias: true, trainSecondLayer: true, initScale: o.initScale ?? 1, optimizer: o.optimizer, lr: o.lr,
      batchSize: o.batch, epochs: o.epochs, seed, whiten: !!o.whiten, onProgress: (d, t) => ctx.progress.update(d, t),
    });
    ctx.progress.stop();
    let mean = 0;
    for (const v of ytest) mean += v;
    mean /= ytest.length;
    let trivial = 0;
    for (const v of ytest) trivial += sq(v - mean);
    trivial /= ytest.length;
    const json = { target: o.target, dim: o.dim, radius: o.target === "network" ? undefined : o.radius, seed, steps: res.steps, trivialLoss: trivial, history: res.history };
    await ctx.writeOut({ "train.json": toJson(json, 1) });
    const text = ["| epoch | train loss | test loss |", "|---|---|---|",
      ...res.history.map((h) => `| ${h.epoch} | ${h.trainLoss.toExponential(4)} | ${h.testLoss === undefined ? "-" : h.testLoss.toExponential(4)} |`),
      `trivial loss (predicting the mean): ${trivial.toExponential(4)}`].join("\n");
    return { json, text };
  },
};
