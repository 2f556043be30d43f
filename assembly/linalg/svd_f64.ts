// Thin SVD driver: A (m x n, row-major) = U diag(S) V^T, k = min(m, n), U m x k, V n x k (row-major), S descending.
// Algorithm (see: Z. Drmac & K. Veselic, "New fast and accurate Jacobi SVD algorithm I/II", SIAM J. Matrix Anal.
// Appl. 29 (2008), the QR-preconditioned one-sided Jacobi of LAPACK dgejsv, simplified):
//   B = A (m >= n) or A^T (m < n), B is M x N with M >= N, stored column-major (columns contiguous);
//   B P = Q R            Householder QR with column pivoting (qr_householder_f64.ts); for M >= 4N in two stages,
//                        B = Q1 R1 blocked (qr_blocked_f64.ts, GEMM updates), R1 P = Q2 R, Q = Q1 Q2;
//   X = R^T; for N >= 32 X <- X W0 with W0 the eigenvectors of X^T X (eig_sym_f64.ts: tridiagonal QL), a
//                        preconditioner that leaves the columns orthogonal to O(eps kappa^2), so that
//   X W = Y              one-sided Jacobi with de Rijk pivoting (svd_jacobi_f64.ts, W starts at W0 or I) needs
//                        1-4 sweeps instead of ~10; its relative convergence test alone decides accuracy;
//   so R = W Sigma U_x^T and B = (Q W) Sigma (P U_x)^T: U_B = Q W (Q explicit, one GEMM), V_B = P U_x.
// Columns of Y with negligible norm get sigma = 0 and U_x is completed to an orthonormal basis by a second QR.
// W and U_x get one Newton-Schulz orthogonality polish each (two GEMMs), which brings ||U^T U - I|| from
// ~sqrt(rotations) eps per entry down to O(eps).
// Sign convention: in every column of V (the right singular vectors of A), the entry of largest magnitude
// (first row index on ties) is positive; the matching U column is flipped with it.
import { qr_householder_colpiv_f64, qr_apply_q_f64, qr_form_q_inplace_f64 } from "./qr_householder_f64";
import { gemm_f64 } from "../gemm/gemm_f64";
import { gram_f64 } from "../gemm/gram_f64";
import { qr_blocked_f64, qr_blocked_form_q_f64, qr_blocked_work_size } from "./qr_blocked_f64";
import { svd_jacobi_f64, NEGLIGIBLE_NORM2, JACOBI_NAN } from "./svd_jacobi_f64";
import { scal_f64 } from "./vec_f64_simd";
import { sym_tridiag_f64, sym_tridiag_form_q_f64, tql2_f64 } from "./eig_sym_f64";

/** Smallest N that gets the eigenvector preconditioning (measured: 2000x50 4.4 -> 3.9 ms, 300x40 0.77 -> 0.51 ms). */
const PRECOND_MIN_N: i32 = 32;

/** The exponent e of the last svd_f64 call: it factored 2^e A (max |entry| in [1, 2)), so S(A) = 2^-e s. */
let svdScaleExp: i32 = 0;

/**
 * Scale exponent of the last successful svd_f64 call: s holds the singular values of 2^e A, so those of A are
 * 2^-e s. Left to the caller so that it can decide what to do when 2^-e s over- or underflows (U and V are
 * scale-invariant and always representable).
 */
export function svd_f64_scale_exp(): i32 {
  return svdScaleExp;
}

/** Scratch needed by svd_f64, in float64 slots: M N + 5 N^2 + 13 N + the blocked QR's (M = max(m, n), N = min(m, n)). */
export function svd_f64_work_size(m: i32, n: i32): f64 {
  const M = max(m, n), N = min(m, n);
  const fM = <f64>M, fN = <f64>N;
  return fM * fN + 5 * fN * fN + 13 * fN + qr_blocked_work_size(M, N) + 64;
}

