// GEMM, Gram and GEMV kernels (assembly/gemm/*) and their TS API (src/linalg/matmul.ts).
//
// Every optimized kernel is compared with the naive reference kernels gemm_f64_ref / gemv_f64_ref (themselves
// checked against hand values) over an odd-size grid, k below/equal/above the KC = 256 block, partial tiles,
// all transpose combinations. Tolerances are derived, never picked:
//   Each output entry c_ij = alpha * sum_p a_ip b_pj (+ beta c0_ij) is computed by both kernels in float64 with at
//   most N = k + nb + 3 roundings on every term's path (k for the product and the additions of the dot product,
//   nb = ceil(k / KC) for the block-wise alpha scaling and accumulation into C, 3 for the beta term and the final
//   additions). Standard error analysis (Higham, ASNA 2nd ed., Lemma 3.1 and section 3.5) gives
//     |fl(c_ij) - c_ij| <= gamma_N * (|alpha| * S_ij + |beta| * |c0_ij|),  S_ij = sum_p |a_ip| |b_pj|,
//   gamma_N = N eps / (1 - N eps), eps = 2^-52, for each kernel, so two kernels differ by at most twice that.
// Randomized inputs come from the test-local PRNG with a fixed seed; every failure message prints the seed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, randMatrix, testRng, throwsWith, EPS } from "./helpers.js";
import { InvalidArgumentError, AllocationError, type Engine } from "../src/index.js";
import type { Matrix } from "../src/types.js";

const KC = 256; // must match GEMM_KC in assembly/gemm/gemm_f64_params.ts (only used in the bounds)
const MR = 4, NR = 4; // register tile of gemm_f64_4x4_simd

const gamma = (n: number) => (n * EPS) / (1 - n * EPS);
const roundings = (k: number) => k + Math.ceil(k / KC) + 3;

/** Element (i, p) of op(A) for a row-major matrix. */
function opAt(M: Matrix, trans: boolean, i: number, p: number): number {
  return trans ? M.data[p * M.cols + i] : M.data[i * M.cols + p];
}

/** S_ij = sum_p |op(A)_ip| |op(B)_pj|, m x n. */
function absProduct(A: Matrix, B: Matrix, tA: boolean, tB: boolean): Float64Array {
  const m = tA ? A.cols : A.rows, k = tA ? A.rows : A.cols, n = tB ? B.rows : B.cols;
  const S = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const a = Math.abs(opAt(A, tA, i, p));
      for (let j = 0; j < n; j++) S[i * n + j] += a * Math.abs(opAt(B, tB, p, j));
    }
  }
  return S;
}

/** The naive WASM reference kernel gemm_f64_ref through the core (private API). */
function refGemm(e: Engine, A: Matrix, B: Matrix, tA: boolean, tB: boolean, alpha = 1, beta = 0, C0?: Matrix): Float64Array {
  const m = tA ? A.cols : A.rows, k = tA ? A.rows : A.cols, n = tB ? B.rows : B.cols;
  return e.core.scope((ar) => {
    const pA = ar.put(A.data), pB = ar.put(B.data);
    const pC = C0 ? ar.put(C0.data) : ar.allocF64(m * n);
    e.core.x.gemm_f64_ref(tA ? 1 : 0, tB ? 1 : 0, m, n, k, alpha, pA, A.cols, pB, B.cols, beta, pC, n);
    return ar.take(pC, m * n);
  });
}

/** Assert |got - want| <= 2 gamma_N (|alpha| S + |beta| |c0|) entrywise. */
function assertClose(got: Float64Array, want: Float64Array, S: Float64Array, k: number, alpha: number, beta: number, c0: Float64Array | undefined, what: string): void {
  assert.is(got.length, want.length, `${what}: length`);
  const g = 2 * gamma(roundings(k));
  for (let i = 0; i < got.length; i++) {
    const tol = g * (Math.abs(alpha) * S[i] + (c0 ? Math.abs(beta * c0[i]) : 0));
    const d = Math.abs(got[i] - want[i]);
    if (!(d <= tol)) assert.unreachable(`${what}: entry ${i}: got ${got[i]}, reference ${want[i]}, |diff| ${d} > tol ${tol}`);
  }
}

function bitsEqual(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length * 2), y = new Uint32Array(b.buffer, b.byteOffset, b.length * 2);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

const TRANS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];
const ODD = [1, 2, 3, 7, 17, 33, 129];

// ---------------------------------------------------------------- reference kernels against hand values

