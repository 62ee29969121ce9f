import { Emitter } from '../util/emitter';
import type { ContextItem } from './contextItem';
import { formatContextItem, formatDeletedItem, formatMediaCaption, formatUpdatedItem, itemLabel, withContent } from './contextItem';
import type { MediaKind, MediaType } from '../media/mediaFacts';
import { estimateTokens } from '../tokens/estimate';

/**
 * Where an item stands against what the conversation has already been sent:
 * - `new`: added, not sent yet (goes whole into the next turn);
 * - `sent`: the conversation holds exactly this version;
 * - `updated`: sent, then edited (the next turn carries an "updated version" block);
 * - `deleted`: sent, then the file went away (the next turn says so, then the item is dropped).
 */
export type ContextItemState = 'new' | 'sent' | 'updated' | 'deleted';

export interface ContextEntry {
  readonly item: ContextItem;
  readonly state: ContextItemState;
}

/**
 * A block of context attached to the user turn it was sent with, stored with that turn so the
 * history replays it byte for byte. Nothing already sent is ever rewritten: a change is a new block.
 */
export interface ContextBlock {
  /** What the chip / transcript shows: `src/a.ts`, `src/a.ts:3-9 (updated)`. */
  readonly label: string;
  /** The text block; for an image or PDF, the caption sent just before it. */
  readonly text: string;
  /** An image or PDF, sent as an `image` / `document` block after the caption. */
  readonly media?: ContextBlockMedia;
}

/** The bytes of an image or PDF as a block carries them, with the estimate its item had. */
export interface ContextBlockMedia {
  readonly kind: MediaKind;
  readonly mediaType: MediaType;
  /** Base64. */
  readonly data: string;
  readonly tokens: number;
  /** Images: pixels; PDFs: pages (the request-wide limits count them). */
  readonly width?: number;
  readonly height?: number;
  readonly pages?: number;
  /**
   * Only between reading a history log and loading its media files (history/historyMedia): the
   * SHA-256 of the bytes, stored once as a file, while `data` is still empty.
   */
  readonly sha256?: string;
}

/** Local estimate of a block: its text, plus the documented cost of its image or PDF. */
export function contextBlockTokens(block: ContextBlock): number {
  return estimateTokens(block.text) + (block.media?.tokens ?? 0);
}

interface Entry {
  item: ContextItem;
  state: ContextItemState;
  /** The hash the conversation last received for this item. */
  sentHash?: string;
  /**
   * The block last made for this item, with the (immutable) item and state it was made from.
   * The token count asks for the pending blocks on every keystroke; formatting a 1 MB file each
   * time would cost a frame, and handing back the same strings lets the count reuse their hash.
   */
  made?: { readonly item: ContextItem; readonly state: ContextItemState; readonly block: ContextBlock | undefined };
}

/**
 * The chat's context: the items the user attached, in the order they were added (a stable order:
 * adding more never reorders what is there), and what of them the conversation already holds.
 */
export class ContextSet {
  private readonly entries = new Map<string, Entry>();
  private readonly _onDidChange = new Emitter<void>();
  readonly onDidChange = this._onDidChange.event;

