// GEMV y = alpha * op(A) x + beta * y, f64, SIMD128. A is m x n row-major with row stride lda.
// trans = 0: op(A) = A, x has n entries, y has m. trans = 1: op(A) = A^T, x has m entries, y has n.
// beta == 0 never reads y. No validation (the TS layer checks shapes and finiteness).
//
// Summation order (fixed; results depend only on the inputs):
//   trans = 0: y_i = alpha * ((s_even + s_odd) + tail) with s_even/s_odd the two lanes of a f64x2 accumulator
//              over p = 0, 2, 4, .. / 1, 3, 5, .., and tail the last entry when n is odd.
//   trans = 1: y_j = alpha * s_j with s_j = sum over rows i in order 0..m-1 of a[i, j] * x[i] (an AXPY sweep
//              over rows, strips of GEMV_JB columns so the accumulators stay in L1 and A is read once).
// Memory-bound: about one pass over A.
// gemv_f64_checked (used by the API) also returns whether an entry of A is NaN or +-Infinity: the sum of x - x
// over the entries of A as they are loaded (0 if all finite, NaN otherwise), so validation needs no extra pass.
import { GEMV_JB, GEMV_WS } from "./gemm_f64_workspace";

function finish(q: usize, s: f64, alpha: f64, beta: f64): void {
  store<f64>(q, beta == 0 ? alpha * s : alpha * s + beta * load<f64>(q));
}

export function gemv_f64(trans: i32, m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize): void {
  gemv_impl(trans, m, n, alpha, a, lda, x, beta, y, false);
}

/** gemv_f64 that returns 1 if an entry of A (m x n, stride lda) is NaN or +-Infinity, else 0 (same y bits). */
export function gemv_f64_checked(trans: i32, m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize): i32 {
  const bad = gemv_impl(trans, m, n, alpha, a, lda, x, beta, y, true);
  return bad != bad ? 1 : 0;
}