test("gemm_f64_ref and gemv_f64_ref: hand-computed products, all transposes, beta rule", async () => {
  const e = await engine();
  const A = { rows: 2, cols: 3, data: Float64Array.from([1, 2, 3, 4, 5, 6]) };
  const B = { rows: 3, cols: 2, data: Float64Array.from([7, 8, 9, 10, 11, 12]) };
  // A B = [[58, 64], [139, 154]]
  assert.equal(Array.from(refGemm(e, A, B, false, false)), [58, 64, 139, 154]);
  // A^T A (3 x 3) = [[17, 22, 27], [22, 29, 36], [27, 36, 45]]
  assert.equal(Array.from(refGemm(e, A, A, true, false)), [17, 22, 27, 22, 29, 36, 27, 36, 45]);
  // A A^T = [[14, 32], [32, 77]]; B^T A^T = (A B)^T
  assert.equal(Array.from(refGemm(e, A, A, false, true)), [14, 32, 32, 77]);
  assert.equal(Array.from(refGemm(e, B, A, true, true)), [58, 139, 64, 154]);
  const C0 = { rows: 2, cols: 2, data: Float64Array.from([1, 2, 3, 4]) };
  assert.equal(Array.from(refGemm(e, A, B, false, false, 2, -1, C0)), [115, 126, 275, 304]);
  // gemv: A x with x = [1, 1, 1] -> [6, 15]; A^T [1, -1] -> [-3, -3, -3]
  const y = e.core.scope((ar) => {
    const pA = ar.put(A.data), px = ar.put(Float64Array.from([1, 1, 1])), py = ar.allocF64(2);
    e.core.x.gemv_f64_ref(0, 2, 3, 1, pA, 3, px, 0, py);
    const out1 = ar.take(py, 2);
    const px2 = ar.put(Float64Array.from([1, -1])), py2 = ar.allocF64(3);
    e.core.x.gemv_f64_ref(1, 2, 3, 1, pA, 3, px2, 0, py2);
    return [...out1, ...ar.take(py2, 3)];
  });
  assert.equal(y, [6, 15, -3, -3, -3]);
});

// ---------------------------------------------------------------- layers: packing and micro-kernel

test("gemm_f64_pack_a / pack_b: exact micro-panel layout with zero padding, both transposes", async () => {
  const e = await engine();
  const M = randMatrix(23, 19, 11);
  // pack_a follows the tile height of the selected micro-kernel (4 rows, or 6 for the 6 x 4 tile), and the shared
  // engine may have been calibrated by an earlier test: check both heights explicitly, then restore the tuning.
  const saved = e.core.x.gemm_f64_tuning();
  try {
    for (const [kernel, MR] of [[0, 4], [3, 6]]) {
      assert.is(e.core.x.gemm_f64_tune(96, kernel), 1);
      checkPackLayout(e, M, MR);
    }
  } finally {
    e.core.x.gemm_f64_tune(saved >> 4, saved & 15);
  }
});

function checkPackLayout(e: Awaited<ReturnType<typeof engine>>, M: Matrix, MR: number): void {
  for (const trans of [false, true]) {
    // A block: op(M) rows [ic, ic+mc), k slice [pc, pc+kc); panels of MR rows, p-major inside a panel.
    const rowsOp = trans ? M.cols : M.rows;
    for (const [ic, mc, pc, kc] of [[0, rowsOp, 0, trans ? M.rows : M.cols], [2, 7, 3, 5], [1, 1, 0, 1], [4, 9, 1, 13]]) {
      // A values are stored twice (pre-splatted): panel q, step p, row r at 2 * (q*MR*kc + p*MR + r) + {0, 1}.
      const panels = Math.ceil(mc / MR);
      const got = e.core.scope((ar) => {
        const pM = ar.put(M.data), dst = ar.allocF64(2 * panels * MR * kc);
        e.core.x.gemm_f64_pack_a(trans ? 1 : 0, mc, kc, pM, M.cols, ic, pc, dst);
        return ar.take(dst, 2 * panels * MR * kc);
      });
      for (let q = 0; q < panels; q++) for (let p = 0; p < kc; p++) for (let r = 0; r < MR; r++) {
        const i = q * MR + r;
        const want = i < mc ? opAt(M, trans, ic + i, pc + p) : 0;
        const at = 2 * (q * MR * kc + p * MR + r);
        assert.is(got[at], want, `pack_a MR=${MR} trans=${trans} ic=${ic} mc=${mc} pc=${pc} kc=${kc} panel ${q} p ${p} r ${r}`);
        assert.is(got[at + 1], want, "pack_a stores each value twice");
      }
    }
    // B panel: op(M) k slice [pc, pc+kc), columns [jc, jc+nc); panels of NR columns.
    const colsOp = trans ? M.rows : M.cols;
    for (const [pc, kc, jc, nc] of [[0, trans ? M.cols : M.rows, 0, colsOp], [3, 5, 2, 7], [0, 1, 1, 1], [1, 13, 4, 9]]) {
      const panels = Math.ceil(nc / NR);
      const got = e.core.scope((ar) => {
        const pM = ar.put(M.data), dst = ar.allocF64(panels * NR * kc);
        e.core.x.gemm_f64_pack_b(trans ? 1 : 0, kc, nc, pM, M.cols, pc, jc, dst);
        return ar.take(dst, panels * NR * kc);
      });
      for (let q = 0; q < panels; q++) for (let p = 0; p < kc; p++) for (let r = 0; r < NR; r++) {
        const j = q * NR + r;
        const want = j < nc ? opAt(M, trans, pc + p, jc + j) : 0;
        assert.is(got[q * NR * kc + p * NR + r], want, `pack_b trans=${trans} pc=${pc} kc=${kc} jc=${jc} nc=${nc}`);
      }
    }
  }
}

