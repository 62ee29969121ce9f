import { mediaFileHash } from './historyMedia';
import type { HistoryClock, HistoryFs } from './historyPorts';
import { ignoreNotFound, isNotFound, readdirOrEmpty } from './historyPorts';

/**
 * Removing the stored images and PDFs (history/historyMedia) that no conversation names any more,
 * after a conversation is deleted and a while after startup. Several windows share the folder, so
 * a file goes only when all of these hold:
 * - no log names it (`"sha256":"<hash>"`), read after the file was found old;
 * - it is older than {@link MEDIA_GC_AGE_MS}: a window that stores or reuses a file touches it
 *   first, under the {@link MEDIA_LOCK} lock, then appends the line naming it, so a file another
 *   window may have just written or be about to name is never old;
 * - it is still old when checked again under that lock, right before it is removed.
 * A log that cannot be read stops the collection: what it names cannot be known.
 */

/** Unnamed stored media younger than this are kept. */
export const MEDIA_GC_AGE_MS = 60 * 60 * 1000;
/** The first collection of a window, after startup (not at activation: nothing is urgent). */
export const MEDIA_GC_STARTUP_DELAY_MS = 2 * 60 * 1000;
/** Held by writers while they store or touch media files, and by the collector while it removes them. */
export const MEDIA_LOCK = 'media';

const MEDIA_REFERENCE = /"sha256":"([0-9a-f]{64})"/g;

export interface MediaCollectorDeps {
  readonly fs: HistoryFs;
  readonly stat: NonNullable<HistoryFs['stat']>;
  readonly clock: HistoryClock;
  readonly mediaDir: string;
  readonly logsDir: string;
  /** Runs `work` holding the media lock; rejects when another window holds it (then nothing is removed). */
  readonly withMediaLock: <T>(work: () => Promise<T>) => Promise<T>;
}

/** Removes the stored media no log names and that are old; resolves to how many were removed. */
export async function collectMedia(deps: MediaCollectorDeps): Promise<number> {
  const { fs, clock } = deps;
  const ageOf = async (path: string): Promise<number | undefined> => {
    const stat = await deps.stat(path).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    return stat === undefined ? undefined : clock.now() - stat.mtimeMs;
  };
  const old = new Map<string, string>();
  for (const name of await readdirOrEmpty(fs, deps.mediaDir)) {
    const hash = mediaFileHash(name);
    if (hash === undefined) continue; // a temp file of a write under way, or anything else: not ours to judge
    const age = await ageOf(`${deps.mediaDir}/${name}`);
    if (age !== undefined && age > MEDIA_GC_AGE_MS) old.set(hash, name);
  }
  if (old.size === 0) return 0;
  for (const name of await readdirOrEmpty(fs, deps.logsDir)) {
    if (!name.endsWith('.jsonl')) continue;
    const text = await fs.readFile(`${deps.logsDir}/${name}`).catch((error: unknown) => {
      if (isNotFound(error)) return ''; // deleted meanwhile
      throw error;
    });
    for (const match of text.matchAll(MEDIA_REFERENCE)) old.delete(match[1] ?? '');
    if (old.size === 0) return 0;
  }
  return deps.withMediaLock(async () => {
    let removed = 0;
    for (const name of old.values()) {
      const path = `${deps.mediaDir}/${name}`;
      const age = await ageOf(path);
      if (age === undefined || age <= MEDIA_GC_AGE_MS) continue; // touched since: a window is naming it
      await fs.unlink(path).catch(ignoreNotFound);
      removed++;
    }
    return removed;
  });
}
