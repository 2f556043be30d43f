/**
 * Atomic directory publication: build the whole report in a temporary sibling directory, then swap it in with
 * renames. An interrupted run leaves either the previous report or none, never half of one: the only window is
 * between the two renames, when the target is briefly absent.
 */
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/** Files of a directory to publish: relative name -> contents. */
export type DirContents = Record<string, string | Uint8Array>;

/**
 * Write `files` into `target` atomically (see module comment). The temporary directory sits next to the target
 * (same file system, so rename is atomic) and is named `.<target>.tmp-XXXXXX`; it is removed on failure.
 */
export async function publishDir(target: string, files: DirContents): Promise<void> {
  const abs = resolve(target);
  const parent = dirname(abs);
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(join(parent, `.${basename(abs)}.tmp-`));
  try {
    await chmod(tmp, 0o755); // mkdtemp creates 0700; a report directory is world-readable like any other
    for (const [name, content] of Object.entries(files)) {
      const p = join(tmp, name);
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, content);
    }
    const old = `${tmp}.old`;
    let hadOld = false;
    try {
      await rename(abs, old);
      hadOld = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    await rename(tmp, abs);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
