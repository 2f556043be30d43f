// Householder bidiagonalization of a tall matrix stored COLUMN-MAJOR (M x N, M >= N, column j at a + j*ld*8):
// H_{N-1} ... H_0 B G_0 ... G_{N-2} = upper bidiagonal (d, e) (see: Golub & Kahan 1965; LAPACK dgebd2, unblocked,
// upper case). Left reflectors H_i (tauq[i]) annihilate column i below the diagonal and are stored there (v[i] = 1
// implicit); right reflectors G_i (taup[i]) annihilate row i right of the superdiagonal and are stored in row i,
// columns i+2.. (v[i+1] = 1 implicit). Every inner loop runs along contiguous columns (dot / axpy); the row
// reflector's vector is gathered into a contiguous scratch row first.
import { axpy_f64, dot_f64, house_f64, reflector_apply_f64, scal_f64 } from "./vec_f64_simd";
import { gemm_f64 } from "../gemm/gemm_f64";
import { gemv_f64 } from "../gemm/gemv_f64_simd";
import { qr_blocked_form_q_f64 } from "./qr_blocked_f64";

/**
 * In: b (M x N column-major, leading dimension M, M >= N >= 1). Out: d (N), e (N-1: e[i] = B[i, i+1]), tauq (N),
 * taup (N; taup[N-1] = 0), reflectors in b as described above. Scratch: row (N f64), w (M f64).
 */
export function bidiag_f64(M: i32, N: i32, b: usize, d: usize, e: usize, tauq: usize, taup: usize, row: usize, w: usize): void {
  bidiag_unblocked(M, N, b, <usize>M << 3, d, e, tauq, taup, row, w);
}

/** bidiag_f64 on the M x N block at b with column stride ld bytes (dgebd2). */
function bidiag_unblocked(M: i32, N: i32, b: usize, ld: usize, d: usize, e: usize, tauq: usize, taup: usize, row: usize, w: usize): void {
  for (let i = 0; i < N; i++) {
    // Left reflector on column i, rows i..M-1.
    const aii = b + <usize>i * ld + (<usize>i << 3);
    const tq = house_f64(aii, aii + 8, M - i - 1);
    store<f64>(tauq + (<usize>i << 3), tq);
    store<f64>(d + (<usize>i << 3), load<f64>(aii));
    if (i + 1 < N) reflector_apply_f64(tq, aii + 8, M - i - 1, aii + ld, ld, N - i - 1);
    if (i + 1 >= N) { store<f64>(taup + (<usize>i << 3), 0); continue; }
    // Right reflector on row i, columns i+1..N-1: gather the row, generate, scatter back.
    const nr = N - i - 1;
    for (let j = 0; j < nr; j++) store<f64>(row + (<usize>j << 3), load<f64>(b + <usize>(i + 1 + j) * ld + (<usize>i << 3)));
    const tp = house_f64(row, row + 8, nr - 1);
    store<f64>(taup + (<usize>i << 3), tp);
    store<f64>(e + (<usize>i << 3), load<f64>(row));
    for (let j = 0; j < nr; j++) store<f64>(b + <usize>(i + 1 + j) * ld + (<usize>i << 3), load<f64>(row + (<usize>j << 3)));
    // Apply G_i = I - tp v v^T from the right to rows i+1..M-1, columns i+1..N-1 (v[0] = 1):
    // w = C v (sum of v_j times column j), then column j -= tp v_j w.
    const len = M - i - 1;
    if (tp != 0 && len > 0) {
      const c0 = b + <usize>(i + 1) * ld + (<usize>(i + 1) << 3);
      memory.copy(w, c0, <usize>len << 3);
      for (let j = 1; j < nr; j++) axpy_f64(load<f64>(row + (<usize>j << 3)), c0 + <usize>j * ld, w, len);
      axpy_f64(-tp, w, c0, len);
      for (let j = 1; j < nr; j++) axpy_f64(-tp * load<f64>(row + (<usize>j << 3)), w, c0 + <usize>j * ld, len);
    }
  }
}

/** Panel width of the blocked bidiagonalization; below 2 BD_NB trailing columns the rest is unblocked. */
export const BD_NB: i32 = 32;

/** Scratch for bidiag_blocked_f64 (float64 slots): V, X (M NB each), U, Y (N NB each), row (N), w (M), 4 NB. */
export function bidiag_blocked_work_size(M: i32, N: i32): f64 {
  return 2.0 * <f64>M * BD_NB + 2.0 * <f64>N * BD_NB + <f64>N + <f64>M + 4.0 * BD_NB;
}

/**
 * Blocked bidiagonalization (see: LAPACK dgebrd / dlabrd; Dongarra, Sorensen & Hammarling 1989): same output
 * layout as bidiag_f64. Each panel of BD_NB steps keeps the trailing matrix as A - V Y^T - X U^T (V, U the
 * explicit reflector vectors, Y = tauq-scaled A^T V products, X = taup-scaled A U products) and touches A only by
 * matrix-vector products; the trailing matrix is then updated by two GEMMs. work: bidiag_blocked_work_size(M, N).
 */
