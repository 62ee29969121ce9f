import * as l10n from '@vscode/l10n';
import type { Exclusion, ExclusionRules } from '../context/exclusions';
import { isNeverSentBinary } from '../context/exclusions';
import { mediaOfPath } from '../media/mediaFacts';
import type { SecretHit } from './contentScan';
import { describeHits, scanSecrets } from './contentScan';

/**
 * Where a path really is once symlinks are followed: inside a workspace folder (then `path` is
 * workspace-relative, forward slashes) or outside all of them (then `path` is absolute).
 */
export interface RealLocation {
  readonly inside: boolean;
  readonly path: string;
}

/** A path about to be read for sending, with its real location when it was resolved. */
export interface PathSubject {
  readonly path: string;
  /** Absent when the path is not a link and lies under no link (its real path is itself). */
  readonly real?: RealLocation;
}

/** Default for the largest file read whole anywhere (context, batches, instructions). */
export const MAX_READ_BYTES = 4 * 1024 * 1024;

/**
 * Largest image or PDF read: what fits the API's 32 MB request once base64-encoded (24 MB of
 * bytes). A PDF spec or a camera photo is often over the 4 MB text limit, and the API takes it
 * (a large image is scaled down before sending); the request-wide 32 MB is checked before Send.
 */
export const MAX_MEDIA_READ_BYTES = 24 * 1024 * 1024;

/** Folders deeper than this below a picked one are not walked (a link farm, a loop with a twist). */
export const MAX_PICK_DEPTH = 32;

export interface GateOptions {
  /** Largest file read whole; bigger ones are refused from their size, before any read. */
  readonly maxReadBytes?: number;
}

/** What scanning a text found: nothing, or hits the user must confirm or redact. */
export type ContentVerdict = { readonly clean: true } | { readonly clean: false; readonly hits: readonly SecretHit[]; readonly exclusion: Exclusion };

/**
 * The one egress policy: every byte of workspace content that can leave the machine (chat
 * context, selection actions, recipes, batches, Run now, instructions, count_tokens) is checked
 * here, by path (the path and its real path, nothing outside the workspace folders), by size
 * (before reading) and by content (a secret scan). Pure: the caller resolves real paths and
 * sizes and passes them in. A blocked item carries an {@link Exclusion} the user reads, and
 * only the user can send it anyway, once.
 */
export class EgressGate {
  readonly maxReadBytes: number;

  constructor(
    readonly rules: ExclusionRules,
    options: GateOptions = {},
  ) {
    this.maxReadBytes = options.maxReadBytes ?? MAX_READ_BYTES;
  }

  /** Why a file must not be sent (path rules on its path, then on its real path), or undefined. */
  checkPath(subject: PathSubject): Exclusion | undefined {
    const own = this.fileRule(subject.path);
    if (own !== undefined) return own;
    const real = subject.real;
    if (real === undefined || (real.inside && real.path === subject.path)) return undefined;
    if (!real.inside) return { reason: 'outside', pattern: real.path };
    const behind = this.fileRule(real.path);
    return behind !== undefined ? { ...behind, via: real.path } : undefined;
  }

  /** Why a folder must not be walked into, or undefined. */
  checkFolder(subject: PathSubject): Exclusion | undefined {
    const own = this.rules.checkFolder(subject.path);
    if (own !== undefined) return own;
    const real = subject.real;
    if (real === undefined || (real.inside && real.path === subject.path)) return undefined;
    if (!real.inside) return { reason: 'outside', pattern: real.path };
    const behind = this.rules.checkFolder(real.path);
    return behind !== undefined ? { ...behind, via: real.path } : undefined;
  }

  /**
   * The read limit for a file: {@link MAX_MEDIA_READ_BYTES} for the images and PDFs Claude reads
   * (never below the text limit), the text limit for everything else.
   */
  readLimitFor(path: string): number {
    return mediaOfPath(path) !== undefined ? this.maxMediaReadBytes : this.maxReadBytes;
  }

  /** The read limit for an image or PDF (pasted and dropped bytes are held to it too). */
  get maxMediaReadBytes(): number {
    return Math.max(this.maxReadBytes, MAX_MEDIA_READ_BYTES);
  }

  /** Refuses from the size alone, so a huge file is never read whole. */
  checkSize(size: number, limit = this.maxReadBytes): Exclusion | undefined {
    return size > limit ? { reason: 'tooLarge', pattern: l10n.t('{0}; the limit is {1}', formatBytes(size), formatBytes(limit)) } : undefined;
  }

  /** The secret scan of text about to be sent. */
  async checkContent(text: string, path = 'content.txt'): Promise<ContentVerdict> {
    const hits = await scanSecrets(text, path);
    if (hits.length === 0) return { clean: true };
    return { clean: false, hits, exclusion: { reason: 'secretContent', pattern: describeHits(hits) } };
  }

  /** Path, then content: the whole verdict on a selection or a text read from `subject`. */
  async check(subject: PathSubject, text: string): Promise<{ readonly exclusion?: Exclusion; readonly hits?: readonly SecretHit[] }> {
    const byPath = this.checkPath(subject);
    if (byPath !== undefined) return { exclusion: byPath };
    const content = await this.checkContent(text, subject.path);
    return content.clean ? {} : { exclusion: content.exclusion, hits: content.hits };
  }

  private fileRule(path: string): Exclusion | undefined {
    return this.rules.check(path) ?? (isNeverSentBinary(path) ? { reason: 'binary' } : undefined);
  }
}

/**
 * Where `absolute` (a real path) lies relative to the real paths of the workspace folders:
 * inside one (workspace-relative) or outside all. Both sides use forward slashes.
 */
export function locateReal(absolute: string, roots: readonly string[]): RealLocation {
  const clean = absolute.replace(/\\/g, '/').replace(/\/+$/, '');
  for (const root of roots) {
    const base = root.replace(/\\/g, '/').replace(/\/+$/, '');
    if (clean === base) return { inside: true, path: '' };
    if (clean.startsWith(`${base}/`)) return { inside: true, path: clean.slice(base.length + 1) };
  }
  return { inside: false, path: absolute };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
