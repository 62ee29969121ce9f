import { mkdir, open, readFile, readdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BatchFs, LineWriter } from '../core/batches/ports';
import { cleanStaleTemps, syncDir, writeFileDurable } from './durableFile';

/** Lines are gathered up to this size before a write, so ingesting many small lines stays cheap. */
const WRITE_CHUNK = 64 * 1024;

/** node:fs behind the batch journal's file interface (global storage is a local folder). */
export const nodeBatchFs: BatchFs = {
  readFile: (path) => readFile(path, 'utf8'),
  writeFileAtomic: (path, text) => writeFileDurable(path, text),
  readdir: (dir) => readdir(dir),
  mkdir: async (dir) => {
    await mkdir(dir, { recursive: true });
  },
  remove: (path) => rm(path, { recursive: true, force: true }),
  async createWriter(path): Promise<LineWriter> {
    const handle = await open(path, 'w');
    let pending: string[] = [];
    let size = 0;
    // The file is new, and so may be its folder (a job's results folder): until both folder
    // entries are synced, a power cut can lose the file even though its content was synced.
    let entriesSynced = false;
    const syncFile = async (): Promise<void> => {
      await handle.sync();
      if (entriesSynced) return;
      await syncDir(dirname(path));
      await syncDir(dirname(dirname(path)));
      entriesSynced = true;
    };
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const text = pending.join('');
      pending = [];
      size = 0;
      await handle.write(text, null, 'utf8');
    };
    return {
      async write(text) {
        pending.push(text);
        size += text.length;
        if (size >= WRITE_CHUNK) await flush();
      },
      async sync() {
        await flush();
        await syncFile();
      },
      async close() {
        try {
          await flush();
          await syncFile();
        } finally {
          await handle.close();
        }
      },
    };
  },
  async readRange(path, offset, length) {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  },
  cleanTemps: async (dir) => {
    await cleanStaleTemps(dir);
  },
};