test("gemm_f64_4x4_simd micro-kernel: kc below/equal/above KC vs a plain loop in the same order (bit-exact), beta rule", async () => {
  const e = await engine();
  for (const kc of [1, 2, 7, 8, 9, 15, 16, 17, 255, 256, 257, 600]) { // around the unroll factor 8 of the k loop
    const seed = 1000 + kc;
    const rng = testRng(seed);
    const av = Float64Array.from({ length: MR * kc }, () => 2 * rng() - 1);
    const pa = new Float64Array(2 * MR * kc); // pre-splatted layout of the kernel contract
    for (let q = 0; q < av.length; q++) pa[2 * q] = pa[2 * q + 1] = av[q];
    const pb = Float64Array.from({ length: kc * NR }, () => 2 * rng() - 1);
    const ldc = 7; // C rows padded: only columns 0..3 of each row belong to the tile
    const c0 = Float64Array.from({ length: MR * ldc }, () => 2 * rng() - 1);
    for (const [alpha, beta] of [[1, 0], [-0.5, 0], [1.25, 2], [1, 1]]) {
      const got = e.core.scope((ar) => {
        const a = ar.put(pa), b = ar.put(pb);
        const c = ar.put(beta === 0 ? new Float64Array(MR * ldc).fill(NaN) : c0);
        e.core.x.gemm_f64_4x4_simd(kc, a, b, alpha, beta, c, ldc);
        return ar.take(c, MR * ldc);
      });
      // Contract: acc = sum_p in order (mul, then add), C = alpha*acc (+ beta*C). JS doubles follow IEEE-754 too.
      for (let i = 0; i < MR; i++) for (let j = 0; j < NR; j++) {
        let acc = 0;
        for (let p = 0; p < kc; p++) acc += av[p * MR + i] * pb[p * NR + j];
        const want = beta === 0 ? alpha * acc : alpha * acc + beta * c0[i * ldc + j];
        assert.is(got[i * ldc + j], want, `seed ${seed} kc ${kc} alpha ${alpha} beta ${beta} (${i},${j})`);
      }
      // Entries outside the tile are untouched.
      for (let i = 0; i < MR; i++) for (let j = NR; j < ldc; j++) {
        const g = got[i * ldc + j];
        if (beta === 0) assert.ok(Number.isNaN(g), "outside tile untouched (NaN kept)");
        else assert.is(g, c0[i * ldc + j], "outside tile untouched");
      }
    }
  }
});

// ---------------------------------------------------------------- full GEMM against the reference

test("matmul vs gemm_f64_ref: grid m, n, k in {1,2,3,7,17,33,129}, all four transposes, tolerance 2 gamma_N S", async () => {
  const e = await engine();
  let seed = 1;
  for (const [tA, tB] of TRANS) for (const m of ODD) for (const n of ODD) for (const k of ODD) {
    seed++;
    const A = tA ? randMatrix(k, m, seed) : randMatrix(m, k, seed);
    const B = tB ? randMatrix(n, k, seed + 7919) : randMatrix(k, n, seed + 7919);
    const C = e.matmul(A, B, { transA: tA, transB: tB });
    assert.is(C.rows, m);
    assert.is(C.cols, n);
    const want = refGemm(e, A, B, tA, tB);
    assertClose(C.data, want, absProduct(A, B, tA, tB), k, 1, 0, undefined, `seed ${seed} m ${m} n ${n} k ${k} tA ${tA} tB ${tB}`);
  }
});

test("matmul vs reference at block edges: k = 255/256/257/513, m > MC, n > NC, partial tiles", async () => {
  const e = await engine();
  // [m, n, k]: k below/equal/above KC = 256 and two blocks; m = 129, 130 > MC = 128; n = 2049 > NC = 2048.
  const shapes = [[5, 6, 255], [9, 7, 256], [6, 5, 257], [3, 3, 513], [129, 9, 257], [130, 11, 300], [3, 2049, 5], [5, 2051, 2], [131, 131, 131]];
  let seed = 5000;
  for (const [tA, tB] of TRANS) for (const [m, n, k] of shapes) {
    seed++;
    const A = tA ? randMatrix(k, m, seed) : randMatrix(m, k, seed);
    const B = tB ? randMatrix(n, k, seed + 1) : randMatrix(k, n, seed + 1);
    const C = e.matmul(A, B, { transA: tA, transB: tB });
    assertClose(C.data, refGemm(e, A, B, tA, tB), absProduct(A, B, tA, tB), k, 1, 0, undefined, `seed ${seed} ${m}x${n}x${k} tA ${tA} tB ${tB}`);
  }
});

