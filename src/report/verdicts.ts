/**
 * The verdict model of the reproduction report.
 *
 * Each verdict row is a claim one of the papers makes. Its decision rule is a pure function written here, before any
 * number is computed; the rule's text and the result that would have made it fail are shown in the report next to the
 * verdict. A claim whose control fails (e.g. a learner that cannot learn the easy case) is "inconclusive": it says
 * nothing about the hard case. Checks of the engine itself (Monte Carlo against exact values, encodings, retraces)
 * are not claims of either paper; they go to a separate "engine checks" table (see `engineCheck`).
 *
 * Every function here is pure and browser-safe; test/report-verdicts.test.ts feeds each one contradicting numbers and
 * asserts that it fails.
 */
import * as dmath from "../math/detmath.js"; // deterministic exp/log (same bits on every JS engine)

/** How a claim of a paper fared in this run. */
export type Verdict =
  | "reproduced"
  | "contradicts the paper"
  | "inconclusive (control failed)"
  | "not resolvable at this size"
  | "not checked (experiment failed)";

export const VERDICTS: readonly Verdict[] = [
  "reproduced", "contradicts the paper", "inconclusive (control failed)", "not resolvable at this size", "not checked (experiment failed)",
];

/** The control of a verdict: an easy case the method must get right for the verdict to mean anything. */
export interface ControlOutcome {
  description: string;
  passed: boolean;
}

/** The outcome of a decision rule. `rule` and `failsIf` are fixed texts (the same for every run). */
export interface Judgement {
  verdict: Verdict;
  rule: string;
  failsIf: string;
  control?: ControlOutcome;
}

/** An engine self-check (not a claim of either paper). */
export interface EngineCheck {
  id: string;
  check: string;
  rule: string;
  passed: boolean;
  sentence: string;
}

export function engineCheck(id: string, check: string, rule: string, passed: boolean, sentence: string): EngineCheck {
  return { id, check, rule, passed, sentence };
}

const judge = (rule: string, failsIf: string, verdict: Verdict, control?: ControlOutcome): Judgement =>
  control ? { verdict, rule, failsIf, control } : { verdict, rule, failsIf };

// ---------------------------------------------------------------------------------------------------------------
// Shamir §4.1, Fig. 2: critical points of Eq. (3) in d = 2.

export interface CriticalPointCount {
  r: number;
  /** Critical points found (|∇F| below the search's tolerance, duplicates merged). */
  max: number;
  min: number;
  saddle: number;
  /** The search found the three points the paper names: 0 and ±w*. */
  foundNamed: boolean;
}

export const CRITICAL_POINTS_RULE =
  "Newton search for ∇F = 0 from a 33 × 33 grid of starts; reproduced iff every r has exactly the three points the paper names (a maximum at 0, minima at ±w*) and nothing else.";
export const CRITICAL_POINTS_FAILS_IF = "some r has a critical point other than 0 and ±w* (it contradicts \"only three\").";

export function criticalPointsVerdict(rows: CriticalPointCount[]): Judgement {
  const control = { description: "the search finds the three points the paper names (0 and ±w*) for every r", passed: rows.length > 0 && rows.every((r) => r.foundNamed) };
  if (!control.passed) return judge(CRITICAL_POINTS_RULE, CRITICAL_POINTS_FAILS_IF, "inconclusive (control failed)", control);
  const extra = rows.some((r) => r.max + r.min + r.saddle > 3);
  return judge(CRITICAL_POINTS_RULE, CRITICAL_POINTS_FAILS_IF, extra ? "contradicts the paper" : "reproduced", control);
}

// ---------------------------------------------------------------------------------------------------------------
// Shamir §4.1: flatness. Probability that a random start has |∇F| above a fixed tolerance, as a function of d.

export interface FlatnessRow { d: number; r: number; pSteep: number }

export const FLAT_TOL = 1e-3;
export const FLAT_SMALL = 0.05;
export const FLATNESS_RULE =
  `Start w uniform on the sphere |w| = r (the target's own scale), w* = r e₁. Steep = |∇F(w)| > ${FLAT_TOL}. Reproduced iff, at the largest r, the probability of a steep start is non-increasing in d and at most ${FLAT_SMALL} at the largest d.`;
export const FLATNESS_FAILS_IF = `at the largest r the steep probability grows with d, or stays above ${FLAT_SMALL} at the largest d.`;

