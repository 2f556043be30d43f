// Householder bidiagonalization of a tall matrix stored COLUMN-MAJOR (M x N, M >= N, column j at a + j*ld*8):
// H_{N-1} ... H_0 B G_0 ... G_{N-2} = upper bidiagonal (d, e) (see: Golub & Kahan 1965; LAPACK dgebd2, unblocked,
// upper case). Left reflectors H_i (tauq[i]) annihilate column i below the diagonal and are stored there (v[i] = 1
// implicit); right reflectors G_i (taup[i]) annihilate row i right of the superdiagonal and are stored in row i,
// columns i+2.. (v[i+1] = 1 implicit). Every inner loop runs along contiguous columns (dot / axpy); the row
// reflector's vector is gathered into a contiguous scratch row first.
import { axpy_f64, house_f64, reflector_apply_f64 } from "./vec_f64_simd";
import { qr_blocked_form_q_f64 } from "./qr_blocked_f64";

/**
 * In: b (M x N column-major, leading dimension M, M >= N >= 1). Out: d (N), e (N-1: e[i] = B[i, i+1]), tauq (N),
 * taup (N; taup[N-1] = 0), reflectors in b as described above. Scratch: row (N f64), w (M f64).
 */
export function bidiag_f64(M: i32, N: i32, b: usize, d: usize, e: usize, tauq: usize, taup: usize, row: usize, w: usize): void {
  const ld = <usize>M << 3;
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
