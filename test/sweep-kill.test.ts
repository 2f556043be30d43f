// kill -9 at random moments of a real `hardlearn sweep` process (the built CLI), then the same command again: the
// final result must have the bytes of an uninterrupted run every time (scripts/sweep-kill9.ts runs more trials).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killTrial } from "../scripts/sweep-kill9.js";

test("SIGKILL at 4 random points, each resumed: same bytes as the uninterrupted run", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hardlearn-kill9-"));
  try {
    const spec = { experiment: "gradvar", params: { samples: 8000, directions: 300 }, grid: { dim: [2, 5, 10], radius: [1, 2, 4] }, seeds: 2 };
    const rep = await killTrial(dir, 4, 7, spec, 0.25);
    assert.ok(rep.kills.some((k) => k.killed && k.cellsAfter > 0 && k.cellsAfter < 18), `at least one kill landed mid-sweep: ${JSON.stringify(rep.kills)}`);
    assert.ok(rep.equal, `final ${rep.finalSha256} vs reference ${rep.referenceSha256}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
