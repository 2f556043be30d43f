// Runs every benchmark suite once at smoke sizes so the benchmarks never rot. Timing is not asserted here.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createContext } from "../bench/harness.js";
import { runSuites } from "../bench/index.js";

test("every benchmark suite runs in smoke mode and every hardlearn task produces a time", async () => {
  const ctx = createContext({ smoke: true });
  await runSuites(ctx);
  const self = ctx.rows.filter((r) => r.task.startsWith("hardlearn"));
  for (const r of self) assert.ok(r.seconds !== null, `${r.group} / ${r.task} failed: ${r.error}`);
});

test.run();
