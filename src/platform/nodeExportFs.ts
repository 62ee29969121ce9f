import { constants } from 'node:fs';
import { lstat, mkdir, open, unlink } from 'node:fs/promises';
import type { ExportFs, PathKind } from '../core/batches/export';
import { isNotFound } from '../core/util/clock';

/** Create-only, and on systems that have it, refuse a link as the last path component too. */
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

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
  async createNew(path) {
    const handle = await open(path, CREATE_NEW, 0o644);
    return {
      async write(text) {
        await handle.write(text);
      },
      close: () => handle.close(),
    };
  },
};
