/**
 * Words for the history search index. A word is a maximal run of letters, digits and `_` (any
 * non-ASCII character counts as a letter, so a surrogate pair is never split), taken from
 * lowercased text. Because the query is split the same way, a query made of one word is found in
 * a text exactly when it is a substring of one of the text's words: that is what lets the index
 * answer partial words as the user types without keeping the text itself.
 */

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 0x80;
}

/** Calls `each` with every word of `lowered` (already lowercased), in order, repeats included. */
export function forEachWord(lowered: string, each: (word: string) => void): void {
  let start = -1;
  for (let i = 0; i < lowered.length; i++) {
    if (isWordChar(lowered.charCodeAt(i))) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      each(lowered.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) each(lowered.slice(start));
}

/** The words of a lowercased query, and whether the query is exactly one word (then the index alone decides). */
export function queryWords(needle: string): { readonly words: string[]; readonly oneWord: boolean } {
  const words: string[] = [];
  forEachWord(needle, (word) => words.push(word));
  return { words, oneWord: words.length === 1 && words[0] === needle };
}

/**
 * Every distinct word seen, numbered, so each conversation keeps only a sorted array of numbers.
 * It only grows (a word forgotten by every conversation keeps its number); it is bounded by the
 * vocabulary of the history, not by its size, and is dropped with the store.
 */
export class WordDictionary {
  private readonly ids = new Map<string, number>();
  private readonly words: string[] = [];

  get size(): number {
    return this.words.length;
  }

  /** The number of `word`, given one if it is new. */
  idOf(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.words.length;
      // A copy: `word` is a slice that may keep a whole 2 MB log alive.
      const own = (' ' + word).slice(1);
      this.words.push(own);
      this.ids.set(own, id);
    }
    return id;
  }

  /** Adds the number of every word of `text` (lowercased here) to `into`. */
  addText(text: string, into: Set<number>): void {
    if (text === '') return;
    forEachWord(text.toLowerCase(), (word) => into.add(this.idOf(word)));
  }

  /** A bitmap (by word number) of the words that contain `part`, and how many there are. */
  containing(part: string): { readonly bitmap: Uint8Array; readonly ids: number[] } {
    const bitmap = new Uint8Array(this.words.length);
    const ids: number[] = [];
    for (let id = 0; id < this.words.length; id++) {
      if ((this.words[id] ?? '').includes(part)) {
        bitmap[id] = 1;
        ids.push(id);
      }
    }
    return { bitmap, ids };
  }
}

/** The sorted, distinct numbers of a set, in the compact form a conversation keeps. */
export function sortedIds(ids: Iterable<number>): Uint32Array {
  const array = Uint32Array.from(ids);
  array.sort();
  return array;
}

/** Whether the sorted `words` hold any word of `hits` (ids ascending, bitmap by id). */
export function holdsAny(words: Uint32Array, hits: { readonly bitmap: Uint8Array; readonly ids: number[] }): boolean {
  // Few hits: look each up; many (a short partial word): walk the conversation's words once.
  if (hits.ids.length * 20 < words.length) {
    for (const id of hits.ids) if (binaryHas(words, id)) return true;
    return false;
  }
  for (let i = 0; i < words.length; i++) if (hits.bitmap[words[i] ?? 0] === 1) return true;
  return false;
}

function binaryHas(words: Uint32Array, id: number): boolean {
  let low = 0;
  let high = words.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = words[mid] ?? 0;
    if (value === id) return true;
    if (value < id) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}
