/**
 * Toy K-SAT instances and natural-weight sign hiding (PAPERS §3.6, §3.8).
 *
 * INSPIRED BY the RSAT argument of Daniely–Vardi (via Daniely–Shalev-Shwartz 2016); this is NOT the paper's
 * reduction, whose encoding of clauses into examples was not recovered (PAPERS §3.7, §6). It demonstrates exact
 * identities (clause-violation neuron, sign hiding) and realisable-versus-random label statistics, not hardness.
 */
import type { Matrix } from "../types.js";
import { InvalidArgumentError } from "../errors.js";
import { MAX_DIM, assertInteger, assertOptions, assertVector, snapshot, typedArrayKind } from "../validate.js";
import { assertEngine, rngOption, type EngineLike, type RngLike } from "./deps.js";
import { forwardUnchecked, type ReluNet } from "./network.js";

/**
 * A K-SAT formula over n variables: clause c has literals (vars[c K + j], signs[c K + j]), j < K; literal j is TRUE
 * under an assignment psi in {+-1}^n iff signs * psi[var] = +1 (sign +1: positive literal, -1: negated).
 */
export interface KSatFormula {
  n: number;
  K: number;
  /** Number of clauses. */
  m: number;
  /** Variable indices in [0, n), K distinct per clause. */
  vars: Int32Array;
  /** Literal signs in {-1, +1}. */
  signs: Int8Array;
}

function checkSizes(n: number, K: number, m: number): void {
  assertInteger("options.n", n, 1, 1e7);
  assertInteger("options.K", K, 1, 64);
  if (K > n) throw new InvalidArgumentError("options.K", `at most options.n (${n}) (distinct variables per clause)`, K);
  assertInteger("options.m", m, 0, 1e7);
  // 2 K uniforms per clause are drawn from one stream call (at most MAX_DIM values per call).
  if (2 * K * m > MAX_DIM) throw new InvalidArgumentError("options.m", `at most ${Math.floor(MAX_DIM / (2 * K))} for K = ${K}`, m);
}

/**
 * Validates a KSatFormula: sizes as in checkSizes, vars an Int32Array of m K indices in [0, n), signs an Int8Array of
 * m K values +-1. `full = false` checks only the O(1) structure (for per-clause queries); entries are then checked per
 * clause by the caller. @internal
 */
function checkFormula(name: string, f: unknown, full = true): asserts f is KSatFormula {
  if (typeof f !== "object" || f === null) throw new InvalidArgumentError(name, "a k-SAT formula { n, K, m, vars, signs }", f);
  const g = f as KSatFormula;
  assertInteger(`${name}.n`, g.n, 1, 1e7);
  assertInteger(`${name}.K`, g.K, 1, Math.min(64, g.n));
  assertInteger(`${name}.m`, g.m, 0, 1e7);
  const len = g.m * g.K;
  if (typedArrayKind(g.vars) !== "Int32Array" || g.vars.length !== len) throw new InvalidArgumentError(`${name}.vars`, `an Int32Array of length m * K = ${len}`, g.vars);
  if (typedArrayKind(g.signs) !== "Int8Array" || g.signs.length !== len) throw new InvalidArgumentError(`${name}.signs`, `an Int8Array of length m * K = ${len}`, g.signs);
  if (full) for (let c = 0; c < g.m; c++) checkClause(name, g, c);
}

/** Entries of clause c: variable indices in [0, n), signs +-1. */
function checkClause(name: string, f: KSatFormula, c: number): void {
  for (let j = c * f.K; j < (c + 1) * f.K; j++) {
    const v = f.vars[j], s = f.signs[j];
    if (!(v >= 0 && v < f.n)) throw new InvalidArgumentError(`${name}.vars[${j}]`, `an index in [0, ${f.n})`, v);
    if (s !== 1 && s !== -1) throw new InvalidArgumentError(`${name}.signs[${j}]`, "+1 or -1", s);
  }
}

/** An assignment psi in {-1, +1}^n (any array-like of length n); only the entries of clause c are checked (O(K)). */
/** An assignment in {+-1}^n (the identities of PAPERS §3.8 hold only there). */
function assertSigns(name: string, psi: Float64Array): void {
  for (let i = 0; i < psi.length; i++) if (psi[i] !== 1 && psi[i] !== -1) throw new InvalidArgumentError(`${name}[${i}]`, "+1 or -1", psi[i]);
}

