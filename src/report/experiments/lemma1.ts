/**
 * Shamir §3, Lemma 1 (PAPERS §1.6): with probability ≥ 1 − δ over m i.i.d. points, a fresh point x lies outside their
 * span with probability ≤ d/(δ m) — which is why linearly invariant algorithms cannot tell W from W_M on fresh data.
 * For a continuous full-rank input law the probability is exactly 0 once m ≥ d; the bound bites for discrete laws.
 * Here x = e_I with P(I = i) ∝ 1/i (Zipf over the d coordinates): Pr_x(x ∉ span) is the probability mass of the
 * coordinates not yet seen, with exact expectation Σ_i p_i (1 − p_i)^m, and its distribution over datasets is sampled.
 */
import * as dmath from "../../math/detmath.js";
import { claim, fmt, PAPER_A, type ExperimentDef } from "../experiment.js";
import { engineCheck, LEMMA1_FAILS_IF, LEMMA1_RULE, lemma1Verdict, type Lemma1Row } from "../verdicts.js";
import { lossCurveSpec } from "../specs.js";

export const LEMMA1_DELTA = 0.1;

export const lemma1Experiment: ExperimentDef = {
  id: "lemma1",
  title: "Lemma 1: fresh points stay in the span of the training points",
  paper: PAPER_A,
  section: "§3, Lemma 1",
  seedOffset: 8,
  claims: [
    { id: "A.lemma1", source: "Shamir 2018, §3, Lemma 1", claim: "with probability ≥ 1 − δ over m i.i.d. points, Pr_x(x ∉ span(x_1..x_m)) ≤ d/(δm)", rule: LEMMA1_RULE, failsIf: LEMMA1_FAILS_IF },
  ],
  async run(ctx) {
    const d = ctx.config.size === "small" ? 20 : 100;
    const datasets = ctx.config.size === "small" ? 200 : 2000;
    const ms = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000].filter((m) => ctx.config.size !== "small" || m <= 200);
    const p = Array.from({ length: d }, (_, i) => 1 / (i + 1));
    const Z = p.reduce((s, x) => s + x, 0);
    for (let i = 0; i < d; i++) p[i] /= Z;
    const cdf: number[] = [];
    p.reduce((s, x, i) => (cdf[i] = s + x), 0);
    const rng = ctx.engine.rng(ctx.seed);
    const mMax = Math.max(...ms);
    // One stream of uniforms per dataset; a dataset of size m is the first m draws (nested datasets).
    const missing: number[][] = ms.map(() => []);
    for (let k = 0; k < datasets; k++) {
      const u = rng.stream(k).uniform(mMax);
      const seen = new Uint8Array(d);
      let mass = 1, mi = 0;
      for (let j = 0; j < mMax; j++) {
        let lo = 0, hi = d - 1;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid] >= u[j]) hi = mid; else lo = mid + 1; }
        if (!seen[lo]) { seen[lo] = 1; mass -= p[lo]; }
        while (mi < ms.length && ms[mi] === j + 1) { missing[mi].push(Math.max(0, mass)); mi++; }
      }
    }
    const rows: (Lemma1Row & { empiricalMean: number; se: number })[] = ms.map((m, i) => {
      const v = missing[i].slice().sort((a, b) => a - b);
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1));
      return {
        m, expected: p.reduce((s, pi) => s + pi * dmath.pow(1 - pi, m), 0), expectedBound: d / (m + 1),
        quantile: v[Math.min(v.length - 1, Math.ceil((1 - LEMMA1_DELTA) * v.length) - 1)], quantileBound: d / (LEMMA1_DELTA * m),
        empiricalMean: mean, se: sd / Math.sqrt(v.length),
      };
    });
    const j = lemma1Verdict(rows);
    const worstZ = Math.max(...rows.map((r) => (r.se > 0 ? Math.abs(r.empiricalMean - r.expected) / r.se : r.empiricalMean === r.expected ? 0 : Infinity)));
    const at = (m: number) => rows.find((r) => r.m === m);
    return {
      seeds: { experiment: ctx.seed },
      params: { d, law: "x = e_I, P(I = i) ∝ 1/i (Zipf)", datasets, ms, delta: LEMMA1_DELTA, seedRule: "dataset k: rng(seed).stream(k).uniform(mMax), nested in m" },
      data: { rows },
      claims: [
        claim(this, "A.lemma1", j, `d = ${d}, Zipf point masses, δ = ${LEMMA1_DELTA}, ${datasets} datasets per m: E[Pr_x(x ∉ span)] = ${rows.filter((r) => [10, 100, 1000].includes(r.m)).map((r) => `${fmt(r.expected, 3)} (m = ${r.m}, bound d/(m+1) = ${fmt(r.expectedBound, 3)})`).join(", ")}; the 90% quantile ${at(100) ? `at m = 100 is ${fmt(at(100)!.quantile, 3)} against d/(δm) = ${fmt(at(100)!.quantileBound, 3)}` : ""}. For Gaussian inputs the probability is exactly 0 once m ≥ d, so the lemma only bites for discrete or low-dimensional laws.`),
      ],
      checks: [
        engineCheck("lemma1.mc", "sampled missing mass against its exact expectation Σ p_i (1 − p_i)^m", "every |mean − exact| ≤ 4 SE", worstZ <= 4, `largest |z| = ${fmt(worstZ, 3)} over ${rows.length} values of m`),
      ],
      figures: [{
        id: "lemma1",
        title: "Lemma 1: probability that a fresh point leaves the span",
        caption: `x = e_I with Zipf weights over d = ${d} coordinates. Exact expectation, its bound d/(m+1), the empirical 90% quantile over ${datasets} datasets and the lemma's d/(δm) (δ = ${LEMMA1_DELTA}); log–log.`,
        spec: lossCurveSpec({
          rows: rows.flatMap((r) => [
            { step: r.m, loss: r.expected, series: "E Pr(x ∉ span), exact" },
            { step: r.m, loss: r.expectedBound, series: "bound d/(m+1)" },
            { step: r.m, loss: r.quantile, series: "90% quantile, sampled" },
            { step: r.m, loss: Math.min(r.quantileBound, 1e3), series: "bound d/(δm)" },
          ]),
          xTitle: "number of points m", yTitle: "probability", logX: true, dashSuffix: ")",
        }),
      }],
      tables: [{
        id: "lemma1", title: "Lemma 1 (x = e_I, Zipf)", header: ["m", "E Pr (exact)", "d/(m+1)", "sampled mean", "SE", "90% quantile", "d/(δm)"],
        rows: rows.map((r) => [r.m, r.expected, r.expectedBound, r.empiricalMean, r.se, r.quantile, r.quantileBound]),
      }],
    };
  },
};