test("matmul alpha/beta variants vs reference (tolerance includes |beta c0|)", async () => {
  const e = await engine();
  let seed = 9000;
  for (const [tA, tB] of TRANS) for (const [m, n, k] of [[1, 1, 1], [3, 17, 7], [17, 3, 257], [33, 129, 2], [7, 7, 300]]) {
    for (const [alpha, beta] of [[-1.5, 0.75], [0.5, 1], [2, -3], [1, 0], [0, 2], [0, 0]]) {
      seed++;
      const A = tA ? randMatrix(k, m, seed) : randMatrix(m, k, seed);
      const B = tB ? randMatrix(n, k, seed + 1) : randMatrix(k, n, seed + 1);
      const C0 = randMatrix(m, n, seed + 2);
      const opts = beta !== 0 ? { transA: tA, transB: tB, alpha, beta, C: C0 } : { transA: tA, transB: tB, alpha, beta };
      const got = e.matmul(A, B, opts);
      const want = refGemm(e, A, B, tA, tB, alpha, beta, beta !== 0 ? C0 : undefined);
      assertClose(got.data, want, absProduct(A, B, tA, tB), k, alpha, beta, C0.data, `seed ${seed} ${m}x${n}x${k} alpha ${alpha} beta ${beta}`);
      if (alpha === 0) {
        // BLAS rule: alpha = 0 gives exactly beta * C0 (A and B not used).
        for (let i = 0; i < m * n; i++) assert.is(got.data[i], beta === 0 ? 0 : beta * C0.data[i], `alpha 0 entry ${i}`);
      }
      assert.ok(bitsEqual(C0.data, randMatrix(m, n, seed + 2).data), "options.C is not modified");
    }
  }
});

test("matmul options.out: result written in place (also when out aliases an input), bits equal to a fresh result", async () => {
  const e = await engine();
  const A = randMatrix(9, 9, 1), B = randMatrix(9, 9, 2), C0 = randMatrix(9, 9, 3);
  const fresh = e.matmul(A, B, { alpha: 2, beta: -1, C: C0 });
  const out = { rows: 9, cols: 9, data: new Float64Array(81).fill(NaN) };
  assert.ok(e.matmul(A, B, { alpha: 2, beta: -1, C: C0, out }) === out, "returns out itself");
  assert.ok(bitsEqual(out.data, fresh.data));
  // C <- 2 A B - C in place: out aliases the addend.
  const Cin = { rows: 9, cols: 9, data: C0.data.slice() };
  e.matmul(A, B, { alpha: 2, beta: -1, C: Cin, out: Cin });
  assert.ok(bitsEqual(Cin.data, fresh.data), "aliasing out and C");
});

test("beta = 0 never reads C: NaN-filled C gives a finite result (gemm_f64, gemm_f64_ref, gemv_f64, matmul option)", async () => {
  const e = await engine();
  for (const [tA, tB] of TRANS) for (const [m, n, k] of [[1, 1, 1], [7, 17, 33], [129, 33, 257]]) {
    const A = tA ? randMatrix(k, m, m + k) : randMatrix(m, k, m + k);
    const B = tB ? randMatrix(n, k, n + k) : randMatrix(k, n, n + k);
    for (const kernel of ["gemm_f64", "gemm_f64_ref"] as const) {
      const out = e.core.scope((ar) => {
        const pA = ar.put(A.data), pB = ar.put(B.data), pC = ar.put(new Float64Array(m * n).fill(NaN));
        e.core.x[kernel](tA ? 1 : 0, tB ? 1 : 0, m, n, k, 1, pA, A.cols, pB, B.cols, 0, pC, n);
        return ar.take(pC, m * n);
      });
      assert.ok(out.every(Number.isFinite), `${kernel} ${m}x${n}x${k} tA ${tA} tB ${tB}: NaN leaked from C`);
    }
  }
  // Through the API: a NaN addend with beta = 0 is ignored (not read, not validated).
  const A = randMatrix(5, 3, 1), B = randMatrix(3, 4, 2);
  const nanC = { rows: 5, cols: 4, data: new Float64Array(20).fill(NaN) };
  const got = e.matmul(A, B, { beta: 0, C: nanC });
  assert.ok(bitsEqual(got.data, e.matmul(A, B).data));
  for (const trans of [0, 1]) {
    const M = randMatrix(37, 23, 3), len = trans ? 37 : 23, rows = trans ? 23 : 37;
    const y = e.core.scope((ar) => {
      const pA = ar.put(M.data), px = ar.put(randMatrix(1, len, 4).data), py = ar.put(new Float64Array(rows).fill(NaN));
      e.core.x.gemv_f64(trans, 37, 23, 1, pA, 23, px, 0, py);
      return ar.take(py, rows);
    });
    assert.ok(y.every(Number.isFinite), `gemv_f64 trans ${trans}: NaN leaked from y`);
  }
});

