// Thin SVD driver, second path (the engine's default stays svd_f64.ts's QR-preconditioned Jacobi; src/linalg/svd.ts
// dispatches): B = A (m >= n) or A^T (m < n), M x N column-major, M >= N;
//   B = Q Bd P^T        blocked Householder bidiagonalization (bidiag_f64.ts: dlabrd-style panels of 32,
//                       matrix-vector products inside the panel, two GEMMs for the trailing update);
//   U = Q, V = P        explicit (LAPACK dorgbr's job, via the QR code's in-place Q formation);
//   Bd = U_B S V_B^T    implicit shifted QR on the bidiagonal (bdsvd_f64.ts), rotations accumulated into U, V;
// then sort descending, apply the engine's sign rule (largest-magnitude entry of each right singular vector of A
// positive, first row on ties; the left one flipped with it) and write the row-major outputs. Same 2^e prescaling
// and NaN/Inf guard as svd_f64. Every factor is a product of Householder reflectors and plane rotations, so U and
// V are orthonormal to O(k eps) also for zero singular values.
import { bidiag_blocked_f64, bidiag_blocked_work_size, bidiag_form_q_f64, bidiag_form_p_f64 } from "./bidiag_f64";
import { bdsvd_f64 } from "./bdsvd_f64";
import { scal_f64 } from "./vec_f64_simd";
import { qr_blocked_work_size } from "./qr_blocked_f64";

/** Exponent e of the last svd_gk_f64 call: s holds the singular values of 2^e A. */
let gkScaleExp: i32 = 0;
/** Test/benchmark hook: stop after stage 1 (bidiagonalization), 2 (explicit Q, P) or 3 (bidiagonal SVD); 0 = run all. */
let gkStopAfter: i32 = 0;

export function svd_gk_f64_scale_exp(): i32 {
  return gkScaleExp;
}

/** Benchmark hook (stage split): 0 runs everything; 1, 2, 3 return 0 right after that stage (outputs undefined). */
export function svd_gk_f64_stop_after(stage: i32): void {
  gkStopAfter = stage;
}

/** Scratch for svd_gk_f64 in float64 slots: 2 M N + N^2 + 10 N + M + the blocked Q formation's (M = max(m, n), N = min(m, n)). */
export function svd_gk_f64_work_size(m: i32, n: i32): f64 {
  const fM = <f64>max(m, n), fN = <f64>min(m, n);
  return 2 * fM * fN + fN * fN + 10 * fN + fM + max(qr_blocked_work_size(max(m, n), min(m, n)), bidiag_blocked_work_size(max(m, n), min(m, n))) + 64;
}

/**
 * Thin SVD, bidiagonalization + implicit QR. a: m x n row-major (not modified); u: m x k, s: k, v: n x k outputs
 * (row-major; s holds the singular values of 2^e A, e = svd_gk_f64_scale_exp()); work: svd_gk_f64_work_size.
 * maxSteps caps the bidiagonal QR steps. Returns the QR step count (>= 0), -1 on the cap, -2 on NaN/Inf.
 */
