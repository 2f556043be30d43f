/**
 * Node-only: the append-only JSON-lines results file of a sweep shard, and atomic writes.
 *
 * File layout: line 1 is a header {"t":"header","kind":"hardlearn.sweep.results","format":1,"specHash",...,"shard"},
 * then one line per finished cell {"t":"cell","index",...,"result",...,"timing","versions"}. Every line ends with
 * "h": the first 16 hex digits of sha256 of the line's JSON without "h", so a torn or damaged line is detected.
 *
 * Crash safety (kill -9 at any moment): the file is created atomically (header written to a temporary file, then
 * hard-linked into place, which fails instead of overwriting), cells are appended with one write + fdatasync each.
 * On reopening, a torn last line (no final newline, or a bad hash) is dropped by rewriting the file atomically
 * (temporary file + rename) and its cell is computed again; a damaged line before the last is refused. A cell line
 * repeated with identical numbers (two runs appending to one file) is read once; with different numbers it is refused. A file that
 * is not a hardlearn results file, or belongs to another spec or shard, is never modified: the run is refused.
 */
import { open, readFile, link, unlink, rename, type FileHandle } from "node:fs/promises";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { HardlearnError, InvalidArgumentError } from "../errors.js";
import type { SweepPlan, NormalizedSpec } from "./spec.js";
import type { CellRecord, Shard, ShardOutput, SweepStore } from "./run.js";

export const RESULTS_KIND = "hardlearn.sweep.results";

/** A results file that cannot be used as asked (another spec or shard, damaged, not ours). */
export class ResultsFileError extends HardlearnError {
  readonly path: string;
  constructor(path: string, message: string) {
    super("ERESULTS", `${path}: ${message}`);
    this.path = path;
  }
}

const HASH_TAIL = ',"h":"0123456789abcdef"}'.length;

function lineHash(body: string): string {
  return createHash("sha256").update(body).digest("hex").slice(0, 16);
}

/** One JSON line with its hash (body is a JSON object text). */
export function sealLine(obj: unknown): string {
  const body = JSON.stringify(obj, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x));
  return `${body.slice(0, -1)},"h":"${lineHash(body)}"}\n`;
}

