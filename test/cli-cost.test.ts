// The CLI's cost guard: the example (gradvar d 100, 2e6 directions, 1e6 samples) is refused at once with one
// line naming the estimate (memory over the limit: refused even with --yes); work above the threshold needs --yes;
// quick commands are not slowed down or noisy; the progress ETA comes from the estimate before any progress.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCli, type CliIO } from "../src/cli/program.js";
import { etaSeconds, formatDuration } from "../src/cli/cost-guard.js";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string; ms: number }> {
  let out = "", err = "";
  const io: CliIO = { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false };
  const t0 = performance.now();
  const code = await runCli(argv, io);
  return { code, out, err, ms: performance.now() - t0 };
}
const oneLine = (s: string) => s.split("\n").filter(Boolean).length === 1;

test("the issue's example is refused at once: exit 2, one line with the memory and time estimate; --yes does not override memory", async () => {
  for (const yes of [[], ["--yes"]]) {
    const r = await cli("gradvar", "--dim", "100", "--radius", "1", "--directions", "2000000", "--samples", "1000000", ...yes);
    assert.is(r.code, 2, r.err);
    assert.is(r.out, "");
    assert.ok(oneLine(r.err), r.err);
    assert.match(r.err, /^hardlearn: gradvar: estimated .+ of work \(.+ flop at .+ Gflop\/s.*\) and 4\.\d GiB of memory, over the engine's memory limit of 2\.0 GiB; reduce --directions or --samples/);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
  }
});

test("above a minute of estimated work: exit 2 naming the estimate and --yes (the estimate calibrated by a probe)", async () => {
  const r = await cli("gradvar", "--dim", "100", "--radius", "1", "--directions", "100000", "--samples", "200000");
  assert.is(r.code, 2, r.err);
  assert.ok(oneLine(r.err), r.err);
  assert.match(r.err, /^hardlearn: gradvar: estimated .+ of work \(8\.40e\+12 flop at [\d.]+ Gflop\/s measured\) and \d+ MiB of memory, above the 60 s threshold; add --yes to run it anyway/);
  const t = await cli("train", "--samples", "200000", "--epochs", "500", "--width", "200", "--dim", "50");
  assert.is(t.code, 2, t.err);
  assert.match(t.err, /^hardlearn: train: estimated .+ add --yes/);
  const l = await cli("landscape", "--grid", "4096", "--starts", "200");
  assert.is(l.code, 2, l.err);
  assert.match(l.err, /--grid or --starts/);
});

test("--yes runs what the threshold refuses (threshold lowered through HARDLEARN_CONFIRM_SECONDS); quick runs stay silent", async () => {
  const args = ["gradvar", "--dim", "5", "--radius", "1", "--directions", "200", "--samples", "2000", "--json"];
  const quiet = await cli(...args);
  assert.is(quiet.code, 0, quiet.err);
  assert.is(quiet.err, "", "a quick command prints no estimate");
  process.env.HARDLEARN_CONFIRM_SECONDS = "0.000001";
  try {
    const refused = await cli(...args);
    assert.is(refused.code, 2);
    assert.match(refused.err, /above the 0\.000001 s threshold; add --yes/);
    const yes = await cli(...args, "--yes");
    assert.is(yes.code, 0, yes.err);
    assert.equal(JSON.parse(yes.out), JSON.parse(quiet.out), "same result with --yes");
  } finally {
    delete process.env.HARDLEARN_CONFIRM_SECONDS;
  }
});

test("ETA: from the estimate before any progress, from the measured rate after; never negative", () => {
  assert.is(etaSeconds(0, 0, 100, 300), 300);
  assert.is(etaSeconds(100, 0, 100, 300), 200);
  assert.is(etaSeconds(400, 0, 100, 300), 0);
  assert.is(etaSeconds(10, 0, 100, undefined), undefined);
  assert.is(etaSeconds(10, 25, 100, 300), 30);
  assert.is(formatDuration(49 * 60), "49 min");
  assert.is(formatDuration(4.9 * 86400), "4.9 days");
});

test.run();
