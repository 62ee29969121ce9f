/** Every user-visible string of the context feature, in one place for vscode.l10n. */
export const contextStrings = {
  progressTitle: 'Claude Studio: adding to the chat',
  scanning: (count: number): string => `found ${count.toLocaleString('en-US')} files…`,
  reading: (done: number, total: number): string => `reading ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}…`,
  added: (count: number): string => `Claude Studio: added ${count} ${count === 1 ? 'file' : 'files'} to the chat.`,
  untrusted: (count: number): string =>
    `This workspace is not trusted. Send ${count === 1 ? 'this file' : `these ${count.toLocaleString('en-US')} files`} from it to Claude?`,
  untrustedDetail: 'Files in an untrusted workspace may hold content that was not written for you or for Claude.',
  untrustedConfirm: 'Add to Chat',
  addAnyway: 'Add Anyway…',
  overrideTitle: (path: string, reason: string): string => `Send ${path} to Claude anyway? It was left out: ${reason}.`,
  overrideDetail: 'Only this file is added; the rule stays in place for everything else.',
  overrideConfirm: 'Send Anyway',
  alsoRefused: (count: number): string => ` (and ${count} more could not be added)`,
  noEditor: 'Open a file in the editor first.',
  noOpenEditors: 'There are no open text editors to add.',
  notInWorkspace: (path: string): string => `${path} is not a file of this workspace.`,
  selectionFromExcluded: (path: string, reason: string): string => `The selection is from ${path}, which is left out: ${reason}.`,
} as const;