export function flatnessVerdict(rows: FlatnessRow[]): Judgement {
  if (!rows.length) return judge(FLATNESS_RULE, FLATNESS_FAILS_IF, "not resolvable at this size");
  const rMax = Math.max(...rows.map((x) => x.r));
  const at = rows.filter((x) => x.r === rMax).sort((a, b) => a.d - b.d);
  const tol = 1e-9; // the probabilities are exact integrals; allow rounding only
  const mono = at.every((x, i) => i === 0 || x.pSteep <= at[i - 1].pSteep + tol);
  const ok = mono && at.length >= 2 && at[at.length - 1].pSteep <= FLAT_SMALL;
  return judge(FLATNESS_RULE, FLATNESS_FAILS_IF, ok ? "reproduced" : "contradicts the paper");
}

// ---------------------------------------------------------------------------------------------------------------
// Shamir §4.2, Thm 3: exponential decay in d of the worst-case (sup over θ) variance.

export interface DecayFit {
  /** Fitted decay rate b in ln(sup_θ Var) ≈ a − b d, and its 95% confidence interval. */
  rate: number;
  lo: number;
  hi: number;
  /** Number of dimensions in the fit. */
  points: number;
}

export const DECAY_RULE =
  "The bound is c·G_θ²·(e^{−c₂d} + Σₙ ε(nr/c)) with unknown constants; for Gaussian inputs ε decays like a Gaussian in r. Testable without the constants: (1) at every r, sup over |θ| of Var/G_θ² is non-increasing in d; (2) at the largest d (where e^{−c₂d} is negligible), ln(sup over |θ| of Var/G_θ²) against r has a least-squares slope whose 95% CI (Student t) lies below 0. Reproduced iff both hold.";
export const DECAY_FAILS_IF = "sup Var/G² grows with d at some r, or the CI of the slope in r at the largest d reaches 0 or above (no decay in r).";

/**
 * `rFit`: ln(sup Var/G²) against r at the largest d (slope and 95% CI as a DecayFit with rate = −slope);
 * `monotoneInD`: sup Var/G² non-increasing in d at every r.
 */
export function decayVerdict(a: { rFit: DecayFit; monotoneInD: boolean }, control: ControlOutcome): Judgement {
  if (!control.passed) return judge(DECAY_RULE, DECAY_FAILS_IF, "inconclusive (control failed)", control);
  if (a.rFit.points < 3) return judge(DECAY_RULE, DECAY_FAILS_IF, "not resolvable at this size", control);
  return judge(DECAY_RULE, DECAY_FAILS_IF, a.monotoneInD && a.rFit.lo > 0 ? "reproduced" : "contradicts the paper", control);
}

/** Ordinary least squares y ≈ a + c x with a two-sided 95% CI for c (Student t, n − 2 degrees of freedom). */
export function linearFit(x: number[], y: number[]): { a: number; slope: number; lo: number; hi: number; se: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n, my = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) { sxx += (x[i] - mx) ** 2; sxy += (x[i] - mx) * (y[i] - my); }
  const slope = sxy / sxx, a = my - slope * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - a - slope * x[i]) ** 2;
  const se = n > 2 ? Math.sqrt(rss / (n - 2) / sxx) : Infinity;
  const tq = studentT975(n - 2);
  return { a, slope, lo: slope - tq * se, hi: slope + tq * se, se };
}

/** 97.5% quantile of Student's t with k degrees of freedom (table for k ≤ 30, normal beyond). */
export function studentT975(k: number): number {
  const T = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
    2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
  if (!(k >= 1)) return Infinity;
  return k <= 30 ? T[Math.floor(k)] : 1.96 + 2.4 / k; // k > 30: within 1e-3 of the exact quantile
}

// ---------------------------------------------------------------------------------------------------------------
// Shamir §4.2, Thm 3 for other predictors / a bounded-variation ψ (Monte Carlo only).

export interface McPoint { r: number; estimate: number; stderr: number; floor: number; resolved: boolean }

export const MC_DECAY_FACTOR = 100;
export const MC_DECAY_RULE =
  `Monte Carlo over r. The variance vanishes as r → 0 too (all targets coincide), so the reference is the largest resolved estimate (the peak). Control: some estimate is resolved (above its 3-SE floor). Reproduced iff the upper bound at the largest r (estimate + 2 SE, or the floor when unresolved) is at least ${MC_DECAY_FACTOR}× below the peak; not resolvable when that upper bound is not low enough but the lower bound does not contradict.`;
