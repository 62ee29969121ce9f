import { type Clock, isNotFound, systemClock } from '../util/clock';

/**
 * The file access the history needs, injected so the core runs under plain Node. The extension
 * backs it with node:fs in its globalStorage folder; paths are joined with '/'.
 */
export interface HistoryFs {
  /** Appends text, creating the file if it does not exist. The only way history writes a log. */
  appendFile(path: string, text: string): Promise<void>;
  /**
   * Writes a new file whole (temp, fsync, rename), so a crash never leaves half of a new log's
   * first line; optional, appendFile is used without it.
   */
  writeFileAtomic?(path: string, text: string): Promise<void>;
  /** Removes temporary files that crashed writers left under `dir` (a live writer's are kept). */
  cleanTemps?(dir: string): Promise<void>;
  /** Reads a UTF-8 file; rejects with an error whose `code` is 'ENOENT' when it does not exist. */
  readFile(path: string): Promise<string>;
  /** Names (not paths) of the entries of a folder; rejects with code 'ENOENT' when it does not exist. */
  readdir(dir: string): Promise<string[]>;
  /** Deletes a file (a deleted conversation, an outgrown index generation). */
  unlink(path: string): Promise<void>;
  /** Creates a folder and its parents; succeeds when it already exists. */
  mkdir(dir: string): Promise<void>;
  /**
   * Writes a file of bytes whole (temp, fsync, rename): the images and PDFs of conversations,
   * stored once each under their hash. Without it (and readBytes) media stay inline in the log.
   */
  writeBytesAtomic?(path: string, bytes: Uint8Array): Promise<void>;
  /** Reads a file's bytes; rejects with code 'ENOENT' when it does not exist. */
  readBytes?(path: string): Promise<Uint8Array>;
  /**
   * Sets a file's modification time: a stored image or PDF reused by a new line is touched, so the
   * media collector (history/mediaCollector) sees it as new. Without it stored media are never collected.
   */
  touch?(path: string, timeMs: number): Promise<void>;
  /** Size and modification time; used, when present, to date conversations the index lost. */
  stat?(path: string): Promise<{ readonly size: number; readonly mtimeMs: number }>;
}

/** Time and timers, injected so tests can drive delta batching with a fake clock. */
export type HistoryClock = Clock;
export { isNotFound, systemClock };

/** A folder's entries; none when it does not exist (yet). */
export function readdirOrEmpty(fs: Pick<HistoryFs, 'readdir'>, dir: string): Promise<string[]> {
  return fs.readdir(dir).catch((error: unknown) => {
    if (isNotFound(error)) return [];
    throw error;
  });
}

/** Whether `path` exists (a stat where the file system has one, else a read). */
export function fileExists(fs: Pick<HistoryFs, 'stat' | 'readFile'>, path: string): Promise<boolean> {
  const probe = fs.stat ? fs.stat(path) : fs.readFile(path);
  return probe.then(() => true, (error: unknown) => {
    if (isNotFound(error)) return false;
    throw error;
  });
}

/** For `.catch` on a removal: a file already gone is what was wanted. */
export function ignoreNotFound(error: unknown): void {
  if (!isNotFound(error)) throw error;
}
