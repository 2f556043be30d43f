// float32 GEMM, Gram and GEMV (assembly/gemm/sgemm_*.ts, sgemv_simd.ts) and their API (src/linalg/matmul_f32.ts).
//
// Same structure as test/gemm.test.ts, with float32 data. Tolerances are derived, never picked: each output entry
// c_ij = alpha * sum_p a_ip b_pj (+ beta c0_ij) is computed by the optimized and by the naive float32 kernel with at
// most N = k + ceil(k / KC) + 3 float32 roundings on every term's path, so each is within
//   gamma_N (|alpha| S_ij + |beta| |c0_ij|),  S_ij = sum_p |a_ip| |b_pj|,  gamma_N = N eps / (1 - N eps), eps = 2^-24
// of the exact product of its (float32) inputs (Higham, ASNA 2nd ed., Lemma 3.1 and section 3.5), and two kernels
// differ by at most twice that. S is computed in float64 from the float32 values (exact to 2^-53 relative).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, testRng, throwsWith } from "./helpers.js";
import { InvalidArgumentError, type Engine, type Matrix32 } from "../src/index.js";
import type { Matrix } from "../src/types.js";
import { putF32, takeF32 } from "../src/linalg/matmul_f32.js";

const EPS32 = 2 ** -24, EPS64 = 2 ** -52;
const KC = 256; // SGEMM_KC in assembly/gemm/sgemm_params.ts (only used in the bounds)
const MR = 4, NR = 8, MC = 192; // register tile of sgemm_4x8_simd, SGEMM_MC
const gamma = (n: number, eps = EPS32) => (n * eps) / (1 - n * eps);
const roundings = (k: number) => k + Math.ceil(k / KC) + 3;
const TRANS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];
const ODD = [1, 2, 3, 7, 17, 33, 129];

function rand32(rows: number, cols: number, seed: number): Matrix32 {
  const r = testRng(seed), data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = 2 * r() - 1;
  return { rows, cols, data };
}

function opAt(M: { cols: number; data: ArrayLike<number> }, trans: boolean, i: number, p: number): number {
  return trans ? M.data[p * M.cols + i] : M.data[i * M.cols + p];
}

function absProduct(A: Matrix32, B: Matrix32, tA: boolean, tB: boolean): Float64Array {
  const m = tA ? A.cols : A.rows, k = tA ? A.rows : A.cols, n = tB ? B.rows : B.cols;
  const S = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) {
    const a = Math.abs(opAt(A, tA, i, p));
    for (let j = 0; j < n; j++) S[i * n + j] += a * Math.abs(opAt(B, tB, p, j));
  }
  return S;
}

/** The naive float32 reference kernel gemm_f32_ref (private API). */
function refGemm(e: Engine, A: Matrix32, B: Matrix32, tA: boolean, tB: boolean, alpha = 1, beta = 0, C0?: Matrix32): Float32Array {
  const m = tA ? A.cols : A.rows, k = tA ? A.rows : A.cols, n = tB ? B.rows : B.cols;
  return e.core.scope((ar) => {
    const pA = putF32(ar, A.data), pB = putF32(ar, B.data);
    const pC = C0 ? putF32(ar, C0.data) : ar.alloc(4 * m * n);
    e.core.x.gemm_f32_ref(tA ? 1 : 0, tB ? 1 : 0, m, n, k, alpha, pA, A.cols, pB, B.cols, beta, pC, n);
    return takeF32(ar, pC, m * n);
  });
}

function assertClose(got: Float32Array, want: Float32Array, S: Float64Array, k: number, alpha: number, beta: number, c0: Float32Array | undefined, what: string): void {
  assert.is(got.length, want.length, `${what}: length`);
  const g = 2 * gamma(roundings(k));
  for (let i = 0; i < got.length; i++) {
    const tol = g * (Math.abs(alpha) * S[i] + (c0 ? Math.abs(beta * c0[i]) : 0));
    const d = Math.abs(got[i] - want[i]);
    if (!(d <= tol)) assert.unreachable(`${what}: entry ${i}: got ${got[i]}, reference ${want[i]}, |diff| ${d} > tol ${tol}`);
  }
}

function bitsEqual(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length), y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