function checkAssignment(name: string, psi: unknown, f: KSatFormula, c: number): asserts psi is ArrayLike<number> {
  if (typeof psi !== "object" || psi === null || typeof (psi as ArrayLike<number>).length !== "number") {
    throw new InvalidArgumentError(name, `an array of ${f.n} values +-1`, psi);
  }
  const p = psi as ArrayLike<number>;
  if (p.length !== f.n) throw new InvalidArgumentError(`${name}.length`, `${f.n}`, p.length);
  for (let j = c * f.K; j < (c + 1) * f.K; j++) {
    const v = f.vars[j];
    if (p[v] !== 1 && p[v] !== -1) throw new InvalidArgumentError(`${name}[${v}]`, "+1 or -1", p[v]);
  }
}

/** Draw one uniform clause: K distinct variables (partial Fisher–Yates on uniforms, O(K^2)), independent signs. */
function drawClause(u: Float64Array, off: number, n: number, K: number, vars: Int32Array, signs: Int8Array, at: number): void {
  // Partial Fisher–Yates over a virtual identity array, swaps recorded in a tiny list (K <= 64).
  const swapped = new Map<number, number>();
  for (let j = 0; j < K; j++) {
    const r = j + Math.min(n - j - 1, Math.floor(u[off + j] * (n - j)));
    const vr = swapped.get(r) ?? r, vj = swapped.get(j) ?? j;
    swapped.set(r, vj);
    swapped.set(j, vr);
    vars[at + j] = vr;
    signs[at + j] = u[off + K + j] < 0.5 ? -1 : 1;
  }
}

/**
 * Random K-SAT (PAPERS §3.6): m clauses drawn independently and uniformly; each clause has K distinct variables
 * and each literal is negated independently with probability 1/2. Uses 2K uniforms per clause of engine.rng(seed).
 * Throws InvalidArgumentError naming `options.n`, `options.K` (K > n), `options.m`, `options.seed`.
 */
export function randomKSat(engine: EngineLike, options: { n: number; K: number; m: number; seed?: number | bigint; rng?: RngLike }): KSatFormula {
  options = snapshot(options, "options");
  assertEngine(engine);
  assertOptions("options", options);
  if (options === undefined) throw new InvalidArgumentError("options", "an object", options);
  const { n, K, m } = options;
  checkSizes(n, K, m);
  const rng = rngOption(engine, options);
  const vars = new Int32Array(m * K), signs = new Int8Array(m * K);
  const u = rng.uniform(2 * K * m);
  for (let c = 0; c < m; c++) drawClause(u, 2 * K * c, n, K, vars, signs, c * K);
  return { n, K, m, vars, signs };
}

/** 1 if clause c is violated by psi (every literal false), else 0. */
export function clauseViolated(f: KSatFormula, c: number, psi: ArrayLike<number>): number {
  f = snapshot(f, "f"); psi = snapshot(psi, "psi");
  checkFormula("f", f, false);
  assertInteger("c", c, 0, f.m - 1);
  checkClause("f", f, c);
  checkAssignment("psi", psi, f, c);
  return violated(f, c, psi);
}

/** clauseViolated without validation (inputs already checked). */
function violated(f: KSatFormula, c: number, psi: ArrayLike<number>): number {
  for (let j = 0; j < f.K; j++) if (f.signs[c * f.K + j] * psi[f.vars[c * f.K + j]] === 1) return 0;
  return 1;
}

/**
 * Planted K-SAT (PAPERS §3.8): clauses uniform among those satisfied by psi (rejection sampling: a uniform clause is
 * accepted with probability 1 - 2^-K). psi in {+-1}^n is given or drawn from the stream (Rademacher). Rejection is
 * capped at 64 + 2^(K+6) tries per clause (failure probability < e^-64); the cap is never hit for valid input.
 * Returns the formula and psi. Throws like randomKSat and naming `options.psi` (length n, entries +-1).
 */
export function plantedKSat(engine: EngineLike, options: { n: number; K: number; m: number; psi?: Float64Array; seed?: number | bigint; rng?: RngLike }):
  { formula: KSatFormula; psi: Float64Array } {
  options = snapshot(options, "options");
  assertEngine(engine);
  assertOptions("options", options);
  if (options === undefined) throw new InvalidArgumentError("options", "an object", options);
  const { n, K, m } = options;
  checkSizes(n, K, m);
  const rng = rngOption(engine, options);
  let psi: Float64Array;
  if (options.psi !== undefined) {
    assertVector("options.psi", options.psi, n);
    options.psi.forEach((v, i) => { if (v !== 1 && v !== -1) throw new InvalidArgumentError(`options.psi[${i}]`, "+1 or -1", v); });
    psi = Float64Array.from(options.psi);
  } else {
    psi = rng.rademacher(n, 1);
  }
  const vars = new Int32Array(m * K), signs = new Int8Array(m * K);
  const f: KSatFormula = { n, K, m, vars, signs };
  const cap = 64 + 2 ** Math.min(K + 6, 40);
  for (let c = 0; c < m; c++) {
    let ok = false;
    for (let tries = 0; tries < cap && !ok; tries++) {
      const u = rng.uniform(2 * K);
      drawClause(u, 0, n, K, vars, signs, c * K);
      ok = violated(f, c, psi) === 0;
    }
    if (!ok) throw new InvalidArgumentError("options.K", "small enough for rejection sampling to succeed", K);
  }
  return { formula: f, psi };
}

