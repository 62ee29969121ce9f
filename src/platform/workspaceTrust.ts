import * as vscode from 'vscode';
import { formatInteger } from '../core/util/l10n';

/** Every user-visible string of the trust question, through vscode.l10n (read when shown). */
export const trustStrings = {
  untrusted: (count: number): string =>
    count === 1
      ? vscode.l10n.t('This workspace is not trusted. Send this file from it to Claude?')
      : vscode.l10n.t('This workspace is not trusted. Send these {0} files from it to Claude?', formatInteger(count)),
  untrustedRequests: (count: number): string =>
    count === 1
      ? vscode.l10n.t('This workspace is not trusted. Send a request with its content to Claude?')
      : vscode.l10n.t('This workspace is not trusted. Send {0} requests with its content to Claude?', formatInteger(count)),
  get untrustedDetail(): string {
    return vscode.l10n.t('Files in an untrusted workspace may hold content that was not written for you or for Claude, and each one is a paid request.');
  },
  get send(): string { return vscode.l10n.t('Send to Claude'); },
};

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