// `check` is a constant at both call sites: after inlining, the unchecked variant has no extra instructions.
// @ts-ignore: decorator
@inline function gemv_impl(trans: i32, m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize, check: bool): f64 {
  const rs = <usize>lda << 3;
  let bad = f64x2.splat(0);
  let bads: f64 = 0;
  if (trans == 0) {
    const n2 = n & ~1;
    let i = 0;
    // Four rows at a time share the loads of x; each row keeps its own accumulator (same order as one row alone).
    for (; i + 4 <= m; i += 4) {
      const r0 = a + <usize>i * rs, r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
      let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
      for (let p = 0; p < n2; p += 2) {
        const o = <usize>p << 3;
        const xv = v128.load(x + o);
        const a0 = v128.load(r0 + o), a1 = v128.load(r1 + o), a2 = v128.load(r2 + o), a3 = v128.load(r3 + o);
        s0 = f64x2.add(s0, f64x2.mul(a0, xv));
        s1 = f64x2.add(s1, f64x2.mul(a1, xv));
        s2 = f64x2.add(s2, f64x2.mul(a2, xv));
        s3 = f64x2.add(s3, f64x2.mul(a3, xv));
        if (check) {
          bad = f64x2.add(bad, f64x2.add(f64x2.sub(a0, a0), f64x2.sub(a1, a1)));
          bad = f64x2.add(bad, f64x2.add(f64x2.sub(a2, a2), f64x2.sub(a3, a3)));
        }
      }
      let t0: f64 = 0, t1: f64 = 0, t2: f64 = 0, t3: f64 = 0;
      if (n2 < n) {
        const o = <usize>n2 << 3, xt = load<f64>(x + o);
        const a0 = load<f64>(r0 + o), a1 = load<f64>(r1 + o), a2 = load<f64>(r2 + o), a3 = load<f64>(r3 + o);
        t0 = a0 * xt; t1 = a1 * xt;
        t2 = a2 * xt; t3 = a3 * xt;
        if (check) bads += ((a0 - a0) + (a1 - a1)) + ((a2 - a2) + (a3 - a3));
      }
      const q = y + (<usize>i << 3);
      finish(q, (f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1)) + t0, alpha, beta);
      finish(q + 8, (f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1)) + t1, alpha, beta);
      finish(q + 16, (f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1)) + t2, alpha, beta);
      finish(q + 24, (f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1)) + t3, alpha, beta);
    }
    for (; i < m; i++) {
      const r0 = a + <usize>i * rs;
      let s0 = f64x2.splat(0);
      for (let p = 0; p < n2; p += 2) {
        const o = <usize>p << 3;
        const a0 = v128.load(r0 + o);
        s0 = f64x2.add(s0, f64x2.mul(a0, v128.load(x + o)));
        if (check) bad = f64x2.add(bad, f64x2.sub(a0, a0));
      }
      let t0: f64 = 0;
      if (n2 < n) {
        const a0 = load<f64>(r0 + (<usize>n2 << 3));
        t0 = a0 * load<f64>(x + (<usize>n2 << 3));
        if (check) bads += a0 - a0;
      }
      finish(y + (<usize>i << 3), (f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1)) + t0, alpha, beta);
    }
    return f64x2.extract_lane(bad, 0) + f64x2.extract_lane(bad, 1) + bads;
  }
  // trans = 1: strips of columns [j0, j0 + jb) accumulated over all rows into the static strip GEMV_WS.
  for (let j0 = 0; j0 < n; j0 += GEMV_JB) {
    const jb = min(GEMV_JB, n - j0), jb2 = jb & ~1;
    for (let j = 0; j < jb; j++) store<f64>(GEMV_WS + (<usize>j << 3), 0.0);
    let i = 0;
    // Four rows per sweep: the strip entry is loaded once, updated by rows i..i+3 in order, stored once
    // (same additions in the same order as four single-row sweeps, a quarter of the strip traffic).
    for (; i + 4 <= m; i += 4) {
      const r0 = a + <usize>i * rs + (<usize>j0 << 3), r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
      const xp = x + (<usize>i << 3);
      const x0 = load<f64>(xp), x1 = load<f64>(xp, 8), x2 = load<f64>(xp, 16), x3 = load<f64>(xp, 24);
      const v0 = f64x2.splat(x0), v1 = f64x2.splat(x1), v2 = f64x2.splat(x2), v3 = f64x2.splat(x3);
      for (let j = 0; j < jb2; j += 2) {
        const o = <usize>j << 3;
        const a0 = v128.load(r0 + o), a1 = v128.load(r1 + o), a2 = v128.load(r2 + o), a3 = v128.load(r3 + o);
        let acc = v128.load(GEMV_WS + o);
        acc = f64x2.add(acc, f64x2.mul(a0, v0));
        acc = f64x2.add(acc, f64x2.mul(a1, v1));
        acc = f64x2.add(acc, f64x2.mul(a2, v2));
        acc = f64x2.add(acc, f64x2.mul(a3, v3));
        v128.store(GEMV_WS + o, acc);
        if (check) {
          bad = f64x2.add(bad, f64x2.add(f64x2.sub(a0, a0), f64x2.sub(a1, a1)));
          bad = f64x2.add(bad, f64x2.add(f64x2.sub(a2, a2), f64x2.sub(a3, a3)));
        }
      }
      if (jb2 < jb) {
        const o = <usize>jb2 << 3;
        const a0 = load<f64>(r0 + o), a1 = load<f64>(r1 + o), a2 = load<f64>(r2 + o), a3 = load<f64>(r3 + o);
        let acc = load<f64>(GEMV_WS + o);
        acc += a0 * x0;
        acc += a1 * x1;
        acc += a2 * x2;
        acc += a3 * x3;
        store<f64>(GEMV_WS + o, acc);
        if (check) bads += ((a0 - a0) + (a1 - a1)) + ((a2 - a2) + (a3 - a3));
      }
    }
    for (; i < m; i++) {
      const row = a + <usize>i * rs + (<usize>j0 << 3);
      const xi = load<f64>(x + (<usize>i << 3));
      const xv = f64x2.splat(xi);
      for (let j = 0; j < jb2; j += 2) {
        const o = <usize>j << 3;
        const a0 = v128.load(row + o);
        v128.store(GEMV_WS + o, f64x2.add(v128.load(GEMV_WS + o), f64x2.mul(a0, xv)));
        if (check) bad = f64x2.add(bad, f64x2.sub(a0, a0));
      }
      if (jb2 < jb) {
        const o = <usize>jb2 << 3;
        const a0 = load<f64>(row + o);
        store<f64>(GEMV_WS + o, load<f64>(GEMV_WS + o) + a0 * xi);
        if (check) bads += a0 - a0;
      }
    }
    for (let j = 0; j < jb; j++) finish(y + (<usize>(j0 + j) << 3), load<f64>(GEMV_WS + (<usize>j << 3)), alpha, beta);
  }
  return f64x2.extract_lane(bad, 0) + f64x2.extract_lane(bad, 1) + bads;
}
