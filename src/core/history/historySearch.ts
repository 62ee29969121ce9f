import type { Conversation } from '../chat/conversation';
import type { ConversationSummary } from './historyIndex';
import { replayText } from './historyLog';

/** Logs read at once while searching: enough to overlap disk latency, few enough to bound memory. */
export const PARALLEL_READS = 8;

/**
 * JSON leaves these characters as they are, so a query free of quotes, backslashes, control
 * characters and surrogates appears verbatim in a log that contains it: a cheap pre-check that
 * skips parsing logs that cannot match.
 */
function escapedInJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return true;
  }
  return false;
}

/**
 * The texts a search looks in: the questions and the answers as the conversation shows them now
 * (a final record replaces what its deltas built, an answer cut off by a crash keeps its deltas,
 * a removed turn is gone), and the steps of a recipe run, which the chat shows as part of the
 * answer. Not the thinking, the system prompt or files attached as context: a user searching
 * for words they remember reading would mostly hit whole files they merely attached.
 */
export function* searchableTexts(conversation: Conversation): Generator<string> {
  for (const turn of conversation.turns.values()) {
    yield turn.text;
    if (turn.kind === 'assistant') for (const step of turn.recipe?.steps ?? []) yield step.text;
  }
}

/** Whether a log's questions or answers contain `needle` (lowercased); damaged lines are skipped. */
export function logMatches(text: string, needle: string): boolean {
  if (!escapedInJson(needle) && !text.toLowerCase().includes(needle)) return false;
  const { conversation } = replayText(text);
  if (conversation === undefined) return false;
  for (const searchable of searchableTexts(conversation)) if (searchable.toLowerCase().includes(needle)) return true;
  return false;
}

/** Runs `task` on every index with at most PARALLEL_READS at a time, stopping when `signal` aborts. */
export async function forEachParallel(count: number, task: (index: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    // A newer query took over: stop reading logs for this one.
    while (next < count && signal?.aborted !== true) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, count) }, worker));
  signal?.throwIfAborted();
}

/**
 * The summaries whose title, questions or answers contain `query`, ignoring case, in the order
 * given, by reading the logs (the store's index answers most searches without them). Titles are
 * matched from the summaries; logs are read only for conversations whose title did not match.
 */
export async function searchLogs(
  query: string,
  summaries: readonly ConversationSummary[],
  readLog: (id: string) => Promise<string>,
  signal?: AbortSignal,
): Promise<ConversationSummary[]> {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [...summaries];
  const matches = new Array<boolean>(summaries.length).fill(false);
  await forEachParallel(summaries.length, async (index) => {
    const summary = summaries[index];
    if (summary === undefined) return;
    if (summary.title.toLowerCase().includes(needle)) {
      matches[index] = true;
      return;
    }
    matches[index] = logMatches(await readLog(summary.id).catch(() => ''), needle);
  }, signal);
  return summaries.filter((_, index) => matches[index]);
}
