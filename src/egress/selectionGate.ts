import type * as vscode from 'vscode';
import type { CodeSelection } from '../core/context/selectionPrompt';
import { itemLabel } from '../core/context';
import { describeHits } from '../core/egress/contentScan';
import { confirmEgress } from './confirm';
import type { WorkspaceGate } from './workspaceGate';

/**
 * A selection about to be sent (a right-click action, a recipe), after the gate: unchanged when
 * nothing is held back; as is or with the flagged lines removed when the user says so; undefined
 * when the user cancels. `what` names the action for the question ("Explain Selection").
 */
export async function gateSelection(gate: WorkspaceGate, selection: CodeSelection, uri: vscode.Uri, what: string): Promise<CodeSelection | undefined> {
  const egress = await gate.gate();
  const subject = uri.scheme === 'untitled' ? { path: selection.path } : await gate.subject(uri, selection.path);
  const verdict = await egress.check(subject, selection.text);
  if (verdict.exclusion === undefined) return selection;
  const where = itemLabel({ path: selection.path, range: { startLine: selection.startLine, endLine: selection.endLine } });
  const hits = verdict.hits;
  // Line numbers of hits count from the selection's first line; the question names them in the file.
  const shifted = verdict.exclusion.reason === 'secretContent' && hits !== undefined
    ? { ...verdict.exclusion, pattern: describeHits(hits.map((hit) => ({ ...hit, line: hit.line + selection.startLine - 1 }))) }
    : verdict.exclusion;
  const choice = await confirmEgress(what, where, shifted, selection.text, hits);
  if (choice === undefined) return undefined;
  return choice.send === 'asIs' ? selection : { ...selection, text: choice.text };
}
