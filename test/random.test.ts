// Random streams and samplers (src/random/rng.ts, assembly/random/*).
// Known answers: Random123 KAT vectors (bit-exact), an independent plain-TS Philox for the uniform recipe,
// frozen first values. Statistics: every sampler's moments within Z = 5 standard errors (SE formula next to each
// check), Kolmogorov–Smirnov against exact CDFs with sqrt(n) D <= KS_T (asymptotic P(sqrt(n) D > 2.2) = 2e^{-9.68}
// ~ 1.3e-4 per check). All seeds are fixed, so failures replay; messages print the seed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { engine, throwsWith, EPS } from "./helpers.js";
import { InvalidArgumentError, type Matrix } from "../src/index.js";

const Z = 5;
const KS_T = 2.2;

// ---------- independent reference: Philox4x32-10 in plain TS with 16-bit split products (no BigInt, no WASM) ----------
function mulhilo(a: number, b: number): [number, number] {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const p = al * bl, q = al * bh + ah * bl, r = ah * bh; // a b = r 2^32 + q 2^16 + p, each term exact in doubles
  const hi = r + Math.floor((q + Math.floor(p / 65536)) / 65536);
  return [hi >>> 0, Math.imul(a, b) >>> 0];
}
function philoxRef(c: number[], k: number[]): number[] {
  let [x0, x1, x2, x3] = c;
  let [k0, k1] = k;
  for (let r = 0; r < 10; r++) {
    if (r > 0) { k0 = (k0 + 0x9e3779b9) >>> 0; k1 = (k1 + 0xbb67ae85) >>> 0; }
    const [h0, l0] = mulhilo(0xd2511f53, x0);
    const [h1, l1] = mulhilo(0xcd9e8d57, x2);
    [x0, x1, x2, x3] = [(h1 ^ x1 ^ k0) >>> 0, l1, (h0 ^ x3 ^ k1) >>> 0, l0];
  }
  return [x0, x1, x2, x3];
}
/** The documented uniform recipe: u = ((hi >>> 11) * 2^32 + lo) * 2^-53, pairs (x0, x1), (x2, x3). */
function uniformRef(seed: bigint, k: bigint, pos: number, n: number): Float64Array {
  const key = [Number(seed & 0xffffffffn), Number(seed >> 32n)];
  const s = [Number(k & 0xffffffffn), Number(k >> 32n)];
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const b = pos + i / 2;
    const w = philoxRef([b % 2 ** 32, Math.floor(b / 2 ** 32), s[0], s[1]], key);
    out[i] = ((w[1] >>> 11) * 2 ** 32 + w[0]) * 2 ** -53;
    if (i + 1 < n) out[i + 1] = ((w[3] >>> 11) * 2 ** 32 + w[2]) * 2 ** -53;
  }
  return out;
}