export const MC_DECAY_FAILS_IF = "the lower bound at the largest r (estimate − 2 SE) is at least a tenth of the peak estimate (no decay).";

export function mcDecayVerdict(points: McPoint[]): Judgement {
  const sorted = [...points].sort((a, b) => a.r - b.r);
  const last = sorted[sorted.length - 1];
  const resolved = sorted.filter((p) => p.resolved && p !== last);
  const peak = resolved.reduce<McPoint | undefined>((m, p) => (!m || p.estimate > m.estimate ? p : m), undefined);
  const control = { description: "some variance below the largest r is resolved above its floor (the reference peak)", passed: !!peak && sorted.length >= 2 };
  if (!peak || !control.passed) return judge(MC_DECAY_RULE, MC_DECAY_FAILS_IF, "inconclusive (control failed)", control);
  const upper = last.resolved ? last.estimate + 2 * last.stderr : Math.max(last.floor, last.estimate + 2 * last.stderr);
  const lower = last.estimate - 2 * last.stderr;
  if (lower >= peak.estimate / 10) return judge(MC_DECAY_RULE, MC_DECAY_FAILS_IF, "contradicts the paper", control);
  if (upper * MC_DECAY_FACTOR <= peak.estimate) return judge(MC_DECAY_RULE, MC_DECAY_FAILS_IF, "reproduced", control);
  return judge(MC_DECAY_RULE, MC_DECAY_FAILS_IF, "not resolvable at this size", control);
}

// ---------------------------------------------------------------------------------------------------------------
// Shamir §4.2, Thm 4: δ-approximate oracle. Verdicts only where the guarantee p·δ < 1 is not vacuous.

export interface OracleCell {
  d: number;
  r: number;
  /** p·δ: the theorem's bound on the probability that a target's trajectory depends on w. */
  bound: number;
  targets: number;
  /** Targets whose oracle trajectory left the common one. */
  deviating: number;
}

export const ORACLE_RULE =
  "For each (d, r) with p·δ < 1: count the targets whose oracle trajectory leaves the w-independent one. Reproduced iff no cell has significantly more than p·δ of them (one-sided binomial tail P(X ≥ observed | p·δ) ≥ 0.001 everywhere). Cells with p·δ ≥ 1 (a vacuous guarantee) get no verdict.";
export const ORACLE_FAILS_IF = "some cell with p·δ < 1 has a deviating-target count whose binomial tail probability under p·δ is below 0.001.";

/** P(X ≥ k) for X ~ Binomial(n, p), by summing the pmf in log space. */
export function binomialUpperTail(n: number, k: number, p: number): number {
  if (k <= 0) return 1;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let lc = 0; // ln C(n, j), built up from j = 0
  let s = 0;
  for (let j = 1; j <= n; j++) {
    lc += dmath.log(n - j + 1) - dmath.log(j);
    if (j >= k) s += dmath.exp(lc + j * dmath.log(p) + (n - j) * dmath.log1p(-p));
  }
  return Math.min(1, s);
}

export function oracleVerdict(cells: OracleCell[]): Judgement {
  const used = cells.filter((c) => c.bound < 1);
  if (!used.length) return judge(ORACLE_RULE, ORACLE_FAILS_IF, "not resolvable at this size");
  const bad = used.some((c) => binomialUpperTail(c.targets, c.deviating, c.bound) < 1e-3);
  return judge(ORACLE_RULE, ORACLE_FAILS_IF, bad ? "contradicts the paper" : "reproduced");
}

// ---------------------------------------------------------------------------------------------------------------
// Shamir §4 with SSS17 §2: gradient-based learning of ψ(<w*, x>) fails at large d and r, succeeds at small ones.

export interface LearnCell {
  d: number;
  r: number;
  /** Final test loss / trivial loss, one per seed. */
  rel: number[];
}

export const LEARNED = 0.5;
export const NOT_LEARNED = 0.9;
export const MIN_SEEDS = 5;
export const CONTROL_R = 1;
export const LEARNING_RULE =
  `Per cell, the mean over seeds of test loss / trivial loss (trivial: predicting the mean). Learned: mean < ${LEARNED}; not learned: mean > ${NOT_LEARNED}. Control: in every d some r ≤ ${CONTROL_R} is learned, with ≥ ${MIN_SEEDS} seeds per cell. Reproduced iff the control passes, the largest r at the largest d is not learned, and within each d no cell is learned at a larger r than a not-learned one.`;
