/**
 * The history search index: for each conversation, the distinct words of its questions and
 * answers (see historySearch.ts for which texts), as sorted numbers into one shared dictionary.
 * Built from a log the first time a search needs it, then kept while the log's size and
 * modification time are the ones it was built from; the store reports every append it makes, so
 * recording a conversation keeps its entry current, and a log another window changed is read
 * again. A one-word query (partial words included) is answered from memory alone; a query of
 * several words narrows the conversations to those holding all of them and reads only those.
 */
import type { ConversationSummary } from './historyIndex';
import { replayText } from './historyLog';
import { isJsonObject, readBodyRecord } from './historyRecords';
import { forEachParallel, logMatches, searchableTexts } from './historySearch';
import { WordDictionary, holdsAny, queryWords, sortedIds } from './searchWords';

/** What the index needs of the store. */
export interface SearchIndexSource {
  /** The log's text, read after its stat and in turn with the store's appends to it. */
  read(id: string): Promise<{ readonly text: string; readonly size: number; readonly mtimeMs: number }>;
  /** The log's size and modification time; rejects when it is gone. */
  stat(id: string): Promise<{ readonly size: number; readonly mtimeMs: number }>;
}

interface Entry {
  size: number;
  mtimeMs: number;
  /** Sorted distinct word numbers. */
  words: Uint32Array;
  /** Words appended since `words` was last sorted. */
  added: Set<number>;
  /** Answers whose text is in `words`: a later delta or final for one may change it, so the entry is rebuilt. */
  readonly answered: Set<string>;
  /** The text streamed so far of answers still streaming (not yet in `words`). */
  readonly streaming: Map<string, string>;
  /** Set when an append made `words` possibly hold words the conversation no longer has. */
  stale: boolean;
}

