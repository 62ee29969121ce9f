import * as vscode from 'vscode';
import type { Exclusion } from '../core/context';
import type { SecretHit } from '../core/egress';
import { redactLines } from '../core/egress';
import { describeExclusion } from '../core/context';
import { egressStrings as str } from './strings';

/** What the user chose for held-back content: send it as is, send it redacted, or nothing. */
export type EgressChoice = { readonly send: 'asIs' } | { readonly send: 'redacted'; readonly text: string } | undefined;

/**
 * Asks, in a modal, whether to send content the gate held back. A path rule offers Send
 * Anyway; content with secrets also offers sending with the flagged lines removed. Only an
 * explicit click sends; Escape sends nothing.
 */
export async function confirmEgress(what: string, where: string, exclusion: Exclusion, text?: string, hits?: readonly SecretHit[], detail?: string): Promise<EgressChoice> {
  const canRedact = text !== undefined && hits !== undefined && hits.length > 0;
  const choice = await vscode.window.showWarningMessage(
    str.blockedTitle(what, where, describeExclusion(exclusion)),
    { modal: true, detail: detail ?? (canRedact ? str.blockedDetail : str.blockedPathDetail) },
    str.sendAnyway,
    ...(canRedact ? [str.redactAndSend] : []),
  );
  if (choice === str.sendAnyway) return { send: 'asIs' };
  if (choice === str.redactAndSend && canRedact) return { send: 'redacted', text: redactLines(text, hits) };
  return undefined;
}
