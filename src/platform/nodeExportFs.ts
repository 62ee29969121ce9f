import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ExportFs, PathKind } from '../core/batches/export';
import { isNotFound } from '../core/util/clock';
import { processAlive, syncDir } from './durableFile';

/** Create-only, and on systems that have it, refuse a link as the last path component too. */
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/**
 * A temp file beside `path`, named so a later look at the folder can tell what it was and whose
 * it is: the writer's pid tells a crashed export's temp from a live one's.
 */
const tempFor = (path: string): string => join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.claude-studio.tmp`);
const TEMP = /^\..+\.(\d{1,10})\.[0-9a-f]{8}\.claude-studio\.tmp$/;

/** node:fs behind an export's file interface (the user's chosen folder is a local path). */
export const nodeExportFs: ExportFs = {
  async kind(path): Promise<PathKind> {
    try {
      const stat = await lstat(path);
      if (stat.isSymbolicLink()) return 'symlink';
      if (stat.isDirectory()) return 'directory';
      return stat.isFile() ? 'file' : 'other';
    } catch (error) {
      if (isNotFound(error)) return 'missing';
      throw error;
    }
  },
  mkdir: async (path) => {
    await mkdir(path, { recursive: true });
  },
  removeFile: (path) => unlink(path),
  /**
   * Written to a temp file, synced, then linked into place: the file appears whole or not at all
   * (a crash mid-export leaves no half file under the real name), `link` fails if anything (a
   * file or a link planted meanwhile) took the name, and nothing is followed.
   */
  async createNew(path) {
    const temp = tempFor(path);
    const handle = await open(temp, CREATE_NEW, 0o644);
    let closed = false;
    return {
      async write(text) {
        await handle.write(text);
      },
      async close() {
        if (closed) return;
        closed = true;
        try {
          await handle.sync();
          await handle.close();
          await link(temp, path);
        } finally {
          await unlink(temp).catch(() => undefined);
        }
        // The new name is durable only once the folder holding it is.
        await syncDir(dirname(path));
      },
      async abort() {
        if (closed) return;
        closed = true;
        await handle.close().catch(() => undefined);
        await unlink(temp).catch(() => undefined);
      },
    };
  },
  async cleanTemps(folder) {
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      const match = TEMP.exec(name);
      if (match !== null && !processAlive(Number(match[1]))) await unlink(join(folder, name)).catch(() => undefined);
    }
  },
};