// ---------- statistics helpers ----------
function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}
function centralMoment(a: ArrayLike<number>, m: number, p: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - m) ** p;
  return s / a.length;
}
/** sqrt(n) * sup |F_n - F| for a continuous F. */
function ksStat(a: ArrayLike<number>, F: (x: number) => number): number {
  const s = Float64Array.from(a).sort();
  const n = s.length;
  let D = 0;
  for (let i = 0; i < n; i++) {
    const f = F(s[i]);
    D = Math.max(D, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  return Math.sqrt(n) * D;
}
/** Standard normal CDF via erfc (Numerical Recipes erfcc, fractional error < 1.2e-7, far below KS resolution 1e-3). */
function Phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r / 2 : r / 2;
}
function within(name: string, est: number, expected: number, se: number, seed: unknown): void {
  const z = Math.abs(est - expected) / se;
  assert.ok(z <= Z, `${name}: estimate ${est} vs ${expected}, |z| = ${z.toFixed(2)} > ${Z} (SE ${se}), seed ${String(seed)}`);
}
function eye(d: number, s = 1): Matrix {
  const data = new Float64Array(d * d);
  for (let i = 0; i < d; i++) data[i * d + i] = s;
  return { rows: d, cols: d, data };
}

// ---------- known answers ----------
test("philox4x32_10 kernel: Random123 kat_vectors (bit-exact), and the plain-TS reference agrees", async () => {
  const e = await engine();
  const cases: [number[], number[], number[]][] = [
    [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
    [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
  ];
  for (const [c, k, want] of cases) {
    const got = e.core.scope((ar) => {
      const p = ar.alloc(16);
      e.core.x.philox4x32_10(c[0], c[1], c[2], c[3], k[0], k[1], p);
      return Array.from(ar.u32(p, 4));
    });
    assert.equal(got, want);
    assert.equal(philoxRef(c, k), want);
  }
});

test("uniform: bit-identical to the independent TS Philox + documented 53-bit recipe (incl. 2^32 block carry)", async () => {
  const e = await engine();
  const seed = 0x123456789abcdef0n;
  for (const [k, pos] of [[0n, 0], [7n, 2 ** 32 - 3], [2n ** 64n - 1n, 12345]] as [bigint, number][]) {
    for (const n of [1, 2, 3, 7, 17, 33, 129, 1000]) {
      const r = e.rng(seed).stream(k).atPosition(pos);
      const got = r.uniform(n);
      const want = uniformRef(seed, k, pos, n);
      assert.equal(Array.from(got), Array.from(want), `seed ${seed} stream ${k} pos ${pos} n ${n}`);
      assert.is(r.position, pos + Math.ceil(n / 2));
    }
  }
});

test("bits (rademacher/cube) and integers: bit-exact against the TS Philox with the documented bit/word recipes", async () => {
  const e = await engine();
  const seed = 0xfeedfacecafebeefn, k = 5n, pos = 2 ** 32 - 1;
  const key = [Number(seed & 0xffffffffn), Number(seed >> 32n)];
  const block = (b: number) => philoxRef([b % 2 ** 32, Math.floor(b / 2 ** 32), Number(k), 0], key);
  for (const n of [1, 31, 127, 128, 129, 300]) {
    const r = e.rng(seed).stream(k).atPosition(pos);
    const got = r.rademacher(n, 0.5);
    assert.is(r.position, pos + Math.ceil(n / 128));
    for (let i = 0; i < n; i++) {
      const w = block(pos + Math.floor(i / 128))[(i >> 5) & 3];
      assert.is(got[i], (w >>> (i & 31)) & 1 ? 0.5 : -0.5, `n ${n} i ${i}`);
    }
  }
  // integers: Lemire on the word stream x0, x1, x2, x3 of consecutive blocks, range 10 (t = 2^32 mod 10 = 6).
  const r = e.rng(seed).stream(k).atPosition(pos);
  const got = r.integers(50, -4, 6);
  const words: number[] = [];
  for (let b = 0; words.length < 200; b++) words.push(...block(pos + b));
  const want: number[] = [];
  for (let t = 0; want.length < 50; t++) {
    const x = words[t], m = x * 10; // exact in doubles (< 2^36)
    if (m % 2 ** 32 >= 6) want.push(-4 + Math.floor(m / 2 ** 32));
  }
  assert.equal(Array.from(got), want);
});

test("uniform and normal: frozen first values for seed 42 (known answer of this implementation)", async () => {
  const e = await engine();
  const r = e.rng(42);
  assert.equal(Array.from(r.uniform(4)), [0.4685867371367841, 0.340861355415219, 0.3270635546296362, 0.45431543059642165]);
  assert.equal(Array.from(r.normal(4)), [0.21637601556790467, -1.4494539753516416, -1.0808142532708738, 1.0261810366486224]);
  assert.is(r.position, 4);
  assert.equal(Array.from(e.rng(42).normal(4)), FROZEN_NORMAL_42);
});
/** engine.rng(42).normal(4): blocks 0 and 1 of stream 0 under key (42, 0). */
const FROZEN_NORMAL_42 = [-0.6076500986848286, 0.9461458306302636, -0.8536440700465685, 0.2519932120020123];

test("normal: equals host-Math Box–Muller on the same uniforms within 16 eps max(r, 1) (our log/sin/cos accuracy)", async () => {
  const e = await engine();
  const seed = 9;
  const u = e.rng(seed).uniform(200002);
  const z = e.rng(seed).normal(200002);
  let worst = 0;
  for (let i = 0; i < z.length; i += 2) {
    const rad = Math.sqrt(-2 * Math.log(1 - u[i]));
    const th = 2 * Math.PI * u[i + 1];
    const tol = 16 * EPS * Math.max(rad, 1);
    worst = Math.max(worst, Math.abs(z[i] - rad * Math.cos(th)) / tol, Math.abs(z[i + 1] - rad * Math.sin(th)) / tol);
  }
  assert.ok(worst <= 1, `worst error / tolerance = ${worst}, seed ${seed}`);
});

test("SIMD kernels equal the scalar reference kernels bit for bit (odd n, positions across 2^32)", async () => {
  const e = await engine();
  const x = e.core.x;
  for (const pos of [0n, 2n ** 32n - 5n, 2n ** 63n + 3n]) {
    for (const n of [1, 2, 3, 7, 8, 9, 17, 33, 129, 1001]) {
      const [a, b, c, d] = e.core.scope((ar) => {
        const p = ar.allocF64(n), q = ar.allocF64(n), r = ar.allocF64(n), s = ar.allocF64(n);
        x.rng_fill_uniform_f64(11, 22, 33, 44, pos, p, n);
        x.rng_fill_uniform_f64_ref(11, 22, 33, 44, pos, q, n);
        x.rng_fill_normal_f64(11, 22, 33, 44, pos, r, n);
        x.rng_fill_normal_f64_ref(11, 22, 33, 44, pos, s, n);
        return [ar.take(p, n), ar.take(q, n), ar.take(r, n), ar.take(s, n)];
      });
      assert.equal(Array.from(a), Array.from(b), `uniform n ${n} pos ${pos}`);
      for (let i = 0; i < n; i++) assert.ok(Object.is(c[i], d[i]), `normal n ${n} pos ${pos} i ${i}: ${c[i]} vs ${d[i]}`);
    }
  }
});

// ---------- determinism and streams ----------
test("same seed -> same bits; number and bigint seeds agree; different seeds/streams differ", async () => {
  const e = await engine();
  const a = e.rng(2024), b = e.rng(2024n);
  for (let t = 0; t < 3; t++) {
    assert.equal(Array.from(a.normal(101)), Array.from(b.normal(101)));
    assert.equal(Array.from(a.uniform(33)), Array.from(b.uniform(33)));
  }
  assert.equal(a.position, b.position);
  const x = e.rng(2024).normal(64), y = e.rng(2025).normal(64), z = e.rng(2024).stream(1).normal(64);
  const w = e.rng(2024 + 2 ** 32).normal(64);
  for (const o of [y, z, w]) assert.ok(x.some((v, i) => v !== o[i]));
  // 2^53 - 1 as number equals the bigint of the same value.
  assert.equal(Array.from(e.rng(2 ** 53 - 1).uniform(4)), Array.from(e.rng(2n ** 53n - 1n).uniform(4)));
  assert.equal(e.rng(2 ** 53 - 1).key, [0xffffffff, 0x1fffff]);
});

test("streams: stream(k) is a pure function of (seed, k), absolute (not nested), equals the raw counter construction", async () => {
  const e = await engine();
  const root = e.rng(77);
  root.normal(10);
  const s3 = root.stream(3).normal(50);
  assert.equal(Array.from(e.rng(77).stream(5).stream(3).normal(50)), Array.from(s3));
  assert.equal(root.stream(3).streamIndex, 3);
  assert.equal(root.stream(2n ** 40n).streamWords, [0, 256]);
  // Raw construction: counter = (position, 0, 3, 0), key = (77, 0).
  const raw = e.core.scope((ar) => {
    const p = ar.allocF64(50);
    e.core.x.rng_fill_normal_f64(77, 0, 3, 0, 0n, p, 50);
    return ar.take(p, 50);
  });
  assert.equal(Array.from(raw), Array.from(s3));
  // Jumping: atPosition(p) continues exactly where a stream at position p would.
  const r = e.rng(77).stream(3);
  r.uniform(20);
  assert.equal(Array.from(r.uniform(30)), Array.from(e.rng(77).stream(3).atPosition(10).uniform(30)));
  // The Into variants give the same bits and consumption as the allocating ones.
  const q1 = e.rng(77).stream(3), q2 = q1.clone();
  const buf = new Float64Array(37);
  assert.equal(Array.from(q1.normalInto(buf)), Array.from(q2.normal(37)));
  assert.equal(Array.from(q1.normalInto(buf, 2, 3)), Array.from(q2.normal(37, 2, 3)));
  assert.equal(Array.from(q1.uniformInto(buf)), Array.from(q2.uniform(37)));
  assert.is(q1.position, q2.position);
  // Chunked fills (32768 elements per WASM call) equal one raw kernel fill.
  const big = e.rng(77).normal(100003);
  const rawBig = e.core.scope((ar) => {
    const p = ar.allocF64(100003);
    e.core.x.rng_fill_normal_f64(77, 0, 0, 0, 0n, p, 100003);
    return ar.take(p, 100003);
  });
  assert.ok(big.every((v, i) => Object.is(v, rawBig[i])));
  // clone is independent.
  const c = r.clone();
  assert.equal(Array.from(c.normal(5)), Array.from(r.normal(5)));
  c.normal(5);
  assert.is(c.position, r.position + 3);
});

test("chunked fills equal one raw kernel fill for lengths around the 32768-element chunk and any start position", async () => {
  const e = await engine();
  const C = 32768;
  const raw = (kind: "normal" | "uniform", k: [number, number], s: [number, number], pos: number, n: number, mean = 0, sd = 1) =>
    e.core.scope((ar) => {
      const p = ar.allocF64(Math.max(n, 1));
      if (kind === "uniform") e.core.x.rng_fill_uniform_f64(k[0], k[1], s[0], s[1], BigInt(pos), p, n);
      else if (mean === 0 && sd === 1) e.core.x.rng_fill_normal_f64(k[0], k[1], s[0], s[1], BigInt(pos), p, n);
      else e.core.x.rng_fill_normal_scaled_f64(k[0], k[1], s[0], s[1], BigInt(pos), p, n, mean, sd);
      return ar.take(p, n);
    });
  const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  // Positions include one just below a 2^32-block carry of the counter's low word, so a chunk straddles it.
  const starts = [0, 1, 7, 2 ** 32 - 20000];
  const lengths = [1, 2, 3, 15, 16, 17, C - 1, C, C + 1, C + 2, 2 * C - 3, 2 * C, 2 * C + 1, 3 * C + 17];
  let checked = 0;
  for (const pos of starts) {
    for (const n of lengths) {
      const r = e.rng(2 ** 40 + 5).stream(9).atPosition(pos);
      const k = r.key as [number, number], s = r.streamWords as [number, number];
      assert.ok(same(r.clone().normal(n), raw("normal", k, s, pos, n)), `normal n=${n} pos=${pos}`);
      assert.ok(same(r.clone().normal(n, -1.5, 3), raw("normal", k, s, pos, n, -1.5, 3)), `scaled normal n=${n} pos=${pos}`);
      assert.ok(same(r.clone().uniform(n), raw("uniform", k, s, pos, n)), `uniform n=${n} pos=${pos}`);
      const into = new Float64Array(n);
      r.clone().normalInto(into);
      assert.ok(same(into, raw("normal", k, s, pos, n)), `normalInto n=${n} pos=${pos}`);
      // Two successive calls continue the stream exactly where one longer fill would (even first length).
      const a = r.clone(), m = n & ~1;
      const joined = new Float64Array(m + 5);
      joined.set(a.normal(m));
      joined.set(a.normal(5), m);
      assert.ok(same(joined, raw("normal", k, s, pos, m + 5)), `successive normals n=${m}+5 pos=${pos}`);
      checked++;
    }
  }
  assert.is(checked, starts.length * lengths.length);
});

test("independence: correlations between streams, adjacent seeds and lagged values are 0 within 5 SE (SE 1/sqrt(n))", async () => {
  const e = await engine();
  const n = 200000;
  const corr = (a: Float64Array, b: Float64Array) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s / a.length; };
  const base = e.rng(31).normal(n);
  within("corr(stream 0, stream 1)", corr(base, e.rng(31).stream(1).normal(n)), 0, 1 / Math.sqrt(n), 31);
  within("corr(seed 31, seed 32)", corr(base, e.rng(32).normal(n)), 0, 1 / Math.sqrt(n), 31);
  within("corr(seed 31, seed 31 + 2^32)", corr(base, e.rng(31 + 2 ** 32).normal(n)), 0, 1 / Math.sqrt(n), 31);
  within("corr(stream 0, stream 2^32)", corr(base, e.rng(31).stream(2 ** 32).normal(n)), 0, 1 / Math.sqrt(n), 31);
  // Lag 2 (same word position in consecutive blocks) and lag 16 (consecutive SIMD groups).
  for (const lag of [2, 16]) within(`lag ${lag}`, corr(base.subarray(lag), base.subarray(0, n - lag)), 0, 1 / Math.sqrt(n - lag), 31);
});

test("positions: each sampler advances by its documented block count; even fills concatenate", async () => {
  const e = await engine();
  const r = e.rng(5);
  const whole = e.rng(5).normal(10);
  const parts = [...r.normal(4), ...r.normal(6)];
  assert.equal(parts, Array.from(whole));
  const p0 = r.position;
  r.uniform(7); assert.is(r.position, p0 + 4);
  r.rademacher(129); assert.is(r.position, p0 + 6);
  r.cube01(10, 13); assert.is(r.position, p0 + 8);
  r.cubePM1(1, 128); assert.is(r.position, p0 + 9);
  r.bernoulli(3, 0.5); assert.is(r.position, p0 + 11);
  r.sphere(3, 3); assert.is(r.position, p0 + 16);
  r.mvnormal(3, new Float64Array(3), eye(3)); assert.is(r.position, p0 + 21);
  r.mixture(3, { weights: Float64Array.from([1]), means: { rows: 1, cols: 3, data: new Float64Array(3) }, covs: [eye(3)] });
  assert.is(r.position, p0 + 28);
  r.normal(0); assert.is(r.position, p0 + 28);
  r.integers(8, 0, 10); assert.ok(r.position >= p0 + 30);
});

// ---------- statistics: every sampler ----------
test("uniform statistics: mean, variance (SE formulas), KS against F(x) = x, range [0, 1)", async () => {
  const e = await engine();
  const seed = 101, n = 400000;
  const u = e.rng(seed).uniform(n);
  const m = mean(u), v = centralMoment(u, 0.5, 2);
  within("uniform mean", m, 0.5, Math.sqrt(1 / 12 / n), seed); // SE = sigma / sqrt(n)
  within("uniform var", v, 1 / 12, Math.sqrt((1 / 80 - 1 / 144) / n), seed); // SE = sqrt((mu4 - sigma^4) / n)
  assert.ok(u.every((x) => x >= 0 && x < 1));
  const ks = ksStat(u, (x) => x);
  assert.ok(ks <= KS_T, `KS sqrt(n) D = ${ks}, seed ${seed}`);
  // Every value is a multiple of 2^-53.
  assert.ok(u.every((x) => Number.isInteger(x * 2 ** 53)));
});

test("normal statistics: moments 1-4 (SE formulas), KS against Phi, tail mass, mean/sd scaling", async () => {
  const e = await engine();
  const seed = 202, n = 400000;
  const z = e.rng(seed).normal(n);
  within("normal mean", mean(z), 0, 1 / Math.sqrt(n), seed); // SE 1/sqrt(n)
  within("normal E z^2", centralMoment(z, 0, 2), 1, Math.sqrt(2 / n), seed); // Var z^2 = 2
  within("normal E z^3", centralMoment(z, 0, 3), 0, Math.sqrt(15 / n), seed); // Var z^3 = 15
  within("normal E z^4", centralMoment(z, 0, 4), 3, Math.sqrt(96 / n), seed); // Var z^4 = 105 - 9
  const ks = ksStat(z, Phi);
  assert.ok(ks <= KS_T, `KS ${ks}, seed ${seed}`);
  const tail = 2 * Phi(-3);
  let c = 0;
  for (const x of z) if (Math.abs(x) > 3) c++;
  within("P(|z| > 3)", c / n, tail, Math.sqrt(tail * (1 - tail) / n), seed);
  // The pairs (z0, z1) of one block are independent: E[z0 z1] = 0, SE 1/sqrt(n/2).
  let s = 0;
  for (let i = 0; i < n; i += 2) s += z[i] * z[i + 1];
  within("E z0 z1", s / (n / 2), 0, 1 / Math.sqrt(n / 2), seed);
  const y = e.rng(seed).normal(n, -3, 2.5);
  within("N(-3, 2.5^2) mean", mean(y), -3, 2.5 / Math.sqrt(n), seed);
  within("N(-3, 2.5^2) var", centralMoment(y, -3, 2), 6.25, 6.25 * Math.sqrt(2 / n), seed);
  for (let i = 0; i < 100; i++) assert.ok(Math.abs(y[i] - (-3 + 2.5 * z[i])) <= 4 * EPS * (3 + 2.5 * Math.abs(z[i])));
  assert.ok(e.rng(seed).normal(10, 4, 0).every((x) => x === 4));
});

test("truncatedNormal: |z| <= bound, KS against the truncated Phi, variance formula, same bits for same seed", async () => {
  const e = await engine();
  const seed = 250, n = 200000;
  for (const bound of [2, 0.5]) {
    const x = e.rng(seed).truncatedNormal(n, 1, 3, bound);
    const z = x.map((v) => (v - 1) / 3);
    assert.ok(z.every((v) => Math.abs(v) <= bound * (1 + 4 * EPS)));
    const mass = Phi(bound) - Phi(-bound);
    const ks = ksStat(z, (t) => (Phi(t) - Phi(-bound)) / mass);
    assert.ok(ks <= KS_T, `truncated KS ${ks}, bound ${bound}, seed ${seed}`);
    // Var = 1 - 2 b phi(b) / mass; SE of the sample second moment <= sqrt(E z^4 / n) <= b^2 / sqrt(n).
    const phi = Math.exp(-bound * bound / 2) / Math.sqrt(2 * Math.PI);
    within(`truncated var b=${bound}`, centralMoment(z, 0, 2), 1 - 2 * bound * phi / mass, Math.min(bound * bound, Math.sqrt(3)) / Math.sqrt(n), seed);
    within(`truncated mean b=${bound}`, mean(z), 0, 1 / Math.sqrt(n), seed);
  }
  const a = e.rng(3), b = e.rng(3);
  assert.equal(Array.from(a.truncatedNormal(1001)), Array.from(b.truncatedNormal(1001)));
  assert.is(a.position, b.position);
  assert.is(e.rng(3).truncatedNormal(0).length, 0);
});

test("rademacher, bernoulli, cube01, cubePM1: values and frequencies (binomial SE sqrt(p(1-p)/n))", async () => {
  const e = await engine();
  const seed = 303, n = 300000;
  const r = e.rng(seed);
  const a = r.rademacher(n, 2.5);
  assert.ok(a.every((x) => x === 2.5 || x === -2.5));
  within("P(+a)", a.filter((x) => x > 0).length / n, 0.5, Math.sqrt(0.25 / n), seed);
  let s = 0;
  for (let i = 1; i < n; i++) s += a[i] * a[i - 1];
  within("E a_i a_{i-1} / a^2", s / (n - 1) / 6.25, 0, 1 / Math.sqrt(n - 1), seed);
  for (const p of [0.3, 0.5, 0.999, 1e-3]) {
    const b = r.bernoulli(n, p);
    assert.ok(b.every((x) => x === 0 || x === 1));
    within(`bernoulli(${p}) frequency`, mean(b), p, Math.sqrt(p * (1 - p) / n), seed);
  }
  assert.ok(r.bernoulli(1000, 0).every((x) => x === 0));
  assert.ok(r.bernoulli(1000, 1).every((x) => x === 1));
  const C = r.cube01(30000, 7);
  assert.ok(C.data.every((x) => x === 0 || x === 1));
  for (let j = 0; j < 7; j++) {
    let c = 0;
    for (let i = 0; i < C.rows; i++) c += C.data[i * 7 + j];
    within(`cube01 column ${j}`, c / C.rows, 0.5, Math.sqrt(0.25 / C.rows), seed);
  }
  within("cube01 overall", mean(C.data), 0.5, Math.sqrt(0.25 / C.data.length), seed);
  const P = r.cubePM1(30000, 5);
  assert.ok(P.data.every((x) => x === 1 || x === -1));
  for (let j = 0; j < 5; j++) {
    let c = 0;
    for (let i = 0; i < P.rows; i++) c += P.data[i * 5 + j];
    within(`cubePM1 column ${j} mean`, c / P.rows, 0, 1 / Math.sqrt(P.rows), seed);
  }
  // Balance of whole rows: the number of +1 in a row of length 5 is Binomial(5, 1/2): check P(all +1) = 1/32.
  let all = 0;
  for (let i = 0; i < P.rows; i++) if (P.data.subarray(i * 5, i * 5 + 5).every((x) => x === 1)) all++;
  within("cubePM1 P(row = all ones)", all / P.rows, 1 / 32, Math.sqrt((1 / 32) * (31 / 32) / P.rows), seed);
});

test("integers: range, chi-square frequencies (z of (chi2 - df)/sqrt(2 df) <= 5), full 2^32 range, range 1", async () => {
  const e = await engine();
  const seed = 404, n = 210000;
  const r = e.rng(seed);
  const v = r.integers(n, -3, 4);
  const counts = new Array(7).fill(0);
  for (const x of v) {
    assert.ok(x >= -3 && x < 4 && Number.isInteger(x));
    counts[x + 3]++;
  }
  const exp = n / 7;
  const chi2 = counts.reduce((s, c) => s + (c - exp) ** 2 / exp, 0);
  within("chi2(6)", chi2, 6, Math.sqrt(12), seed);
  // A range that is not a power of two and close to 2^32 (rejection matters): mean and uniformity of the top bit.
  const lo = -(2 ** 31), hi = 2 ** 31 - 2 ** 30 + 5;
  const w = r.integers(n, lo, hi);
  const R = hi - lo;
  assert.ok(w.every((x) => x >= lo && x < hi));
  within("integers mean", mean(w), lo + (R - 1) / 2, Math.sqrt((R * R - 1) / 12 / n), seed);
  const f = r.integers(n, -(2 ** 31), 2 ** 31);
  within("full-range mean", mean(f), -0.5, Math.sqrt((2 ** 64 - 1) / 12 / n), seed);
  assert.ok(r.integers(100, 9, 10).every((x) => x === 9));
});

test("sphere: norms = r to (d/4 + 3) eps r; coordinate laws by KS (d = 2, 3, 5); d = 1 is +-r; mean 0", async () => {
  const e = await engine();
  const seed = 505;
  const r = e.rng(seed);
  for (const d of [1, 2, 3, 5, 17, 100, 1000]) {
    const rad = d === 17 ? 0.37 : 2;
    const n = d >= 100 ? 2000 : 100000;
    const S = r.sphere(n, d, rad);
    assert.is(S.rows, n);
    assert.is(S.cols, d);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += S.data[i * d + j] ** 2;
      worst = Math.max(worst, Math.abs(Math.sqrt(s) / rad - 1));
    }
    // Error of the normalization ((d/4 + 3) eps) plus the error of this test's own norm (d/2 + 2) eps.
    assert.ok(worst <= (0.75 * d + 5) * EPS, `d ${d}: relative norm error ${worst}`);
    const col0 = new Float64Array(n);
    for (let i = 0; i < n; i++) col0[i] = S.data[i * d] / rad;
    // Each coordinate has mean 0 and variance 1/d (of the unit sphere).
    within(`sphere d ${d} coordinate mean`, mean(col0), 0, Math.sqrt(1 / d / n), seed);
    if (d === 1) {
      assert.ok(col0.every((x) => Math.abs(Math.abs(x) - 1) <= 2 * EPS));
      within("sphere d 1 P(+r)", col0.filter((x) => x > 0).length / n, 0.5, Math.sqrt(0.25 / n), seed);
    } else if (d === 2) {
      // The angle is uniform on [0, 2 pi).
      const ang = new Float64Array(n);
      for (let i = 0; i < n; i++) ang[i] = (Math.atan2(S.data[i * 2 + 1], S.data[i * 2]) + Math.PI) / (2 * Math.PI);
      const ks = ksStat(ang, (x) => x);
      assert.ok(ks <= KS_T, `KS angle ${ks}, seed ${seed}`);
    } else if (d === 3) {
      // Archimedes: <x, e1> / r is uniform on [-1, 1].
      const ks = ksStat(col0, (t) => (t + 1) / 2);
      assert.ok(ks <= KS_T, `KS d=3 ${ks}, seed ${seed}`);
    } else if (d === 5) {
      // Density of t = <x, e1>/r is c (1 - t^2)^((d-3)/2) = (3/4)(1 - t^2): CDF (2 + 3t - t^3) / 4.
      const ks = ksStat(col0, (t) => (2 + 3 * t - t ** 3) / 4);
      assert.ok(ks <= KS_T, `KS d=5 ${ks}, seed ${seed}`);
    }
  }
});

test("mvnormal: sample mean and covariance within 5 SE (SE of S_ij = sqrt((S_ii S_jj + S_ij^2)/n)); PSD rank-1 cov", async () => {
  const e = await engine();
  const seed = 606, n = 200000;
  const r = e.rng(seed);
  const mu = Float64Array.from([1, -2, 0.5]);
  const S = { rows: 3, cols: 3, data: Float64Array.from([4, 1.2, -0.6, 1.2, 2, 0.3, -0.6, 0.3, 1]) };
  const X = r.mvnormal(n, mu, S);
  assert.is(X.rows, n);
  assert.is(X.cols, 3);
  const m = [0, 1, 2].map((j) => { let s = 0; for (let i = 0; i < n; i++) s += X.data[i * 3 + j]; return s / n; });
  for (let j = 0; j < 3; j++) within(`mvnormal mean ${j}`, m[j], mu[j], Math.sqrt(S.data[j * 4] / n), seed);
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (X.data[i * 3 + a] - mu[a]) * (X.data[i * 3 + b] - mu[b]);
      const Sab = S.data[a * 3 + b];
      within(`mvnormal cov ${a}${b}`, s / n, Sab, Math.sqrt((S.data[a * 4] * S.data[b * 4] + Sab * Sab) / n), seed);
    }
  }
  // Rank 1: cov = v v^T, samples lie on mu + t v with t ~ N(0, 1).
  const v = [1, -2, 3];
  const C1 = { rows: 3, cols: 3, data: Float64Array.from([0, 1, 2].flatMap((i) => v.map((x) => x * v[i]))) };
  const Y = r.mvnormal(50000, mu, C1);
  const ts = new Float64Array(Y.rows);
  for (let i = 0; i < Y.rows; i++) {
    const y = [0, 1, 2].map((j) => Y.data[i * 3 + j] - mu[j]);
    const t = (y[0] * v[0] + y[1] * v[1] + y[2] * v[2]) / 14;
    ts[i] = t;
    for (let j = 0; j < 3; j++) assert.ok(Math.abs(y[j] - t * v[j]) <= 64 * EPS * (1 + Math.abs(t) * 3 + Math.abs(mu[j])), `off the line: row ${i}`);
  }
  within("rank-1 t var", centralMoment(ts, 0, 2), 1, Math.sqrt(2 / ts.length), seed);
  // Zero covariance: every row equals the mean.
  const Z0 = r.mvnormal(5, mu, { rows: 3, cols: 3, data: new Float64Array(9) });
  for (let i = 0; i < 5; i++) assert.equal(Array.from(Z0.data.subarray(i * 3, i * 3 + 3)), Array.from(mu));
});

