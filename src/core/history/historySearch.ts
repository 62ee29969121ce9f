import type { ConversationSummary } from './historyIndex';
import { splitLog } from './historyLog';
import { isJsonObject, readTurn } from './historyRecords';

/** Logs read at once while searching: enough to overlap disk latency, few enough to bound memory. */
const PARALLEL_READS = 8;

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

function userTextMatches(text: string, query: string): boolean {
  const { lines } = splitLog(text);
  for (const line of lines) {
    // Only turn records carry user text; skip parsing everything else.
    if (!line.includes('"turn"')) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (!isJsonObject(value) || value.t !== 'turn') continue;
      const turn = readTurn(value.turn);
      if (turn?.kind === 'user' && turn.text.toLowerCase().includes(query)) return true;
    } catch {
      // A damaged line cannot match; the rest of the log still can.
    }
  }
  return false;
}

/**
 * The summaries whose title or any user message contains `query`, ignoring case, in the order
 * given. Titles are matched from the index; logs are read only for conversations whose title
 * did not match.
 */
export async function searchLogs(
  query: string,
  summaries: readonly ConversationSummary[],
  readLog: (id: string) => Promise<string>,
  signal?: AbortSignal,
): Promise<ConversationSummary[]> {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [...summaries];
  const verbatim = !escapedInJson(needle);
  const matches = new Array<boolean>(summaries.length).fill(false);
  let next = 0;
  const worker = async (): Promise<void> => {
    // A newer query took over: stop reading logs for this one.
    while (next < summaries.length && signal?.aborted !== true) {
      const index = next++;
      const summary = summaries[index];
      if (summary === undefined) continue;
      if (summary.title.toLowerCase().includes(needle)) {
        matches[index] = true;
        continue;
      }
      const text = await readLog(summary.id).catch(() => '');
      if (verbatim && !text.toLowerCase().includes(needle)) continue;
      matches[index] = userTextMatches(text, needle);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_READS }, worker));
  signal?.throwIfAborted();
  return summaries.filter((_, index) => matches[index]);
}