export class HistorySearchIndex {
  private readonly dictionary = new WordDictionary();
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly source: SearchIndexSource) {}

  /** Conversations indexed, and words known: for the benchmark and tests. */
  get stats(): { readonly conversations: number; readonly words: number } {
    return { conversations: this.entries.size, words: this.dictionary.size };
  }

  /** Whether a conversation has an entry (appends to others need not be reported). */
  tracks(id: string): boolean {
    return this.entries.has(id);
  }

  /** Forgets a conversation (deleted, or a write to its log failed). */
  forget(id: string): void {
    this.entries.delete(id);
  }

  /**
   * Records text the store appended to a log, and the log's stat after it. Only the store's own
   * appends come here: it holds the conversation's lock, so no other window wrote in between.
   */
  appended(id: string, text: string, stat: { readonly size: number; readonly mtimeMs: number }): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    entry.size = stat.size;
    entry.mtimeMs = stat.mtimeMs;
    for (const line of text.split('\n')) if (line !== '') this.applyLine(entry, line);
  }

  /** The summaries whose title, questions or answers contain `query`, ignoring case, in the order given. */
  async search(query: string, summaries: readonly ConversationSummary[], signal?: AbortSignal): Promise<ConversationSummary[]> {
    const needle = query.trim().toLowerCase();
    if (needle === '') return [...summaries];
    const live = new Set(summaries.map((summary) => summary.id));
    for (const id of this.entries.keys()) if (!live.has(id)) this.entries.delete(id);
    const byTitle = summaries.map((summary) => summary.title.toLowerCase().includes(needle));
    const entries = new Array<Entry | undefined>(summaries.length);
    await forEachParallel(summaries.length, async (index) => {
      const id = summaries[index]?.id;
      if (id !== undefined && byTitle[index] !== true) entries[index] = await this.fresh(id);
    }, signal);
    const { words, oneWord } = queryWords(needle);
    const hits = words.map((word) => this.dictionary.containing(word));
    const matches = byTitle.slice();
    const toRead: number[] = [];
    entries.forEach((entry, index) => {
      if (entry === undefined) return;
      if (this.streamingMatches(entry, needle)) matches[index] = true;
      else if (hits.every((hit) => holdsAny(this.sorted(entry), hit))) {
        if (oneWord) matches[index] = true;
        else toRead.push(index);
      }
    });
    // Several words: the entry only says each is there; reading the log says whether they are in that order.
    await forEachParallel(toRead.length, async (position) => {
      const index = toRead[position] ?? 0;
      const id = summaries[index]?.id;
      if (id === undefined) return;
      const log = await this.source.read(id).catch(() => undefined);
      matches[index] = log !== undefined && logMatches(log.text, needle);
    }, signal);
    return summaries.filter((_, index) => matches[index]);
  }

  /** The entry of a log, rebuilt when the log changed outside this store or an append made it stale. */
  private async fresh(id: string): Promise<Entry | undefined> {
    const stat = await this.source.stat(id).catch(() => undefined);
    if (stat === undefined) {
      this.entries.delete(id);
      return undefined;
    }
    const entry = this.entries.get(id);
    if (entry !== undefined && !entry.stale && entry.size === stat.size && entry.mtimeMs === stat.mtimeMs) return entry;
    const log = await this.source.read(id).catch(() => undefined);
    if (log === undefined) {
      this.entries.delete(id);
      return undefined;
    }
    const built = this.build(log.text, log);
    this.entries.set(id, built);
    return built;
  }

  private build(text: string, stat: { readonly size: number; readonly mtimeMs: number }): Entry {
    const words = new Set<number>();
    const answered = new Set<string>();
    const { conversation } = replayText(text);
    if (conversation !== undefined) {
      for (const searchable of searchableTexts(conversation)) this.dictionary.addText(searchable, words);
      for (const turn of conversation.turns.values()) {
        if (turn.kind === 'assistant' && (turn.text !== '' || turn.recipe !== undefined)) answered.add(turn.id);
      }
    }
    return { size: stat.size, mtimeMs: stat.mtimeMs, words: sortedIds(words), added: new Set(), answered, streaming: new Map(), stale: false };
  }

  /** Applies one appended record to an entry, as replay would apply it to the conversation. */
  private applyLine(entry: Entry, line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      entry.stale = true;
      return;
    }
    const parsed = isJsonObject(value) ? readBodyRecord(value) : undefined;
    if (parsed === undefined || !parsed.ok) return;
    const record = parsed.value;
    switch (record.t) {
      case 'turn':
        this.dictionary.addText(record.turn.text, entry.added);
        if (record.turn.kind === 'assistant') {
          for (const step of record.turn.recipe?.steps ?? []) this.dictionary.addText(step.text, entry.added);
          if (record.turn.text !== '' || record.turn.recipe !== undefined) entry.answered.add(record.turn.id);
        }
        return;
      case 'delta':
        if (record.text === undefined) return;
        if (entry.answered.has(record.id)) entry.stale = true;
        else entry.streaming.set(record.id, (entry.streaming.get(record.id) ?? '') + record.text);
        return;
      case 'final':
        // A second final may drop words the first had: only a rebuild can take them out.
        if (entry.answered.has(record.turn.id)) entry.stale = true;
        entry.streaming.delete(record.turn.id);
        entry.answered.add(record.turn.id);
        this.dictionary.addText(record.turn.text, entry.added);
        for (const step of record.turn.recipe?.steps ?? []) this.dictionary.addText(step.text, entry.added);
        return;
      case 'removed':
        // An answer still streaming held its text apart; anything else's words are in the set.
        if (entry.streaming.delete(record.id) && !entry.answered.has(record.id)) return;
        entry.stale = true;
        return;
      default:
        return; // leaf, title (titles are matched from the summaries)
    }
  }

  private streamingMatches(entry: Entry, needle: string): boolean {
    for (const text of entry.streaming.values()) if (text.toLowerCase().includes(needle)) return true;
    return false;
  }

  /** The entry's words with the appended ones merged in. */
  private sorted(entry: Entry): Uint32Array {
    if (entry.added.size > 0) {
      for (const id of entry.words) entry.added.add(id);
      entry.words = sortedIds(entry.added);
      entry.added = new Set();
    }
    return entry.words;
  }
}
