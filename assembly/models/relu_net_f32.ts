// float32 twin of relu_net_f64.ts (read that file for the formulas and conventions): the same depth-2 ReLU network
// kernels with float32 data, parameters, optimizer state and arithmetic, built on the SGEMM (gemm_f32). Every
// operation is the float64 kernel's operation in the same order, rounded to float32 instead of float64; Adam's bias
// corrections 1 - beta^t are computed in float64 (AssemblyScript's own pow) and rounded. Row blocks of ROWS_BLOCK.
// (PAPERS §1.1, §3.1, §3.3.)
//
// Conventions (all row-major, samples are rows):
//   X  : m x d  (row stride d)          W : d x k (column j = neuron w_j, row stride k)
//   b  : k biases, or 0 for "no bias"    a : k second-layer weights, or 0 for "all ones"
//   Z  = X W + 1 b^T (m x k pre-activations);  f(x) = sum_j a_j relu(z_j);  clip = 1 -> f = min(1, max(0, f)).
// The kernels never allocate and trust their inputs (validation is in src/models/*). Rows are processed in blocks of
// ROWS_BLOCK so the scratch Z needs only min(m, ROWS_BLOCK) * k floats; the block size is a fixed constant, so the
// results depend on nothing but the inputs (determinism).
import { gemm_f32 } from "../gemm/sgemm_f32";
import { ROWS_BLOCK, OPT_SGD, OPT_ADAGRAD } from "./relu_net_f64";


/** Adds the bias row b (k) to every row of Z (bm x k). */
// @ts-ignore: decorator
@inline function add_bias(z: usize, bm: i32, k: i32, b: usize): void {
  if (b == 0) return;
  for (let i = 0; i < bm; i++) {
    const zi = z + ((<usize>i * k) << 2);
    for (let j = 0; j < k; j++) {
      const p = zi + (<usize>j << 2);
      store<f32>(p, load<f32>(p) + load<f32>(b + (<usize>j << 2)));
    }
  }
}

/** sum_j a_j relu(z_j) over one row z (length k; a = 0: all ones), summed in index order j. */
// @ts-ignore: decorator
@inline function relu_sum_row(zi: usize, k: i32, a: usize): f32 {
  let s: f32 = 0;
  if (a == 0) {
    for (let j = 0; j < k; j++) {
      const v = load<f32>(zi + (<usize>j << 2));
      s += v > 0 ? v : 0;
    }
  } else {
    for (let j = 0; j < k; j++) {
      const v = load<f32>(zi + (<usize>j << 2));
      if (v > 0) s += load<f32>(a + (<usize>j << 2)) * v;
    }
  }
  return s;
}

/** out[i] = sum_j a_j relu(Z_ij) (a = 0: all ones), optionally clipped to [0, 1]. Summation in index order j. */
// @ts-ignore: decorator
@inline function relu_sum_rows(z: usize, bm: i32, k: i32, a: usize, clip: i32, out: usize): void {
  for (let i = 0; i < bm; i++) {
    let s = relu_sum_row(z + ((<usize>i * k) << 2), k, a);
    if (clip) s = s < 0 ? 0 : (s > 1 ? 1 : s);
    store<f32>(out + (<usize>i << 2), s);
  }
}

/**
 * Batched forward pass: out (m) = f(X) for the network (W, b, a), optionally clipped.
 * Scratch z: min(m, ROWS_BLOCK) * k floats. Cost 2 m d k flops (GEMM) + O(m k).
 */
export function relu_net_forward_f32(
  m: i32, d: i32, k: i32, x: usize, w: usize, b: usize, a: usize, clip: i32, z: usize, out: usize,
): void {
  for (let i0 = 0; i0 < m; i0 += ROWS_BLOCK) {
    const bm = min(ROWS_BLOCK, m - i0);
    gemm_f32(0, 0, bm, k, d, 1.0, x + ((<usize>i0 * d) << 2), d, w, k, 0.0, z, k);
    add_bias(z, bm, k, b);
    relu_sum_rows(z, bm, k, a, clip, out + (<usize>i0 << 2));
  }
}

/**
 * Convolutional forward pass with one filter on non-overlapping patches (PAPERS §3.3):
 * out[i] = sum_{j<q} relu(<w, x_i^(j)>), x_i^(j) = X[i, j*p .. j*p+p-1], d = q * p.
 * Row-major X (m x d) is exactly the (m q) x p matrix of patches, so one GEMM with the p x 1 filter gives every
 * pre-activation. Scratch z: min(m, ROWS_BLOCK) * q floats.
 */
export function relu_conv_forward_f32(m: i32, p: i32, q: i32, x: usize, w: usize, z: usize, out: usize): void {
  const d = p * q;
  for (let i0 = 0; i0 < m; i0 += ROWS_BLOCK) {
    const bm = min(ROWS_BLOCK, m - i0);
    gemm_f32(0, 0, bm * q, 1, p, 1.0, x + ((<usize>i0 * d) << 2), p, w, 1, 0.0, z, 1);
    relu_sum_rows(z, bm, q, 0, 0, out + (<usize>i0 << 2));
  }
}