/**
 * Thin SVD (see: Drmac & Veselic 2008, LAPACK dgejsv; contract at the top of this file). a: m x n row-major input (not modified); u: m x k, s: k,
 * v: n x k outputs (row-major; s holds the singular values of 2^e A, e = svd_f64_scale_exp()); work:
 * svd_f64_work_size(m, n) float64 slots; maxSweeps: Jacobi sweep cap.
 * Returns the number of Jacobi sweeps (>= 1) on success, -1 if the cap was hit, -2 if a NaN/Inf was met.
 */
export function svd_f64(m: i32, n: i32, a: usize, u: usize, s: usize, v: usize, work: usize, maxSweeps: i32): i32 {
  const tall = m >= n;
  const M = tall ? m : n, N = tall ? n : m;
  const k = N;
  // Workspace carve-up (all float64 slots, perm/ord as i32 in their own slots).
  const bcm = work;
  const tau = bcm + ((<usize>M * N) << 3);
  const vn1 = tau + (<usize>N << 3);
  const vn2 = vn1 + (<usize>N << 3);
  const perm = vn2 + (<usize>N << 3);
  const x = perm + (<usize>N << 3);
  const w = x + ((<usize>N * N) << 3);
  const d = w + ((<usize>N * N) << 3);
  const ord = d + (<usize>N << 3);
  const zf = ord + (<usize>N << 3); // zero flags (i32)
  const cmp = zf + (<usize>N << 3); // 2 N^2 scratch (preconditioner, completion, polish, sorted W)
  const ctau = cmp + ((<usize>2 * N * N) << 3); // 4 N slots (completion QR: tau, perm, 2 norms; tql2 vectors)
  const tau1 = ctau + ((<usize>4 * N) << 3); // N: first-stage (blocked, unpivoted) QR
  const r2 = tau1 + (<usize>N << 3); // N^2: first-stage R, then the pivoted QR of it, then Q2
  const qrw = r2 + ((<usize>N * N) << 3); // qr_blocked_work_size(M, N)
  // 1. B column-major, largest |entry|, NaN/Inf guard.
  let amax: f64 = 0;
  if (tall) {
    for (let i = 0; i < m; i++) {
      const row = a + ((<usize>i * n) << 3);
      for (let j = 0; j < n; j++) {
        const e = load<f64>(row + (<usize>j << 3));
        const ae = Math.abs(e);
        if (!(ae <= 1.7976931348623157e308)) return JACOBI_NAN;
        if (ae > amax) amax = ae;
        store<f64>(bcm + ((<usize>j * M + i) << 3), e);
      }
    }
  } else {
    // Row-major A (m x n) is exactly column-major A^T (n x m).
    const cnt = <usize>m * n;
    for (let i: usize = 0; i < cnt; i++) {
      const e = load<f64>(a + (i << 3));
      const ae = Math.abs(e);
      if (!(ae <= 1.7976931348623157e308)) return JACOBI_NAN;
      if (ae > amax) amax = ae;
      store<f64>(bcm + (i << 3), e);
    }
  }
  // Scale by 2^scaleExp (exact) so that max |b_ij| is in [1, 2): no overflow or harmful underflow in squared
  // norms. scaleExp is in [-1023, 1074]; it is applied in two halves because 2^1074 itself overflows.
  let scaleExp: i32 = 0;
  if (amax > 0) {
    scaleExp = -(<i32>Math.floor(Math.log2(amax)));
    if (scaleExp != 0) {
      const e1 = scaleExp / 2, e2 = scaleExp - e1;
      scal_f64(Math.pow(2.0, <f64>e1), bcm, M * N);
      scal_f64(Math.pow(2.0, <f64>e2), bcm, M * N);
    }
  }
  // 2. B P = Q R. Very tall (M >= 4N, measured crossover): two stages, B = Q1 R1 by blocked Householder (mostly GEMM), then
  //    R1 P = Q2 R with column pivoting on the small N x N factor, so Q = Q1 Q2. Otherwise one pivoted QR of B.
  const twoStage = M >= 4 * N;
  let rsrc = bcm, ldr = M;
  if (twoStage) {
    qr_blocked_f64(M, N, bcm, tau1, qrw);
    for (let j = 0; j < N; j++) {
      const dst = r2 + ((<usize>j * N) << 3), src = bcm + ((<usize>j * M) << 3);
      memory.copy(dst, src, <usize>(j + 1) << 3);
      memory.fill(dst + (<usize>(j + 1) << 3), 0, <usize>(N - j - 1) << 3);
    }
    qr_householder_colpiv_f64(N, N, r2, tau, perm, vn1, vn2);
    rsrc = r2;
    ldr = N;
  } else {
    qr_householder_colpiv_f64(M, N, bcm, tau, perm, vn1, vn2);
  }
  // 3. X = R^T (column j of X = row j of R), W = I.
  for (let j = 0; j < N; j++) {
    const xc = x + ((<usize>j * N) << 3);
    const wc = w + ((<usize>j * N) << 3);
    for (let i = 0; i < N; i++) {
      store<f64>(xc + (<usize>i << 3), i >= j ? load<f64>(rsrc + ((<usize>i * ldr + j) << 3)) : 0.0);
      store<f64>(wc + (<usize>i << 3), i == j ? 1.0 : 0.0);
    }
  }
  // 3b. Eigenvector preconditioning (N >= PRECOND_MIN_N): W0 = eigenvectors of X^T X, X <- X W0. The columns of
  //     X W0 are orthogonal up to O(eps kappa^2) relative, so the Jacobi iteration below starts nearly converged
  //     (typically 2-4 sweeps instead of ~10 for random matrices). Only W0's orthogonality matters: Jacobi still
  //     decides convergence with its own relative test, so accuracy is unchanged. Falls back to W = I if the
  //     eigensolver hits its cap or produces a non-finite value.
  if (N >= PRECOND_MIN_N) precondition(N, x, w, cmp, vn1, vn2, ctau);
  // 4. One-sided Jacobi.
  const status = svd_jacobi_f64(N, N, x, w, d, maxSweeps);
  if (status < 0) return status;
  // 5. Sort by sigma descending (stable insertion sort; de Rijk pivoting leaves it nearly sorted).
  let r = 0;
  for (let j = 0; j < N; j++) {
    const dj = load<f64>(d + (<usize>j << 3));
    const zero = dj <= NEGLIGIBLE_NORM2;
    store<i32>(zf + (<usize>j << 2), zero ? 1 : 0);
    store<f64>(d + (<usize>j << 3), zero ? 0.0 : Math.sqrt(dj));
    if (!zero) r++;
    // insert j into ord[0..j)
    let p = j;
    const sj = zero ? 0.0 : Math.sqrt(dj);
    while (p > 0 && load<f64>(d + (<usize>load<i32>(ord + (<usize>(p - 1) << 2)) << 3)) < sj) {
      store<i32>(ord + (<usize>p << 2), load<i32>(ord + (<usize>(p - 1) << 2)));
      p--;
    }
    store<i32>(ord + (<usize>p << 2), j);
  }
  // 6. U_x: normalize the nonzero columns of Y; complete the rest to an orthonormal basis of R^N.
  for (let j = 0; j < N; j++) {
    if (load<i32>(zf + (<usize>j << 2))) continue;
    scal_f64(1.0 / load<f64>(d + (<usize>j << 3)), x + ((<usize>j * N) << 3), N);
  }
  if (r < N) {
    if (r == 0) {
      for (let j = 0; j < N; j++) {
        const xc = x + ((<usize>j * N) << 3);
        for (let i = 0; i < N; i++) store<f64>(xc + (<usize>i << 3), i == j ? 1.0 : 0.0);
      }
    } else {
      // QR of the r orthonormal columns (in sorted order); Q e_r, ..., Q e_{N-1} span their complement.
      for (let c = 0; c < r; c++) {
        const j = load<i32>(ord + (<usize>c << 2));
        memory.copy(cmp + ((<usize>c * N) << 3), x + ((<usize>j * N) << 3), <usize>N << 3);
      }
      const cperm = ctau + (<usize>N << 3), cn1 = cperm + (<usize>N << 3), cn2 = cn1 + (<usize>N << 3);
      qr_householder_colpiv_f64(N, r, cmp, ctau, cperm, cn1, cn2);
      const e = cmp + ((<usize>r * N) << 3); // N x (N - r) block after the r factored columns
      for (let c = 0; c < N - r; c++) {
        const ec = e + ((<usize>c * N) << 3);
        for (let i = 0; i < N; i++) store<f64>(ec + (<usize>i << 3), i == r + c ? 1.0 : 0.0);
      }
      qr_apply_q_f64(N, r, cmp, ctau, e, N - r);
      for (let c = r; c < N; c++) {
        const j = load<i32>(ord + (<usize>c << 2));
        memory.copy(x + ((<usize>j * N) << 3), e + ((<usize>(c - r) * N) << 3), <usize>N << 3);
      }
    }
  }
  // 6b. One Newton-Schulz step Z <- Z + (I - Z Z^T) Z / 2 for Z = W and Z = U_x (see: Higham, "Functions of
  //     Matrices" (2008) 8.3). The accumulated rotations leave W orthogonal only to ~sqrt(sweeps * N) eps per entry
  //     and U_x to the Jacobi tolerance sqrt(N) eps per pair; the step squares that defect away (quadratic
  //     convergence), leaving O(eps) from the two products. It moves each factor by O(defect), so A's
  //     reconstruction changes by O(defect * s_1): backward stability and S are untouched.
  newton_schulz_step(N, w, cmp);
  newton_schulz_step(N, x, cmp);
  // 7. Signs for the tall case (V = P U_x is known now): largest-magnitude entry of each V column positive,
  //    first row index on ties. W' = W[:, ord] * sign.
  const wsrt = cmp; // N x N column-major
  for (let c = 0; c < k; c++) {
    const j = load<i32>(ord + (<usize>c << 2));
    const xc = x + ((<usize>j * N) << 3);
    let sign: f64 = 1;
    if (tall) {
      let big: f64 = -1, bigRow = 0x7fffffff;
      for (let i = 0; i < N; i++) {
        const e = load<f64>(xc + (<usize>i << 3));
        const row = load<i32>(perm + (<usize>i << 2));
        const ae = Math.abs(e);
        if (ae > big || (ae == big && row < bigRow)) { big = ae; bigRow = row; sign = e < 0 ? -1.0 : 1.0; }
      }
    }
    memory.copy(wsrt + ((<usize>c * N) << 3), w + ((<usize>j * N) << 3), <usize>N << 3);
    if (sign < 0) scal_f64(-1.0, wsrt + ((<usize>c * N) << 3), N);
    // sign of x column j is applied when writing the N-side output below.
    store<f64>(vn1 + (<usize>c << 3), sign);
  }
  // 8. M-side output = Q W' (row-major M x k) straight from GEMM: Q explicit (dorg2r), then one product.
  const pM = tall ? u : v, pN = tall ? v : u;
  if (twoStage) {
    // U_B = Q1 (Q2 W'): Q2 in place (N x N), Y = Q2 W' (row-major views: Y^T = W'^T Q2^T), Q1 blocked in place.
    qr_form_q_inplace_f64(N, N, r2, N, tau);
    const y = cmp + ((<usize>N * N) << 3);
    gemm_f64(0, 0, N, N, N, 1.0, wsrt, N, r2, N, 0.0, y, N);
    qr_blocked_form_q_f64(M, N, bcm, tau1, qrw);
    gemm_f64(1, 1, M, N, N, 1.0, bcm, M, y, N, 0.0, pM, k);
  } else {
    qr_form_q_inplace_f64(M, N, bcm, M, tau);
    gemm_f64(1, 1, M, N, N, 1.0, bcm, M, wsrt, N, 0.0, pM, k);
  }
  if (!tall) {
    // Wide: the M-side output is V; fix its signs now (first row index on ties: strict >).
    for (let c = 0; c < k; c++) {
      let big: f64 = -1, sign: f64 = 1;
      for (let i = 0; i < M; i++) {
        const e = load<f64>(pM + ((<usize>i * k + c) << 3));
        const ae = Math.abs(e);
        if (ae > big) { big = ae; sign = e < 0 ? -1.0 : 1.0; }
      }
      store<f64>(vn1 + (<usize>c << 3), sign);
      if (sign < 0) for (let i = 0; i < M; i++) {
        const p = pM + ((<usize>i * k + c) << 3);
        store<f64>(p, -load<f64>(p));
      }
    }
  }
  // 9. N-side output = P U_x (sorted, signed) and sigma of the SCALED B (the caller unscales: svd_f64_scale_exp).
  svdScaleExp = scaleExp;
  for (let c = 0; c < k; c++) {
    const j = load<i32>(ord + (<usize>c << 2));
    const xc = x + ((<usize>j * N) << 3);
    const sign = load<f64>(vn1 + (<usize>c << 3));
    store<f64>(s + (<usize>c << 3), load<f64>(d + (<usize>j << 3)));
    for (let i = 0; i < N; i++) {
      const row = load<i32>(perm + (<usize>i << 2));
      store<f64>(pN + ((<usize>row * k + c) << 3), sign * load<f64>(xc + (<usize>i << 3)));
    }
  }
  return status;
}