test("gemm_f32_ref / gemv_f32_ref: hand-computed products, all transposes, beta rule", async () => {
  const e = await engine();
  const A = { rows: 2, cols: 3, data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
  const B = { rows: 3, cols: 2, data: Float32Array.from([7, 8, 9, 10, 11, 12]) };
  assert.equal(Array.from(refGemm(e, A, B, false, false)), [58, 64, 139, 154]);
  assert.equal(Array.from(refGemm(e, A, A, true, false)), [17, 22, 27, 22, 29, 36, 27, 36, 45]);
  assert.equal(Array.from(refGemm(e, A, A, false, true)), [14, 32, 32, 77]);
  assert.equal(Array.from(refGemm(e, B, A, true, true)), [58, 139, 64, 154]);
  const C0 = { rows: 2, cols: 2, data: Float32Array.from([1, 2, 3, 4]) };
  assert.equal(Array.from(refGemm(e, A, B, false, false, 2, -1, C0)), [115, 126, 275, 304]);
  const y = e.core.scope((ar) => {
    const pA = putF32(ar, A.data), px = putF32(ar, Float32Array.from([1, 1, 1])), py = ar.alloc(8);
    e.core.x.gemv_f32_ref(0, 2, 3, 1, pA, 3, px, 0, py);
    const out1 = takeF32(ar, py, 2);
    const px2 = putF32(ar, Float32Array.from([1, -1])), py2 = ar.alloc(12);
    e.core.x.gemv_f32_ref(1, 2, 3, 1, pA, 3, px2, 0, py2);
    return [...out1, ...takeF32(ar, py2, 3)];
  });
  assert.equal(y, [6, 15, -3, -3, -3]);
});

test("sgemm_pack_a / pack_b: exact micro-panel layout with zero padding, both transposes, both tile heights", async () => {
  const e = await engine();
  const M = rand32(23, 19, 11);
  // The packed A panel height is the tuned tile's (4 for tile4x8, 6 for tile6x8); the shared engine may have been
  // calibrated by an earlier test, so set each kernel explicitly here and restore the engine's choice afterwards.
  const tx = e.core.x as unknown as { sgemm_f32_tune(k: number): number; sgemm_f32_tuning(): number };
  const prior = tx.sgemm_f32_tuning();
  try {
    for (const [kernel, MR] of [[0, 4], [1, 6]]) {
      assert.is(tx.sgemm_f32_tune(kernel), 1);
      for (const trans of [false, true]) {
        const rowsOp = trans ? M.cols : M.rows, colsOp = trans ? M.rows : M.cols;
        for (const [ic, mc, pc, kc] of [[0, rowsOp, 0, colsOp], [2, 7, 3, 5], [1, 1, 0, 1], [4, 9, 1, 13], [0, 12, 2, 8]]) {
          // A: panel q, step p, row r at q*MR*kc + p*MR + r (column by column; the kernel splats on load).
          const panels = Math.ceil(mc / MR);
          const got = e.core.scope((ar) => {
            const pM = putF32(ar, M.data), dst = ar.alloc(4 * panels * MR * kc);
            const bad = e.core.x.sgemm_pack_a(trans ? 1 : 0, mc, kc, pM, M.cols, ic, pc, dst);
            assert.is(bad, 0, "finite input: flag 0");
            return takeF32(ar, dst, panels * MR * kc);
          });
          for (let q = 0; q < panels; q++) for (let p = 0; p < kc; p++) for (let r = 0; r < MR; r++) {
            const i = q * MR + r;
            const want = i < mc ? opAt(M, trans, ic + i, pc + p) : 0;
            const at = q * MR * kc + p * MR + r;
            if (got[at] !== want) assert.unreachable(`pack_a MR ${MR} trans ${trans} (${ic},${mc},${pc},${kc}) panel ${q} p ${p} r ${r}: ${got[at]} != ${want}`);
          }
        }
        // B: op(B) = op(M) with k = rows of op(M); panel q of NR columns, step p, column c at q*NR*kc + p*NR + c.
        for (const [pc, kc, jc, nc] of [[0, rowsOp, 0, colsOp], [3, 6, 2, 9], [0, 1, 5, 1], [1, 13, 0, 17], [0, 9, 3, 8]]) {
          const panels = Math.ceil(nc / NR);
          const got = e.core.scope((ar) => {
            const pM = putF32(ar, M.data), dst = ar.alloc(4 * panels * NR * kc);
            e.core.x.sgemm_pack_b(trans ? 1 : 0, kc, nc, pM, M.cols, pc, jc, dst);
            return takeF32(ar, dst, panels * NR * kc);
          });
          for (let q = 0; q < panels; q++) for (let p = 0; p < kc; p++) for (let c = 0; c < NR; c++) {
            const j = q * NR + c;
            const want = j < nc ? opAt(M, trans, pc + p, jc + j) : 0;
            const at = q * NR * kc + p * NR + c;
            if (got[at] !== want) assert.unreachable(`pack_b trans ${trans} (${pc},${kc},${jc},${nc}) panel ${q} p ${p} c ${c}: ${got[at]} != ${want}`);
          }
        }
      }
    }
  } finally {
    tx.sgemm_f32_tune(prior);
  }
});

test("sgemm_4x8_simd micro-kernel: kc below/equal/above 8-step unroll vs a plain float32 loop in the same order (bit-exact), beta rule", async () => {
  const e = await engine();
  for (const kc of [1, 2, 7, 8, 9, 16, 17, 255, 256]) {
    const r = testRng(kc);
    const a = Float32Array.from({ length: MR * kc }, () => 2 * r() - 1); // a[i, p] at p * MR + i
    const b = Float32Array.from({ length: NR * kc }, () => 2 * r() - 1); // b[p, j] at p * NR + j
    const c0 = Float32Array.from({ length: MR * NR }, () => 2 * r() - 1);
    for (const [alpha, beta] of [[1, 0], [Math.fround(0.7), Math.fround(-1.3)]]) {
      const got = e.core.scope((ar) => {
        const pa = putF32(ar, a); // packed A layout: a[i, p] at p * MR + i
        const pb = putF32(ar, b);
        const pc = beta === 0 ? ar.alloc(4 * MR * NR) : putF32(ar, c0);
        if (beta === 0) new Float32Array(ar.memory.buffer, pc, MR * NR).fill(NaN);
        e.core.x.sgemm_4x8_simd(kc, pa, pb, alpha, beta, pc, NR);
        return takeF32(ar, pc, MR * NR);
      });
      const want = new Float32Array(MR * NR);
      for (let i = 0; i < MR; i++) for (let j = 0; j < NR; j++) {
        let s = 0;
        for (let p = 0; p < kc; p++) s = Math.fround(s + Math.fround(a[p * MR + i] * b[p * NR + j]));
        const t = Math.fround(alpha * s);
        want[i * NR + j] = beta === 0 ? t : Math.fround(t + Math.fround(beta * c0[i * NR + j]));
      }
      assert.ok(bitsEqual(got, want), `kc ${kc} alpha ${alpha} beta ${beta}`);
    }
  }
});

test("sgemm_6x8_simd micro-kernel (6 rows): kc below/equal/above 8-step unroll vs a plain float32 loop in the same order (bit-exact), beta rule", async () => {
  const e = await engine();
  const MR = 6; // rows of the 6 x 8 tile (its packed A panel has 6 values per step)
  for (const kc of [1, 2, 7, 8, 9, 16, 17, 255, 256]) {
    const r = testRng(kc);
    const a = Float32Array.from({ length: MR * kc }, () => 2 * r() - 1); // a[i, p] at p * MR + i
    const b = Float32Array.from({ length: NR * kc }, () => 2 * r() - 1); // b[p, j] at p * NR + j
    const c0 = Float32Array.from({ length: MR * NR }, () => 2 * r() - 1);
    for (const [alpha, beta] of [[1, 0], [Math.fround(0.7), Math.fround(-1.3)]]) {
      const got = e.core.scope((ar) => {
        const pa = putF32(ar, a); // packed A layout: a[i, p] at p * MR + i
        const pb = putF32(ar, b);
        const pc = beta === 0 ? ar.alloc(4 * MR * NR) : putF32(ar, c0);
        if (beta === 0) new Float32Array(ar.memory.buffer, pc, MR * NR).fill(NaN);
        e.core.x.sgemm_6x8_simd(kc, pa, pb, alpha, beta, pc, NR);
        return takeF32(ar, pc, MR * NR);
      });
      const want = new Float32Array(MR * NR);
      for (let i = 0; i < MR; i++) for (let j = 0; j < NR; j++) {
        let s = 0;
        for (let p = 0; p < kc; p++) s = Math.fround(s + Math.fround(a[p * MR + i] * b[p * NR + j]));
        const t = Math.fround(alpha * s);
        want[i * NR + j] = beta === 0 ? t : Math.fround(t + Math.fround(beta * c0[i * NR + j]));
      }
      assert.ok(bitsEqual(got, want), `kc ${kc} alpha ${alpha} beta ${beta}`);
    }
  }
});

test("float32 matmul vs gemm_f32_ref: grid m, n, k in {1,2,3,7,17,33,129}, all transposes, tolerance 2 gamma_N S (eps 2^-24)", async () => {
  const e = await engine();
  let seed = 1;
  for (const m of ODD) for (const n of ODD) for (const k of [1, 3, 17, 129]) for (const [tA, tB] of TRANS) {
    const A = tA ? rand32(k, m, seed++) : rand32(m, k, seed++);
    const B = tB ? rand32(n, k, seed++) : rand32(k, n, seed++);
    const C = e.matmul(A, B, { transA: tA, transB: tB });
    assert.ok(C.data instanceof Float32Array, "result is float32");
    assert.is(C.rows, m); assert.is(C.cols, n);
    assertClose(C.data, refGemm(e, A, B, tA, tB), absProduct(A, B, tA, tB), k, 1, 0, undefined, `m ${m} n ${n} k ${k} tA ${tA} tB ${tB} seed ${seed}`);
  }
});

test("float32 matmul at block edges: k = 255/256/257/513, m > MC, n > NC, partial tiles", async () => {
  const e = await engine();
  let seed = 500;
  for (const [m, n, k] of [[5, 9, 255], [13, 11, 256], [9, 17, 257], [3, 5, 513], [MC + 5, 19, 300], [2 * MC + 3, 13, 40], [3, 2048 + 11, 5]]) {
    for (const [tA, tB] of TRANS) {
      const A = tA ? rand32(k, m, seed++) : rand32(m, k, seed++);
      const B = tB ? rand32(n, k, seed++) : rand32(k, n, seed++);
      const C = e.matmul(A, B, { transA: tA, transB: tB });
      assertClose(C.data, refGemm(e, A, B, tA, tB), absProduct(A, B, tA, tB), k, 1, 0, undefined, `${m}x${n}x${k} tA ${tA} tB ${tB}`);
    }
  }
});

test("float32 matmul alpha/beta variants vs reference (scalars rounded to float32; tolerance includes |beta c0|)", async () => {
  const e = await engine();
  let seed = 900;
  for (const [alpha, beta] of [[2.5, 0], [-0.3, 1], [1, -2.25], [0.1, 0.7], [0, 1.5]]) {
    for (const [tA, tB] of TRANS) {
      const [m, n, k] = [19, 13, 270];
      const A = tA ? rand32(k, m, seed++) : rand32(m, k, seed++);
      const B = tB ? rand32(n, k, seed++) : rand32(k, n, seed++);
      const C0 = rand32(m, n, seed++);
      const opts = beta === 0 ? { transA: tA, transB: tB, alpha } : { transA: tA, transB: tB, alpha, beta, C: C0 };
      const got = e.matmul(A, B, opts).data;
      const fa = Math.fround(alpha), fb = Math.fround(beta);
      const want = refGemm(e, A, B, tA, tB, fa, fb, beta === 0 ? undefined : C0);
      assertClose(got, want, absProduct(A, B, tA, tB), k, fa, fb, beta === 0 ? undefined : C0.data, `alpha ${alpha} beta ${beta} tA ${tA} tB ${tB}`);
      if (alpha === 0) for (let i = 0; i < got.length; i++) assert.is(got[i], Math.fround(fb * C0.data[i]), "alpha 0: C = beta C0 exactly");
    }
  }
});

test("float32 options.out and beta = 0 never reads C (NaN-filled C and out give finite, bit-identical results)", async () => {
  const e = await engine();
  const A = rand32(37, 41, 1), B = rand32(41, 29, 2);
  const fresh = e.matmul(A, B);
  const out = { rows: 37, cols: 29, data: new Float32Array(37 * 29).fill(NaN) };
  const r = e.matmul(A, B, { out });
  assert.ok(r === out, "returns out");
  assert.ok(bitsEqual(out.data, fresh.data), "out bits == fresh bits");
  const Cnan = { rows: 37, cols: 29, data: new Float32Array(37 * 29).fill(NaN) };
  assert.ok(bitsEqual(e.matmul(A, B, { beta: 0, C: Cnan }).data, fresh.data), "beta 0 with NaN C");
  // Raw kernel with NaN in C and beta = 0.
  const raw = e.core.scope((ar) => {
    const pA = putF32(ar, A.data), pB = putF32(ar, B.data), pC = putF32(ar, Cnan.data);
    e.core.x.gemm_f32(0, 0, 37, 29, 41, 1, pA, 41, pB, 29, 0, pC, 29);
    return takeF32(ar, pC, 37 * 29);
  });
  assert.ok(bitsEqual(raw, fresh.data), "gemm_f32 beta 0 never reads C");
  // Square aliasing: out is A itself.
  const S = rand32(33, 33, 5), S2 = { rows: 33, cols: 33, data: S.data.slice() };
  const want = e.matmul(S, S);
  e.matmul(S2, S2, { out: S2 });
  assert.ok(bitsEqual(S2.data, want.data), "out aliasing both inputs");
});

test("large float32 GEMM: O(n^2) check C t == A (B t) with a derived bound (n = 1000, and 700 x 1100 x 900 transposed)", async () => {
  const e = await engine();
  for (const [m, n, k, tA, tB, seed] of [[1000, 1000, 1000, false, false, 42], [700, 1100, 900, true, true, 43]] as const) {
    const A = tA ? rand32(k, m, seed) : rand32(m, k, seed);
    const B = tB ? rand32(n, k, seed + 1) : rand32(k, n, seed + 1);
    const C = e.matmul(A, B, { transA: tA, transB: tB });
    const r = testRng(seed + 2);
    const t = Float64Array.from({ length: n }, () => 2 * r() - 1);
    // Everything below in float64 from the float32 values.
    const u = new Float64Array(k), absBt = new Float64Array(k);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) {
      const b = opAt(B, tB, p, j);
      u[p] += b * t[j];
      absBt[p] += Math.abs(b * t[j]);
    }
    for (let i = 0; i < m; i++) {
      let v = 0, absAu = 0, absABt = 0;
      for (let p = 0; p < k; p++) {
        const a = opAt(A, tA, i, p);
        v += a * u[p];
        absAu += Math.abs(a * u[p]);
        absABt += Math.abs(a) * absBt[p];
      }
      let w = 0, absCt = 0;
      for (let j = 0; j < n; j++) { w += C.data[i * n + j] * t[j]; absCt += Math.abs(C.data[i * n + j] * t[j]); }
      // C = AB + E1, |E1| <= gamma32_N |A||B| (the float32 kernel); the float64 checks add gamma64 terms:
      // |fl(Ct) - fl(A u)| <= (gamma32_N + gamma64_n) |A||B||t| + gamma64_n |C||t| + gamma64_k |A||u|.
      const bound = (gamma(roundings(k)) + gamma(n, EPS64)) * absABt + gamma(n, EPS64) * absCt + gamma(k, EPS64) * absAu;
      const d = Math.abs(w - v);
      if (!(d <= bound)) assert.unreachable(`seed ${seed} ${m}x${n}x${k} row ${i}: |Ct - A(Bt)| = ${d} > ${bound}`);
    }
  }
});

