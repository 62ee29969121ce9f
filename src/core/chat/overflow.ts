import type { Turn } from './conversation';
import { estimateTokens } from '../tokens/estimate';

/** Whether a request of `requestTokens` leaves room for an answer of `maxTokens` in the window. */
export function fitsContext(requestTokens: number, maxTokens: number, contextWindow: number): boolean {
  return requestTokens + maxTokens <= contextWindow;
}

/**
 * The newest whole exchanges (a user turn and what followed it) whose estimated size fits
 * `budgetTokens`, oldest first: what "drop old turns" keeps. A conversation always starts with a
 * user turn, so the cut is made only before a user turn.
 */
export function recentTurnsThatFit(path: readonly Turn[], budgetTokens: number): Turn[] {
  let used = 0;
  let start = path.length;
  for (let i = path.length - 1; i >= 0; i--) {
    const turn = path[i];
    if (turn === undefined) continue;
    used += estimateTokens(turn.text);
    if (used > budgetTokens) break;
    if (turn.kind === 'user') start = i;
  }
  return path.slice(start);
}

/** The instruction that asks Claude to summarize a conversation so a fresh one can carry it on. */
export const SUMMARY_REQUEST =
  'Summarize our conversation so far so that it can continue in a fresh chat: the goal, the decisions made, ' +
  'the code and files that matter (with paths), and the open questions. Be complete but concise; use Markdown.';

/** How the summary is put in front of the new conversation (as part of its fixed system prompt). */
export function summaryBlock(summary: string): string {
  return `This chat continues an earlier conversation that grew too long. Its summary:\n\n${summary.trim()}`;
}
