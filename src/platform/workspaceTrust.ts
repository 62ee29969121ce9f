import * as vscode from 'vscode';

/** Every user-visible string of the trust question, for vscode.l10n. */
export const trustStrings = {
  untrusted: (count: number): string =>
    `This workspace is not trusted. Send ${count === 1 ? 'this file' : `these ${count.toLocaleString('en-US')} files`} from it to Claude?`,
  untrustedDetail: 'Files in an untrusted workspace may hold content that was not written for you or for Claude, and each one is a paid request.',
  send: 'Send to Claude',
} as const;

/**
 * Asks before files of an untrusted workspace are sent in bulk (a batch, Run Now, a retry), as
 * adding them to the chat does. True at once in a trusted workspace.
 */
export async function confirmUntrustedSend(count: number): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(trustStrings.untrusted(count), { modal: true, detail: trustStrings.untrustedDetail }, trustStrings.send);
  return choice === trustStrings.send;
}