test("float32 determinism: repeated calls and any column split (gemm_f32_cols) give identical bits", async () => {
  const e = await engine();
  const [m, n, k] = [131, 77, 300];
  for (const [tA, tB] of TRANS) {
    const A = tA ? rand32(k, m, 71) : rand32(m, k, 71);
    const B = tB ? rand32(n, k, 72) : rand32(k, n, 72);
    const C0 = rand32(m, n, 73);
    const o = { transA: tA, transB: tB, alpha: 0.7, beta: -1.3, C: C0 };
    const full = e.matmul(A, B, o).data;
    assert.ok(bitsEqual(full, e.matmul(A, B, o).data), "repeat");
    for (const split of [1, 37, 40, 76]) {
      const parts = e.core.scope((ar) => {
        const ws = ar.alloc(e.core.x.gemm_f32_ws_bytes());
        const pA = putF32(ar, A.data), pB = putF32(ar, B.data), pC = putF32(ar, C0.data);
        e.core.x.gemm_f32_cols(tA ? 1 : 0, tB ? 1 : 0, m, n, k, 0.7, pA, A.cols, pB, B.cols, -1.3, pC, n, ws, split, n);
        e.core.x.gemm_f32_cols(tA ? 1 : 0, tB ? 1 : 0, m, n, k, 0.7, pA, A.cols, pB, B.cols, -1.3, pC, n, ws, 0, split);
        return takeF32(ar, pC, m * n);
      });
      assert.ok(bitsEqual(full, parts), `split at column ${split}, tA ${tA} tB ${tB}`);
    }
  }
});

