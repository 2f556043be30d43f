/**
 * Output files that never destroy what hardlearn did not write (Node only; used by the CLI and the report).
 *
 * Ownership. Every directory hardlearn writes holds a marker file, `.hardlearn-report.json`
 * ({ format: "hardlearn-output", version: 1, files: [...], complete, pid, host }), listing every file hardlearn put there.
 * A directory is ours when its marker is valid and every file in it is listed (or is one of our own temporary
 * names); a report written before the marker existed (exactly index.html + results.json whose results.json names
 * hardlearn) is recognised too. Anything else is the user's: hardlearn refuses with OutputPathError and touches nothing.
 *
 * Two ways to write:
 * - publishDir(target, files): the whole directory is replaced (the report of `reproduce`). The new report is staged
 *   in a sibling `.<name>.hardlearn-tmp-XXXXXX` (marker written first with complete: false, then the files, then the
 *   marker again with complete: true), then swapped in: rename(target -> `.<name>.hardlearn-old-XXXXXX`),
 *   rename(staging -> target), remove the old one. An empty target directory is replaced by one rename.
 * - writeFilesInto(target, files): add or replace single files in a directory (the other commands' --out). The marker
 *   is updated first (so a crash never leaves a file of ours that the marker does not list), then each file is written
 *   to `.<file>.hardlearn-tmp-XXXXXX` in the same directory (created exclusively: never through a symlink), fsynced
 *   and renamed into place.
 * Symbolic links: a target directory that is a symlink, or an existing entry that is a symlink, is refused (never
 * followed, never replaced): the link and what it points to are the user's.
 *
 * Crash recovery (kill -9 at any point): before writing, recoverOutput(target) finishes or cleans up what an
 * interrupted run left, touching only entries of hardlearn's own naming whose content it can account for:
 * target missing + a complete staging dir -> the staging dir is renamed into place (the interrupted update finishes);
 * target missing + an old dir -> the old report is restored; then stale staging/old dirs (not owned by a live process
 * on this host) and stale temporary files are removed. The only moment the target is absent is between the two
 * renames of publishDir; the complete old and new reports both exist on disk then, and the next run restores one.
 *
 * Test hook: HARDLEARN_CRASH_AT=<point> makes the writer kill its own process (SIGKILL) at that point; the points
 * are listed in CRASH_POINTS.
 */
import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, readdir, readFile, rename, rmdir, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { InvalidArgumentError } from "./errors.js";

/** Files of a directory to publish: relative name (may contain "/") -> contents. */
export type DirContents = Record<string, string | Uint8Array>;

export const MARKER = ".hardlearn-report.json";
export const MARKER_FORMAT = "hardlearn-output";
export const MARKER_VERSION = 1;