/**
 * Z <- Z + (I - Z Z^T) Z / 2 for an N x N column-major Z that is orthogonal up to a small defect (the left
 * Newton-Schulz step; for square Z it converges to the same polar factor as the right one). Column-major Z is
 * row-major Z^T =: Zt, so Z Z^T = Zt^T Zt is the SYRK-shaped Gram (gram_f64, half the flops) and the update
 * becomes Zt <- Zt + Zt E with E = (I - Z Z^T) / 2 symmetric. Scratch: 2 N^2 float64 at tmp.
 */
function newton_schulz_step(N: i32, z: usize, tmp: usize): void {
  const g = tmp, z2 = tmp + ((<usize>N * N) << 3);
  gram_f64(N, N, -0.5, z, N, g, N);
  for (let i = 0; i < N; i++) {
    const p = g + ((<usize>i * N + i) << 3);
    store<f64>(p, load<f64>(p) + 0.5);
  }
  memory.copy(z2, z, (<usize>N * N) << 3);
  gemm_f64(0, 0, N, N, N, 1.0, z, N, g, N, 1.0, z2, N);
  memory.copy(z, z2, (<usize>N * N) << 3);
}

/**
 * X (N x N column-major) <- X W0 and W <- W0, W0 = eigenvectors of G = X^T X (eig_sym_f64.ts), unless the
 * eigensolver fails (then X and W are left untouched). Scratch: g (2 N^2), dd, tau (N each), v4 (4 N).
 */
