/**
 * `hardlearn train`: train an over-specified depth-2 ReLU network on psi(<w*, x>) (x ~ N(0, I_d), |w*| = r,
 * w* uniform on the sphere) or on a natural-weight network N_W (paper B), and print the loss history.
 */
import type { ReluNet, SampleNetworkOptions } from "../../models/network.js";
import type { Matrix } from "../../types.js";
import type { RngStream } from "../../random/rng.js";
import { lookup } from "../../report/api.js";
import { periodicData, type TrainFn } from "../../report/compute.js";
import * as P from "../args.js";
import { needs } from "./needs.js";
import type { CommandSpec } from "./types.js";
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
  examples: ["hardlearn train --target cos --dim 2 --radius 1 --epochs 20", "hardlearn train --target cos --dim 20 --radius 4 --json", "hardlearn train --target network --dim 20 --optimizer adam --lr 0.005"],
  async run(ctx) {
    const engine = await ctx.engine();
    needs(engine, "train", ["train", "rng", "samplePeriodicTarget", "periodicTargetForward", "sampleNetwork", "reluNet"]);
    const train = lookup<TrainFn>(engine, "train")!;
    const o = ctx.opts as { target: "cos" | "triangle" | "network"; dim: number; radius: number; targetWidth: number; width: number; samples: number; test: number; epochs: number; optimizer: "gd" | "sgd" | "adagrad" | "adam"; lr: number; batch: number; whiten?: boolean; initScale?: number };
    const seed = ctx.global.seed;
    let X: Matrix, y: Float64Array, Xtest: Matrix, ytest: Float64Array;
    if (o.target === "network") {
      const net = lookup<(o: SampleNetworkOptions) => ReluNet>(engine, "sampleNetwork")!({ n: o.dim, width: o.targetWidth, family: "normal", seed });
      const rng = lookup<(s: number) => RngStream>(engine, "rng")!(seed);
      const fwd = lookup<(n: ReluNet, X: Matrix) => Float64Array>(engine, "reluNet")!;
      X = { rows: o.samples, cols: o.dim, data: rng.stream(10).normal(o.samples * o.dim) };
      Xtest = { rows: o.test, cols: o.dim, data: rng.stream(11).normal(o.test * o.dim) };
      y = fwd(net, X); ytest = fwd(net, Xtest);
    } else {
      ({ X, y, Xtest, ytest } = periodicData(engine, { dim: o.dim, radius: o.radius, train: o.samples, test: o.test, seed, psi: o.target }));
    }
    ctx.progress.start("train", o.epochs);
    const res = await train({
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