/** Named points where HARDLEARN_CRASH_AT kills the writing process (tests of crash recovery). */
export const CRASH_POINTS = [
  "stage-created", // publishDir: staging dir exists, nothing in it
  "stage-marker", // publishDir: staging marker (complete: false) written
  "stage-mid-file", // publishDir: half of the first file written
  "stage-files", // publishDir: every file written, marker still says complete: false
  "staged", // publishDir: staging complete, target untouched
  "old-moved", // publishDir: target renamed to the old dir, staging not yet renamed (target absent)
  "new-in-place", // publishDir: new report at target, old dir not yet removed
  "old-half-removed", // publishDir: old dir partly removed
  "files-marker", // writeFilesInto: marker updated, no file written yet
  "files-mid-file", // writeFilesInto: half of the first file's temporary written
  "files-temp", // writeFilesInto: first temporary complete, not renamed
  "files-one-renamed", // writeFilesInto: first file renamed into place, the others not yet written
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

function crashAt(point: CrashPoint): void {
  if (typeof process !== "undefined" && process.env?.HARDLEARN_CRASH_AT === point) process.kill(process.pid, "SIGKILL");
}

/** The output path cannot be used without touching something hardlearn did not write. */
export class OutputPathError extends InvalidArgumentError {
  override readonly name = "OutputPathError";
  /** The path that was refused. */
  readonly path: string;
  /** Why, as a phrase. */
  readonly reason: string;
  constructor(path: string, reason: string) {
    super("outDir", `a new directory, an empty one, or one hardlearn wrote (${reason})`, path);
    this.path = path;
    this.reason = reason;
  }
}

interface Marker {
  format: string;
  version: number;
  files: string[];
  complete: boolean;
  pid?: number;
  host?: string;
  writer?: string;
}

const TMP_RE = /\.hardlearn-tmp-[A-Za-z0-9]{6}$/;
const rand6 = () => randomBytes(6).toString("base64url").replace(/[^A-Za-z0-9]/g, "x").slice(0, 6).padEnd(6, "x");

function errCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

async function lstatOrNull(p: string) {
  try {
    return await lstat(p);
  } catch (e) {
    if (errCode(e) === "ENOENT") return null;
    throw e;
  }
}

/** Relative paths (with "/") of every non-directory entry below dir; directories are walked (never followed). */
async function listTree(dir: string): Promise<{ files: string[]; odd: string[] }> {
  const files: string[] = [], odd: string[] = [];
  const walk = async (d: string) => {
    for (const ent of await readdir(d, { withFileTypes: true })) {
      const p = join(d, ent.name);
      const rel = relative(dir, p).split(sep).join("/");
      if (ent.isDirectory()) await walk(p);
      else if (ent.isFile()) files.push(rel);
      else odd.push(rel); // symlinks, sockets, devices: never ours
    }
  };
  await walk(dir);
  return { files, odd };
}

async function readMarker(dir: string): Promise<Marker | null> {
  let text: string;
  try {
    const st = await lstat(join(dir, MARKER));
    if (!st.isFile()) return null;
    text = await readFile(join(dir, MARKER), "utf8");
  } catch {
    return null;
  }
  try {
    const m = JSON.parse(text) as Marker;
    if (m && m.format === MARKER_FORMAT && m.version === MARKER_VERSION && Array.isArray(m.files) && m.files.every((f) => typeof f === "string")) return m;
  } catch {
    // not ours
  }
  return null;
}

/**
 * Whether `dir` (an existing real directory) is entirely hardlearn's: returns null when it is (or is empty), else the
 * reason it is not.
 */
async function foreignReason(dir: string): Promise<string | null> {
  const { files, odd } = await listTree(dir);
  if (odd.length) return `it holds ${JSON.stringify(odd[0])}, which is not a regular file`;
  if (files.length === 0) return null;
  const m = await readMarker(dir);
  if (!m) {
    if (await isLegacyReport(dir, files)) return null;
    return `it is not empty and has no ${MARKER} (hardlearn did not write it)`;
  }
  const listed = new Set([...m.files, MARKER]);
  const foreign = files.find((f) => !listed.has(f) && !(TMP_RE.test(f) && listed.has(tmpOwner(f))));
  return foreign === undefined ? null : `it holds ${JSON.stringify(foreign)}, which hardlearn did not write`;
}

/** The file a temporary name `.x/.name.hardlearn-tmp-XXXXXX` stands for: "x/name". */
function tmpOwner(rel: string): string {
  const d = rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/") + 1) : "";
  const b = rel.slice(d.length);
  return d + b.slice(1).replace(TMP_RE, "");
}

/** A report written before the marker existed: exactly index.html and results.json, results.json from hardlearn. */
async function isLegacyReport(dir: string, files: string[]): Promise<boolean> {
  if (files.length !== 2 || !files.includes("index.html") || !files.includes("results.json")) return false;
  try {
    return JSON.parse(await readFile(join(dir, "results.json"), "utf8"))?.tool?.name === "hardlearn";
  } catch {
    return false;
  }
}

function isAlive(m: Marker | null): boolean {
  if (!m || typeof m.pid !== "number" || m.host !== hostname() || m.pid === process.pid) return false;
  try {
    process.kill(m.pid, 0);
    return true;
  } catch (e) {
    return errCode(e) === "EPERM";
  }
}

/** Sibling entries of `abs` named `.<base>.hardlearn-(tmp|old)-XXXXXX`. */
async function siblings(abs: string): Promise<{ tmp: string[]; old: string[] }> {
  const parent = dirname(abs), base = basename(abs);
  let names: string[];
  try {
    names = await readdir(parent);
  } catch (e) {
    if (errCode(e) === "ENOENT" || errCode(e) === "ENOTDIR") return { tmp: [], old: [] };
    throw e;
  }
  const esc = base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`^\\.${esc}\\.hardlearn-(tmp|old)-[A-Za-z0-9]{6}$`);
  const tmp: string[] = [], old: string[] = [];
  for (const n of names.sort()) {
    const m = re.exec(n);
    if (m) (m[1] === "tmp" ? tmp : old).push(join(parent, n));
  }
  return { tmp, old };
}