export function bidiag_blocked_f64(M: i32, N: i32, b: usize, d: usize, e: usize, tauq: usize, taup: usize, work: usize): void {
  const ldb = <usize>M << 3;
  const nb = BD_NB;
  const vb = work;
  const xb = vb + ((<usize>M * nb) << 3);
  const ub = xb + ((<usize>M * nb) << 3);
  const yb = ub + ((<usize>N * nb) << 3);
  const row = yb + ((<usize>N * nb) << 3);
  const w = row + (<usize>N << 3);
  const t = w + (<usize>M << 3); // 4 nb
  let j0 = 0;
  while (N - j0 >= 2 * nb) {
    const Mp = M - j0, Np = N - j0;
    const a = b + <usize>j0 * ldb + (<usize>j0 << 3);
    const o = <usize>j0 << 3;
    bidiag_panel(Mp, Np, a, ldb, nb, d + o, e + o, tauq + o, taup + o, vb, xb, ub, yb, row, t);
    // Trailing A[nb:, nb:] -= V Y^T + X U^T (column-major C is row-major C^T: C^T -= Y V^T + U X^T).
    const c = a + <usize>nb * ldb + (<usize>nb << 3);
    const mr = Mp - nb, nr = Np - nb;
    const vo = <usize>nb << 3;
    gemm_f64(1, 0, nr, mr, nb, -1.0, yb + vo, Np, vb + vo, Mp, 1.0, c, M);
    gemm_f64(1, 0, nr, mr, nb, -1.0, ub + vo, Np, xb + vo, Mp, 1.0, c, M);
    j0 += nb;
  }
  const o = <usize>j0 << 3;
  bidiag_unblocked(M - j0, N - j0, b + <usize>j0 * ldb + o, ldb, d + o, e + o, tauq + o, taup + o, row, w);
}

/** One dlabrd panel on the Mp x Np block at a (stride ldb bytes, Np > nb): see bidiag_blocked_f64. */
function bidiag_panel(Mp: i32, Np: i32, a: usize, ldb: usize, nb: i32, d: usize, e: usize, tauq: usize, taup: usize,
  vb: usize, xb: usize, ub: usize, yb: usize, row: usize, t: usize): void {
  const lm = <usize>Mp << 3, ln = <usize>Np << 3; // column strides of V, X (Mp rows) and U, Y (Np rows)
  for (let l = 0; l < nb; l++) {
    const ol = <usize>l << 3, ol1 = <usize>(l + 1) << 3;
    const colp = a + <usize>l * ldb;
    const vl = vb + <usize>l * lm, xl = xb + <usize>l * lm, ul = ub + <usize>l * ln, yl = yb + <usize>l * ln;
    // 1. Current column l, rows l..Mp-1.
    for (let k = 0; k < l; k++) {
      axpy_f64(-load<f64>(yb + <usize>k * ln + ol), vb + <usize>k * lm + ol, colp + ol, Mp - l);
      axpy_f64(-load<f64>(ub + <usize>k * ln + ol), xb + <usize>k * lm + ol, colp + ol, Mp - l);
    }
    // 2. H_l; explicit v_l.
    const tq = house_f64(colp + ol, colp + ol1, Mp - l - 1);
    store<f64>(tauq + ol, tq);
    store<f64>(d + ol, load<f64>(colp + ol));
    memory.fill(vl, 0, ol);
    store<f64>(vl + ol, 1.0);
    memory.copy(vl + ol1, colp + ol1, <usize>(Mp - l - 1) << 3);
    // 3. y_l (rows l+1..Np-1) = tq (A^T v_l - Y (V^T v_l) - U (X^T v_l)).
    memory.fill(yl, 0, ol1);
    // A[l:, l+1:] (column-major, stride ldb) is row-major (Np-l-1) x (Mp-l): y = that times v (one pass over A).
    gemv_f64(0, Np - l - 1, Mp - l, 1.0, a + <usize>(l + 1) * ldb + ol, <i32>(ldb >> 3), vl + ol, 0.0, yl + ol1);
    for (let k = 0; k < l; k++) store<f64>(t + (<usize>k << 3), dot_f64(vb + <usize>k * lm + ol, vl + ol, Mp - l));
    for (let k = 0; k < l; k++) axpy_f64(-load<f64>(t + (<usize>k << 3)), yb + <usize>k * ln + ol1, yl + ol1, Np - l - 1);
    for (let k = 0; k < l; k++) store<f64>(t + (<usize>k << 3), dot_f64(xb + <usize>k * lm + ol, vl + ol, Mp - l));
    for (let k = 0; k < l; k++) axpy_f64(-load<f64>(t + (<usize>k << 3)), ub + <usize>k * ln + ol1, yl + ol1, Np - l - 1);
    scal_f64(tq, yl + ol1, Np - l - 1);
    // 4. Current row l, columns l+1..Np-1 (gathered into row).
    const nr = Np - l - 1;
    for (let j = 0; j < nr; j++) store<f64>(row + (<usize>j << 3), load<f64>(a + <usize>(l + 1 + j) * ldb + ol));
    for (let k = 0; k <= l; k++) axpy_f64(-load<f64>(vb + <usize>k * lm + ol), yb + <usize>k * ln + ol1, row, nr);
    for (let k = 0; k < l; k++) axpy_f64(-load<f64>(xb + <usize>k * lm + ol), ub + <usize>k * ln + ol1, row, nr);
    // 5. G_l on the row; scatter back; explicit u_l.
    const tp = house_f64(row, row + 8, nr - 1);
    store<f64>(taup + ol, tp);
    store<f64>(e + ol, load<f64>(row));
    for (let j = 0; j < nr; j++) store<f64>(a + <usize>(l + 1 + j) * ldb + ol, load<f64>(row + (<usize>j << 3)));
    memory.fill(ul, 0, ol1);
    store<f64>(ul + ol1, 1.0);
    memory.copy(ul + ol1 + 8, row + 8, <usize>(nr - 1) << 3);
    // 6. x_l (rows l+1..Mp-1) = tp (A u_l - V (Y^T u_l) - X (U^T u_l)).
    const mr = Mp - l - 1;
    memory.fill(xl, 0, ol1);
    gemv_f64(1, nr, mr, 1.0, a + <usize>(l + 1) * ldb + ol1, <i32>(ldb >> 3), ul + ol1, 0.0, xl + ol1);
    for (let k = 0; k <= l; k++) store<f64>(t + (<usize>k << 3), dot_f64(yb + <usize>k * ln + ol1, ul + ol1, nr));
    for (let k = 0; k <= l; k++) axpy_f64(-load<f64>(t + (<usize>k << 3)), vb + <usize>k * lm + ol1, xl + ol1, mr);
    for (let k = 0; k < l; k++) store<f64>(t + (<usize>k << 3), dot_f64(ub + <usize>k * ln + ol1, ul + ol1, nr));
    for (let k = 0; k < l; k++) axpy_f64(-load<f64>(t + (<usize>k << 3)), xb + <usize>k * lm + ol1, xl + ol1, mr);
    scal_f64(tp, xl + ol1, mr);
  }
}

