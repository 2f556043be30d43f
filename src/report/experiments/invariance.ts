/**
 * Shamir §3, Definitions 1–2 and Theorem 1: plain GD and whitening + GD trained on X and on X A, A orthogonal or
 * invertible with a given condition number; the table reports the largest relative difference of the training-set
 * predictions (engine.invarianceExperiment; the initialization is drawn in the data frame, see models/learners.ts).
 */
import type { InvarianceOptions, InvarianceRow } from "../../models/invariance.js";
import { claim, fmt, PAPER_A, type ExperimentDef } from "../experiment.js";
import { DIFFERENT_TOL, INVARIANT_TOL, PLAIN_FAILS_IF, PLAIN_RULE, plainVerdict, WHITENED_FAILS_IF, WHITENED_RULE, whitenedVerdict } from "../verdicts.js";
import { barSpec } from "../specs.js";

type InvFn = (o: InvarianceOptions) => Promise<InvarianceRow[]>;

export { DIFFERENT_TOL, INVARIANT_TOL };

export const invarianceExperimentDef: ExperimentDef = {
  id: "invariance",
  title: "Theorem 1: whitening makes GD linearly invariant",
  paper: PAPER_A,
  section: "§3, Defs 1–2, Thm 1",
  seedOffset: 5,
  claims: [
    { id: "A.thm1.whitened", source: "Shamir 2018, §3, Thm 1", claim: "whitening followed by an orthogonally invariant algorithm (GD) is linearly invariant: predictions on X and on XA agree", rule: WHITENED_RULE, failsIf: WHITENED_FAILS_IF },
    { id: "A.def1.plain", source: "Shamir 2018, §3, Def. 1, footnote 1", claim: "plain GD is orthogonally invariant but not linearly invariant", rule: PLAIN_RULE, failsIf: PLAIN_FAILS_IF },
  ],
  async run(ctx) {
    const cfg = ctx.config.invariance;
    const inv: InvFn = (o) => ctx.engine.invarianceExperiment(o);
    const options: InvarianceOptions = { m: cfg.samples, d: cfg.dim, width: cfg.width, steps: cfg.steps, conds: cfg.conds, seed: ctx.seed, lr: cfg.rate };
    const rows = await inv({ ...options, onProgress: ctx.onProgress, signal: ctx.signal });
    const pick = (l: string, t: string) => rows.filter((r) => r.learner === l && r.transform === t);
    const wh = rows.filter((r) => r.learner === "whitened");
    const plainOrth = pick("plain", "orthogonal");
    const plainInv = pick("plain", "invertible");
    const maxCondRow = plainInv.reduce<InvarianceRow | undefined>((a, r) => (!a || r.cond > a.cond ? r : a), undefined);
    const whJ = whitenedVerdict(wh.map((r) => r.maxDiff), maxCondRow?.maxDiff ?? 0);
    const plainJ = plainVerdict(plainOrth.map((r) => r.maxDiff), maxCondRow?.maxDiff ?? 0);
    const whOk = whJ.verdict === "reproduced";
    const list = (rs: InvarianceRow[]) => rs.map((r) => `${fmt(r.maxDiff, 3)} (${r.transform}${r.transform === "invertible" ? `, cond ${fmt(r.cond, 2)}` : ""})`).join(", ");
    return {
      seeds: { experiment: ctx.seed, invarianceExperiment: ctx.seed },
      params: { ...options, thresholds: { invariant: INVARIANT_TOL, different: DIFFERENT_TOL } },
      data: { rows },
      claims: [
        claim(this, "A.thm1.whitened", whJ,
          `Whitening + GD (${cfg.steps} steps, m = ${cfg.samples}, d = ${cfg.dim}, width ${cfg.width}): the largest relative difference of training-set predictions between X and XA is ${list(wh)} — ${whOk ? `all <= ${INVARIANT_TOL}` : `not all <= ${INVARIANT_TOL}`}.`),
        claim(this, "A.def1.plain", plainJ,
          `Plain GD: ${list([...plainOrth, ...plainInv])}; invariant under orthogonal A (<= ${INVARIANT_TOL}) and ${maxCondRow && maxCondRow.maxDiff > DIFFERENT_TOL ? "clearly not" : "not clearly not"} under invertible A (> ${DIFFERENT_TOL}).`),
      ],
      figures: [{
        id: "invariance",
        title: "Largest relative prediction difference, X vs XA",
        caption: `Training-set predictions of plain GD and whitening + GD trained on X and on XA (log scale; exact zeros would be drawn at 1e-18). Whitened GD stays at rounding level for every A; plain GD only for orthogonal A.`,
        spec: barSpec({
          rows: rows.map((r) => ({ group: r.transform === "orthogonal" ? "orthogonal A" : `cond(A) = ${fmt(r.cond, 2)}`, series: r.learner === "plain" ? "plain GD" : "whitening + GD", value: r.maxDiff })),
          yTitle: "max |p − p′| / max |p|", logY: true, threshold: { value: INVARIANT_TOL, label: `invariant to rounding (≤ ${INVARIANT_TOL})` },
        }),
      }],
      tables: [{
        id: "invariance",
        title: "Invariance table (Definitions 1–2, Theorem 1)",
        header: ["learner", "transform", "cond(A)", "max rel. diff", "max abs. diff"],
        rows: rows.map((r) => [r.learner, r.transform, r.cond, r.maxDiff, r.maxAbsDiff]),
      }],
    };
  },
};