/** What recoverOutput did. */
export interface RecoveryReport {
  /** "finished" (an interrupted update's new report moved into place), "restored" (the old report put back) or "none". */
  action: "finished" | "restored" | "none";
  /** Leftovers of hardlearn's own making that were removed. */
  removed: string[];
  /** Leftovers with hardlearn's naming that were kept because their content is not accounted for (or in use). */
  kept: string[];
}

/** Remove `dir` when it is a real directory entirely of hardlearn's making and not in use; true when removed. */
async function removeIfOurs(dir: string, staging: boolean): Promise<boolean> {
  const st = await lstatOrNull(dir);
  if (!st) return true;
  if (!st.isDirectory()) return false;
  const m = await readMarker(dir);
  if (staging && isAlive(m)) return false;
  if ((await foreignReason(dir)) !== null) return false;
  await removeOwnedTree(dir);
  return true;
}

/** Remove the listed files (and our temporaries), then the now-empty directories, bottom-up (never rm -rf). */
async function removeOwnedTree(dir: string, onFirst?: () => void): Promise<void> {
  const { files } = await listTree(dir);
  const order = [...files.filter((f) => f !== MARKER), ...files.filter((f) => f === MARKER)]; // the marker last
  let first = true;
  for (const f of order) {
    await unlink(join(dir, f));
    if (first) { first = false; onFirst?.(); }
  }
  const dirs: string[] = [];
  const walk = async (d: string) => {
    for (const ent of await readdir(d, { withFileTypes: true })) if (ent.isDirectory()) { const p = join(d, ent.name); dirs.push(p); await walk(p); }
  };
  await walk(dir);
  for (const d of dirs.reverse()) await rmdir(d);
  await rmdir(dir);
}

/**
 * Finish or clean up what an interrupted write to `target` left behind (see the module comment). Safe to call at
 * any time; touches only entries named and filled by hardlearn.
 */
export async function recoverOutput(target: string): Promise<RecoveryReport> {
  const abs = resolve(target);
  const rep: RecoveryReport = { action: "none", removed: [], kept: [] };
  const { tmp, old } = await siblings(abs);
  if (!(await lstatOrNull(abs))) {
    // Prefer finishing: the newest complete staging dir not in use; else the newest old report.
    const candidates: { p: string; t: number }[] = [];
    for (const p of tmp) {
      const m = await readMarker(p);
      const st = await lstatOrNull(p);
      if (m?.complete && st?.isDirectory() && !isAlive(m) && (await foreignReason(p)) === null) candidates.push({ p, t: st.mtimeMs });
    }
    candidates.sort((a, b) => b.t - a.t);
    if (candidates.length) {
      await rename(candidates[0].p, abs);
      rep.action = "finished";
    } else {
      for (const p of [...old].reverse()) {
        const st = await lstatOrNull(p);
        if (st?.isDirectory() && (await foreignReason(p)) === null) {
          await rename(p, abs);
          rep.action = "restored";
          break;
        }
      }
    }
  }
  const left = await siblings(abs);
  for (const p of [...left.tmp, ...left.old]) {
    if (await removeIfOurs(p, left.tmp.includes(p))) rep.removed.push(p);
    else rep.kept.push(p);
  }
  // Stale temporaries inside a directory of ours (writeFilesInto).
  const st = await lstatOrNull(abs);
  if (st?.isDirectory()) {
    const m = await readMarker(abs);
    if (m && !isAlive(m)) {
      const { files } = await listTree(abs);
      for (const f of files) {
        if (TMP_RE.test(basename(f)) && m.files.includes(tmpOwner(f))) {
          await unlink(join(abs, f));
          rep.removed.push(join(abs, f));
        }
      }
    }
  }
  return rep;
}

/**
 * Check that `target` may be written (after recovering from an interrupted run): it must not exist, be an empty
 * directory, or be a directory hardlearn wrote. mode "replace" (publishDir) needs every file in it to be ours;
 * mode "add" (writeFilesInto) needs only that the names about to be written are absent or ours.
 * Throws OutputPathError naming the path and the reason; returns the recovery report.
 */
