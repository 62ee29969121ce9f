import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import type { BatchFs } from '../core/batches/ports';

let tmpCounter = 0;

/** node:fs behind the batch journal's file interface (global storage is a local folder). */
export const nodeBatchFs: BatchFs = {
  readFile: (path) => readFile(path, 'utf8'),
  async writeFileAtomic(path, text) {
    const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  },
  readdir: (dir) => readdir(dir),
  mkdir: async (dir) => {
    await mkdir(dir, { recursive: true });
  },
  remove: (path) => rm(path, { recursive: true, force: true }),
  async createWriter(path) {
    const stream = createWriteStream(path, { encoding: 'utf8', flags: 'w' });
    await once(stream, 'open');
    return {
      async write(text) {
        if (!stream.write(text)) await once(stream, 'drain');
      },
      close: () => new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve()))),
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
};
