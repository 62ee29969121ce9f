import { l10n } from 'vscode';
import { formatInteger } from '../core/util/l10n';

/** Every user-visible string of the context feature, in one place, through vscode.l10n (read when shown). */
export const contextStrings = {
  get progressTitle(): string { return l10n.t('Claude Studio: adding to the chat'); },
  scanning: (count: number): string => l10n.t('found {0} files…', formatInteger(count)),
  reading: (done: number, total: number): string => l10n.t('reading {0} of {1}…', formatInteger(done), formatInteger(total)),
  added: (count: number): string => (count === 1 ? l10n.t('Claude Studio: added 1 file to the chat.') : l10n.t('Claude Studio: added {0} files to the chat.', formatInteger(count))),
  untrusted: (count: number): string =>
    count === 1
      ? l10n.t('This workspace is not trusted. Send this file from it to Claude?')
      : l10n.t('This workspace is not trusted. Send these {0} files from it to Claude?', formatInteger(count)),
  get untrustedDetail(): string { return l10n.t('Files in an untrusted workspace may hold content that was not written for you or for Claude.'); },
  get untrustedConfirm(): string { return l10n.t('Add to Chat'); },
  get addAnyway(): string { return l10n.t('Add Anyway…'); },
  overrideTitle: (path: string, reason: string): string => l10n.t('Send {0} to Claude anyway? It was left out: {1}.', path, reason),
  get overrideDetail(): string { return l10n.t('Only this file is added; the rule stays in place for everything else.'); },
  get overrideConfirm(): string { return l10n.t('Send Anyway'); },
  alsoRefused: (count: number): string => l10n.t(' (and {0} more could not be added)', formatInteger(count)),
  get noEditor(): string { return l10n.t('Open a file in the editor first.'); },
  get noOpenEditors(): string { return l10n.t('There are no open text editors to add.'); },
  folderNotAdded: (path: string, reason: string): string => l10n.t('{0}/ was not added: {1}.', path, reason),
  notInWorkspace: (path: string): string => l10n.t('{0} is not a file of this workspace.', path),
  selectionFromExcluded: (path: string, reason: string): string => l10n.t('The selection is from {0}, which is left out: {1}.', path, reason),
};