test("mixture: label frequencies (binomial SE), per-component means (SE sqrt(S_jj / n_k)), zero weight never drawn", async () => {
  const e = await engine();
  const seed = 707, n = 120000;
  const r = e.rng(seed);
  const spec = {
    weights: Float64Array.from([1, 0, 3, 2]),
    means: { rows: 4, cols: 2, data: Float64Array.from([0, 0, 50, 50, 10, -5, -8, 4]) },
    covs: [eye(2), eye(2), { rows: 2, cols: 2, data: Float64Array.from([2, 0.5, 0.5, 1]) }, eye(2, 0.25)],
  };
  const { X, labels } = r.mixture(n, spec);
  assert.is(X.rows, n);
  assert.is(labels.length, n);
  const w = [1 / 6, 0, 3 / 6, 2 / 6];
  for (let k = 0; k < 4; k++) {
    const nk = labels.filter((l) => l === k).length;
    if (w[k] === 0) { assert.is(nk, 0); continue; }
    within(`mixture P(label ${k})`, nk / n, w[k], Math.sqrt(w[k] * (1 - w[k]) / n), seed);
    for (let j = 0; j < 2; j++) {
      let s = 0, s2 = 0;
      for (let i = 0; i < n; i++) if (labels[i] === k) { const x = X.data[i * 2 + j]; s += x; s2 += x * x; }
      const mk = spec.means.data[k * 2 + j], vk = spec.covs[k].data[j * 3];
      within(`component ${k} mean ${j}`, s / nk, mk, Math.sqrt(vk / nk), seed);
      within(`component ${k} var ${j}`, s2 / nk - (s / nk) ** 2, vk, vk * Math.sqrt(2 / nk) + 1e-12, seed);
    }
  }
  // Same seed, same mixture bits.
  const again = e.rng(seed).mixture(n, spec);
  assert.equal(Array.from(again.labels.subarray(0, 100)), Array.from(labels.subarray(0, 100)));
  assert.equal(Array.from(again.X.data.subarray(0, 100)), Array.from(X.data.subarray(0, 100)));
});

