/**
 * The history index: one summary line per change, appended, so listing 500 conversations reads
 * one small file instead of 500 logs. Logs stay the truth; the index is a cache that the store
 * repairs (a log missing from it is read once, an entry without a log is dropped).
 *
 *   {"t":"summary","id","title","createdAt","updatedAt","turnCount","preview"}
 *   {"t":"deleted","id","at"}
 *
 * Compaction writes the live summaries to `index.<n+1>.jsonl` and only then unlinks older
 * generations, so a crash midway leaves two files that merge to the same answer. Merging keeps the
 * newest entry per id by time, not by file order, so two windows sharing the folder cannot make
 * an older summary win.
 */
import type { Conversation } from '../chat/conversation';
import { isConversationId, isJsonObject } from './historyRecords';

/** One line of the conversation list. */
export interface ConversationSummary {
  readonly id: string;
  readonly title: string;
  readonly createdAt: number;
  /** When the conversation last changed (ms since the epoch). */
  readonly updatedAt: number;
  /** Turns stored, on every branch. */
  readonly turnCount: number;
  /** The latest user message, on one line and shortened. */
  readonly preview: string;
}

const PREVIEW_LENGTH = 100;
const INDEX_FILE = /^index\.(\d{1,9})\.jsonl$/;

/** The file name of index generation `n`. */
export const indexFileName = (generation: number): string => `index.${generation}.jsonl`;

/** The generation of an index file name, or undefined if the name is not one. */
export function indexGeneration(name: string): number | undefined {
  const match = INDEX_FILE.exec(name);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** A message shortened to one line for the list. */
export function previewOf(text: string): string {
  // Only the start can show, so a pasted 1 MB file costs the same as a short question.
  const line = text.slice(0, PREVIEW_LENGTH * 4).replace(/\s+/g, ' ').trim();
  return line.length <= PREVIEW_LENGTH ? line : `${line.slice(0, PREVIEW_LENGTH - 1)}…`;
}

/** The summary of a conversation held in memory (after replaying its log). */
export function summarize(conversation: Conversation, updatedAt: number): ConversationSummary {
  let preview = '';
  for (const turn of conversation.turns.values()) if (turn.kind === 'user') preview = turn.text;
  return {
    id: conversation.id,
    title: conversation.title,
    createdAt: conversation.createdAt,
    updatedAt,
    turnCount: conversation.turns.size,
    preview: previewOf(preview),
  };
}

/** The latest time anything in a conversation was created: the best guess at its last change. */
export function lastActivity(conversation: Conversation): number {
  let latest = conversation.createdAt;
  for (const turn of conversation.turns.values()) latest = Math.max(latest, turn.createdAt);
  return latest;
}

export const encodeSummary = (summary: ConversationSummary): string => `${JSON.stringify({ t: 'summary', ...summary })}\n`;
export const encodeDeleted = (id: string, at: number): string => `${JSON.stringify({ t: 'deleted', id, at })}\n`;

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Validates an index line (the folder is shared and editable, so it is untrusted too). */
function readEntry(value: unknown): { summary?: ConversationSummary; deleted?: { id: string; at: number } } | undefined {
  if (!isJsonObject(value) || !isConversationId(value.id)) return undefined;
  if (value.t === 'deleted') return isTime(value.at) ? { deleted: { id: value.id, at: value.at } } : undefined;
  const { id, title, createdAt, updatedAt, turnCount, preview } = value;
  if (value.t !== 'summary' || typeof title !== 'string' || typeof preview !== 'string') return undefined;
  if (!isTime(createdAt) || !isTime(updatedAt) || typeof turnCount !== 'number' || !Number.isInteger(turnCount) || turnCount < 0) return undefined;
  return { summary: { id, title, createdAt, updatedAt, turnCount, preview: previewOf(preview) } };
}

/** The merged state of every index generation. */
export interface IndexState {
  readonly summaries: Map<string, ConversationSummary>;
  /** Lines read, live or not: compaction is due when this far exceeds the live count. */
  readonly lines: number;
}

/** Merges index texts (any order): per id the newest summary or deletion wins; bad lines are ignored. */
export function mergeIndex(texts: readonly string[]): IndexState {
  const newest = new Map<string, { at: number; summary?: ConversationSummary }>();
  let lines = 0;
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      lines++;
      let entry: ReturnType<typeof readEntry>;
      try {
        entry = readEntry(JSON.parse(line));
      } catch {
        continue;
      }
      const at = entry?.summary?.updatedAt ?? entry?.deleted?.at;
      const id = entry?.summary?.id ?? entry?.deleted?.id;
      if (at === undefined || id === undefined) continue;
      const current = newest.get(id);
      // Ties go to the later line: within one file that is the later write.
      if (current === undefined || at >= current.at) newest.set(id, { at, summary: entry?.summary });
    }
  }
  const summaries = new Map<string, ConversationSummary>();
  for (const [id, { summary }] of newest) if (summary !== undefined) summaries.set(id, summary);
  return { summaries, lines };
}

/** Whether the index carries enough dead lines to be worth rewriting. */
export const needsCompaction = (state: IndexState): boolean => state.lines > 2 * state.summaries.size + 64;