test("float32 gram: exactly symmetric, bit-identical to matmul(X, X, { transA: true }), within 2 gamma_N S of gemm_f32_ref", async () => {
  const e = await engine();
  for (const [m, d] of [[1, 1], [5, 3], [300, 17], [513, 40], [97, 130]]) {
    const X = rand32(m, d, m + d);
    const G = e.gram(X);
    assert.ok(G.data instanceof Float32Array);
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) assert.is(G.data[i * d + j], G.data[j * d + i], `symmetric (${i},${j})`);
    assert.ok(bitsEqual(G.data, e.matmul(X, X, { transA: true }).data), `gram == matmul(X^T, X) bits, ${m}x${d}`);
    assertClose(G.data, refGemm(e, X, X, true, false), absProduct(X, X, true, false), m, 1, 0, undefined, `gram ${m}x${d}`);
  }
});

test("float32 gemv vs gemv_f32_ref: odd sizes, both transposes, alpha/beta, tolerance 2 gamma_N S", async () => {
  const e = await engine();
  let seed = 3000;
  for (const [m, n] of [[1, 1], [3, 5], [7, 17], [33, 4], [129, 1031], [1030, 9]]) for (const trans of [false, true]) {
    for (const [alpha, beta] of [[1, 0], [-0.5, 2]]) {
      const A = rand32(m, n, seed++);
      const rows = trans ? n : m, len = trans ? m : n;
      const x = rand32(1, len, seed++).data, y0 = rand32(1, rows, seed++).data;
      const got = e.gemv(A, x, beta === 0 ? { trans, alpha } : { trans, alpha, beta, y: y0 });
      assert.ok(got instanceof Float32Array);
      const fa = Math.fround(alpha), fb = Math.fround(beta);
      const want = e.core.scope((ar) => {
        const pA = putF32(ar, A.data), px = putF32(ar, x), py = putF32(ar, y0);
        e.core.x.gemv_f32_ref(trans ? 1 : 0, m, n, fa, pA, n, px, fb, py);
        return takeF32(ar, py, rows);
      });
      const S = new Float64Array(rows);
      for (let i = 0; i < rows; i++) for (let p = 0; p < len; p++) S[i] += Math.abs(opAt(A, trans, i, p) * x[p]);
      const g = 2 * gamma(len + 4);
      for (let i = 0; i < rows; i++) {
        const tol = g * (Math.abs(fa) * S[i] + Math.abs(fb * y0[i]));
        if (!(Math.abs(got[i] - want[i]) <= tol)) assert.unreachable(`gemv ${m}x${n} trans ${trans} alpha ${alpha} entry ${i}: ${got[i]} vs ${want[i]} > ${tol}`);
      }
    }
  }
});

