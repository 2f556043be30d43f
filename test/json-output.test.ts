// The one JSON serializer of the CLI and the report (src/cli/json.ts): typed arrays become arrays, and a NaN or
// Infinity anywhere throws NonFiniteJsonError with its path instead of being written as a "NaN" / "Infinity"
// string. End to end: no CLI JSON document (stdout with --json, files from --out) ever holds such a string.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NonFiniteJsonError, toJson } from "../src/cli/json.js";
import { runCli, type CliIO } from "../src/cli/program.js";
import { resultsToJson } from "../src/report/reproduce.js";
import type { ReproduceResults } from "../src/report/types.js";

test("toJson: typed arrays as arrays, same text as JSON.stringify for finite values", () => {
  const v = { a: Float64Array.from([1.5, -0, 2e-310]), b: [Int32Array.from([1, 2])], c: { "x y": 3, n: null, s: "NaN" } };
  assert.is(toJson(v), JSON.stringify({ a: [1.5, -0, 2e-310], b: [[1, 2]], c: { "x y": 3, n: null, s: "NaN" } }));
  assert.is(toJson(v, 1), JSON.stringify({ a: [1.5, -0, 2e-310], b: [[1, 2]], c: { "x y": 3, n: null, s: "NaN" } }, null, 1));
  assert.is(toJson(7), "7");
});

test("toJson: NaN / Infinity throw NonFiniteJsonError naming the path; nothing is returned", () => {
  const cases: Array<[unknown, string, number]> = [
    [NaN, "$", NaN],
    [{ a: 1, b: { c: [0, 1, Infinity] } }, "$.b.c[2]", Infinity],
    [{ rows: [{ se: 1 }, { se: -Infinity }] }, "$.rows[1].se", -Infinity],
    [{ grid: { x: Float64Array.from([0, NaN]) } }, "$.grid.x[1]", NaN],
    [{ "odd key": [NaN] }, '$["odd key"][0]', NaN],
  ];
  for (const [v, path, value] of cases) {
    try {
      toJson(v);
      assert.unreachable(`no error for ${path}`);
    } catch (err) {
      assert.instance(err, NonFiniteJsonError);
      const x = err as NonFiniteJsonError;
      assert.is(x.code, "EINTERNAL");
      assert.is(x.path, path);
      assert.ok(Object.is(x.value, value));
      assert.ok(x.message.includes(`non-finite number ${value} at ${path}`), x.message);
    }
  }
  // The report's results.json goes through the same serializer.
  assert.throws(() => resultsToJson({ experiments: [{ value: NaN }] } as unknown as ReproduceResults), (e: unknown) => e instanceof NonFiniteJsonError);
});

test("CLI: --json stdout and --out files never hold NaN / Infinity strings (exit 1 with one line instead)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hardlearn-json-"));
  try {
    const runs = [
      ["landscape", "--radius", "2", "--extent", "4", "--grid", "11"],
      ["landscape", "--radius", "2", "--extent", "1e308", "--grid", "11"], // extreme extent: finite JSON or an error
    ];
    for (const argv of runs) {
      let out = "", err = "";
      const io: CliIO = { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false };
      const code = await runCli([...argv, "--json", "--out", dir], io);
      const label = argv.join(" ");
      assert.not.match(out, /NaN|Infinity/, `${label}: stdout`);
      if (code === 0) {
        JSON.parse(out);
      } else {
        assert.is(out, "", `${label}: nothing on stdout on failure`);
        assert.ok(err.endsWith("\n") && err.trimEnd().split("\n").length === 1, `${label}: one line on stderr: ${err}`);
      }
      for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
        const text = readFileSync(join(dir, f), "utf8");
        assert.not.match(text, /"(NaN|-?Infinity)"/, `${label}: ${f}`);
        JSON.parse(text);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
