// Monte-Carlo gradient over many target directions, as GEMMs (PAPERS §2.4, Theorem 3).
//
// For target ψ(<w, x>) and a predictor with per-sample gradient ∂f(θ, x_i)/∂θ = P_i, the w-dependent part of
// ∇_θ F_w(θ) estimated on the sample rows R of a block is
//   g_w = -(2/|R|) sum_{i in R} ψ(<w, x_i>) P_i.
// The per-sample gradient is given in factored form: P_i = [ D_i1 x_i, ..., D_iK x_i, E_i ] (K scaled copies of x_i
// and ne extra features), which covers p_θ(x) = cos<θ,x> (K = 1, D = -sin<θ,x>) and depth-2 ReLU networks
// (D_iu = a_u 1{<θ_u, x_i> > 0}, E_iu = relu(<θ_u, x_i>) for a trainable second layer).
// For a chunk of jc directions (rows of W) this is, per sub-block of rows S (fixed size `sub`):
//   Z = X_S W^T (|S| x jc, GEMM), Z <- ψ(Z) (SIMD), G_u += scale · (diag(D_S,u) X_S)^T Z (GEMM), G_E += scale · E_S^T Z.
// Output layout: block b occupies p x jc doubles at g + b·p·jc·8 (row = parameter, column = direction),
// p = K d + ne. Every column depends only on its own direction and on the fixed row partition
// (block starts + sub), never on jc or on which other directions share the chunk (gemm_f64 column contract),
// so results are bit-identical for any split of the directions over workers.
import { gemm_f64 } from "../gemm/gemm_f64";
import { vm_cos_f64 } from "../math/vmath_f64";

/** ψ kinds. 0: cos z (period 2π); 1: triangle T(z) = 2|z - round z| (period 1); 2: sawtooth z - floor z (period 1). */
export function gv_psi_f64(kind: i32, z: usize, n: i32): void {
  if (kind == 0) { vm_cos_f64(z, z, n); return; }
  let i = 0;
  if (kind == 1) {
    for (; i + 2 <= n; i += 2) {
      const p = z + (<usize>i << 3);
      const v = v128.load(p);
      v128.store(p, f64x2.mul(f64x2.splat(2.0), f64x2.abs(f64x2.sub(v, f64x2.nearest(v)))));
    }
    for (; i < n; i++) {
      const p = z + (<usize>i << 3);
      const v = load<f64>(p);
      store<f64>(p, 2.0 * abs<f64>(v - nearest<f64>(v)));
    }
    return;
  }
  for (; i + 2 <= n; i += 2) {
    const p = z + (<usize>i << 3);
    const v = v128.load(p);
    v128.store(p, f64x2.sub(v, f64x2.floor(v)));
  }
  for (; i < n; i++) {
    const p = z + (<usize>i << 3);
    const v = load<f64>(p);
    store<f64>(p, v - floor<f64>(v));
  }
}

/** y[i, :] = s[i * sstride] · x[i, :] for i < m (rows of length d). */
export function gv_scale_rows_f64(m: i32, d: i32, x: usize, s: usize, sstride: i32, y: usize): void {
  for (let i = 0; i < m; i++) {
    const c = f64x2.splat(load<f64>(s + ((<usize>i * <usize>sstride) << 3)));
    const xr = x + ((<usize>i * <usize>d) << 3), yr = y + ((<usize>i * <usize>d) << 3);
    let j = 0;
    for (; j + 2 <= d; j += 2) v128.store(yr + (<usize>j << 3), f64x2.mul(c, v128.load(xr + (<usize>j << 3))));
    for (; j < d; j++) store<f64>(yr + (<usize>j << 3), f64x2.extract_lane(c, 0) * load<f64>(xr + (<usize>j << 3)));
  }
}

/**
 * Gradients (w-dependent part) of jc directions on nb row blocks. See the file comment for the formula and layout.
 * x: n x d; dm: n x nd (may be 0 if nd = 0); em: n x ne (may be 0 if ne = 0); w: jc x d;
 * bstart: nb + 1 int32 row offsets (0 = b_0 < ... < b_nb = n); bscale: nb doubles (e.g. -2/|block|);
 * zbuf: sub x jc doubles; ybuf: sub x d doubles; g: nb · (nd d + ne) · jc doubles (written, never read first).
 */