test("pivoted Cholesky: P L L^T P^T reconstructs PSD covariances (full and deficient rank) to 8 d eps max|S|", async () => {
  const e = await engine();
  const { factorCov } = await import("../src/random/mvnormal.js");
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  for (const [d, rank] of [[1, 1], [2, 1], [3, 3], [7, 4], [17, 17], [33, 5]]) {
    // S = G G^T with G d x rank: PSD of the given rank.
    const G = Array.from({ length: d * rank }, rnd);
    const S = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
      let t = 0;
      for (let p = 0; p < rank; p++) t += G[i * rank + p] * G[j * rank + p];
      S[i * d + j] = t;
    }
    const f = factorCov(e.core, "cov", { rows: d, cols: d, data: S }, d);
    assert.is(f.rank, rank, `d ${d}: numerical rank ${f.rank} != ${rank}`);
    assert.equal(Array.from(f.perm).sort((a, b) => a - b), Array.from({ length: d }, (_, i) => i));
    let maxAbs = 0;
    for (const v of S) maxAbs = Math.max(maxAbs, Math.abs(v));
    let worst = 0;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
      let t = 0;
      for (let p = 0; p < d; p++) t += f.L[i * d + p] * f.L[j * d + p];
      worst = Math.max(worst, Math.abs(t - S[f.perm[i] * d + f.perm[j]]));
      if (j > i || j >= f.rank) assert.is(f.L[i * d + j], 0);
    }
    assert.ok(worst <= 8 * d * EPS * maxAbs, `d ${d} rank ${rank}: reconstruction error ${worst}`);
  }
});