export async function checkOutputDir(target: string, mode: "replace" | "add", names: string[] = []): Promise<RecoveryReport> {
  if (typeof target !== "string" || target === "") throw new OutputPathError(String(target), "the path is empty");
  const abs = resolve(target);
  if (abs === dirname(abs)) throw new OutputPathError(target, "it is the root of the file system");
  const rec = await recoverOutput(abs);
  const st = await lstatOrNull(abs);
  if (!st) {
    const pst = await lstatOrNull(dirname(abs));
    if (pst && !pst.isDirectory() && !pst.isSymbolicLink()) throw new OutputPathError(target, "its parent is a file");
    return rec;
  }
  if (st.isSymbolicLink()) throw new OutputPathError(target, "it is a symbolic link (hardlearn never writes through one)");
  if (!st.isDirectory()) throw new OutputPathError(target, "it is a file, not a directory");
  if (mode === "replace") {
    const why = await foreignReason(abs);
    if (why) throw new OutputPathError(target, why);
    return rec;
  }
  const { files, odd } = await listTree(abs);
  if (files.length === 0 && odd.length === 0) return rec;
  const m = await readMarker(abs);
  const legacy = !m && odd.length === 0 && (await isLegacyReport(abs, files));
  if (!m && !legacy) throw new OutputPathError(target, `it is not empty and has no ${MARKER} (hardlearn did not write it)`);
  const ours = new Set(m ? m.files : files);
  for (const n of names) {
    const p = join(abs, n);
    const e = await lstatOrNull(p);
    if (!e) continue;
    if (e.isSymbolicLink()) throw new OutputPathError(target, `${JSON.stringify(n)} in it is a symbolic link`);
    if (!e.isFile()) throw new OutputPathError(target, `${JSON.stringify(n)} in it is not a regular file`);
    if (!ours.has(n)) throw new OutputPathError(target, `it holds ${JSON.stringify(n)}, which hardlearn did not write`);
  }
  return rec;
}

function checkNames(files: DirContents): string[] {
  const names = Object.keys(files);
  for (const n of names) {
    const parts = n.split("/");
    if (n === MARKER || parts.some((p) => p === "" || p === "." || p === "..") || n.includes("\\") || n.includes("\0") || TMP_RE.test(n)) {
      throw new InvalidArgumentError("files", "a map of relative file names (no '..', no empty parts, not the marker)", n);
    }
  }
  return names;
}