export const LEARNING_FAILS_IF = `the control passes and the largest (d, r) cell is learned (mean < ${LEARNED}), or some d learns a larger r after failing a smaller one.`;

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

export function learningVerdict(cells: LearnCell[]): Judgement {
  const ds = [...new Set(cells.map((c) => c.d))].sort((a, b) => a - b);
  const byD = ds.map((d) => cells.filter((c) => c.d === d).sort((a, b) => a.r - b.r));
  const seedsOk = cells.length > 0 && cells.every((c) => c.rel.length >= MIN_SEEDS);
  const controlOk = seedsOk && byD.every((row) => row.length >= 2 && row.some((c) => c.r <= CONTROL_R && mean(c.rel) < LEARNED));
  const control = { description: `some r ≤ ${CONTROL_R} is learned in every d, ≥ ${MIN_SEEDS} seeds per cell`, passed: controlOk };
  if (!controlOk) return judge(LEARNING_RULE, LEARNING_FAILS_IF, "inconclusive (control failed)", control);
  const top = byD[byD.length - 1];
  const hardest = top[top.length - 1];
  const nonMonotone = byD.some((row) => row.some((c, i) => mean(c.rel) < LEARNED && row.slice(0, i).some((p) => mean(p.rel) > NOT_LEARNED)));
  if (mean(hardest.rel) < LEARNED || nonMonotone) return judge(LEARNING_RULE, LEARNING_FAILS_IF, "contradicts the paper", control);
  if (mean(hardest.rel) > NOT_LEARNED) return judge(LEARNING_RULE, LEARNING_FAILS_IF, "reproduced", control);
  return judge(LEARNING_RULE, LEARNING_FAILS_IF, "not resolvable at this size", control);
}

// ---------------------------------------------------------------------------------------------------------------
// Shamir §3, Thm 1 and Def. 1: linear invariance of whitening + GD; plain GD only orthogonally invariant.

export const INVARIANT_TOL = 1e-9;
export const DIFFERENT_TOL = 1e-3;

export const WHITENED_RULE =
  `Train whitening + GD on X and on XA (A orthogonal and invertible with the listed condition numbers); reproduced iff the largest relative difference of training-set predictions is ≤ ${INVARIANT_TOL} for every A. Control: plain GD differs by > ${DIFFERENT_TOL} at the largest condition number (the comparison can see a difference).`;
export const WHITENED_FAILS_IF = `some A gives a relative difference > ${INVARIANT_TOL} for whitening + GD while the control passes.`;

export function whitenedVerdict(whitenedDiffs: number[], plainAtLargestCond: number): Judgement {
  const control = { description: `plain GD differs by > ${DIFFERENT_TOL} under the most ill-conditioned A`, passed: plainAtLargestCond > DIFFERENT_TOL };
  if (!control.passed) return judge(WHITENED_RULE, WHITENED_FAILS_IF, "inconclusive (control failed)", control);
  const ok = whitenedDiffs.length > 0 && whitenedDiffs.every((x) => x <= INVARIANT_TOL);
  return judge(WHITENED_RULE, WHITENED_FAILS_IF, ok ? "reproduced" : "contradicts the paper", control);
}

export const PLAIN_RULE =
  `Plain GD on X and on XA: reproduced iff the relative difference is ≤ ${INVARIANT_TOL} for orthogonal A and > ${DIFFERENT_TOL} for the most ill-conditioned A.`;
export const PLAIN_FAILS_IF = `an orthogonal A gives > ${INVARIANT_TOL}, or the most ill-conditioned A gives ≤ ${DIFFERENT_TOL}.`;

export function plainVerdict(orthogonalDiffs: number[], plainAtLargestCond: number): Judgement {
  const ok = orthogonalDiffs.length > 0 && orthogonalDiffs.every((x) => x <= INVARIANT_TOL) && plainAtLargestCond > DIFFERENT_TOL;
  return judge(PLAIN_RULE, PLAIN_FAILS_IF, ok ? "reproduced" : "contradicts the paper");
}

