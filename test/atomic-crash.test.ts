// Output safety under kill -9: a child process writes a report (publishDir) or single files (writeFilesInto) and
// kills itself (SIGKILL, through the HARDLEARN_CRASH_AT test hook) at each named dangerous point. For every point the
// test records what is on disk, checks that the target holds the old or the new content (the one exception, between
// the two renames of publishDir, is checked to be recoverable: both complete copies exist), that the next run finishes
// or cleans up every leftover of hardlearn's making, and that the user's files next to it are byte-identical.
// The matrix (point -> on disk after the crash -> after the rerun) is printed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CRASH_POINTS, MARKER, OutputPathError, publishDir, recoverOutput, writeFileAtomic, writeFilesInto, type DirContents } from "../src/atomic.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "hardlearn-crash-"));
const atomicUrl = new URL("../src/atomic.ts", import.meta.url).href;

const OLD: DirContents = { "index.html": "<p>old report</p>", "results.json": JSON.stringify({ tool: { name: "hardlearn" }, v: "old" }), "figs/a.svg": "<svg>old</svg>" };
// Large enough that "half a file" is a real partial write.
const NEW: DirContents = { "index.html": "<p>new report</p>" + "x".repeat(200_000), "results.json": JSON.stringify({ tool: { name: "hardlearn" }, v: "new" }), "figs/a.svg": "<svg>new</svg>", "figs/b.svg": "<svg>b</svg>" };

/** Run `publishDir` or `writeFilesInto` in a child process that kills itself at `point`. */
function crashChild(kind: "publish" | "files", target: string, files: DirContents, point: string): { signal: NodeJS.Signals | null; status: number | null; stderr: string } {
  const script = join(work, `child-${kind}.mjs`);
  writeFileSync(script, `
    const { publishDir, writeFilesInto } = await import(${JSON.stringify(atomicUrl)});
    const { readFileSync } = await import("node:fs");
    const files = JSON.parse(readFileSync(process.env.FILES, "utf8"));
    await (${JSON.stringify(kind)} === "publish" ? publishDir : writeFilesInto)(process.env.TARGET, files);
  `);
  const filesPath = join(work, `files-${kind}.json`);
  writeFileSync(filesPath, JSON.stringify(files));
  const r = spawnSync(process.execPath, ["--import", "tsx", script], {
    cwd: root, encoding: "utf8", env: { ...process.env, HARDLEARN_CRASH_AT: point, TARGET: target, FILES: filesPath },
  });
  return { signal: r.signal, status: r.status, stderr: r.stderr ?? String(r.error) };
}

/** Every file below dir (relative names, "/" separated) with its content; directories only through their files. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, pre: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const rel = pre + e.name;
      if (e.isDirectory()) walk(join(d, e.name), rel + "/");
      else if (e.isSymbolicLink()) out[rel] = "<symlink>";
      else out[rel] = readFileSync(join(d, e.name), "latin1");
    }
  };
  walk(dir, "");
  return out;
}

const withoutMarker = (s: Record<string, string>) => Object.fromEntries(Object.entries(s).filter(([k]) => k !== MARKER));
const asStrings = (f: DirContents) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, typeof v === "string" ? v : Buffer.from(v).toString("latin1")]));

/** "old", "new", "absent", or "MIXED/PARTIAL" for the report at dir. */
function stateOf(dir: string, oldF: DirContents, newF: DirContents): string {
  if (!existsSync(dir)) return "absent";
  const s = withoutMarker(snapshot(dir));
  if (JSON.stringify(s) === JSON.stringify(sortKeys(asStrings(oldF)))) return "old";
  if (JSON.stringify(s) === JSON.stringify(sortKeys(asStrings(newF)))) return "new";
  return `MIXED/PARTIAL ${JSON.stringify(Object.keys(s))}`;
}
function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}
function sortedSnapshot(dir: string) {
  return sortKeys(snapshot(dir));
}

/** A parent directory with user files around the target, returned with their snapshot. */
function setupParent(name: string): { parent: string; target: string; user: Record<string, string> } {
  const parent = join(work, name);
  mkdirSync(join(parent, "notes"), { recursive: true });
  writeFileSync(join(parent, "user.txt"), "the user's own file\n");
  writeFileSync(join(parent, "notes", "n.md"), "# notes\n");
  writeFileSync(join(parent, ".report.tmp-abcdef"), "a user file whose name merely looks temporary");
  return { parent, target: join(parent, "report"), user: userFiles(parent) };
}
function userFiles(parent: string): Record<string, string> {
  const s = sortedSnapshot(parent);
  return Object.fromEntries(Object.entries(s).filter(([k]) => !k.startsWith("report/") && !k.includes(".hardlearn-")));
}
function leftovers(parent: string): string[] {
  return readdirSync(parent).filter((n) => n.includes(".hardlearn-")).sort();
}
function leftoversInside(dir: string): string[] {
  return existsSync(dir) ? Object.keys(snapshot(dir)).filter((n) => n.includes(".hardlearn-tmp-")) : [];
}

