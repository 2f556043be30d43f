// The API reference in docs/api/ is what `npm run docs` generates from the current doc comments: the test regenerates
// it into a temporary directory and compares every file. A stale copy fails with the command that refreshes it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(".");

function list(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

test("docs/api is up to date with the doc comments (regenerate with `npm run docs`)", () => {
  assert.ok(existsSync(join(root, "docs", "api", "index.html")), "docs/api/index.html is missing: run `npm run docs`");
  mkdirSync(join(root, ".tmp"), { recursive: true });
  const tmp = mkdtempSync(join(root, ".tmp", "docs-"));
  try {
    const out = join(tmp, "api");
    const r = spawnSync(process.execPath, [join(root, "scripts", "docs.mjs"), "--out", out], { cwd: root, encoding: "utf8", timeout: 300000 });
    assert.is(r.status, 0, `typedoc failed (warnings count as errors):\n${r.stdout}${r.stderr}`);
    const want = list(out);
    const have = list(join(root, "docs", "api"));
    assert.equal(have, want, "docs/api has other files than `npm run docs` generates: run `npm run docs`");
    const stale = want.filter((f) => !readFileSync(join(out, f)).equals(readFileSync(join(root, "docs", "api", f))));
    assert.equal(stale, [], `docs/api is stale (run \`npm run docs\`): ${stale.slice(0, 10).join(", ")}`);
    // The reference documents the public API: a few names that must be there.
    for (const page of ["functions/createEngine.html", "classes/Engine.html", "classes/InvalidArgumentError.html", "functions/gradVarianceExact.html"]) {
      assert.ok(want.includes(page), `the reference lacks ${page}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
