import { hostname } from 'node:os';
import { mkdir, open, readFile, rm, stat, utimes } from 'node:fs/promises';
import type { LockFs } from '../core/util/fileLock';
import { processAlive, syncDir } from './durableFile';
import * as path from 'node:path';

/** node:fs behind the cross-window locks: O_EXCL create, mtime as the heartbeat. */
export const nodeLockFs: LockFs = {
  self: { pid: process.pid, host: hostname() },
  isAlive: processAlive,
  async createExclusive(file, text) {
    let handle;
    try {
      handle = await open(file, 'wx');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EEXIST') return false;
      throw error;
    }
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await syncDir(path.dirname(file));
    return true;
  },
  readFile: (file) => readFile(file, 'utf8'),
  async heartbeat(file) {
    try {
      return (await stat(file)).mtimeMs;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  touch: async (file, timeMs) => {
    const time = new Date(timeMs);
    await utimes(file, time, time);
  },
  remove: (file) => rm(file, { force: true }),
  mkdir: async (dir) => {
    await mkdir(dir, { recursive: true });
  },
};