/** Parse a sealed line (without its newline); undefined when it is damaged. */
export function openLine(line: string): Record<string, unknown> | undefined {
  if (line.length < HASH_TAIL + 2 || !line.endsWith('"}')) return undefined;
  const h = line.slice(-18, -2);
  const body = line.slice(0, -HASH_TAIL) + "}";
  if (!/^[0-9a-f]{16}$/.test(h) || lineHash(body) !== h) return undefined;
  try {
    const v = JSON.parse(body);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export interface ResultsHeader {
  t: "header";
  kind: typeof RESULTS_KIND;
  format: 1;
  specHash: string;
  shard: Shard;
  cells: number;
  spec: NormalizedSpec;
  created: string;
}

export interface ParsedResults {
  header: ResultsHeader;
  records: CellRecord[];
  /** Bytes of complete, valid lines (the file's good prefix). */
  goodBytes: number;
  /** True when a torn or damaged last line followed the good prefix. */
  torn: boolean;
}

/** Parse a results file's text. Throws ResultsFileError when it is not a hardlearn results file or damaged inside. */
export function parseResults(path: string, text: string): ParsedResults {
  const nl = text.indexOf("\n");
  const head = nl < 0 ? undefined : openLine(text.slice(0, nl));
  if (!head || head.t !== "header" || head.kind !== RESULTS_KIND) {
    throw new ResultsFileError(path, "is not a hardlearn sweep results file (no valid header line); refusing to use or modify it");
  }
  const header = head as unknown as ResultsHeader;
  const records: CellRecord[] = [];
  let pos = nl + 1, torn = false, lineNo = 1;
  const seen = new Map<number, CellRecord>();
  while (pos < text.length) {
    lineNo++;
    const end = text.indexOf("\n", pos);
    const line = end < 0 ? text.slice(pos) : text.slice(pos, end);
    const rec = end < 0 ? undefined : openLine(line);
    if (!rec || rec.t !== "cell" || typeof rec.index !== "number") {
      const last = end < 0 || end === text.length - 1;
      if (last) { torn = true; break; }
      throw new ResultsFileError(path, `line ${lineNo} is damaged (bad hash or not a cell record) and is not the last line; refusing to guess (restore the file or start a new one)`);
    }
    const { t: _t, h: _h, ...r } = rec;
    const prev = seen.get(r.index as number);
    if (prev) {
      // Two runs on one file (e.g. a task resubmitted while the first still ran) append the same deterministic cell
      // twice: the same numbers are harmless and the first line is kept; different numbers are refused.
      if (JSON.stringify(prev.result) !== JSON.stringify(r.result) || prev.seed !== r.seed) {
        throw new ResultsFileError(path, `line ${lineNo} repeats cell ${r.index} with different numbers`);
      }
    } else {
      seen.set(r.index as number, r as unknown as CellRecord);
      records.push(r as unknown as CellRecord);
    }
    pos = end + 1;
  }
  return { header, records, goodBytes: torn ? pos : text.length, torn };
}

/** Read a results file for merging (a torn last line is ignored, as its cell is unfinished). */
export async function readShardOutput(path: string): Promise<ShardOutput & { torn: boolean }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new ResultsFileError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const p = parseResults(path, text);
  return { source: path, specHash: p.header.specHash, spec: p.header.spec, shard: p.header.shard, records: p.records, torn: p.torn };
}

/**
 * Write `content` to `path` atomically (temporary sibling + fsync + rename). When the file exists, `mayReplace`
 * decides from its current content whether hardlearn wrote it; if not, nothing is written and ResultsFileError is thrown.
 */
export async function writeFileAtomic(path: string, content: string, mayReplace: (existing: string) => boolean): Promise<void> {
  let existing: string | undefined;
  try {
    existing = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (existing !== undefined && !mayReplace(existing)) throw new ResultsFileError(path, "exists and was not written by hardlearn for this sweep; refusing to overwrite it");
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  const fh = await open(tmp, "wx");
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

/** Create `path` with `content` atomically, failing (EEXIST) instead of replacing an existing file. */
async function createAtomic(path: string, content: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  const fh = await open(tmp, "wx");
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, path);
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

export interface ResultsFile extends SweepStore {
  path: string;
  /** Cells found finished when the file was opened. */
  resumed: number;
  /** Whether a torn last line was found (and dropped; its cell runs again). */
  repairedTornLine: boolean;
  /** True when the file was created by this call. */
  created: boolean;
  close(): Promise<void>;
}

/** hardlearn's version and the Node version, recorded with each cell (informative). */
export function versions(): Record<string, string> {
  let v = "unknown";
  try {
    v = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;
  } catch { /* not next to package.json */ }
  return { hardlearn: v, node: process.versions.node };
}

/**
 * Open (create or resume) the results file of one shard of a plan. Refuses a file of another spec or shard, a file
 * that is not a hardlearn results file, and a damaged file; drops a torn last line (atomic rewrite).
 */
export async function openResultsFile(path: string, plan: SweepPlan, shard: Shard): Promise<ResultsFile> {
  let text: string | undefined;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new ResultsFileError(path, `cannot be read (${(e as NodeJS.ErrnoException).code})`);
  }
  let created = false, repaired = false;
  const done = new Map<number, CellRecord>();
  if (text === undefined) {
    const header: ResultsHeader = { t: "header", kind: RESULTS_KIND, format: 1, specHash: plan.specHash, shard: { index: shard.index, count: shard.count }, cells: plan.cells.length, spec: plan.spec, created: new Date().toISOString() };
    try {
      await createAtomic(path, sealLine(header));
      created = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new ResultsFileError(path, "appeared while it was being created (another run on the same file?)");
      throw e;
    }
  } else {
    const p = parseResults(path, text);
    if (p.header.specHash !== plan.specHash) {
      throw new ResultsFileError(path, `was written for a different spec (spec hash ${p.header.specHash.slice(0, 12)}, this spec ${plan.specHash.slice(0, 12)}): the spec changed since; use a new results file, or restore the old spec to resume`);
    }
    if (p.header.shard?.index !== shard.index || p.header.shard?.count !== shard.count) {
      throw new ResultsFileError(path, `holds shard ${p.header.shard?.index}/${p.header.shard?.count}, not shard ${shard.index}/${shard.count}`);
    }
    for (const r of p.records) done.set(r.index, r);
    if (p.torn) {
      await writeFileAtomic(path, text.slice(0, p.goodBytes), (cur) => cur === text);
      repaired = true;
    }
  }
  let fh: FileHandle | undefined = await open(path, "a");
  return {
    path,
    resumed: done.size,
    repairedTornLine: repaired,
    created,
    done: () => done,
    async append(r: CellRecord) {
      if (!fh) throw new InvalidArgumentError("results file", "open", path);
      await fh.write(sealLine({ t: "cell", ...r }));
      await fh.datasync();
      done.set(r.index, r);
    },
    async close() {
      const f = fh;
      fh = undefined;
      await f?.close();
    },
  };
}

/** Test whether existing text is a hardlearn sweep result/CSV we may replace (ours, same spec). */
export function isOurResult(existing: string, specHash: string): boolean {
  try {
    const v = JSON.parse(existing);
    return v?.kind === "hardlearn.sweep.result" && v?.specHash === specHash;
  } catch {
    return false;
  }
}

/** Write the result files atomically, refusing to replace files hardlearn did not write. */
export async function writeResultFile(path: string, content: string, specHash: string, csv: boolean): Promise<void> {
  // CSV files carry no kind field: one may replace only an identical file (a complete sweep always exports the same bytes).
  await writeFileAtomic(path, content, (cur) => (csv ? cur === content : isOurResult(cur, specHash)));
}