/** Write `content` to a new file `p` (exclusive create: fails rather than follow or reuse an existing entry), fsync. */
async function writeNew(p: string, content: string | Uint8Array, midCrash?: CrashPoint): Promise<void> {
  const fh = await open(p, "wx", 0o644);
  try {
    const buf = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    if (midCrash && process.env?.HARDLEARN_CRASH_AT === midCrash) {
      await fh.write(buf, 0, buf.length >> 1);
      await fh.sync();
      crashAt(midCrash);
    }
    await fh.write(buf, 0, buf.length);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function markerText(files: string[], complete: boolean, writer?: string): string {
  const m: Marker = { format: MARKER_FORMAT, version: MARKER_VERSION, files: [...new Set(files)].sort(), complete, pid: process.pid, host: hostname(), writer };
  return JSON.stringify(m, null, 1) + "\n";
}

/**
 * Write one file atomically: a temporary `.<name>.hardlearn-tmp-XXXXXX` in the same directory (exclusive create,
 * fsync), then rename over `path`. Refuses (OutputPathError) when `path` is a symlink or not a regular file.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, midCrash?: CrashPoint): Promise<void> {
  const abs = resolve(path);
  const e = await lstatOrNull(abs);
  if (e && e.isSymbolicLink()) throw new OutputPathError(path, "it is a symbolic link");
  if (e && !e.isFile()) throw new OutputPathError(path, "it exists and is not a regular file");
  const tmp = join(dirname(abs), `.${basename(abs)}.hardlearn-tmp-${rand6()}`);
  try {
    await writeNew(tmp, content, midCrash);
    await rename(tmp, abs);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

export interface WriteOptions {
  /** Who wrote it, recorded in the marker (e.g. "hardlearn reproduce"). */
  writer?: string;
}

/**
 * Replace the directory `target` by one holding exactly `files` (plus the marker), atomically (see the module
 * comment). Refuses with OutputPathError when target is a file, a symlink, or a non-empty directory hardlearn did not
 * write entirely. On failure the previous content stays and the staging directory is removed.
 */
export async function publishDir(target: string, files: DirContents, options: WriteOptions = {}): Promise<void> {
  const names = checkNames(files);
  const abs = resolve(target);
  await checkOutputDir(abs, "replace");
  const parent = dirname(abs);
  await mkdir(parent, { recursive: true });
  const stage = join(parent, `.${basename(abs)}.hardlearn-tmp-${rand6()}`);
  await mkdir(stage, { mode: 0o755 });
  try {
    crashAt("stage-created");
    await writeNew(join(stage, MARKER), markerText(names, false, options.writer));
    crashAt("stage-marker");
    let first = true;
    for (const n of names) {
      const p = join(stage, n);
      await mkdir(dirname(p), { recursive: true });
      await writeNew(p, files[n], first ? "stage-mid-file" : undefined);
      first = false;
    }
    crashAt("stage-files");
    await writeFileAtomic(join(stage, MARKER), markerText(names, true, options.writer));
    crashAt("staged");
  } catch (e) {
    await removeOwnedTree(stage).catch(() => undefined); // else the next run's recovery removes it
    throw e;
  }
  // Re-check right before the swap (the directory may have changed while the files were written).
  const st = await lstatOrNull(abs);
  if (st) {
    const why = st.isSymbolicLink() ? "it is a symbolic link" : !st.isDirectory() ? "it is a file, not a directory" : await foreignReason(abs);
    if (why) {
      await removeOwnedTree(stage);
      throw new OutputPathError(target, why);
    }
    const entries = await readdir(abs);
    if (entries.length === 0) {
      await rename(stage, abs); // POSIX: renaming onto an empty directory replaces it atomically
      return;
    }
    if (!(await readMarker(abs))) {
      // A report from before the marker existed (foreignReason accepted it): mark it, so that every later step
      // (and a recovery after a crash) can account for its files.
      await writeFileAtomic(join(abs, MARKER), markerText((await listTree(abs)).files, true, "hardlearn (earlier version)"));
    }
    const old = join(parent, `.${basename(abs)}.hardlearn-old-${rand6()}`);
    await rename(abs, old);
    crashAt("old-moved");
    try {
      await rename(stage, abs);
    } catch (e) {
      await rename(old, abs).catch(() => undefined);
      throw e;
    }
    crashAt("new-in-place");
    await removeOwnedTree(old, () => crashAt("old-half-removed"));
    return;
  }
  await rename(stage, abs);
}

/**
 * Add or replace `files` in the directory `target` (created when missing), each atomically (see the module comment).
 * Refuses with OutputPathError when target is a file or a symlink, when it is a non-empty directory hardlearn did not
 * write, or when one of the names exists there and is not hardlearn's (or is a symlink).
 */
export async function writeFilesInto(target: string, files: DirContents, options: WriteOptions = {}): Promise<void> {
  const names = checkNames(files);
  const nested = names.find((n) => n.includes("/"));
  if (nested !== undefined) throw new InvalidArgumentError("files", "a map of plain file names (no '/')", nested);
  const abs = resolve(target);
  await checkOutputDir(abs, "add", names);
  await mkdir(abs, { recursive: true });
  const prev = await readMarker(abs);
  const { files: present } = await listTree(abs);
  const listed = prev ? prev.files : present.filter((f) => f !== MARKER); // legacy report: its two files are ours
  // The marker first: a crash later never leaves a file of ours that the marker does not list.
  await writeFileAtomic(join(abs, MARKER), markerText([...listed, ...names], true, options.writer));
  crashAt("files-marker");
  let first = true;
  for (const n of names) {
    const p = join(abs, n);
    const e = await lstatOrNull(p);
    if (e && (e.isSymbolicLink() || !e.isFile())) throw new OutputPathError(target, `${JSON.stringify(n)} in it is ${e.isSymbolicLink() ? "a symbolic link" : "not a regular file"}`);
    const tmp = join(dirname(p), `.${basename(p)}.hardlearn-tmp-${rand6()}`);
    try {
      await writeNew(tmp, files[n], first ? "files-mid-file" : undefined);
      if (first) crashAt("files-temp");
      await rename(tmp, p);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    if (first) crashAt("files-one-renamed");
    first = false;
  }
}
