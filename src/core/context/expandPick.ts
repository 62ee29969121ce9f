import type { Exclusion, ExclusionRules } from './exclusions';
import type { PickedPath } from './pickPlan';

export type EntryKind = 'file' | 'directory' | 'other';

/** The file system as a pick walks it; `H` is the caller's handle (a vscode.Uri in the extension). */
export interface PickFs<H> {
  stat(handle: H): Promise<EntryKind>;
  readDirectory(handle: H): Promise<readonly (readonly [string, EntryKind])[]>;
  child(handle: H, name: string): H;
  /** Workspace-relative, forward slashes. */
  path(handle: H): string;
}

export interface ExpandedPick<H> {
  readonly picked: readonly (PickedPath & { readonly handle: H })[];
  /** Folders the user picked that the rules leave out as a whole. */
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
}

/**
 * Expands what the user picked (files and folders) into files, breadth first: folders the rules
 * exclude are skipped whole (a picked one is reported), files inside folders are not "explicit"
 * (they cannot be overridden one by one). Cancellable through `signal` (rejects with its reason).
 */
export async function expandPick<H>(roots: readonly H[], fs: PickFs<H>, rules: ExclusionRules, options: ExpandOptions = {}): Promise<ExpandedPick<H>> {
  const picked: (PickedPath & { handle: H })[] = [];
  const excludedFolders: { path: string; exclusion: Exclusion }[] = [];
  const unreadable: { path: string; error: unknown }[] = [];
  const queue: { handle: H; explicit: boolean; kind?: EntryKind }[] = roots.map((handle) => ({ handle, explicit: true }));
  const progressEvery = options.progressEvery ?? 500;
  const yieldEvery = options.yieldEvery ?? 500;
  let visited = 0;
  for (let index = 0; index < queue.length; index++) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (++visited % yieldEvery === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    const { handle, explicit } = queue[index] as (typeof queue)[number];
    const path = fs.path(handle);
    let kind: EntryKind;
    try {
      kind = queue[index]?.kind ?? (await fs.stat(handle));
    } catch (error) {
      unreadable.push({ path, error });
      continue;
    }
    if (kind === 'file') {
      picked.push({ path, explicit, handle });
      if (picked.length % progressEvery === 0) options.onProgress?.(picked.length);
      continue;
    }
    if (kind !== 'directory') continue;
    const exclusion = rules.checkFolder(path);
    if (exclusion !== undefined) {
      if (explicit) excludedFolders.push({ path, exclusion });
      continue;
    }
    let entries: readonly (readonly [string, EntryKind])[];
    try {
      entries = await fs.readDirectory(handle);
    } catch (error) {
      unreadable.push({ path, error });
      continue;
    }
    for (const [name, childKind] of entries) {
      if (childKind === 'file' || childKind === 'directory') queue.push({ handle: fs.child(handle, name), explicit: false, kind: childKind });
    }
  }
  return { picked, excludedFolders, unreadable };
}
