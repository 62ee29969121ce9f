import { type Clock, isNotFound, systemClock } from '../util/clock';

/**
 * The file access batch jobs need, injected so the core runs under plain Node. Paths are joined
 * with '/'. The extension backs it with node:fs in its global storage folder.
 */
export interface BatchFs {
  /** Reads a UTF-8 file; rejects with code 'ENOENT' when missing. */
  readFile(path: string): Promise<string>;
  /** Writes a whole file atomically (temporary file + rename): readers see the old or the new text. */
  writeFileAtomic(path: string, text: string): Promise<void>;
  readdir(dir: string): Promise<string[]>;
  mkdir(dir: string): Promise<void>;
  /** Removes a file or a folder with its contents; succeeds when missing. */
  remove(path: string): Promise<void>;
  /** Opens a file for writing from the start (truncating), for streaming lines into it. */
  createWriter(path: string): Promise<LineWriter>;
  /** Reads `length` bytes at `offset` as UTF-8. */
  readRange(path: string, offset: number, length: number): Promise<string>;
  /** Removes temporary files that crashed writers left under `dir` (a live writer's are kept). */
  cleanTemps?(dir: string): Promise<void>;
}

export interface LineWriter {
  /** Writes text; resolves when the data is handed to the OS (back-pressure respected). */
  write(text: string): Promise<void>;
  /** Everything written so far is on disk (fsync) when this resolves: a paid result is kept before it is shown. */
  sync?(): Promise<void>;
  /** Flushes, syncs and closes. */
  close(): Promise<void>;
  /**
   * Closes without keeping what was written, where the writer can (a failed export must not
   * leave half a file under the real name); after it, close() does nothing.
   */
  abort?(): Promise<void>;
}

export type BatchClock = Clock;
export { isNotFound, systemClock as systemBatchClock };