test("float32 vs float64 matmul of the same values: difference within the float32 bound gamma32_N S (+ the float64 one)", async () => {
  const e = await engine();
  for (const [tA, tB] of TRANS) {
    const [m, n, k] = [64, 48, 700];
    const A = tA ? rand32(k, m, 11) : rand32(m, k, 11), B = tB ? rand32(n, k, 12) : rand32(k, n, 12);
    const A64: Matrix = { rows: A.rows, cols: A.cols, data: Float64Array.from(A.data) };
    const B64: Matrix = { rows: B.rows, cols: B.cols, data: Float64Array.from(B.data) };
    const c32 = e.matmul(A, B, { transA: tA, transB: tB }).data, c64 = e.matmul(A64, B64, { transA: tA, transB: tB }).data;
    const S = absProduct(A, B, tA, tB);
    let worst = 0;
    for (let i = 0; i < c32.length; i++) {
      const tol = (gamma(roundings(k)) + gamma(roundings(k), EPS64)) * S[i];
      const d = Math.abs(c32[i] - c64[i]);
      worst = Math.max(worst, d / S[i]);
      if (!(d <= tol)) assert.unreachable(`entry ${i}: |c32 - c64| = ${d} > ${tol}`);
    }
    // The bound is not vacuous: float32 really rounds (relative error well above float64's).
    assert.ok(worst > 1e3 * EPS64, `float32 error visible (worst relative ${worst})`);
  }
});