// ---------------------------------------------------------------------------------------------------------------
// Shamir §3: exact identities (halfspace encoding, Prop. 1, Thm 2 transfer).

export const ENCODING_RULE = "Exhaustive over {0,1}^d: reproduced iff the intersection of halfspaces and 1 − clipped ReLU agree on every point. Control: the instances are not all trivial (some points have label 1 and some label 0).";
export const ENCODING_FAILS_IF = "a single point where the two differ.";

export function encodingVerdict(mismatches: number, positiveShares: number[]): Judgement {
  const control = { description: "the random instances have both labels", passed: positiveShares.some((p) => p > 0 && p < 1) };
  if (!control.passed) return judge(ENCODING_RULE, ENCODING_FAILS_IF, "inconclusive (control failed)", control);
  return judge(ENCODING_RULE, ENCODING_FAILS_IF, mismatches === 0 ? "reproduced" : "contradicts the paper", control);
}

export const PROP1_RULE = "On every instance: labels of [W; I_k] on (x, 0_k) equal those of W exactly, and s_min([W; I_k]) ≥ 1 − 1e-12.";
export const PROP1_FAILS_IF = "one label differs, or one s_min([W; I_k]) < 1 − 1e-12.";

export function prop1Verdict(maxLabelDiff: number, minSmin: number): Judgement {
  return judge(PROP1_RULE, PROP1_FAILS_IF, maxLabelDiff === 0 && minSmin >= 1 - 1e-12 ? "reproduced" : "contradicts the paper");
}

export const TRANSFER_RULE = "On every instance: the fixed network W on x = M x' gives the same 0/1 labels as the hard instance W' on x', |labels| differ by ≤ 1e-9, and ‖M‖ ≤ ‖W'‖/s_min(W) + 1.";
export const TRANSFER_FAILS_IF = "one 0/1 label differs, a label differs by > 1e-9, or ‖M‖ exceeds the bound.";

export function transferVerdict(zeroOneMismatches: number, maxLabelDiff: number, normBoundHolds: boolean): Judgement {
  return judge(TRANSFER_RULE, TRANSFER_FAILS_IF, zeroOneMismatches === 0 && maxLabelDiff <= 1e-9 && normBoundHolds ? "reproduced" : "contradicts the paper");
}

// ---------------------------------------------------------------------------------------------------------------
// Daniely & Vardi: hardness for most natural-weight networks. Asymptotic and conditional on RSAT.

export const DV_RULE = "No finite run decides an asymptotic statement conditional on RSAT: this row is always \"not resolvable\"; the section's numbers are illustrations (a learner on Gaussian inputs as the control, a W-dependent input distribution x = M x').";
export const DV_FAILS_IF = "cannot fail by construction (stated, not tested).";

export function dvVerdict(): Judgement {
  return judge(DV_RULE, DV_FAILS_IF, "not resolvable at this size");
}

// ---------------------------------------------------------------------------------------------------------------
// Shamir §3, Lemma 1: a fresh point leaves the span of m i.i.d. points with probability ≤ d/(δm) (w.p. 1 − δ).

export interface Lemma1Row {
  m: number;
  /** E over the sample of Pr_x(x ∉ span(x_1..x_m)) (exact) and the proof's bound d/(m + 1). */
  expected: number;
  expectedBound: number;
  /** Empirical (1 − δ)-quantile over sampled datasets, and the lemma's d/(δ m). */
  quantile: number;
  quantileBound: number;
}

export const LEMMA1_RULE = "For every m of the table: the exact E[Pr_x(x ∉ span)] ≤ d/(m+1) (the proof's step 4) and the empirical (1 − δ)-quantile of Pr_x(x ∉ span) over sampled datasets ≤ d/(δ m).";
export const LEMMA1_FAILS_IF = "some m with E[Pr] > d/(m+1), or an empirical (1 − δ)-quantile above d/(δ m).";

export function lemma1Verdict(rows: Lemma1Row[]): Judgement {
  if (!rows.length) return judge(LEMMA1_RULE, LEMMA1_FAILS_IF, "not resolvable at this size");
  const ok = rows.every((r) => r.expected <= r.expectedBound * (1 + 1e-12) && r.quantile <= r.quantileBound);
  return judge(LEMMA1_RULE, LEMMA1_FAILS_IF, ok ? "reproduced" : "contradicts the paper");
}