/**
 * The clause-violation neuron (PAPERS §3.8, exact identity): for psi in {+-1}^n and clause C,
 * `[ -sum_j sigma_j psi_{v_j} - (K - 1) ]_+ = 1{C violated by psi}`. Returns the value for every clause
 * (integer arithmetic, exact).
 */
export function clauseViolationNeuron(f: KSatFormula, psi: Float64Array): Float64Array {
  f = snapshot(f, "f"); psi = snapshot(psi, "psi");
  checkFormula("f", f);
  assertVector("psi", psi, f.n);
  assertSigns("psi", psi);
  const out = new Float64Array(f.m);
  for (let c = 0; c < f.m; c++) {
    let s = 0;
    for (let j = 0; j < f.K; j++) s += f.signs[c * f.K + j] * psi[f.vars[c * f.K + j]];
    out[c] = Math.max(0, -s - (f.K - 1));
  }
  return out;
}

/**
 * Natural-weight sign hiding (PAPERS §3.8 [D]+[E]): magnitudes a_j = |g_j| (g ~ N(0,1), j <= n) and a bias weight
 * b = |g_{n+1}| are drawn from the stream; the hidden weights are w_j = psi_j a_j, w_{n+1} = b — after a uniformly
 * random variable flip psi is uniform, so w is exactly N(0, I) on the first n coordinates. Each clause C becomes the
 * input x_C in R^{n+1} with entries -sigma_j / a_{v_j} at v_j and -(K-1)/b at the last coordinate, so that
 * `[<w, x_C>]_+ = 1{C violated by psi}` (up to rounding: each a (1/a) is 1 to 1 ulp, so the value is within
 * (K + 1) eps of the integer). Returns the one-neuron network, the clause inputs X (m x (n+1)) and the labels
 * N_w(x_C) evaluated in WASM.
 */
export function hideAssignment(engine: EngineLike, options: { formula: KSatFormula; psi: Float64Array; seed?: number | bigint; rng?: RngLike }):
  { net: ReluNet; X: Matrix; labels: Float64Array } {
  options = snapshot(options, "options");
  assertEngine(engine);
  assertOptions("options", options);
  if (options === undefined) throw new InvalidArgumentError("options", "an object", options);
  checkFormula("options.formula", options.formula);
  const f = options.formula, n = f.n, K = f.K;
  assertVector("options.psi", options.psi, n);
  assertSigns("options.psi", options.psi);
  const rng = rngOption(engine, options);
  const g = rng.normal(n + 1);
  const a = g.map(Math.abs);
  for (let j = 0; j <= n; j++) if (a[j] === 0) a[j] = 1; // probability 0; keeps 1/a finite
  const w = new Float64Array(n + 1);
  for (let j = 0; j < n; j++) w[j] = options.psi[j] * a[j];
  w[n] = a[n];
  const X = new Float64Array(f.m * (n + 1));
  for (let c = 0; c < f.m; c++) {
    for (let j = 0; j < K; j++) {
      const v = f.vars[c * K + j];
      X[c * (n + 1) + v] = -f.signs[c * K + j] / a[v];
    }
    X[c * (n + 1) + n] = -(K - 1) / a[n];
  }
  const net: ReluNet = { W: { rows: n + 1, cols: 1, data: w } };
  const Xm = { rows: f.m, cols: n + 1, data: X };
  return { net, X: Xm, labels: forwardUnchecked(engine, net, Xm, false) };
}

/** Fraction of clauses violated by psi (about 2^-K for a random formula and a fixed psi, 0 for a planted one). */
export function violatedFraction(f: KSatFormula, psi: Float64Array): number {
  f = snapshot(f, "f"); psi = snapshot(psi, "psi");
  checkFormula("f", f);
  assertVector("psi", psi, f.n);
  assertSigns("psi", psi);
  let s = 0;
  for (let c = 0; c < f.m; c++) s += violated(f, c, psi);
  return f.m ? s / f.m : 0;
}