test("large GEMM: O(n^2) check C t == A (B t) with a derived bound (n = 1000, and 700 x 1100 x 900 transposed)", async () => {
  const e = await engine();
  for (const [m, n, k, tA, tB, seed] of [[1000, 1000, 1000, false, false, 42], [700, 1100, 900, true, true, 43]] as const) {
    const A = tA ? randMatrix(k, m, seed) : randMatrix(m, k, seed);
    const B = tB ? randMatrix(n, k, seed + 1) : randMatrix(k, n, seed + 1);
    const C = e.matmul(A, B, { transA: tA, transB: tB });
    const r = testRng(seed + 2);
    const t = Float64Array.from({ length: n }, () => 2 * r() - 1);
    // u = B t, |B||t|; v = A u, |A||u|, |A|(|B||t|); w = C t, |C||t|.
    const u = new Float64Array(k), absBt = new Float64Array(k);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) {
      const b = opAt(B, tB, p, j);
      u[p] += b * t[j];
      absBt[p] += Math.abs(b * t[j]);
    }
    const v = new Float64Array(m), absAu = new Float64Array(m), absABt = new Float64Array(m);
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) {
      const a = opAt(A, tA, i, p);
      v[i] += a * u[p];
      absAu[i] += Math.abs(a * u[p]);
      absABt[i] += Math.abs(a) * absBt[p];
    }
    for (let i = 0; i < m; i++) {
      let w = 0, absCt = 0;
      for (let j = 0; j < n; j++) { w += C.data[i * n + j] * t[j]; absCt += Math.abs(C.data[i * n + j] * t[j]); }
      // C = AB + E1 with |E1| <= gamma_N |A||B| (N = roundings(k)); fl(Ct) = Ct + E2, |E2| <= gamma_n |C||t|;
      // fl(Bt) = Bt + E3, |E3| <= gamma_n |B||t|; fl(A u) = A u + E4, |E4| <= gamma_k |A||u|. Hence
      // |fl(Ct) - fl(A u)| <= (gamma_N + gamma_n) |A||B||t| + gamma_n |C||t| + gamma_k |A||u|.
      const bound = (gamma(roundings(k)) + gamma(n)) * absABt[i] + gamma(n) * absCt + gamma(k) * absAu[i];
      const d = Math.abs(w - v[i]);
      if (!(d <= bound)) assert.unreachable(`seed ${seed} ${m}x${n}x${k} row ${i}: |Ct - A(Bt)| = ${d} > ${bound}`);
    }
  }
});

test("determinism: repeated calls and any column split (gemm_f64_cols) give identical bits", async () => {
  const e = await engine();
  const [m, n, k] = [131, 77, 300];
  for (const [tA, tB] of TRANS) {
    const A = tA ? randMatrix(k, m, 71) : randMatrix(m, k, 71);
    const B = tB ? randMatrix(n, k, 72) : randMatrix(k, n, 72);
    const C0 = randMatrix(m, n, 73);
    const full = e.matmul(A, B, { transA: tA, transB: tB, alpha: 0.7, beta: -1.3, C: C0 }).data;
    assert.ok(bitsEqual(full, e.matmul(A, B, { transA: tA, transB: tB, alpha: 0.7, beta: -1.3, C: C0 }).data), "repeat");
    for (const split of [1, 37, 40, 76]) {
      const parts = e.core.scope((ar) => {
        const ws = ar.alloc(e.core.x.gemm_f64_ws_bytes());
        const pA = ar.put(A.data), pB = ar.put(B.data), pC = ar.put(C0.data);
        e.core.x.gemm_f64_cols(tA ? 1 : 0, tB ? 1 : 0, m, n, k, 0.7, pA, A.cols, pB, B.cols, -1.3, pC, n, ws, split, n);
        e.core.x.gemm_f64_cols(tA ? 1 : 0, tB ? 1 : 0, m, n, k, 0.7, pA, A.cols, pB, B.cols, -1.3, pC, n, ws, 0, split);
        return ar.take(pC, m * n);
      });
      assert.ok(bitsEqual(full, parts), `split at column ${split}, tA ${tA} tB ${tB}`);
    }
  }
});

// ---------------------------------------------------------------- Gram

test("gram: exactly symmetric, bit-identical to matmul(X, X, { transA: true }), within 2 gamma_N S of gemm_f64_ref", async () => {
  const e = await engine();
  let seed = 300;
  for (const m of [1, 3, 17, 257, 600]) for (const d of ODD) {
    seed++;
    const X = randMatrix(m, d, seed);
    const G = e.gram(X);
    assert.is(G.rows, d);
    assert.is(G.cols, d);
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) {
      assert.is(G.data[i * d + j], G.data[j * d + i], `seed ${seed} symmetric (${i},${j})`);
    }
    assert.ok(bitsEqual(G.data, e.matmul(X, X, { transA: true }).data), `seed ${seed} m ${m} d ${d}: gram == matmul(X^T X) bitwise`);
    assertClose(G.data, refGemm(e, X, X, true, false), absProduct(X, X, true, false), m, 1, 0, undefined, `gram seed ${seed} m ${m} d ${d}`);
    for (let i = 0; i < d; i++) assert.ok(G.data[i * d + i] >= 0, "diagonal of X^T X is a sum of squares");
  }
});

// ---------------------------------------------------------------- GEMV

test("gemv vs gemv_f64_ref: odd sizes, both transposes, alpha/beta, tolerance 2 gamma_N S", async () => {
  const e = await engine();
  let seed = 700;
  for (const trans of [false, true]) for (const m of ODD) for (const n of [...ODD, 600]) {
    for (const [alpha, beta] of [[1, 0], [-2.5, 0.5]]) {
      seed++;
      const A = randMatrix(m, n, seed);
      const len = trans ? m : n, rows = trans ? n : m;
      const x = randMatrix(1, len, seed + 1).data;
      const y0 = randMatrix(1, rows, seed + 2).data;
      const y = e.gemv(A, x, beta !== 0 ? { trans, alpha, beta, y: y0 } : { trans, alpha });
      assert.is(y.length, rows);
      const want = e.core.scope((ar) => {
        const pA = ar.put(A.data), px = ar.put(x), py = ar.put(y0);
        e.core.x.gemv_f64_ref(trans ? 1 : 0, m, n, alpha, pA, n, px, beta, py);
        return ar.take(py, rows);
      });
      const X = { rows: len, cols: 1, data: x };
      const S = absProduct(A, X, trans, false);
      assertClose(y, want, S, len, alpha, beta, y0, `gemv seed ${seed} ${m}x${n} trans ${trans} alpha ${alpha} beta ${beta}`);
    }
  }
});