export function gv_grad_chunk_f64(
  n: i32, d: i32, x: usize, nd: i32, dm: usize, ne: i32, em: usize,
  jc: i32, w: usize, psiKind: i32, nb: i32, bstart: usize, bscale: usize,
  sub: i32, zbuf: usize, ybuf: usize, g: usize,
): void {
  const p = nd * d + ne;
  const blockBytes = (<usize>p * <usize>jc) << 3;
  for (let b = 0; b < nb; b++) {
    const r0 = load<i32>(bstart + (<usize>b << 2)), r1 = load<i32>(bstart + (<usize>(b + 1) << 2));
    const scale = load<f64>(bscale + (<usize>b << 3));
    const gb = g + <usize>b * blockBytes;
    let first = true;
    for (let s = r0; s < r1; s += sub) {
      const m = min(sub, r1 - s);
      const xs = x + ((<usize>s * <usize>d) << 3);
      // Z = X_S W^T
      gemm_f64(0, 1, m, jc, d, 1.0, xs, d, w, d, 0.0, zbuf, jc);
      gv_psi_f64(psiKind, zbuf, m * jc);
      const beta = first ? 0.0 : 1.0;
      for (let u = 0; u < nd; u++) {
        gv_scale_rows_f64(m, d, xs, dm + ((<usize>s * <usize>nd + <usize>u) << 3), nd, ybuf);
        gemm_f64(1, 0, d, jc, m, scale, ybuf, d, zbuf, jc, beta, gb + ((<usize>u * <usize>d * <usize>jc) << 3), jc);
      }
      if (ne > 0) {
        gemm_f64(1, 0, ne, jc, m, scale, em + ((<usize>s * <usize>ne) << 3), ne, zbuf, jc, beta,
          gb + ((<usize>nd * <usize>d * <usize>jc) << 3), jc);
      }
      first = false;
    }
  }
}

/**
 * Chunk statistics of gv_grad_chunk_f64's output g (nb blocks of p x jc): the block means over directions
 * mean[b·p + r] = (1/jc) sum_j g_b[r, j], and the per-direction Gram of centred block vectors,
 * gram[pair · jc + j] = sum_r (g_b[r,j] - mean_b[r]) (g_l[r,j] - mean_l[r]) for pairs b <= l in row-major upper-
 * triangle order (pair index of (b, l) = b·nb - b(b-1)/2 + (l - b)). dev: nb·jc doubles of scratch.
 * Fixed summation order (r ascending), SIMD over directions j: deterministic.
 */
export function gv_chunk_gram_f64(g: usize, nb: i32, p: i32, jc: i32, mean: usize, gram: usize, dev: usize): void {
  const inv = 1.0 / <f64>jc;
  for (let b = 0; b < nb; b++) {
    for (let r = 0; r < p; r++) {
      const row = g + ((<usize>(b * p + r) * <usize>jc) << 3);
      let acc = 0.0;
      for (let j = 0; j < jc; j++) acc += load<f64>(row + (<usize>j << 3));
      store<f64>(mean + (<usize>(b * p + r) << 3), acc * inv);
    }
  }
  const npair = (nb * (nb + 1)) >> 1;
  memory.fill(gram, 0, (<usize>npair * <usize>jc) << 3);
  for (let r = 0; r < p; r++) {
    for (let b = 0; b < nb; b++) {
      const row = g + ((<usize>(b * p + r) * <usize>jc) << 3);
      const m = load<f64>(mean + (<usize>(b * p + r) << 3));
      const mv = f64x2.splat(m);
      const drow = dev + ((<usize>b * <usize>jc) << 3);
      let j = 0;
      for (; j + 2 <= jc; j += 2) v128.store(drow + (<usize>j << 3), f64x2.sub(v128.load(row + (<usize>j << 3)), mv));
      for (; j < jc; j++) store<f64>(drow + (<usize>j << 3), load<f64>(row + (<usize>j << 3)) - m);
    }
    let pi = 0;
    for (let b = 0; b < nb; b++) {
      const db = dev + ((<usize>b * <usize>jc) << 3);
      for (let l = b; l < nb; l++, pi++) {
        const dl = dev + ((<usize>l * <usize>jc) << 3);
        const o = gram + ((<usize>pi * <usize>jc) << 3);
        let j = 0;
        for (; j + 2 <= jc; j += 2) {
          const q = o + (<usize>j << 3);
          v128.store(q, f64x2.add(v128.load(q), f64x2.mul(v128.load(db + (<usize>j << 3)), v128.load(dl + (<usize>j << 3)))));
        }
        for (; j < jc; j++) {
          const q = o + (<usize>j << 3);
          store<f64>(q, load<f64>(q) + load<f64>(db + (<usize>j << 3)) * load<f64>(dl + (<usize>j << 3)));
        }
      }
    }
  }
}
