import * as l10n from '@vscode/l10n';
import { hasBinaryExtension, looksBinary } from '../context/exclusions';
import { isVcsPath, secretPathHit } from '../egress/secretPaths';

/**
 * Which files a batch skips before the egress gate sees the rest: the gate's one secret list and
 * binary list, version-control data, and dependency folders no batch means to send.
 */
const SKIPPED_FOLDERS = /(^|\/)node_modules\//i;

/** Why `path` is skipped whatever it holds (an ignored folder, a secret's name), or undefined. */
export function pathSkipReason(path: string): string | undefined {
  const normalized = path.replace(/\\/g, '/');
  if (isVcsPath(normalized) || SKIPPED_FOLDERS.test(normalized)) return l10n.t('in an ignored folder');
  if (secretPathHit(normalized) !== undefined) return l10n.t('may hold secrets');
  return undefined;
}

/** Why `path` (with its first bytes) is skipped, or undefined to include it. */
export function skipReason(path: string, head?: Uint8Array, maxBytes = 2 * 1024 * 1024, size = head?.length ?? 0): string | undefined {
  return pathSkipReason(path) ?? unsendableReason(path.replace(/\\/g, '/'), head, maxBytes, size);
}

/**
 * Why `path` can't be sent at all, whatever the user says (binary, too large), or undefined: what
 * still applies to a file the user sends anyway past the secret rules.
 */
export function unsendableReason(path: string, head?: Uint8Array, maxBytes = 2 * 1024 * 1024, size = head?.length ?? 0): string | undefined {
  const normalized = path.replace(/\\/g, '/');
  if (hasBinaryExtension(normalized) || /\.lock$/i.test(normalized)) return l10n.t('binary');
  if (size > maxBytes) return l10n.t('too large');
  if (head !== undefined && looksBinary(head)) return l10n.t('binary');
  return undefined;
}
