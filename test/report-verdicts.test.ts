// The verdict model: every decision rule of the report (src/report/verdicts.ts) is fed numbers that agree with the
// paper and numbers that contradict it, and must answer differently; a failed control must give "inconclusive".
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  binomialUpperTail, criticalPointsVerdict, decayVerdict, dvVerdict, encodingVerdict, flatnessVerdict, learningVerdict, linearFit,
  lemma1Verdict, mcDecayVerdict, oracleVerdict, plainVerdict, prop1Verdict, transferVerdict, whitenedVerdict, FLAT_SMALL, VERDICTS,
} from "../src/report/verdicts.js";

const OK = { description: "control", passed: true }, BAD = { description: "control", passed: false };

test("every judgement carries its rule and failure condition", () => {
  for (const j of [criticalPointsVerdict([]), flatnessVerdict([]), oracleVerdict([]), learningVerdict([]), dvVerdict(), plainVerdict([], 0)]) {
    assert.ok(VERDICTS.includes(j.verdict));
    assert.ok(j.rule.length > 20 && j.failsIf.length > 10);
  }
});

test("critical points: three → reproduced, five → contradicts, named points missing → inconclusive", () => {
  const three = { r: 2, max: 1, min: 2, saddle: 0, foundNamed: true };
  assert.is(criticalPointsVerdict([three]).verdict, "reproduced");
  assert.is(criticalPointsVerdict([three, { ...three, saddle: 2 }]).verdict, "contradicts the paper");
  assert.is(criticalPointsVerdict([{ ...three, saddle: 2, foundNamed: false }]).verdict, "inconclusive (control failed)");
});

test("flatness: falling to ≤ 5% → reproduced; rising in d, or staying high → contradicts", () => {
  const rows = (ps: number[]) => ps.map((p, i) => ({ d: [2, 10, 100][i], r: 4, pSteep: p }));
  assert.is(flatnessVerdict(rows([0.5, 0.1, 0.01])).verdict, "reproduced");
  assert.is(flatnessVerdict(rows([0.01, 0.02, 0.03])).verdict, "contradicts the paper");
  assert.is(flatnessVerdict(rows([0.9, 0.5, FLAT_SMALL * 2])).verdict, "contradicts the paper");
  // Only the largest r is judged: a steep small r does not decide it.
  assert.is(flatnessVerdict([...rows([0.5, 0.1, 0.01]), { d: 100, r: 2, pSteep: 1 }]).verdict, "reproduced");
});

test("Thm 3 decay: falling in r at the largest d and monotone in d → reproduced; flat in r or growing in d → contradicts", () => {
  const r = [1, 2, 3, 4, 6, 8];
  const fit = (y: number[]) => { const f = linearFit(r, y); return { rate: -f.slope, lo: -f.hi, hi: -f.lo, points: r.length }; };
  const falling = fit(r.map((x) => -x * x / 2 + Math.sin(x)));
  const flat = fit(r.map((x) => Math.sin(3 * x)));
  assert.ok(falling.lo > 0, "the fit sees the decay");
  assert.is(decayVerdict({ rFit: falling, monotoneInD: true }, OK).verdict, "reproduced");
  assert.is(decayVerdict({ rFit: flat, monotoneInD: true }, OK).verdict, "contradicts the paper");
  assert.is(decayVerdict({ rFit: falling, monotoneInD: false }, OK).verdict, "contradicts the paper");
  assert.is(decayVerdict({ rFit: falling, monotoneInD: true }, BAD).verdict, "inconclusive (control failed)");
  assert.is(decayVerdict({ rFit: { ...falling, points: 2 }, monotoneInD: true }, OK).verdict, "not resolvable at this size");
});

test("linearFit: exact line has a zero-width CI; Student t quantile from the table", () => {
  const f = linearFit([1, 2, 3, 4], [3, 5, 7, 9]);
  assert.ok(Math.abs(f.slope - 2) < 1e-12 && Math.abs(f.a - 1) < 1e-12 && f.hi - f.lo < 1e-9);
});

test("Monte-Carlo decay (ReLU, triangle): measured from the peak; an unresolved last point no longer passes automatically", () => {
  const small = { r: 0.5, estimate: 1e-3, stderr: 1e-5, floor: 3e-5, resolved: true };
  const peak = { r: 1, estimate: 1e-2, stderr: 1e-4, floor: 3e-4, resolved: true };
  assert.is(mcDecayVerdict([small, peak, { r: 4, estimate: 1e-6, stderr: 1e-7, floor: 3e-7, resolved: true }]).verdict, "reproduced");
  // Unresolved with a floor too high to show a 100x decay from the peak: not resolvable (it used to be "reproduced").
  assert.is(mcDecayVerdict([small, peak, { r: 4, estimate: 1e-5, stderr: 1e-3, floor: 3e-3, resolved: false }]).verdict, "not resolvable at this size");
  // No decay from the peak: contradicts, even though the last point is far above the small-r value.
  assert.is(mcDecayVerdict([small, peak, { r: 4, estimate: 9e-3, stderr: 1e-4, floor: 3e-4, resolved: true }]).verdict, "contradicts the paper");
  // Control: some point before the last must be resolved.
  assert.is(mcDecayVerdict([{ ...peak, resolved: false }, { r: 4, estimate: 0, stderr: 1e-9, floor: 3e-9, resolved: false }]).verdict, "inconclusive (control failed)");
});