test("find_nonfinite_f64 (validation scan): first NaN/Infinity index at block edges, -1 when all finite", async () => {
  const e = await engine();
  for (const n of [1, 7, 8, 9, 511, 512, 513, 1500]) {
    const base = randMatrix(1, n, n).data;
    const scan = (d: Float64Array) => e.core.scope((ar) => e.core.x.find_nonfinite_f64(ar.put(d), d.length));
    assert.is(scan(base), -1, `n ${n} all finite`);
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const at of new Set([0, n - 1, Math.floor(n / 2), Math.min(n - 1, 511), Math.min(n - 1, 512), Math.min(n - 1, 8)])) {
        const d = base.slice();
        d[at] = bad;
        if (at + 3 < n) d[at + 3] = NaN; // a later offender must not be reported first
        assert.is(scan(d), at, `n ${n} ${bad} at ${at}`);
      }
    }
  }
  // Huge finite values are finite: x - x = 0 even at the top of the range.
  assert.is(e.core.scope((ar) => e.core.x.find_nonfinite_f64(ar.put(Float64Array.from([Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324])), 3)), -1);
});

// ---------------------------------------------------------------- bad inputs: typed errors, exact messages, engine survives

function stillWorks(e: Engine, mark: number): void {
  assert.is(e.core.arena.mark(), mark, "arena released after the error");
  const A = { rows: 2, cols: 2, data: Float64Array.from([1, 2, 3, 4]) };
  assert.equal(Array.from(e.matmul(A, A).data), [7, 10, 15, 22]);
  assert.equal(Array.from(e.gram(A).data), [10, 14, 14, 20]);
  assert.equal(Array.from(e.gemv(A, Float64Array.from([1, 1]))), [3, 7]);
}

const good = (rows: number, cols: number): Matrix => randMatrix(rows, cols, rows * 31 + cols);

test("matmul bad inputs: each throws InvalidArgumentError / AllocationError with its message, engine still works", async () => {
  const e = await engine();
  const mark = e.core.arena.mark();
  const A = good(2, 3), B = good(3, 2);
  const cases: [() => unknown, new (...a: never[]) => Error, string][] = [
    [() => e.matmul(null as never, B), InvalidArgumentError, "invalid argument. A must be a matrix { rows, cols, data: Float64Array }. Value: `null`."],
    [() => e.matmul(A, B, 5 as never), InvalidArgumentError, "invalid argument. options must be an object or undefined. Value: `5`."],
    [() => e.matmul(A, A), InvalidArgumentError, "invalid argument. B.rows must be equal to the inner dimension of op(A) (3). Value: `2`."],
    [() => e.matmul(A, A, { transB: true, transA: true }), InvalidArgumentError, "invalid argument. B.cols must be equal to the inner dimension of op(A) (2). Value: `3`."],
    [() => e.matmul({ rows: 0, cols: 3, data: new Float64Array(0) }, B), InvalidArgumentError, "invalid argument. A.rows must be a positive integer <= 268435456. Value: `0`."],
    [() => e.matmul({ rows: -2, cols: 3, data: new Float64Array(6) }, B), InvalidArgumentError, "A.rows must be a positive integer <= 268435456. Value: `-2`."],
    [() => e.matmul({ rows: 2.5, cols: 3, data: new Float64Array(6) }, B), InvalidArgumentError, "A.rows must be a positive integer <= 268435456. Value: `2.5`."],
    [() => e.matmul(A, { rows: 3, cols: NaN, data: new Float64Array(6) }), InvalidArgumentError, "B.cols must be a positive integer <= 268435456. Value: `NaN`."],
    [() => e.matmul({ rows: 1e9, cols: 3, data: new Float64Array(6) }, B), InvalidArgumentError, "A.rows must be a positive integer <= 268435456. Value: `1000000000`."],
    [() => e.matmul({ rows: 2, cols: 3, data: new Float64Array(5) }, B), InvalidArgumentError, "invalid argument. A.data.length must be rows * cols = 6. Value: `5`."],
    [() => e.matmul({ rows: 2, cols: 3, data: [1, 2, 3, 4, 5, 6] as never }, B), InvalidArgumentError, "invalid argument. A.data must be a Float64Array. Value: `[1, 2, 3, 4, 5, 6]`."],
    [() => e.matmul({ rows: 2, cols: 3, data: Float64Array.from([1, NaN, 3, 4, 5, 6]) }, B), InvalidArgumentError, "invalid argument. A.data[1] must be a finite number. Value: `NaN`."],
    [() => e.matmul(A, { rows: 3, cols: 2, data: Float64Array.from([1, 2, Infinity, 4, 5, 6]) }), InvalidArgumentError, "invalid argument. B.data[2] must be a finite number. Value: `Infinity`."],
    [() => e.matmul(A, { rows: 3, cols: 2, data: Float64Array.from([1, 2, 3, -Infinity, 5, 6]) }), InvalidArgumentError, "B.data[3] must be a finite number. Value: `-Infinity`."],
    [() => e.matmul(good(40, 40), { rows: 40, cols: 40, data: Object.assign(good(40, 40).data, { 1000: NaN }) }), InvalidArgumentError, "invalid argument. B.data[1000] must be a finite number. Value: `NaN`."],
    [() => e.matmul(A, B, { transA: 1 as never }), InvalidArgumentError, "invalid argument. options.transA must be a boolean. Value: `1`."],
    [() => e.matmul(A, B, { transB: "yes" as never }), InvalidArgumentError, "invalid argument. options.transB must be a boolean. Value: `\"yes\"`."],
    [() => e.matmul(A, B, { alpha: NaN }), InvalidArgumentError, "invalid argument. options.alpha must be a finite number. Value: `NaN`."],
    [() => e.matmul(A, B, { beta: Infinity }), InvalidArgumentError, "invalid argument. options.beta must be a finite number. Value: `Infinity`."],
    [() => e.matmul(A, B, { beta: 1 }), InvalidArgumentError, "invalid argument. options.C must be a matrix when options.beta != 0. Value: `undefined`."],
    [() => e.matmul(A, B, { beta: 1, C: good(3, 2) }), InvalidArgumentError, "invalid argument. options.C must be a 2 x 2 matrix. Value: `{ rows: 3, cols: 2 }`."],
    [() => e.matmul(A, B, { beta: 1, C: { rows: 2, cols: 2, data: Float64Array.from([0, 0, NaN, 0]) } }), InvalidArgumentError, "options.C.data[2] must be a finite number. Value: `NaN`."],
    [() => e.matmul(A, B, { out: good(2, 3) }), InvalidArgumentError, "invalid argument. options.out must be a 2 x 2 matrix. Value: `{ rows: 2, cols: 3 }`."],
    [() => e.matmul(A, B, { out: { rows: 2, cols: 2, data: new Float64Array(3) } }), InvalidArgumentError, "invalid argument. options.out.data.length must be rows * cols = 4. Value: `3`."],
    // Absurd result size: 70000 x 70000 doubles = 39.2 GB, beyond the 4 GiB address space.
    [() => e.matmul({ rows: 70000, cols: 1, data: new Float64Array(70000) }, { rows: 1, cols: 70000, data: new Float64Array(70000) }), AllocationError, "invalid argument. the problem size must need at most"],
  ];
  for (const [fn, C, msg] of cases) {
    throwsWith(fn, C, msg);
    stillWorks(e, mark);
  }
});

