/**
 * Durable writes for everything kept in global storage (the batch journal, history): a power cut
 * or a SIGKILL leaves the old or the new content, never a torn or empty file, and no temporary
 * file outlives its writer. Whole files: write a temp, fsync it, rename it over the target, fsync
 * the folder (the rename itself is only durable once the folder is). Appends: fsync before the
 * append is reported done.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import * as path from 'node:path';

const TEMP = /\.(\d{1,10})\.[0-9a-f]{8}\.tmp$/;

/** The temporary name a write to `file` uses: it carries the writer's pid, so a cleaner can tell a live writer's temp from a crashed one's. */
export function tempPathFor(file: string, pid = process.pid): string {
  return `${file}.${pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Whether a process with this id runs on this machine (EPERM: it does, owned by someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/** Fsyncs a folder so a rename or create inside it survives a power cut; platforms that cannot open folders skip it. */
export async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}

/** Replaces `file` with `text`: temp, fsync, rename, fsync the folder. The temp is removed when anything fails. */
export async function writeFileDurable(file: string, text: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(file);
  try {
    const handle = await open(tmp, 'wx');
    try {
      await (typeof text === 'string' ? handle.writeFile(text, 'utf8') : handle.writeFile(text));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  await syncDir(path.dirname(file));
}

/** Appends `text` and fsyncs it; a new file's folder entry is fsynced too. */
export async function appendFileDurable(file: string, text: string): Promise<void> {
  const handle = await open(file, 'a');
  let created: boolean;
  try {
    created = (await handle.stat()).size === 0;
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (created) await syncDir(path.dirname(file));
}

/**
 * Removes temps left by writers that died (their pid no longer runs) under `dir`, two levels of
 * subfolders deep (the batch journal keeps a prepared job's requests in results/<job>/). A live
 * writer's temp, another window's for instance, is left alone. Returns how many were removed.
 */
export async function cleanStaleTemps(dir: string, alive: (pid: number) => boolean = processAlive): Promise<number> {
  let removed = 0;
  const visit = async (folder: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (depth > 0) await visit(full, depth - 1);
        continue;
      }
      const match = TEMP.exec(entry.name);
      if (match === null || alive(Number(match[1]))) continue;
      await unlink(full).then(() => removed++, () => undefined);
    }
  };
  await visit(dir, 2);
  return removed;
}