function precondition(N: i32, x: usize, w: usize, g: usize, dd: usize, tau: usize, v4: usize): void {
  const nn = <usize>N * N;
  const y = g + (nn << 3);
  // Row-major view of column-major X is X^T, so X^T X = (X^T)(X^T)^T.
  gemm_f64(0, 1, N, N, N, 1.0, x, N, x, N, 0.0, g, N);
  const e = v4, tv = v4 + (<usize>N << 3), tp = tv + (<usize>N << 3), tw = tp + (<usize>N << 3);
  sym_tridiag_f64(N, g, dd, e, tau, tv, tp, tw);
  // Build W0 in y first so that W keeps the identity if anything fails.
  sym_tridiag_form_q_f64(N, g, tau, y);
  if (tql2_f64(N, dd, e, y, 60) != 0) return;
  // Entries of an orthogonal matrix are <= 1 in magnitude; anything else (NaN, Inf, garbage) means failure.
  for (let i: usize = 0; i < nn; i++) if (!(Math.abs(load<f64>(y + (i << 3))) <= 2.0)) return;
  memory.copy(w, y, nn << 3);
  // X W0: row-major views give (W0^T)(X^T) = (X W0)^T, i.e. X W0 column-major.
  gemm_f64(0, 0, N, N, N, 1.0, w, N, x, N, 0.0, g, N);
  memory.copy(x, g, nn << 3);
}