/**
 * Squared loss and its gradient on a batch, blocked over rows (PAPERS §2.1 convention: no 1/2 factor):
 *   L = scale * sum_i (f(x_i) - y_i)^2,  f unclipped.
 *   dL/dW = X^T G,  G_ij = 2 scale r_i a_j 1{Z_ij > 0},  r_i = f(x_i) - y_i,
 *   dL/db_j = sum_i G_ij,  dL/da_j = 2 scale sum_i r_i relu(Z_ij).
 * gw (d x k) is always written; gb written iff b != 0; ga written iff ga != 0 (trainable second layer).
 * relu'(0) is taken as 0 (the subgradient used by every framework). Scratch z: min(m, ROWS_BLOCK) * k floats.
 * Returns sum_i r_i^2 (unscaled). Cost about 4 m d k flops.
 */
export function relu_net_loss_grad_f32(
  m: i32, d: i32, k: i32, x: usize, y: usize, w: usize, b: usize, a: usize, scale: f32,
  z: usize, gw: usize, gb: usize, ga: usize,
): f32 {
  let loss: f32 = 0;
  if (gb != 0) memory.fill(gb, 0, <usize>k << 2);
  if (ga != 0) memory.fill(ga, 0, <usize>k << 2);
  if (m == 0) {
    memory.fill(gw, 0, (<usize>d * k) << 2);
    return 0;
  }
  for (let i0 = 0; i0 < m; i0 += ROWS_BLOCK) {
    const bm = min(ROWS_BLOCK, m - i0);
    const xb = x + ((<usize>i0 * d) << 2);
    gemm_f32(0, 0, bm, k, d, 1.0, xb, d, w, k, 0.0, z, k);
    add_bias(z, bm, k, b);
    for (let i = 0; i < bm; i++) {
      const zi = z + ((<usize>i * k) << 2);
      const r = relu_sum_row(zi, k, a) - load<f32>(y + (<usize>(i0 + i) << 2));
      loss += r * r;
      const c = <f32>2.0 * scale * r;
      // Overwrite row i of Z with G (after using it for ga).
      for (let j = 0; j < k; j++) {
        const pz = zi + (<usize>j << 2);
        const v = load<f32>(pz);
        if (ga != 0 && v > 0) {
          const pg = ga + (<usize>j << 2);
          store<f32>(pg, load<f32>(pg) + c * v);
        }
        const aj: f32 = a == 0 ? <f32>1.0 : load<f32>(a + (<usize>j << 2));
        store<f32>(pz, v > 0 ? c * aj : <f32>0.0);
      }
    }
    if (gb != 0) {
      for (let i = 0; i < bm; i++) {
        const zi = z + ((<usize>i * k) << 2);
        for (let j = 0; j < k; j++) {
          const pg = gb + (<usize>j << 2);
          store<f32>(pg, load<f32>(pg) + load<f32>(zi + (<usize>j << 2)));
        }
      }
    }
    // gw (+)= X_block^T G_block
    gemm_f32(1, 0, d, k, bm, 1.0, xb, d, z, k, i0 == 0 ? 0.0 : 1.0, gw, k);
  }
  return loss;
}

/** dst (count x d) = rows idx[0..count) of src (ld d); ydst[i] = ysrc[idx[i]] when ysrc != 0. idx: i32. */
export function gather_rows_f32(src: usize, d: i32, ysrc: usize, idx: usize, count: i32, dst: usize, ydst: usize): void {
  const rowBytes = <usize>d << 2;
  for (let i = 0; i < count; i++) {
    const r = <usize>load<i32>(idx + (<usize>i << 2));
    memory.copy(dst + <usize>i * rowBytes, src + r * rowBytes, rowBytes);
    if (ysrc != 0) store<f32>(ydst + (<usize>i << 2), load<f32>(ysrc + (r << 2)));
  }
}


/**
 * One optimizer step on n parameters theta with gradient g (t = 1-based step number, used by Adam's bias correction).
 *   SGD:     theta -= lr g
 *   Adagrad: s1 += g^2;  theta -= lr g / (sqrt(s1) + eps)                (Duchi, Hazan, Singer 2011)
 *   Adam:    s1 = b1 s1 + (1-b1) g;  s2 = b2 s2 + (1-b2) g^2;
 *            theta -= lr (s1 / (1-b1^t)) / (sqrt(s2 / (1-b2^t)) + eps)   (Kingma & Ba 2015, Algorithm 1)
 */
