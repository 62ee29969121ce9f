/**
 * Conversation logs: one JSON record per line, only ever appended to.
 *
 *   {"v":1,"t":"conversation","id","title","createdAt","system"}   first line
 *   {"t":"turn","turn":{…}}            a turn as appended (answers: status "streaming", no text yet);
 *                                      it becomes the leaf, as appendUserTurn/appendAssistantTurn do
 *   {"t":"delta","id","text"?,"thinking"?}  streamed characters since the last checkpoint
 *   {"t":"final","turn":{…}}           an answer's final state; replaces what deltas built
 *   {"t":"leaf","id"}                  the active branch moved (id null: no leaf)
 *   {"t":"title","title"}              renamed
 *   {"t":"removed","id"}               a turn dropped (e.g. a failed answer replaced by Retry)
 *
 * Appending means a crash can cost at most the line being written, and saving a turn costs the
 * same however long the conversation is. Replay treats every line as untrusted input.
 */
import type { Conversation, Turn } from '../chat/conversation';
import { historyMessages as msg } from './historyMessages';
import type { BodyRecord, HeaderRecord } from './historyRecords';
import { HISTORY_FORMAT_VERSION, encodeRecord, headerFor, isJsonObject, readBodyRecord, readHeader } from './historyRecords';
import type { MediaStash } from './historyMedia';

export type { BodyRecord, HeaderRecord } from './historyRecords';
export { HISTORY_FORMAT_VERSION, encodeRecord, headerFor, isConversationId, readTurn } from './historyRecords';

/** A line that was skipped while replaying, and why (user-visible). Lines count from 1. */
export interface HistoryProblem {
  readonly line: number;
  readonly message: string;
}

/** What a log replays to: no conversation when the first line is unusable. */
export interface ReplayResult {
  readonly conversation: Conversation | undefined;
  readonly problems: HistoryProblem[];
}

/** Splits a log's text into lines; a final line without its newline may be a torn write. */
export function splitLog(text: string): { lines: string[]; lastLineComplete: boolean } {
  const lines = text.split('\n');
  const lastLineComplete = lines[lines.length - 1] === '';
  if (lastLineComplete) lines.pop();
  return { lines, lastLineComplete };
}

/** The lines that save a whole conversation as it is now (used when a log is first created). */
export function snapshotLines(conversation: Conversation, stash?: MediaStash): string {
  const parts = [encodeRecord(headerFor(conversation))];
  // Map order is the order turns were added; replay relies on it to rebuild the same Map.
  for (const turn of conversation.turns.values()) parts.push(encodeRecord({ t: 'turn', turn }, stash));
  const lastId = [...conversation.turns.keys()].pop();
  if (conversation.leafId !== lastId) parts.push(encodeRecord({ t: 'leaf', id: conversation.leafId ?? null }));
  return parts.join('');
}

type Apply = (conversation: Conversation, record: BodyRecord) => string | undefined;

/** Applies one validated record; returns why it could not be applied, if it could not. */
const apply: Apply = (conversation, record) => {
  const { turns } = conversation;
  switch (record.t) {
    case 'turn':
      if (turns.has(record.turn.id)) return msg.duplicateTurn(record.turn.id);
      turns.set(record.turn.id, record.turn);
      conversation.leafId = record.turn.id;
      return undefined;
    case 'delta': {
      const turn = turns.get(record.id);
      if (turn === undefined) return msg.unknownTurn(record.id);
      if (turn.kind !== 'assistant' || turn.status !== 'streaming') return msg.notStreaming(record.id);
      if (record.text !== undefined) turn.text += record.text;
      if (record.thinking !== undefined) turn.thinking += record.thinking;
      return undefined;
    }
    case 'final': {
      const existing = turns.get(record.turn.id);
      if (existing === undefined) return msg.unknownTurn(record.turn.id);
      if (existing.kind !== 'assistant') return msg.notAssistant(record.turn.id);
      // Map.set on an existing key keeps its position, so insertion order survives.
      turns.set(record.turn.id, record.turn);
      return undefined;
    }
    case 'leaf':
      if (record.id !== null && !turns.has(record.id)) return msg.unknownTurn(record.id);
      conversation.leafId = record.id ?? undefined;
      return undefined;
    case 'title':
      conversation.title = record.title;
      return undefined;
    case 'removed': {
      const removed = turns.get(record.id);
      if (removed === undefined) return msg.unknownTurn(record.id);
      turns.delete(record.id);
      // The session moves the leaf off a removed turn; if that record never made it, do the same.
      if (conversation.leafId === record.id) conversation.leafId = removed.parentId;
      return undefined;
    }
  }
};

function parseLine(line: string): { value?: unknown; failed: boolean } {
  try {
    return { value: JSON.parse(line) as unknown, failed: false };
  } catch {
    return { failed: true };
  }
}

/**
 * Rebuilds a conversation from its log lines. Never throws: bad lines are skipped and reported.
 * Answers still streaming when the log ends (no `final`) come back as 'interrupted' with the
 * text their checkpoints carried.
 *
 * @param lines the log's lines, without newlines
 * @param lastLineComplete false when the text did not end with a newline, so a failing last line
 *   is reported as a torn write rather than as corruption
 */
export function replay(lines: readonly string[], lastLineComplete = true): ReplayResult {
  const problems: HistoryProblem[] = [];
  let conversation: Conversation | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const number = index + 1;
    if (line.trim() === '') continue;
    const { value, failed } = parseLine(line);
    if (failed) {
      const torn = index === lines.length - 1 && !lastLineComplete;
      problems.push({ line: number, message: torn ? msg.truncatedLine(number) : msg.notJson(number) });
      continue;
    }
    if (conversation === undefined) {
      const header = readHeader(value);
      if (header === undefined) return { conversation: undefined, problems: [...problems, { line: number, message: msg.unusableHeader }] };
      conversation = fromHeader(header);
      if (header.v > HISTORY_FORMAT_VERSION) problems.push({ line: number, message: msg.newerVersion(header.v) });
      continue;
    }
    if (!isJsonObject(value)) {
      problems.push({ line: number, message: msg.notObject(number) });
      continue;
    }
    const type = typeof value.t === 'string' ? value.t : String(value.t);
    const parsed = readBodyRecord(value);
    if (parsed === undefined) {
      problems.push({ line: number, message: msg.unknownRecord(number, type.slice(0, 40)) });
      continue;
    }
    const reason = parsed.ok ? apply(conversation, parsed.value) : parsed.reason;
    if (reason !== undefined) problems.push({ line: number, message: msg.invalidRecord(number, type, reason) });
  }
  if (conversation === undefined) return { conversation: undefined, problems: [...problems, { line: 1, message: msg.emptyLog }] };
  for (const turn of conversation.turns.values()) markInterrupted(turn);
  return { conversation, problems };
}

/** Nothing streams across a restart: an answer without its final record was cut off. */
function markInterrupted(turn: Turn): void {
  if (turn.kind === 'assistant' && turn.status === 'streaming') turn.status = 'interrupted';
}

function fromHeader(header: HeaderRecord): Conversation {
  return { id: header.id, title: header.title, createdAt: header.createdAt, system: [...header.system], turns: new Map() };
}

/** Replays a whole log file's text. */
export function replayText(text: string): ReplayResult {
  const { lines, lastLineComplete } = splitLog(text);
  return replay(lines, lastLineComplete);
}