test("rng_sphere_rows_f64 kernel: leaves all-zero rows untouched and reports them (the redraw trigger); tiny rows rescaled", async () => {
  const e = await engine();
  const [bad, first, data] = e.core.scope((ar) => {
    const p = ar.put(Float64Array.from([3, 4, 0, 0, 0, 0, 1e-200, 0]));
    const pb = ar.alloc(4);
    const b = e.core.x.rng_sphere_rows_f64(p, 4, 2, 10, pb);
    return [b, ar.i32(pb, 1)[0], Array.from(ar.f64(p, 8))];
  });
  assert.is(bad, 2);
  assert.is(first, 1);
  assert.equal(data.slice(0, 6), [6, 8, 0, 0, 0, 0]);
  // 1e-200^2 underflows to 0: the kernel rescales by max |x_j| first instead of reporting or dividing by zero.
  assert.equal(data.slice(6), [10, 0]);
});

test("sphere: an all-zero normal row is redrawn from the blocks after the call (fault injected in a private engine)", async () => {
  const { createEngine } = await import("../src/index.js");
  const e2 = await createEngine();
  const x = e2.core.x as unknown as Record<string, unknown>;
  const real = e2.core.x.rng_fill_normal_f64;
  let calls = 0;
  x.rng_fill_normal_f64 = (k0: number, k1: number, s0: number, s1: number, pos: bigint, out: number, n: number) => {
    real(k0, k1, s0, s1, pos, out, n);
    // First call: zero row 1 of a 3 x 4 request (probability 2^-52 events forced here).
    if (calls++ === 0) e2.core.arena.f64(out + 4 * 8, 4).fill(0);
  };
  const r = e2.rng(8);
  const S = r.sphere(3, 4, 2);
  // 6 blocks for the request + 2 blocks for the redraw of row 1.
  assert.is(r.position, 8);
  assert.is(calls, 2);
  const clean = (await engine()).rng(8);
  const ref = clean.sphere(3, 4, 2);
  assert.equal(Array.from(S.data.subarray(0, 4)), Array.from(ref.data.subarray(0, 4)));
  assert.equal(Array.from(S.data.subarray(8)), Array.from(ref.data.subarray(8)));
  // Row 1 = normalized normals of blocks 6, 7.
  const z = clean.atPosition(6).normal(4);
  const nz = Math.hypot(...z);
  for (let j = 0; j < 4; j++) assert.ok(Math.abs(S.data[4 + j] - 2 * z[j] / nz) <= 8 * EPS * 2);
});

