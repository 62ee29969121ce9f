/**
 * Which changes to the conversation the chat view may ask for. The webview is untrusted (a stale
 * view, a bug, a hostile page): before the host retries, edits, continues or switches anything,
 * the request is checked against the conversation as the host holds it. One place decides; the
 * controller logs and drops a refusal, and the session refuses the same requests.
 */
import { canContinueTurn } from './turnError';
import type { Conversation, Turn } from './conversation';
import { activePath, childrenOf } from './conversation';

/** The state changes the view can ask for, as they arrive (already narrowed by the protocol). */
export type TurnRequest =
  | { readonly type: 'retry'; readonly turnId: string }
  | { readonly type: 'editMessage'; readonly turnId: string; readonly text: string }
  | { readonly type: 'switchBranch'; readonly turnId: string; readonly direction: -1 | 1 }
  | { readonly type: 'continueAnswer'; readonly turnId: string }
  | { readonly type: 'regenerate'; readonly turnId: string }
  | { readonly type: 'applyFiles'; readonly turnId: string };

export type TurnRequestVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Why a request was refused: written to the log, for whoever debugs a view out of step. */
export const turnRequestRefusals = {
  busy: 'an answer is streaming',
  unknownTurn: (id: string): string => `turn ${id} is not in the conversation`,
  offPath: (id: string): string => `turn ${id} is not on the branch the view shows`,
  retryNotEnded: (status: string): string => `only a failed, stopped or interrupted answer can be retried (this one is ${status})`,
  retryNotTip: 'only the newest answer of a branch can be retried; later turns depend on it',
  editNotUser: 'only a user message can be edited',
  editEmpty: 'the edited message is empty',
  noSibling: 'there is no other version of this message in that direction',
  switchNoVersions: 'only an edited message or a regenerated answer has versions to switch between',
  regenerateNotAnswer: 'only an answer can be regenerated',
  regenerateNotEnded: 'an answer still streaming cannot be regenerated',
  applyNotFinished: 'only a finished answer can be applied to files',
  continueNotCutOff: 'only an answer cut off by the token limit or by an error after some text can be continued',
  continueNotTip: 'only the newest answer can be continued',
} as const;

/** The log line for a refused request. */
export function describeRefusal(request: TurnRequest, reason: string): string {
  return `Chat view asked to ${request.type} turn ${request.turnId}; refused: ${reason}.`;
}

/** Answers a retry may replace: they ended without a complete answer. */
const RETRYABLE = new Set(['error', 'stopped', 'interrupted']);

const OK: TurnRequestVerdict = { ok: true };
const refuse = (reason: string): TurnRequestVerdict => ({ ok: false, reason });

/**
 * Checks one request against `conversation`. `busy` is true while an answer streams: then only
 * an edit is allowed (it stops the answer first, and keeps it on the old branch).
 */
export function checkTurnRequest(conversation: Conversation, busy: boolean, request: TurnRequest): TurnRequestVerdict {
  const turn = conversation.turns.get(request.turnId);
  if (turn === undefined) return refuse(turnRequestRefusals.unknownTurn(request.turnId));
  if (!activePath(conversation).some((t) => t.id === turn.id)) return refuse(turnRequestRefusals.offPath(turn.id));
  const hasChildren = childrenOf(conversation, turn.id).length > 0;
  switch (request.type) {
    case 'retry':
      if (busy) return refuse(turnRequestRefusals.busy);
      if (turn.kind === 'assistant' && !RETRYABLE.has(turn.status)) return refuse(turnRequestRefusals.retryNotEnded(turn.status));
      // A user turn is retried when it has no answer at all (the window closed before one began).
      return hasChildren ? refuse(turnRequestRefusals.retryNotTip) : OK;
    case 'editMessage':
      if (turn.kind !== 'user') return refuse(turnRequestRefusals.editNotUser);
      return request.text.trim() === '' ? refuse(turnRequestRefusals.editEmpty) : OK;
    case 'switchBranch': {
      if (busy) return refuse(turnRequestRefusals.busy);
      if (childrenOf(conversation, turn.parentId).filter((sibling) => sibling.kind === turn.kind).length < 2) return refuse(turnRequestRefusals.switchNoVersions);
      return siblingOf(conversation, turn, request.direction) === undefined ? refuse(turnRequestRefusals.noSibling) : OK;
    }
    case 'regenerate':
      // Any ended answer, not only the newest: the old one and what followed it stay as a branch.
      if (busy) return refuse(turnRequestRefusals.busy);
      if (turn.kind !== 'assistant') return refuse(turnRequestRefusals.regenerateNotAnswer);
      return turn.status === 'streaming' ? refuse(turnRequestRefusals.regenerateNotEnded) : OK;
    case 'applyFiles':
      // Reads the answer and writes the workspace, never the conversation: allowed while another streams.
      return turn.kind === 'assistant' && turn.status === 'done' ? OK : refuse(turnRequestRefusals.applyNotFinished);
    case 'continueAnswer':
      if (busy) return refuse(turnRequestRefusals.busy);
      if (turn.kind !== 'assistant' || !canContinueTurn(turn)) return refuse(turnRequestRefusals.continueNotCutOff);
      return turn.id === conversation.leafId ? OK : refuse(turnRequestRefusals.continueNotTip);
    default:
      return assertNeverRequest(request);
  }
}

/** The previous (-1) or next (1) version of a message or an answer, if there is one. */
export function siblingOf(conversation: Conversation, turn: Turn, direction: -1 | 1): Turn | undefined {
  const siblings = childrenOf(conversation, turn.parentId).filter((sibling) => sibling.kind === turn.kind);
  const index = siblings.findIndex((sibling) => sibling.id === turn.id);
  return index < 0 ? undefined : siblings[index + direction];
}

function assertNeverRequest(request: never): never {
  throw new Error(`Unknown turn request: ${JSON.stringify(request)}`);
}
