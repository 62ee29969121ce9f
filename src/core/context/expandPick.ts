import type { EgressGate, RealLocation } from '../egress/gate';
import { MAX_PICK_DEPTH, locateReal } from '../egress/gate';
import type { Exclusion } from './exclusions';
import type { PickedPath } from './pickPlan';

export type EntryKind = 'file' | 'directory' | 'other';

/** The file system as a pick walks it; `H` is the caller's handle (a vscode.Uri in the extension). */
export interface PickFs<H> {
  /** What the handle is, following links. */
  stat(handle: H): Promise<EntryKind>;
  /** Entries with their kind (links followed) and whether the entry itself is a symlink. */
  readDirectory(handle: H): Promise<readonly (readonly [string, EntryKind, boolean?])[]>;
  child(handle: H, name: string): H;
  /** Workspace-relative, forward slashes. */
  path(handle: H): string;
  /** The absolute real path (links resolved), or undefined where there is no such thing. */
  realPath?(handle: H): Promise<string | undefined>;
}

export interface ExpandedPick<H> {
  readonly picked: readonly (PickedPath & { readonly handle: H })[];
  /**
   * Folders left out as a whole: picked ones the rules exclude, links that lead outside the
   * workspace or back into a folder already walked (a loop), and folders past the depth limit.
   */
  readonly excludedFolders: readonly { readonly path: string; readonly exclusion: Exclusion }[];
  readonly unreadable: readonly { readonly path: string; readonly error: unknown }[];
}

export interface ExpandOptions {
  readonly signal?: AbortSignal;
  /** Called every `progressEvery` files found. */
  readonly onProgress?: (found: number) => void;
  readonly progressEvery?: number;
  /** Yield to the event loop this often (entries), so a huge pick never blocks the host. */
  readonly yieldEvery?: number;
  /** Real paths of the workspace folders: a real path under none of them is outside. */
  readonly realRoots?: readonly string[];
  /** Folders below a picked one walked at most this deep. */
  readonly maxDepth?: number;
}

interface Queued<H> {
  readonly handle: H;
  readonly explicit: boolean;
  readonly kind?: EntryKind;
  readonly depth: number;
  /** Absolute real path when known without asking (a child of a resolved folder that is no link). */
  readonly real?: string;
  readonly link?: boolean;
}

/**
 * Expands what the user picked (files and folders) into files, breadth first: folders the gate
 * excludes are skipped whole (a picked one is reported), files inside folders are not "explicit"
 * (they cannot be overridden one by one). Real paths are tracked: each real folder is walked
 * once (a symlink loop ends at the second visit), a link out of the workspace is reported and
 * not followed, and nothing deeper than `maxDepth` is walked. Cancellable through `signal`.
 */
export async function expandPick<H>(roots: readonly H[], fs: PickFs<H>, gate: EgressGate, options: ExpandOptions = {}): Promise<ExpandedPick<H>> {
  const picked: (PickedPath & { handle: H })[] = [];
  const excludedFolders: { path: string; exclusion: Exclusion }[] = [];
  const unreadable: { path: string; error: unknown }[] = [];
  const queue: Queued<H>[] = roots.map((handle) => ({ handle, explicit: true, depth: 0, link: true }));
  const progressEvery = options.progressEvery ?? 500;
  const yieldEvery = options.yieldEvery ?? 500;
  const maxDepth = options.maxDepth ?? MAX_PICK_DEPTH;
  const visitedFolders = new Set<string>();
  let visited = 0;
  for (let index = 0; index < queue.length; index++) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (++visited % yieldEvery === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    const entry = queue[index] as Queued<H>;
    const { handle, explicit } = entry;
    const path = fs.path(handle);
    let kind: EntryKind;
    let realPath: string | undefined;
    try {
      kind = entry.kind ?? (await fs.stat(handle));
      realPath = entry.link === true ? await fs.realPath?.(handle) : entry.real;
    } catch (error) {
      unreadable.push({ path, error });
      continue;
    }
    const real: RealLocation | undefined = realPath !== undefined && options.realRoots !== undefined ? locateReal(realPath, options.realRoots) : undefined;
    if (kind === 'file') {
      picked.push({ path, explicit, handle, ...(real !== undefined ? { real } : {}) });
      if (picked.length % progressEvery === 0) options.onProgress?.(picked.length);
      continue;
    }
    if (kind !== 'directory') continue;
    const exclusion = gate.checkFolder({ path, ...(real !== undefined ? { real } : {}) });
    if (exclusion !== undefined) {
      // A link that leads somewhere it must not is worth a word even inside a picked folder.
      if (explicit || exclusion.reason === 'outside' || exclusion.via !== undefined) excludedFolders.push({ path, exclusion });
      continue;
    }
    const key = realPath ?? path;
    if (visitedFolders.has(key)) {
      excludedFolders.push({ path, exclusion: { reason: 'loop', ...(real !== undefined ? { via: real.path === '' ? '.' : real.path } : {}) } });
      continue;
    }
    visitedFolders.add(key);
    if (entry.depth > maxDepth) {
      excludedFolders.push({ path, exclusion: { reason: 'tooDeep', pattern: String(maxDepth) } });
      continue;
    }
    let entries: readonly (readonly [string, EntryKind, boolean?])[];
    try {
      entries = await fs.readDirectory(handle);
    } catch (error) {
      unreadable.push({ path, error });
      continue;
    }
    for (const [name, childKind, isLink] of entries) {
      if (childKind !== 'file' && childKind !== 'directory') continue;
      const link = isLink === true || realPath === undefined;
      queue.push({
        handle: fs.child(handle, name),
        explicit: false,
        kind: childKind,
        depth: entry.depth + 1,
        ...(link ? { link: true } : { real: `${realPath}/${name}` }),
      });
    }
  }
  return { picked, excludedFolders, unreadable };
}