// ---------- bad inputs ----------
test("bad inputs: each rejected with its message; the engine and the stream keep working", async () => {
  const e = await engine();
  const E = InvalidArgumentError;
  throwsWith(() => e.rng(-1), E, "seed must be a nonnegative safe integer or a bigint in [0, 2^64). Value: `-1`.");
  throwsWith(() => e.rng(1.5), E, "seed must be", "`1.5`");
  throwsWith(() => e.rng(NaN), E, "seed must be", "`NaN`");
  throwsWith(() => e.rng(2 ** 53), E, "seed must be");
  throwsWith(() => e.rng(2n ** 64n), E, "seed must be an integer in [0, 2^64). Value: `18446744073709551616n`.");
  throwsWith(() => e.rng("3" as unknown as number), E, "seed must be", '`"3"`');
  const r = e.rng(1);
  const before = r.position;
  throwsWith(() => r.uniform(-1), E, "n must be a nonnegative integer <= 268435456. Value: `-1`.");
  throwsWith(() => r.uniform(2.5), E, "n must be a nonnegative integer", "`2.5`");
  throwsWith(() => r.uniform(NaN), E, "n must be", "`NaN`");
  throwsWith(() => r.normal(2 ** 40), E, "n must be a nonnegative integer <= 268435456", "`1099511627776`");
  throwsWith(() => r.normal(3, NaN), E, "mean must be a finite number. Value: `NaN`.");
  throwsWith(() => r.normal(3, 0, -1), E, "sd must be a finite number >= 0. Value: `-1`.");
  throwsWith(() => r.normal(3, 0, Infinity), E, "sd must be a finite number >= 0. Value: `Infinity`.");
  throwsWith(() => r.truncatedNormal(3, 0, 1, 0.05), E, "bound must be a number in [0.1, 10]. Value: `0.05`.");
  throwsWith(() => r.truncatedNormal(3, 0, -2), E, "sd must be a finite number >= 0. Value: `-2`.");
  throwsWith(() => r.rademacher(3, NaN), E, "a must be a finite number. Value: `NaN`.");
  throwsWith(() => r.bernoulli(3, 1.5), E, "p must be a number in [0, 1]. Value: `1.5`.");
  throwsWith(() => r.bernoulli(3, NaN), E, "p must be a number in [0, 1]. Value: `NaN`.");
  throwsWith(() => r.sphere(3, 0), E, "d must be a positive integer <= 268435456. Value: `0`.");
  throwsWith(() => r.sphere(3, 2, 0), E, "radius must be a finite number > 0. Value: `0`.");
  throwsWith(() => r.sphere(3, 2, -1), E, "radius must be a finite number > 0. Value: `-1`.");
  throwsWith(() => r.sphere(-3, 2), E, "count must be a nonnegative integer", "`-3`");
  throwsWith(() => r.sphere(2 ** 20, 2 ** 20), E, "count * d must be at most 268435456. Value: `1099511627776`.");
  throwsWith(() => r.cube01(2, 1.5), E, "d must be a positive integer", "`1.5`");
  throwsWith(() => r.cubePM1(-1, 2), E, "count must be a nonnegative integer", "`-1`");
  throwsWith(() => r.integers(3, 5, 5), E, "hi must be an integer in [6, 2147483648]. Value: `5`.");
  throwsWith(() => r.integers(3, -(2 ** 31) - 1, 0), E, "lo must be an integer in [-2147483648, 2147483647]", "`-2147483649`");
  throwsWith(() => r.integers(3, 3, 2 ** 31 + 1), E, "hi must be an integer in [4, 2147483648]. Value: `2147483649`.");
  throwsWith(() => r.stream(-1), E, "k must be a nonnegative safe integer or a bigint in [0, 2^64). Value: `-1`.");
  throwsWith(() => r.atPosition(-2), E, "position must be a nonnegative integer", "`-2`");
  throwsWith(() => r.normalInto([1, 2] as unknown as Float64Array), E, "out must be a Float64Array");
  // (a Float32Array is valid: float32 uniforms, test/f32-random.test.ts)
  throwsWith(() => r.uniformInto(new Int32Array(2) as unknown as Float64Array), E, "out must be a Float64Array or a Float32Array. Value: `Int32Array(2)`.");
  throwsWith(() => r.normalInto(new Float64Array(2), 0, NaN), E, "sd must be a finite number >= 0. Value: `NaN`.");
  const mu = new Float64Array(2);
  throwsWith(() => r.mvnormal(3, mu, eye(3)), E, "cov must be a 2 x 2 matrix. Value: `{ rows: 3, cols: 3 }`.");
  throwsWith(() => r.mvnormal(3, [0, 0] as unknown as Float64Array, eye(2)), E, "mean must be a Float64Array");
  throwsWith(() => r.mvnormal(3, Float64Array.from([0, NaN]), eye(2)), E, "mean[1] must be a finite number. Value: `NaN`.");
  throwsWith(() => r.mvnormal(3, mu, { rows: 2, cols: 2, data: Float64Array.from([1, NaN, NaN, 1]) }), E, "cov.data[1] must be a finite number. Value: `NaN`.");
  throwsWith(() => r.mvnormal(3, mu, { rows: 2, cols: 2, data: Float64Array.from([1, 0.5, 0.4, 1]) }), E, "cov[1][0] must be equal to cov[0][1] = 0.5 (symmetric to relative 1e-10). Value: `0.4`.");
  throwsWith(() => r.mvnormal(3, mu, { rows: 2, cols: 2, data: Float64Array.from([1, 2, 2, 1]) }), E, "cov must be positive semidefinite");
  throwsWith(() => r.mvnormal(3, mu, { rows: 2, cols: 2, data: Float64Array.from([0, 1, 1, 0]) }), E, "cov must be positive semidefinite");
  throwsWith(() => r.mvnormal(3, mu, { rows: 2, cols: 2, data: Float64Array.from([-1, 0, 0, -1]) }), E, "cov must be positive semidefinite");
  const good = { weights: Float64Array.from([1, 1]), means: { rows: 2, cols: 2, data: new Float64Array(4) }, covs: [eye(2), eye(2)] };
  throwsWith(() => r.mixture(3, { ...good, weights: Float64Array.from([1, -1]) }), E, "spec.weights[1] must be a finite number >= 0. Value: `-1`.");
  throwsWith(() => r.mixture(3, { ...good, weights: Float64Array.from([0, 0]) }), E, "spec.weights must be nonnegative with a finite positive sum");
  throwsWith(() => r.mixture(3, { ...good, weights: Float64Array.from([1, NaN]) }), E, "spec.weights[1] must be a finite number. Value: `NaN`.");
  throwsWith(() => r.mixture(3, { ...good, weights: Float64Array.from([1, 1, 1]) }), E, "spec.means.rows must be equal to spec.weights.length (3). Value: `2`.");
  throwsWith(() => r.mixture(3, { ...good, covs: [eye(2)] }), E, "spec.covs.length must be equal to spec.weights.length (2). Value: `1`.");
  throwsWith(() => r.mixture(3, { ...good, covs: [eye(2), eye(3)] }), E, "spec.covs[1] must be a 2 x 2 matrix");
  throwsWith(() => r.mixture(3, { ...good, covs: [eye(2), { rows: 2, cols: 2, data: Float64Array.from([1, 3, 3, 1]) }] }), E, "spec.covs[1] must be positive semidefinite");
  throwsWith(() => r.mixture(3, undefined as unknown as typeof good), E, "spec must be an object { weights, means, covs }");
  // Nothing was consumed by the failed calls; the stream continues as a fresh one would.
  assert.is(r.position, before);
  assert.equal(Array.from(r.uniform(4)), Array.from(e.rng(1).uniform(4)));
  assert.equal(Array.from(e.rng(42).normal(4)), FROZEN_NORMAL_42);
});

test.run();
