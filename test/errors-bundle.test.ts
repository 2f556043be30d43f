// Error classes survive production bundling: two separately minified esbuild bundles of the library (an app and, say,
// a plugin or a worker that carries its own copy) must both report literal class names, keep `code`, and recognise
// each other's errors with `instanceof`; a user's own subclass keeps the ordinary `instanceof` rule.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const CLASSES = ["HardlearnError", "InvalidArgumentError", "OverflowError", "ConvergenceError", "AllocationError", "AbortError", "WorkerPoolClosedError", "LoadError", "InternalError", "MissingDependencyError"] as const;
/** Each class's hardlearn superclasses besides HardlearnError. */
const PARENTS: Record<string, string[]> = { WorkerPoolClosedError: ["AbortError"], OverflowError: ["InvalidArgumentError"] };
type Lib = Record<string, any>;
let dir = "";
let A: Lib;
let B: Lib;

test.before(async () => {
  dir = mkdtempSync(join(resolve(".tmp"), "errors-bundle-"));
  const entry = join(dir, "entry.ts");
  writeFileSync(entry, `
export * from ${JSON.stringify(resolve("src/errors.ts"))};
export { createEngine } from ${JSON.stringify(resolve("src/engine.ts"))};
`);
  for (const name of ["a", "b"]) {
    await build({
      entryPoints: [entry], outfile: join(dir, `${name}.mjs`), bundle: true, minify: true, format: "esm", platform: "node",
      target: "es2022", external: ["node:*"], logLevel: "silent", keepNames: false,
    });
  }
  A = await import(pathToFileURL(join(dir, "a.mjs")).href);
  B = await import(pathToFileURL(join(dir, "b.mjs")).href);
});

test.after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function make(lib: Lib, cls: string): Error & { code: string } {
  switch (cls) {
    case "HardlearnError": return new lib.HardlearnError("EX", "x");
    case "InvalidArgumentError": return new lib.InvalidArgumentError("options.d", "a positive integer", 0);
    case "OverflowError": return new lib.OverflowError("matmul", "A", "finite when multiplied", 1e308);
    case "ConvergenceError": return new lib.ConvergenceError("svd", 3);
    case "AllocationError": return new lib.AllocationError(10, 5);
    case "AbortError": return new lib.AbortError();
    case "WorkerPoolClosedError": return new lib.WorkerPoolClosedError("gradVariance");
    case "LoadError": return new lib.LoadError("file:///x.wasm", "missing");
    case "InternalError": return new lib.InternalError("trap");
    default: return new lib.MissingDependencyError("Drawing", ["vega@^6"]);
  }
}

test("the bundles are really minified: class identifiers lost their names", () => {
  const renamed = CLASSES.filter((c) => A[c].name !== c);
  assert.ok(renamed.length >= CLASSES.length - 1, `esbuild kept names: ${CLASSES.filter((c) => A[c].name === c).join(", ")}`);
});

test("name, code and stack header are literal in a minified bundle", () => {
  const codes: Record<string, string> = {
    HardlearnError: "EX", InvalidArgumentError: "EINVAL", OverflowError: "ERANGE", ConvergenceError: "ENOCONV", AllocationError: "ENOMEM", AbortError: "EABORT", WorkerPoolClosedError: "EABORT",
    LoadError: "ELOAD", InternalError: "EINTERNAL", MissingDependencyError: "EDEPS",
  };
  for (const c of CLASSES) {
    const e = make(A, c);
    assert.is(e.name, c);
    assert.is(e.code, codes[c]);
    assert.ok(String(e.stack).startsWith(`${c}: `), `${c} stack header: ${String(e.stack).split("\n")[0]}`);
    assert.is(String(e).split(":")[0], c);
  }
});

test("instanceof holds within a bundle and across two bundled copies, and only for the right classes", () => {
  for (const c of CLASSES) {
    for (const [made, by] of [[A, A], [A, B], [B, A]] as const) {
      const e = make(made, c);
      for (const k of CLASSES) {
        const expected = k === c || k === "HardlearnError" || (PARENTS[c] ?? []).includes(k);
        assert.is(e instanceof by[k], expected, `${c} instanceof ${k} (${made === by ? "same" : "other"} bundle)`);
      }
      assert.ok(e instanceof Error);
    }
  }
  assert.not.ok({ name: "InvalidArgumentError", code: "EINVAL" } instanceof A.InvalidArgumentError, "a look-alike plain object is not an error");
  assert.not.ok(new Error("x") instanceof A.HardlearnError);
  assert.not.ok((null as unknown) instanceof A.HardlearnError);
});

test("a user's subclass keeps the ordinary rule", () => {
  class MyError extends A.InvalidArgumentError {}
  const plain = make(B, "InvalidArgumentError");
  assert.not.ok(plain instanceof MyError);
  const mine = new MyError("x", "y", 1);
  assert.ok(mine instanceof MyError && mine instanceof B.InvalidArgumentError && mine instanceof B.HardlearnError);
  assert.is(mine.name, "InvalidArgumentError");
});

test("an error thrown by the bundled engine is typed for the other copy", async () => {
  const engine = await A.createEngine({ wasm: pathToFileURL(resolve("build/release.wasm")) });
  let caught: unknown;
  try {
    engine.rng(-1);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof B.InvalidArgumentError);
  assert.is((caught as { name: string }).name, "InvalidArgumentError");
  assert.is((caught as { argument: string }).argument, "seed");
});

test.run();
