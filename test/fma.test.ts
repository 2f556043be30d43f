// Opt-in FMA mode (createEngine({ fma: true })): the relaxed-SIMD build of the core, whose GEMM micro-kernel uses
// f64x2.relaxed_madd. Checked on every host:
//  - the default engine reports fma.active = false and keeps its bits;
//  - where this host cannot run relaxed SIMD, { fma: true } falls back to the default build, says why, and gives the
//    default bits;
//  - the FMA build itself (here, or in a child Node with --experimental-wasm-relaxed-simd on hosts that need the flag):
//    every product on the odd-size grid x 4 transposes is deterministic and within the GEMM error bound of the exact
//    product; when the host fuses, some entries differ from the default mode (proof that the fused kernel ran);
//    gram stays exactly symmetric.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { createEngine } from "../src/index.js";
import { InvalidArgumentError } from "../src/errors.js";
import { gauss } from "./helpers.js";
import { fmaChecks } from "./fixtures/fma/check.js";

const hostRelaxed = WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123,
  3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 135, 2, 11]));

test("default engine: FMA mode off", async () => {
  const e = await createEngine();
  assert.equal({ ...e.fma }, { requested: false, active: false, fused: false });
});

test("options.fma must be a boolean", async () => {
  let err: unknown;
  try { await createEngine({ fma: "yes" as unknown as boolean }); } catch (x) { err = x; }
  assert.instance(err, InvalidArgumentError);
  assert.match((err as Error).message, "options.fma must be a boolean");
});

test("fma: true on this host: active where relaxed SIMD runs, else a documented fallback with the default bits", async () => {
  const e = await createEngine({ fma: true });
  const plain = await createEngine();
  assert.is(e.fma.requested, true);
  assert.is(e.fma.active, hostRelaxed);
  if (!hostRelaxed) {
    assert.match(e.fma.note ?? "", /relaxed SIMD/);
    const A = gauss(70, 90, 1), B = gauss(90, 50, 2);
    assert.equal(Array.from(e.matmul(A, B).data), Array.from(plain.matmul(A, B).data));
  }
});

test("the FMA build: deterministic, within the GEMM error bound, fused where the host fuses, gram symmetric", async () => {
  let r: Record<string, unknown>;
  if (hostRelaxed) r = await fmaChecks();
  else {
    const out = spawnSync(process.execPath, ["--experimental-wasm-relaxed-simd", "--import", "tsx", "test/fixtures/fma/check.ts"], { encoding: "utf8", timeout: 120_000 });
    assert.is(out.status, 0, `child failed: ${out.stderr}`);
    r = JSON.parse(out.stdout.trim().split("\n").pop()!);
  }
  assert.is(r.active, true, JSON.stringify(r));
  assert.ok((r.cases as number) >= 200, `cases ${r.cases}`);
  assert.ok((r.worstBoundRatio as number) <= 1, `error / bound = ${r.worstBoundRatio}`);
  assert.is(r.gramAsymmetry, 0);
  if (r.fused) assert.ok((r.differingFromDefault as number) > 0, "fused mode changed no entry: the FMA kernel did not run");
  else assert.is(r.differingFromDefault, 0, "an unfused multiply-add must give the default bits");
});

test.run();