  /** Adds an item, or refreshes it if the same file/range is there already. */
  add(item: ContextItem): 'added' | 'unchanged' | 'updated' {
    const entry = this.entries.get(item.id);
    if (entry === undefined) {
      this.entries.set(item.id, { item, state: 'new' });
      this._onDidChange.fire();
      return 'added';
    }
    if (entry.item.hash === item.hash && entry.state !== 'deleted') return 'unchanged';
    this.replace(entry, item);
    return 'updated';
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  get(id: string): ContextEntry | undefined {
    const entry = this.entries.get(id);
    return entry && { item: entry.item, state: entry.state };
  }

  remove(id: string): boolean {
    const removed = this.entries.delete(id);
    if (removed) this._onDidChange.fire();
    return removed;
  }

  clear(): void {
    if (this.entries.size === 0) return;
    this.entries.clear();
    this._onDidChange.fire();
  }

  /** A file in context changed on disk or in the editor. Returns false when nothing changed. */
  updateContent(id: string, content: string): boolean {
    const entry = this.entries.get(id);
    if (entry === undefined) return false;
    const next = withContent(entry.item, content);
    if (next.hash === entry.item.hash && entry.state !== 'deleted') return false;
    this.replace(entry, next);
    return true;
  }

  /** The file behind an item is gone. An item never sent simply goes away. */
  markDeleted(id: string): void {
    const entry = this.entries.get(id);
    if (entry === undefined || entry.state === 'deleted') return;
    if (entry.sentHash === undefined) this.entries.delete(id);
    else entry.state = 'deleted';
    this._onDidChange.fire();
  }

  /** A new conversation holds nothing yet: every item will be sent whole again. */
  forgetSent(): void {
    for (const [id, entry] of this.entries) {
      if (entry.state === 'deleted') this.entries.delete(id);
      else {
        entry.state = 'new';
        entry.sentHash = undefined;
      }
    }
    this._onDidChange.fire();
  }

  /** The items in their stable order, with their state. */
  list(): ContextEntry[] {
    return [...this.entries.values()].map((entry) => ({ item: entry.item, state: entry.state }));
  }

  get size(): number {
    return this.entries.size;
  }

  /** Tokens of every item as it stands (what the limits count). */
  totalTokens(): number {
    let total = 0;
    for (const entry of this.entries.values()) if (entry.state !== 'deleted') total += entry.item.tokens;
    return total;
  }

  /** The blocks the next turn would carry, without marking anything sent. */
  pendingBlocks(): ContextBlock[] {
    const blocks: ContextBlock[] = [];
    for (const entry of this.entries.values()) {
      if (entry.made?.item !== entry.item || entry.made.state !== entry.state) entry.made = { item: entry.item, state: entry.state, block: blockFor(entry) };
      if (entry.made.block !== undefined) blocks.push(entry.made.block);
    }
    return blocks;
  }

  /**
   * The blocks for the turn being sent now, and from here on the conversation holds them:
   * new items whole, edited ones as an updated version, deleted ones as a note (then dropped).
   */
  takeBlocks(): ContextBlock[] {
    const blocks = this.pendingBlocks();
    if (blocks.length === 0) return blocks;
    for (const [id, entry] of this.entries) {
      if (entry.state === 'deleted') this.entries.delete(id);
      else {
        entry.state = 'sent';
        entry.sentHash = entry.item.hash;
      }
    }
    this._onDidChange.fire();
    return blocks;
  }

  dispose(): void {
    this._onDidChange.dispose();
  }

  private replace(entry: Entry, item: ContextItem): void {
    entry.item = item;
    entry.state = entry.sentHash === undefined ? 'new' : entry.sentHash === item.hash ? 'sent' : 'updated';
    this._onDidChange.fire();
  }
}

function blockFor(entry: Entry): ContextBlock | undefined {
  const label = itemLabel(entry.item);
  const media = entry.item.media;
  if (media !== undefined && (entry.state === 'new' || entry.state === 'updated')) {
    const updated = entry.state === 'updated';
    return {
      label: updated ? `${label} (updated)` : label,
      text: formatMediaCaption(entry.item, updated),
      media: {
        kind: media.kind,
        mediaType: media.mediaType,
        data: media.data,
        tokens: media.tokens,
        ...(media.width !== undefined && media.height !== undefined ? { width: media.width, height: media.height } : {}),
        ...(media.pages !== undefined ? { pages: media.pages } : {}),
      },
    };
  }
  switch (entry.state) {
    case 'new':
      return { label, text: formatContextItem(entry.item) };
    case 'updated':
      return { label: `${label} (updated)`, text: formatUpdatedItem(entry.item) };
    case 'deleted':
      return { label: `${label} (deleted)`, text: formatDeletedItem(entry.item) };
    case 'sent':
      return undefined;
  }
}
