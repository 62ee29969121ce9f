import * as vscode from 'vscode';

/** Every user-visible string of the trust question, for vscode.l10n. */
export const trustStrings = {
  untrusted: (count: number): string =>
    `This workspace is not trusted. Send ${count === 1 ? 'this file' : `these ${count.toLocaleString('en-US')} files`} from it to Claude?`,
  untrustedRequests: (count: number): string =>
    `This workspace is not trusted. Send ${count === 1 ? 'a request' : `${count.toLocaleString('en-US')} requests`} with its content to Claude?`,
  untrustedDetail: 'Files in an untrusted workspace may hold content that was not written for you or for Claude, and each one is a paid request.',
  send: 'Send to Claude',
} as const;

/**
 * Asks before content of an untrusted workspace is sent in bulk (a batch, Run Now, a retry, a
 * recipe sent as a batch), as adding it to the chat does. True at once in a trusted workspace.
 */
export async function confirmUntrustedSend(count: number, what: 'files' | 'requests' = 'files'): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const question = what === 'files' ? trustStrings.untrusted(count) : trustStrings.untrustedRequests(count);
  const choice = await vscode.window.showWarningMessage(question, { modal: true, detail: trustStrings.untrustedDetail }, trustStrings.send);
  return choice === trustStrings.send;
}