/**
 * Explicit Q = H_0 ... H_{N-1} [I_N; 0] (M x N column-major at q, leading dimension M) from bidiag_f64's b, tauq,
 * by the blocked dorgqr of qr_blocked_f64.ts (compact WY, GEMM updates). work: qr_blocked_work_size(M, N) slots.
 */
export function bidiag_form_q_f64(M: i32, N: i32, b: usize, tauq: usize, q: usize, work: usize): void {
  const ld = <usize>M << 3;
  for (let j = 0; j < N; j++) {
    const src = b + <usize>j * ld, dst = q + <usize>j * ld;
    memory.fill(dst, 0, <usize>(j + 1) << 3);
    memory.copy(dst + (<usize>(j + 1) << 3), src + (<usize>(j + 1) << 3), <usize>(M - j - 1) << 3);
  }
  qr_blocked_form_q_f64(M, N, q, tauq, work);
}

/**
 * Explicit P = G_0 ... G_{N-2} (N x N column-major at p) from bidiag_f64's b, taup: P = diag(1, P') with P' the
 * Q factor of the (N-1) x (N-1) "QR" whose column c is G_c's vector. P' is formed compactly (leading dimension
 * N-1) by the blocked dorgqr, then spread to leading dimension N in place. work: qr_blocked_work_size(N, N).
 */
export function bidiag_form_p_f64(M: i32, N: i32, b: usize, taup: usize, p: usize, work: usize): void {
  const ld = <usize>M << 3;
  const n1 = N - 1;
  if (n1 == 0) { store<f64>(p, 1.0); return; }
  const ln1 = <usize>n1 << 3;
  for (let c = 0; c < n1; c++) {
    const col = p + <usize>c * ln1;
    memory.fill(col, 0, <usize>(c + 1) << 3);
    for (let r = c + 1; r < n1; r++) store<f64>(col + (<usize>r << 3), load<f64>(b + <usize>(r + 1) * ld + (<usize>c << 3)));
  }
  qr_blocked_form_q_f64(n1, n1, p, taup, work);
  // Column c of P' (at p + c (N-1)) becomes rows 1..N-1 of column c+1 of P (at p + ((c+1) N + 1)): destinations
  // lie after their sources, so move the last column first.
  for (let c = n1 - 1; c >= 0; c--) {
    const dst = p + ((<usize>(c + 1) * N + 1) << 3);
    memory.copy(dst, p + <usize>c * ln1, ln1);
    store<f64>(dst - 8, 0.0); // row 0 of column c+1
  }
  store<f64>(p, 1.0);
  memory.fill(p + 8, 0, ln1); // column 0, rows 1..N-1
}