export function svd_gk_f64(m: i32, n: i32, a: usize, u: usize, s: usize, v: usize, work: usize, maxSteps: i32): i32 {
  const tall = m >= n;
  const M = tall ? m : n, N = tall ? n : m;
  const k = N;
  const b = work;
  const q = b + ((<usize>M * N) << 3);
  const p = q + ((<usize>M * N) << 3);
  const d = p + ((<usize>N * N) << 3);
  const e = d + (<usize>N << 3);
  const tauq = e + (<usize>N << 3);
  const taup = tauq + (<usize>N << 3);
  const row = taup + (<usize>N << 3);
  const ord = row + (<usize>N << 3);
  const wv = ord + (<usize>N << 3);
  const rq = wv + (<usize>M << 3); // 4 N: one QR step's rotations
  const qw = rq + ((<usize>4 * N) << 3); // max of qr_blocked_work_size(M, N), bidiag_blocked_work_size(M, N)
  // 1. B column-major, largest |entry|, NaN/Inf guard (as svd_f64).
  let amax: f64 = 0;
  if (tall) {
    for (let i = 0; i < m; i++) {
      const r = a + ((<usize>i * n) << 3);
      for (let j = 0; j < n; j++) {
        const x = load<f64>(r + (<usize>j << 3));
        const ax = Math.abs(x);
        if (!(ax <= 1.7976931348623157e308)) return -2;
        if (ax > amax) amax = ax;
        store<f64>(b + ((<usize>j * M + i) << 3), x);
      }
    }
  } else {
    const cnt = <usize>m * n;
    for (let i: usize = 0; i < cnt; i++) {
      const x = load<f64>(a + (i << 3));
      const ax = Math.abs(x);
      if (!(ax <= 1.7976931348623157e308)) return -2;
      if (ax > amax) amax = ax;
      store<f64>(b + (i << 3), x);
    }
  }
  let scaleExp: i32 = 0;
  if (amax > 0) {
    scaleExp = -(<i32>Math.floor(Math.log2(amax)));
    if (scaleExp != 0) {
      const e1 = scaleExp / 2, e2 = scaleExp - e1;
      scal_f64(Math.pow(2.0, <f64>e1), b, M * N);
      scal_f64(Math.pow(2.0, <f64>e2), b, M * N);
    }
  }
  // 2. Bidiagonalization and the explicit orthogonal factors.
  bidiag_blocked_f64(M, N, b, d, e, tauq, taup, qw);
  if (gkStopAfter == 1) return 0;
  bidiag_form_q_f64(M, N, b, tauq, q, qw);
  bidiag_form_p_f64(M, N, b, taup, p, qw);
  if (gkStopAfter == 2) return 0;
  // 3. Bidiagonal SVD, rotations into Q and P.
  const steps = bdsvd_f64(M, N, d, e, q, p, rq, maxSteps);
  if (steps < 0) return steps;
  if (gkStopAfter == 3) return 0;
  // 4. Order: stable insertion sort of indices by d descending.
  for (let j = 0; j < N; j++) {
    const dj = load<f64>(d + (<usize>j << 3));
    let t = j;
    while (t > 0 && load<f64>(d + (<usize>load<i32>(ord + (<usize>(t - 1) << 2)) << 3)) < dj) {
      store<i32>(ord + (<usize>t << 2), load<i32>(ord + (<usize>(t - 1) << 2)));
      t--;
    }
    store<i32>(ord + (<usize>t << 2), j);
  }
  // 5. Signs: the right singular vectors of A are P's columns (tall) or Q's (wide).
  const vr = tall ? p : q, ldr = tall ? N : M;
  const pU = tall ? u : v, pV = tall ? v : u; // outputs fed by Q (M rows) and P (N rows)
  gkScaleExp = scaleExp;
  for (let c = 0; c < k; c++) {
    const j = load<i32>(ord + (<usize>c << 2));
    const col = vr + ((<usize>j * ldr) << 3);
    let big: f64 = -1, sign: f64 = 1;
    for (let i = 0; i < ldr; i++) {
      const x = load<f64>(col + (<usize>i << 3));
      const ax = Math.abs(x);
      if (ax > big) { big = ax; sign = x < 0 ? -1.0 : 1.0; }
    }
    store<f64>(s + (<usize>c << 3), load<f64>(d + (<usize>j << 3)));
    const qc = q + ((<usize>j * M) << 3), pc = p + ((<usize>j * N) << 3);
    for (let i = 0; i < M; i++) store<f64>(pU + ((<usize>i * k + c) << 3), sign * load<f64>(qc + (<usize>i << 3)));
    for (let i = 0; i < N; i++) store<f64>(pV + ((<usize>i * k + c) << 3), sign * load<f64>(pc + (<usize>i << 3)));
  }
  return steps;
}