test("Theorem 4: vacuous cells get no verdict; too many deviating targets contradict", () => {
  assert.is(oracleVerdict([{ d: 2, r: 1, bound: 1, targets: 100, deviating: 100 }]).verdict, "not resolvable at this size");
  assert.is(oracleVerdict([{ d: 20, r: 4, bound: 1e-6, targets: 100, deviating: 0 }]).verdict, "reproduced");
  assert.is(oracleVerdict([{ d: 20, r: 4, bound: 0.01, targets: 100, deviating: 3 }]).verdict, "reproduced");
  assert.is(oracleVerdict([{ d: 20, r: 4, bound: 0.01, targets: 100, deviating: 10 }]).verdict, "contradicts the paper");
  assert.is(oracleVerdict([{ d: 20, r: 4, bound: 1e-6, targets: 100, deviating: 1 }, { d: 2, r: 1, bound: 1, targets: 100, deviating: 100 }]).verdict, "contradicts the paper");
});

test("binomialUpperTail against hand values", () => {
  assert.ok(Math.abs(binomialUpperTail(2, 1, 0.5) - 0.75) < 1e-15);
  assert.ok(Math.abs(binomialUpperTail(10, 10, 0.5) - 2 ** -10) < 1e-15);
  assert.is(binomialUpperTail(10, 0, 0.3), 1);
});

test("learning map: trend → reproduced; hardest cell learned → contradicts; failed easy cell → inconclusive", () => {
  const cell = (d: number, r: number, v: number, n = 5) => ({ d, r, rel: Array(n).fill(v) });
  const good = [cell(2, 0.5, 0.01), cell(2, 4, 0.3), cell(20, 0.5, 0.05), cell(20, 4, 1.0)];
  assert.is(learningVerdict(good).verdict, "reproduced");
  assert.is(learningVerdict([...good.slice(0, 3), cell(20, 4, 0.1)]).verdict, "contradicts the paper");
  assert.is(learningVerdict([cell(2, 0.5, 0.01), cell(2, 4, 0.3), cell(20, 0.5, 0.95), cell(20, 4, 1.0)]).verdict, "inconclusive (control failed)");
  // The control is "some r ≤ 1": a hard r = 0.5 with a learned r = 1 passes it.
  assert.is(learningVerdict([cell(2, 0.5, 0.01), cell(2, 4, 0.3), cell(20, 0.5, 0.7), cell(20, 1, 0.1), cell(20, 4, 1.0)]).verdict, "reproduced");
  assert.is(learningVerdict([cell(2, 0.5, 0.01), cell(2, 4, 0.3), cell(20, 2, 0.1), cell(20, 4, 1.0)]).verdict, "inconclusive (control failed)", "no r ≤ 1 in d = 20");
  assert.is(learningVerdict(good.map((c) => ({ ...c, rel: c.rel.slice(0, 4) }))).verdict, "inconclusive (control failed)", "fewer than 5 seeds");
  // Non-monotone in r: learned at r = 4 after failing at r = 2.
  assert.is(learningVerdict([cell(2, 0.5, 0.01), cell(2, 2, 1.0), cell(2, 4, 0.1), cell(20, 0.5, 0.05), cell(20, 4, 1.0)]).verdict, "contradicts the paper");
});

test("invariance: whitened GD must stay at rounding level, with a control that can see a difference", () => {
  assert.is(whitenedVerdict([1e-14, 1e-13], 0.5).verdict, "reproduced");
  assert.is(whitenedVerdict([1e-14, 1e-6], 0.5).verdict, "contradicts the paper");
  assert.is(whitenedVerdict([1e-14], 1e-12).verdict, "inconclusive (control failed)");
  assert.is(plainVerdict([1e-14], 0.5).verdict, "reproduced");
  assert.is(plainVerdict([1e-3], 0.5).verdict, "contradicts the paper");
  assert.is(plainVerdict([1e-14], 1e-6).verdict, "contradicts the paper");
});

test("Section 3 identities: one mismatch contradicts", () => {
  assert.is(encodingVerdict(0, [0.3]).verdict, "reproduced");
  assert.is(encodingVerdict(1, [0.3]).verdict, "contradicts the paper");
  assert.is(encodingVerdict(0, [0, 1]).verdict, "inconclusive (control failed)");
  assert.is(prop1Verdict(0, 1).verdict, "reproduced");
  assert.is(prop1Verdict(1, 1).verdict, "contradicts the paper");
  assert.is(prop1Verdict(0, 0.9).verdict, "contradicts the paper");
  assert.is(transferVerdict(0, 1e-12, true).verdict, "reproduced");
  assert.is(transferVerdict(1, 1e-12, true).verdict, "contradicts the paper");
  assert.is(transferVerdict(0, 1e-3, true).verdict, "contradicts the paper");
  assert.is(transferVerdict(0, 0, false).verdict, "contradicts the paper");
});

test("Lemma 1: within both bounds → reproduced; one m above either → contradicts", () => {
  const row = { m: 10, expected: 0.5, expectedBound: 10 / 11, quantile: 0.8, quantileBound: 10 };
  assert.is(lemma1Verdict([row]).verdict, "reproduced");
  assert.is(lemma1Verdict([row, { ...row, m: 20, expected: 0.6, expectedBound: 0.5 }]).verdict, "contradicts the paper");
  assert.is(lemma1Verdict([{ ...row, quantile: 11 }]).verdict, "contradicts the paper");
  assert.is(lemma1Verdict([]).verdict, "not resolvable at this size");
});

test.run();
