import { appendFile, mkdir, readFile, readdir, stat, unlink } from 'node:fs/promises';
import type { HistoryFs } from '../core/history/historyPorts';

/** node:fs behind the history's file interface (the extension's globalStorage is a local folder). */
export const nodeHistoryFs: HistoryFs = {
  appendFile: (path, text) => appendFile(path, text, 'utf8'),
  readFile: (path) => readFile(path, 'utf8'),
  readdir: (dir) => readdir(dir),
  unlink: (path) => unlink(path),
  mkdir: async (dir) => {
    await mkdir(dir, { recursive: true });
  },
  stat: (path) => stat(path),
};
