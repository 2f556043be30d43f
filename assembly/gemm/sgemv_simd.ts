// SGEMV y = alpha * op(A) x + beta * y in float32, SIMD128 (f32x4). A is m x n row-major with row stride lda.
// trans = 0: op(A) = A (x has n entries, y has m); trans = 1: op(A) = A^T (x has m entries, y has n).
// beta == 0 never reads y. No validation (the TS layer checks shapes and finiteness).
//
// Summation order (fixed; results depend only on the inputs):
//   trans = 0: y_i = alpha * (((s0 + s1) + (s2 + s3)) + t) with s0..s3 the lanes of an f32x4 accumulator over
//              p = 0,4,8,.. / 1,5,9,.. / 2,6,.. / 3,7,.. and t the tail entries p >= 4 floor(n/4) summed in order.
//   trans = 1: y_j = alpha * s_j, s_j = sum over rows i in order 0..m-1 of a[i, j] * x[i] (AXPY sweep over rows in
//              strips of SGEMV_JB columns, A read once).
// gemv_f32_checked also returns whether an entry of A is NaN or +-Infinity (sum of x - x as A is loaded).
import { SGEMV_JB, SGEMV_WS } from "./sgemm_workspace";

// @ts-ignore: decorator
@inline function finish(q: usize, s: f32, alpha: f32, beta: f32): void {
  store<f32>(q, beta == 0 ? alpha * s : alpha * s + beta * load<f32>(q));
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** y = alpha * op(A) x + beta * y; returns 1 if an entry of A is NaN or +-Infinity, else 0. */
export function gemv_f32_checked(trans: i32, m: i32, n: i32, alpha: f32, a: usize, lda: i32, x: usize, beta: f32, y: usize): i32 {
  const rs = <usize>lda << 2;
  let bad = f32x4.splat(0);
  let bads: f32 = 0;
  if (trans == 0) {
    const n4 = n & ~3;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const r0 = a + <usize>i * rs, r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      for (let p = 0; p < n4; p += 4) {
        const o = <usize>p << 2;
        const xv = v128.load(x + o);
        const a0 = v128.load(r0 + o), a1 = v128.load(r1 + o), a2 = v128.load(r2 + o), a3 = v128.load(r3 + o);
        s0 = f32x4.add(s0, f32x4.mul(a0, xv));
        s1 = f32x4.add(s1, f32x4.mul(a1, xv));
        s2 = f32x4.add(s2, f32x4.mul(a2, xv));
        s3 = f32x4.add(s3, f32x4.mul(a3, xv));
        bad = f32x4.add(bad, f32x4.add(f32x4.sub(a0, a0), f32x4.sub(a1, a1)));
        bad = f32x4.add(bad, f32x4.add(f32x4.sub(a2, a2), f32x4.sub(a3, a3)));
      }
      let t0: f32 = 0, t1: f32 = 0, t2: f32 = 0, t3: f32 = 0;
      for (let p = n4; p < n; p++) {
        const o = <usize>p << 2, xt = load<f32>(x + o);
        const a0 = load<f32>(r0 + o), a1 = load<f32>(r1 + o), a2 = load<f32>(r2 + o), a3 = load<f32>(r3 + o);
        t0 += a0 * xt; t1 += a1 * xt; t2 += a2 * xt; t3 += a3 * xt;
        bads += ((a0 - a0) + (a1 - a1)) + ((a2 - a2) + (a3 - a3));
      }
      const q = y + (<usize>i << 2);
      finish(q, hsum(s0) + t0, alpha, beta);
      finish(q + 4, hsum(s1) + t1, alpha, beta);
      finish(q + 8, hsum(s2) + t2, alpha, beta);
      finish(q + 12, hsum(s3) + t3, alpha, beta);
    }
    for (; i < m; i++) {
      const r0 = a + <usize>i * rs;
      let s0 = f32x4.splat(0);
      for (let p = 0; p < n4; p += 4) {
        const o = <usize>p << 2;
        const a0 = v128.load(r0 + o);
        s0 = f32x4.add(s0, f32x4.mul(a0, v128.load(x + o)));
        bad = f32x4.add(bad, f32x4.sub(a0, a0));
      }
      let t0: f32 = 0;
      for (let p = n4; p < n; p++) {
        const a0 = load<f32>(r0 + (<usize>p << 2));
        t0 += a0 * load<f32>(x + (<usize>p << 2));
        bads += a0 - a0;
      }
      finish(y + (<usize>i << 2), hsum(s0) + t0, alpha, beta);
    }
  } else {
    for (let j0 = 0; j0 < n; j0 += SGEMV_JB) {
      const jb = min(SGEMV_JB, n - j0), jb4 = jb & ~3;
      memory.fill(SGEMV_WS, 0, <usize>jb << 2);
      let i = 0;
      // Four rows per sweep: each strip entry is updated by rows i..i+3 in order (same order as single rows).
      for (; i + 4 <= m; i += 4) {
        const r0 = a + <usize>i * rs + (<usize>j0 << 2), r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
        const xp = x + (<usize>i << 2);
        const x0 = load<f32>(xp), x1 = load<f32>(xp, 4), x2 = load<f32>(xp, 8), x3 = load<f32>(xp, 12);
        const v0 = f32x4.splat(x0), v1 = f32x4.splat(x1), v2 = f32x4.splat(x2), v3 = f32x4.splat(x3);
        for (let j = 0; j < jb4; j += 4) {
          const o = <usize>j << 2;
          const a0 = v128.load(r0 + o), a1 = v128.load(r1 + o), a2 = v128.load(r2 + o), a3 = v128.load(r3 + o);
          let acc = v128.load(SGEMV_WS + o);
          acc = f32x4.add(acc, f32x4.mul(a0, v0));
          acc = f32x4.add(acc, f32x4.mul(a1, v1));
          acc = f32x4.add(acc, f32x4.mul(a2, v2));
          acc = f32x4.add(acc, f32x4.mul(a3, v3));
          v128.store(SGEMV_WS + o, acc);
          bad = f32x4.add(bad, f32x4.add(f32x4.sub(a0, a0), f32x4.sub(a1, a1)));
          bad = f32x4.add(bad, f32x4.add(f32x4.sub(a2, a2), f32x4.sub(a3, a3)));
        }
        for (let j = jb4; j < jb; j++) {
          const o = <usize>j << 2;
          const a0 = load<f32>(r0 + o), a1 = load<f32>(r1 + o), a2 = load<f32>(r2 + o), a3 = load<f32>(r3 + o);
          let acc = load<f32>(SGEMV_WS + o);
          acc += a0 * x0;
          acc += a1 * x1;
          acc += a2 * x2;
          acc += a3 * x3;
          store<f32>(SGEMV_WS + o, acc);
          bads += ((a0 - a0) + (a1 - a1)) + ((a2 - a2) + (a3 - a3));
        }
      }
      for (; i < m; i++) {
        const row = a + <usize>i * rs + (<usize>j0 << 2);
        const xi = load<f32>(x + (<usize>i << 2));
        const xv = f32x4.splat(xi);
        for (let j = 0; j < jb4; j += 4) {
          const o = <usize>j << 2;
          const a0 = v128.load(row + o);
          v128.store(SGEMV_WS + o, f32x4.add(v128.load(SGEMV_WS + o), f32x4.mul(a0, xv)));
          bad = f32x4.add(bad, f32x4.sub(a0, a0));
        }
        for (let j = jb4; j < jb; j++) {
          const o = <usize>j << 2;
          const a0 = load<f32>(row + o);
          store<f32>(SGEMV_WS + o, load<f32>(SGEMV_WS + o) + a0 * xi);
          bads += a0 - a0;
        }
      }
      for (let j = 0; j < jb; j++) finish(y + (<usize>(j0 + j) << 2), load<f32>(SGEMV_WS + (<usize>j << 2)), alpha, beta);
    }
  }
  const b = hsum(bad) + bads;
  return b != b ? 1 : 0;
}