test("float32 bad inputs: mixing dtypes, non-finite entries, overflow, scalars outside float32: typed errors, engine still works", async () => {
  const e = await engine();
  const A = rand32(3, 4, 1), B = rand32(4, 2, 2);
  const B64: Matrix = { rows: 4, cols: 2, data: Float64Array.from(B.data) };
  const A64: Matrix = { rows: 3, cols: 4, data: Float64Array.from(A.data) };
  // Mixed dtypes: the error names the float32 operand (the one that differs from the float64 default).
  throwsWith(() => e.matmul(A as never, B64 as never), InvalidArgumentError, "A.data must be a Float64Array like B.data", "not mixed");
  throwsWith(() => e.matmul(A64 as never, B as never), InvalidArgumentError, "B.data must be a Float64Array like A.data");
  throwsWith(() => e.matmul(A, B, { beta: 1, C: { rows: 3, cols: 2, data: new Float64Array(6) } as never }), InvalidArgumentError, "options.C.data must be a Float32Array");
  throwsWith(() => e.matmul(A, B, { out: { rows: 3, cols: 2, data: new Float64Array(6) } as never }), InvalidArgumentError, "options.out.data must be a Float32Array");
  throwsWith(() => e.matmul(A, { rows: 3, cols: 2, data: new Float32Array(6) }), InvalidArgumentError, "B.rows must be equal to the inner dimension of op(A) (4)");
  throwsWith(() => e.gemv(A, new Float64Array(4) as never), InvalidArgumentError, "A.data must be a Float64Array like x");
  throwsWith(() => e.gemv(A64 as never, new Float32Array(4) as never), InvalidArgumentError, "x must be a Float64Array like A.data");
  throwsWith(() => e.matmul(A, B, { alpha: 1e39 }), InvalidArgumentError, "options.alpha must be a finite number representable in float32");
  const Abad = { rows: 3, cols: 4, data: A.data.slice() };
  Abad.data[5] = Infinity;
  throwsWith(() => e.matmul(Abad, B), InvalidArgumentError, "A.data[5] must be a finite number", "Infinity");
  throwsWith(() => e.matmul(Abad, B, { alpha: 0 }), InvalidArgumentError, "A.data[5] must be a finite number");
  const Bbad = { rows: 4, cols: 2, data: B.data.slice() };
  Bbad.data[7] = NaN;
  throwsWith(() => e.matmul(A, Bbad), InvalidArgumentError, "B.data[7] must be a finite number");
  throwsWith(() => e.gram({ rows: 4, cols: 2, data: Bbad.data }), InvalidArgumentError, "X.data[7] must be a finite number");
  throwsWith(() => e.gemv(Abad, new Float32Array(4)), InvalidArgumentError, "A.data[5] must be a finite number");
  // Finite float32 inputs whose product overflows float32: a typed error, never Infinity.
  const big = { rows: 2, cols: 2, data: Float32Array.from([3e38, 3e38, 1, 1]) };
  throwsWith(() => e.matmul(big, big), InvalidArgumentError, "overflowed float32");
  throwsWith(() => e.gram(big), InvalidArgumentError, "overflowed float32");
  throwsWith(() => e.gemv(big, Float32Array.from([3e38, 1])), InvalidArgumentError, "overflowed float32");
  // The engine still works, in both dtypes.
  assertClose(e.matmul(A, B).data, refGemm(e, A, B, false, false), absProduct(A, B, false, false), 4, 1, 0, undefined, "after errors");
  assert.is(e.matmul(A64, B64).data.constructor, Float64Array);
});

test.run();