test("gram and gemv bad inputs: typed errors with messages, engine still works", async () => {
  const e = await engine();
  const mark = e.core.arena.mark();
  const A = good(2, 3);
  const cases: [() => unknown, new (...a: never[]) => Error, string][] = [
    [() => e.gram(undefined as never), InvalidArgumentError, "invalid argument. X must be a matrix { rows, cols, data: Float64Array }. Value: `undefined`."],
    [() => e.gram({ rows: 3, cols: 0, data: new Float64Array(0) }), InvalidArgumentError, "invalid argument. X.cols must be a positive integer <= 268435456. Value: `0`."],
    [() => e.gram({ rows: 3, cols: -1, data: new Float64Array(0) }), InvalidArgumentError, "X.cols must be a positive integer <= 268435456. Value: `-1`."],
    [() => e.gram({ rows: 1.5, cols: 2, data: new Float64Array(3) }), InvalidArgumentError, "X.rows must be a positive integer <= 268435456. Value: `1.5`."],
    [() => e.gram({ rows: 2, cols: 1e9, data: new Float64Array(2) }), InvalidArgumentError, "X.cols must be a positive integer <= 268435456. Value: `1000000000`."],
    [() => e.gram({ rows: 2, cols: 2, data: new Float64Array(3) }), InvalidArgumentError, "invalid argument. X.data.length must be rows * cols = 4. Value: `3`."],
    [() => e.gram({ rows: 2, cols: 2, data: Float64Array.from([0, 0, 0, NaN]) }), InvalidArgumentError, "invalid argument. X.data[3] must be a finite number. Value: `NaN`."],
    [() => e.gram({ rows: 2, cols: 2, data: Float64Array.from([Infinity, 0, 0, 0]) }), InvalidArgumentError, "X.data[0] must be a finite number. Value: `Infinity`."],
    // Absurd Gram size: d = 40000 gives a 12.8 GB result.
    [() => e.gram({ rows: 1, cols: 40000, data: new Float64Array(40000) }), AllocationError, "the problem size must need at most"],
    [() => e.gemv(A, Float64Array.from([1, 2])), InvalidArgumentError, "invalid argument. x.length must be equal to A.cols (3). Value: `2`."],
    [() => e.gemv(A, Float64Array.from([1, 2, 3]), { trans: true }), InvalidArgumentError, "invalid argument. x.length must be equal to A.rows (2). Value: `3`."],
    [() => e.gemv(A, [1, 2, 3] as never), InvalidArgumentError, "invalid argument. x must be a Float64Array. Value: `[1, 2, 3]`."],
    [() => e.gemv(A, Float64Array.from([1, NaN, 3])), InvalidArgumentError, "invalid argument. x[1] must be a finite number. Value: `NaN`."],
    [() => e.gemv(A, Float64Array.from([1, 2, 3]), { trans: 0 as never }), InvalidArgumentError, "invalid argument. options.trans must be a boolean. Value: `0`."],
    [() => e.gemv(A, Float64Array.from([1, 2, 3]), { alpha: -Infinity }), InvalidArgumentError, "invalid argument. options.alpha must be a finite number. Value: `-Infinity`."],
    [() => e.gemv(A, Float64Array.from([1, 2, 3]), { beta: 2 }), InvalidArgumentError, "invalid argument. options.y must be a Float64Array when options.beta != 0. Value: `undefined`."],
    [() => e.gemv(A, Float64Array.from([1, 2, 3]), { beta: 2, y: new Float64Array(3) }), InvalidArgumentError, "invalid argument. options.y.length must be equal to A.rows (2). Value: `3`."],
    [() => e.gemv(A, Float64Array.from([1, 2, 3]), { beta: 2, y: Float64Array.from([1, Infinity]) }), InvalidArgumentError, "invalid argument. options.y[1] must be a finite number. Value: `Infinity`."],
    [() => e.gemv({ rows: 2, cols: 3, data: new Float64Array(7) }, Float64Array.from([1, 2, 3])), InvalidArgumentError, "invalid argument. A.data.length must be rows * cols = 6. Value: `7`."],
    [() => e.gemv({ rows: 0, cols: 3, data: new Float64Array(0) }, Float64Array.from([1, 2, 3])), InvalidArgumentError, "A.rows must be a positive integer <= 268435456. Value: `0`."],
    [() => e.gemv(A, Float64Array.from([1, 2, 3]), "x" as never), InvalidArgumentError, "invalid argument. options must be an object or undefined. Value: `\"x\"`."],
  ];
  for (const [fn, C, msg] of cases) {
    throwsWith(fn, C, msg);
    stillWorks(e, mark);
  }
});


