// The test gate cannot lie: test/run.ts is run in a child process on deliberately broken fixture suites
// (test/fixtures/gate) and must exit non-zero, count the failures in its closing line and say why.
// The passing fixture proves the gate is not simply always red.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";

function gate(fixture: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "test/run.ts", "--dir", "test/fixtures/gate", `^${fixture}\\.fixture\\.ts$`], {
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    timeout: 60_000,
  });
  return { code: r.status, out: (r.stdout ?? "") + (r.stderr ?? "") };
}

function closing(out: string): string {
  const lines = out.trim().split("\n");
  return lines[lines.length - 1].trim();
}

const CASES: { fixture: string; code: number; line: string; says?: RegExp }[] = [
  { fixture: "pass", code: 0, line: "2 passed, 0 failed" },
  { fixture: "assert", code: 1, line: "1 passed, 1 failed", says: /deliberate failure/ },
  { fixture: "before", code: 1, line: "0 passed, 2 failed", says: /2 of 2 tests did not run.*before hook threw: Error: Chromium not found at \/nonexistent\/chromium/ },
  { fixture: "before-each", code: 1, line: "0 passed, 1 failed", says: /before\.each failed \(deliberate\)/ },
  { fixture: "after", code: 1, line: "1 passed, 1 failed", says: /after hook threw: Error: cleanup failed/ },
  { fixture: "load", code: 1, line: "0 passed, 1 failed", says: /load\.fixture\.ts failed to load: Error: module failed to load/ },
  { fixture: "empty", code: 1, line: "0 passed, 1 failed", says: /registered no test/ },
  { fixture: "exit", code: 1, line: "0 passed, 1 failed", says: /exited \(code 0\) before the tests finished/ },
  { fixture: "rejection", code: 1, line: "1 passed, 1 failed", says: /unhandled promise rejection: Error: stray rejection/ },
  { fixture: "no-such-file", code: 1, line: "0 passed, 1 failed", says: /no test file under test\/fixtures\/gate matches/ },
];

for (const c of CASES) {
  test(`gate: ${c.fixture} fixture -> exit ${c.code}, "${c.line}"`, () => {
    const { code, out } = gate(c.fixture);
    assert.is(code, c.code, `exit code for ${c.fixture}; output:\n${out}`);
    assert.is(closing(out), c.line, `closing line for ${c.fixture}; output:\n${out}`);
    if (c.says) assert.match(out, c.says, `the reason for ${c.fixture} is printed; output:\n${out}`);
  });
}

test.run();