const matrix: string[] = [];

async function rejectsWith(p: Promise<unknown>, cls: new (...a: never[]) => Error): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, cls);
    return;
  }
  assert.unreachable("expected a rejection");
}

const publishPoints = CRASH_POINTS.filter((p) => !p.startsWith("files-"));
const filePoints = CRASH_POINTS.filter((p) => p.startsWith("files-"));

test("publishDir: kill -9 at every dangerous point leaves the old or the new report (or both, recoverable); the rerun finishes and cleans up", async () => {
  for (const point of publishPoints) {
    const { parent, target, user } = setupParent(`pub-${point}`);
    await publishDir(target, OLD);
    assert.is(stateOf(target, OLD, NEW), "old");
    const r = crashChild("publish", target, NEW, point);
    assert.is(r.signal, "SIGKILL", `${point}: the child was not killed at its crash point (status ${r.status}): ${r.stderr}`);
    const after = stateOf(target, OLD, NEW);
    const left = leftovers(parent);
    assert.equal(userFiles(parent), user, `${point}: user files changed by the crash`);
    if (point === "old-moved") {
      // Between the two renames: the target is absent, the complete old report and the complete new one both exist.
      assert.is(after, "absent", point);
      assert.ok(left.some((n) => n.includes(".hardlearn-old-")) && left.some((n) => n.includes(".hardlearn-tmp-")), `${point}: ${left}`);
    } else {
      assert.ok(after === "old" || after === "new", `${point}: ${after}`);
    }
    // The next run: recovery first (what a later `reproduce` does before writing), then a complete publication.
    const rec = await recoverOutput(target);
    const recovered = stateOf(target, OLD, NEW);
    assert.ok(recovered === "old" || recovered === "new", `${point}: after recovery ${recovered}`);
    assert.equal(leftovers(parent), [], `${point}: leftovers after recovery: ${leftovers(parent)}`);
    await publishDir(target, NEW);
    assert.is(stateOf(target, OLD, NEW), "new", `${point}: rerun`);
    assert.equal(leftovers(parent), [], `${point}: leftovers after the rerun`);
    assert.equal(userFiles(parent), user, `${point}: user files changed by the rerun`);
    matrix.push(`| publishDir | ${point} | ${after}; leftovers: ${left.map((n) => n.replace(/[A-Za-z0-9]{6}$/, "*")).join(", ") || "none"} | recovery: ${rec.action}, removed ${rec.removed.length} -> ${recovered}; rerun -> new, no leftovers |`);
  }
});

test("writeFilesInto: kill -9 at every point leaves each file old or new, never partial; the rerun cleans the temporaries", async () => {
  const OLDF: DirContents = { "a.json": '{"v":"old a"}', "b.json": '{"v":"old b"}' };
  const NEWF: DirContents = { "a.json": '{"v":"new a"}' + " ".repeat(100_000), "b.json": '{"v":"new b"}' };
  for (const point of filePoints) {
    const { parent, target, user } = setupParent(`files-${point}`);
    await writeFilesInto(target, OLDF);
    writeFileSync(join(target, "mine.txt"), "a user file inside an output directory");
    const r = crashChild("files", target, NEWF, point);
    assert.is(r.signal, "SIGKILL", `${point}: not killed (status ${r.status}): ${r.stderr}`);
    const per = ["a.json", "b.json"].map((f) => {
      const c = readFileSync(join(target, f), "utf8");
      assert.ok(c === OLDF[f] || c === NEWF[f], `${point}: ${f} is partial`);
      return `${f}=${c === OLDF[f] ? "old" : "new"}`;
    });
    const tmps = leftoversInside(target);
    assert.is(readFileSync(join(target, "mine.txt"), "utf8"), "a user file inside an output directory");
    await writeFilesInto(target, NEWF);
    assert.is(readFileSync(join(target, "a.json"), "utf8"), NEWF["a.json"]);
    assert.is(readFileSync(join(target, "b.json"), "utf8"), NEWF["b.json"]);
    assert.equal(leftoversInside(target), [], `${point}: temporaries left after the rerun`);
    assert.is(readFileSync(join(target, "mine.txt"), "utf8"), "a user file inside an output directory");
    assert.equal(userFiles(parent), user);
    matrix.push(`| writeFilesInto | ${point} | ${per.join(", ")}; temporaries: ${tmps.length} | rerun -> all new, 0 temporaries, user file kept |`);
  }
});