export function optimizer_step_f32(
  opt: i32, n: i32, theta: usize, g: usize, s1: usize, s2: usize, t: i32, lr: f32, b1: f32, b2: f32, eps: f32,
): void {
  if (opt == OPT_SGD) {
    for (let i = 0; i < n; i++) {
      const p = theta + (<usize>i << 2);
      store<f32>(p, load<f32>(p) - lr * load<f32>(g + (<usize>i << 2)));
    }
  } else if (opt == OPT_ADAGRAD) {
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      const gi = load<f32>(g + o);
      const acc = load<f32>(s1 + o) + gi * gi;
      store<f32>(s1 + o, acc);
      store<f32>(theta + o, load<f32>(theta + o) - lr * gi / (sqrt<f32>(acc) + eps));
    }
  } else {
    // Bias corrections in float64 (AssemblyScript's own pow: same bits on every host), rounded to float32.
    const c1 = <f32>(1.0 - Math.pow(<f64>b1, <f64>t)), c2 = <f32>(1.0 - Math.pow(<f64>b2, <f64>t));
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      const gi = load<f32>(g + o);
      const mi = b1 * load<f32>(s1 + o) + (<f32>1.0 - b1) * gi;
      const vi = b2 * load<f32>(s2 + o) + (<f32>1.0 - b2) * gi * gi;
      store<f32>(s1 + o, mi);
      store<f32>(s2 + o, vi);
      store<f32>(theta + o, load<f32>(theta + o) - lr * (mi / c1) / (sqrt<f32>(vi / c2) + eps));
    }
  }
}

/**
 * Loss and gradient of the regularized objective on a batch, with the packed parameter vector
 *   theta = [ W (d*k, row-major d x k) | b (k, iff hasBias) | a (k, iff trainA) ]:
 *   J = (1/bm) sum_i (f(x_i) - y_i)^2 + l2 (||W||_F^2 + ||a||^2 if trainA).
 * aFixed is used as the second layer when trainA == 0 (0 = all ones). g has the layout of theta.
 * Returns J. Scratch z: min(bm, ROWS_BLOCK) * k floats.
 */
export function relu_net_objective_grad_f32(
  bm: i32, d: i32, k: i32, x: usize, y: usize, theta: usize, hasBias: i32, trainA: i32, aFixed: usize, l2: f32,
  z: usize, g: usize,
): f32 {
  const dk = <usize>d * k;
  const pb: usize = hasBias ? theta + (dk << 2) : 0;
  const pa: usize = trainA ? theta + ((dk + (hasBias ? <usize>k : 0)) << 2) : aFixed;
  const gb: usize = hasBias ? g + (dk << 2) : 0;
  const ga: usize = trainA ? g + ((dk + (hasBias ? <usize>k : 0)) << 2) : 0;
  const sse = relu_net_loss_grad_f32(bm, d, k, x, y, theta, pb, pa, <f32>1.0 / <f32>bm, z, g, gb, ga);
  let J = sse / <f32>bm;
  if (l2 != 0) {
    let pen: f32 = 0;
    for (let i: usize = 0; i < dk; i++) {
      const w = load<f32>(theta + (i << 2));
      pen += w * w;
      store<f32>(g + (i << 2), load<f32>(g + (i << 2)) + <f32>2.0 * l2 * w);
    }
    if (trainA) {
      for (let j = 0; j < k; j++) {
        const o = <usize>j << 2;
        const v = load<f32>(pa + o);
        pen += v * v;
        store<f32>(ga + o, load<f32>(ga + o) + <f32>2.0 * l2 * v);
      }
    }
    J += l2 * pen;
  }
  return J;
}

/**
 * One epoch of minibatch training (PAPERS §1.2 footnote 1: GD/SGD with L2 is orthogonally invariant).
 * Visits the m samples in the order idx (i32 permutation; idx = 0 means 0..m-1 without copying) in batches of
 * `batch` rows (the last batch may be smaller); for each batch computes the objective gradient
 * (relu_net_objective_grad_f32) and applies optimizer_step_f32 with step number t0 + batchIndex + 1.
 * Full-batch GD is batch = m, idx = 0. Scratch: xb (batch*d) and yb (batch) only used when idx != 0,
 * z (min(batch, ROWS_BLOCK)*k), g (nParams). Returns the mean over batches of the batch objectives.
 */
export function relu_net_train_epoch_f32(
  m: i32, d: i32, k: i32, x: usize, y: usize, idx: usize, batch: i32,
  theta: usize, hasBias: i32, trainA: i32, aFixed: usize,
  opt: i32, lr: f32, l2: f32, b1: f32, b2: f32, eps: f32, s1: usize, s2: usize, t0: i32,
  xb: usize, yb: usize, z: usize, g: usize,
): f32 {
  const nParams = d * k + (hasBias ? k : 0) + (trainA ? k : 0);
  let total: f32 = 0;
  let nb = 0;
  for (let i0 = 0; i0 < m; i0 += batch) {
    const bm = min(batch, m - i0);
    let px = x + ((<usize>i0 * d) << 2), py = y + (<usize>i0 << 2);
    if (idx != 0) {
      gather_rows_f32(x, d, y, idx + (<usize>i0 << 2), bm, xb, yb);
      px = xb;
      py = yb;
    }
    total += relu_net_objective_grad_f32(bm, d, k, px, py, theta, hasBias, trainA, aFixed, l2, z, g);
    nb++;
    optimizer_step_f32(opt, nParams, theta, g, s1, s2, t0 + nb, lr, b1, b2, eps);
  }
  return nb > 0 ? total / <f32>nb : 0;
}
