import { mkdir, readFile, readdir, stat, unlink, utimes } from 'node:fs/promises';
import type { HistoryFs } from '../core/history/historyPorts';
import { appendFileDurable, cleanStaleTemps, writeFileDurable } from './durableFile';

/** node:fs behind the history's file interface (the extension's globalStorage is a local folder). */
export const nodeHistoryFs: HistoryFs = {
  // Fsynced: a turn the chat showed as saved survives a crash or a power cut.
  appendFile: (path, text) => appendFileDurable(path, text),
  writeFileAtomic: (path, text) => writeFileDurable(path, text),
  writeBytesAtomic: (path, bytes) => writeFileDurable(path, bytes),
  readBytes: async (path) => new Uint8Array(await readFile(path)),
  readFile: (path) => readFile(path, 'utf8'),
  readdir: (dir) => readdir(dir),
  unlink: (path) => unlink(path),
  mkdir: async (dir) => {
    await mkdir(dir, { recursive: true });
  },
  stat: (path) => stat(path),
  touch: (path, timeMs) => utimes(path, new Date(timeMs), new Date(timeMs)),
  cleanTemps: async (dir) => {
    await cleanStaleTemps(dir);
  },
};