test("recovery never removes what it cannot account for", async () => {
  const { parent, target } = setupParent("foreign-leftovers");
  await publishDir(target, OLD);
  // Names of hardlearn's pattern, but content hardlearn did not write: a stray file, a directory with a user file,
  // a symlink.
  const fake = join(parent, ".report.hardlearn-old-AAAAAA");
  mkdirSync(fake);
  writeFileSync(join(fake, "precious.txt"), "not hardlearn's");
  writeFileSync(join(parent, ".report.hardlearn-tmp-BBBBBB"), "a plain file");
  const rep = await recoverOutput(target);
  assert.is(rep.removed.length, 0);
  assert.is(readFileSync(join(fake, "precious.txt"), "utf8"), "not hardlearn's");
  assert.ok(existsSync(join(parent, ".report.hardlearn-tmp-BBBBBB")));
  await publishDir(target, NEW);
  assert.is(stateOf(target, OLD, NEW), "new");
  assert.is(readFileSync(join(fake, "precious.txt"), "utf8"), "not hardlearn's");
  assert.ok(lstatSync(join(parent, ".report.hardlearn-tmp-BBBBBB")).isFile());
});

test("single-file writes refuse symlinks and directories; an empty target directory is replaced by one rename", async () => {
  const dir = join(work, "single");
  mkdirSync(dir);
  writeFileSync(join(dir, "victim.txt"), "user data");
  symlinkSync(join(dir, "victim.txt"), join(dir, "out.json"));
  await rejectsWith(writeFileAtomic(join(dir, "out.json"), "x"), OutputPathError);
  assert.is(readFileSync(join(dir, "victim.txt"), "utf8"), "user data");
  assert.ok(lstatSync(join(dir, "out.json")).isSymbolicLink());
  mkdirSync(join(dir, "sub"));
  await rejectsWith(writeFileAtomic(join(dir, "sub"), "x"), OutputPathError);
  await writeFileAtomic(join(dir, "plain.json"), "1");
  await writeFileAtomic(join(dir, "plain.json"), "2");
  assert.is(readFileSync(join(dir, "plain.json"), "utf8"), "2");
  assert.equal(readdirSync(dir).filter((n) => n.includes(".hardlearn-")), []);
  const empty = join(work, "empty-target");
  mkdirSync(empty);
  await publishDir(empty, { "index.html": "x" });
  assert.equal(readdirSync(empty).sort(), [MARKER, "index.html"]);
  assert.equal(readdirSync(work).filter((n) => n.startsWith(".empty-target.")), []);
});

test("the real CLI: `reproduce` killed between its two renames; the next `reproduce` restores and republishes", () => {
  const { parent, target, user } = setupParent("cli-reproduce");
  const run = (crash?: string) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "reproduce", "--size", "small", "--only", "landscape", "--out", target, "--json"], {
    cwd: root, encoding: "utf8", env: { ...process.env, HARDLEARN_CRASH_AT: crash ?? "" },
  });
  const first = run();
  assert.is(first.status, 0, first.stderr);
  const before = readFileSync(join(target, "results.json"), "utf8");
  const crashed = run("old-moved");
  assert.is(crashed.signal, "SIGKILL", crashed.stderr);
  assert.not.ok(existsSync(target), "target absent between the renames");
  const again = run();
  assert.is(again.status, 0, again.stderr);
  const now = JSON.parse(readFileSync(join(target, "results.json"), "utf8"));
  assert.is(now.experiments[0].id, "landscape");
  assert.ok(readFileSync(join(target, "index.html"), "utf8").length > 1000);
  assert.ok(before.length > 100);
  assert.equal(leftovers(parent), []);
  assert.equal(userFiles(parent), user);
  matrix.push("| CLI reproduce | old-moved | report absent; .report.hardlearn-old-* (complete old) + .report.hardlearn-tmp-* (complete new) | next reproduce: recovery finishes (new moved into place), then republishes; no leftovers |");
});

test.after(() => {
  console.log(["", "| writer | crash point | on disk after kill -9 | next run |", "|---|---|---|---|", ...matrix].join("\n"));
  rmSync(work, { recursive: true, force: true });
});

test.run();