test("non-finite inputs found while packing (no separate scan): first bad entry of the first bad input, every path", async () => {
  // The kernels flag NaN/Infinity as they pack op(A), op(B), X or read A (gemv); the API then reports the first
  // bad index of the first bad input in argument order, exactly as the former up-front scan did. Positions cover
  // the first/last entry, edge panels (sizes not multiples of MR, NR, KC) and several k blocks (k > KC).
  const e = await engine();
  const mark = e.core.arena.mark();
  const msg = (name: string, i: number, v: number) => `invalid argument. ${name}[${i}] must be a finite number. Value: \`${v}\`.`;
  const poke = (M: Matrix, at: number[], v: number): Matrix => {
    const data = M.data.slice();
    for (const i of at) data[i] = v;
    return { rows: M.rows, cols: M.cols, data };
  };
  for (const [m, n, k] of [[1, 1, 1], [5, 7, 3], [130, 9, 600], [9, 130, 513]]) for (const [tA, tB] of TRANS) {
    const A = tA ? good(k, m) : good(m, k), B = tB ? good(n, k) : good(k, n);
    const o = { transA: tA, transB: tB };
    const la = A.data.length, lb = B.data.length;
    for (const [ia, ib, v] of [[la - 1, -1, NaN], [-1, 0, Infinity], [-1, lb - 1, -Infinity], [la >> 1, lb >> 1, NaN], [-1, lb >> 1, NaN]] as const) {
      const badA = ia >= 0 ? poke(A, [ia, la - 1], v) : A, badB = ib >= 0 ? poke(B, [ib, lb - 1], v) : B;
      const want = ia >= 0 ? msg("A.data", ia, v) : msg("B.data", ib, v);
      throwsWith(() => e.matmul(badA, badB, o), InvalidArgumentError, want);
      // alpha = 0 reads neither input in the kernel: the up-front scan must still report the same error.
      throwsWith(() => e.matmul(badA, badB, { ...o, alpha: 0 }), InvalidArgumentError, want);
      stillWorks(e, mark);
    }
  }
  for (const [m, d] of [[1, 1], [3, 5], [600, 9], [7, 130]]) {
    const X = good(m, d);
    const spots = [0, X.data.length - 1, (X.data.length >> 1) + 1].filter((i) => i < X.data.length);
    for (const at of spots) {
      throwsWith(() => e.gram(poke(X, [at, X.data.length - 1], NaN)), InvalidArgumentError, msg("X.data", at, NaN));
    }
    for (const trans of [false, true]) {
      const x = good(1, trans ? m : d).data;
      for (const at of spots) {
        // A bad in A and in x: A is reported (argument order); x alone is reported when A is finite.
        throwsWith(() => e.gemv(poke(X, [at], Infinity), Float64Array.from(x, (v, i) => (i === 0 ? NaN : v)), { trans }), InvalidArgumentError, msg("A.data", at, Infinity));
      }
      throwsWith(() => e.gemv(X, Float64Array.from(x, (v, i) => (i === x.length - 1 ? -Infinity : v)), { trans }), InvalidArgumentError, msg("x", x.length - 1, -Infinity));
      stillWorks(e, mark);
    }
  }
});

test.run();
