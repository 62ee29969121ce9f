import type { ContextItem, ContextSet } from '../core/context';
import { itemLabel } from '../core/context';
import { confirmEgress } from '../egress/confirm';
import { egressStrings } from '../egress/strings';
import type { WorkspaceGate } from '../egress/workspaceGate';

/**
 * The secret scan over what is in context, as Send and count_tokens see it: which content the user
 * chose to send as is, and which content scanned clean. Content that now holds a secret is sent
 * only as the user says, and count_tokens never sees what Send would ask about.
 */
export class ContextSendChecks {
  /** `id@hash` of content the user chose to send as is: only Send sends it, count_tokens never. */
  private readonly confirmedSends = new Set<string>();
  /** Secret scan verdicts by content hash (true: clean). */
  private readonly scanned = new Map<string, boolean>();
  private readonly scanning = new Set<string>();

  constructor(
    private readonly set: ContextSet,
    private readonly egress: WorkspaceGate,
    /** A background scan finished (count_tokens may now see more). */
    private readonly onScanned: () => void,
  ) {}

  /** The user chose to send this item's exact content as is. */
  confirm(item: Pick<ContextItem, 'id' | 'hash'>): void {
    this.confirmedSends.add(sendKey(item));
  }

  /** The item left the context: no confirmation of any of its versions stays behind. */
  forget(id: string): void {
    for (const key of this.confirmedSends) if (key.startsWith(`${id}@`)) this.confirmedSends.delete(key);
  }

  /** A verdict the caller already has (a file scanned as it was added). */
  record(hash: string, clean: boolean): void {
    this.scanned.set(hash, clean);
  }

  /**
   * The last gate before Send: content that now holds a secret (a key pasted into a file after it
   * was added) is sent only as the user says, as is or redacted; false when the user cancels.
   */
  async confirmUnsent(): Promise<boolean> {
    const gate = this.egress.content;
    for (const { item } of this.unsentEntries()) {
      if (this.confirmedSends.has(sendKey(item))) continue;
      const verdict = await gate.checkContent(item.content, item.path);
      this.scanned.set(item.hash, verdict.clean);
      if (verdict.clean) continue;
      const choice = await confirmEgress(egressStrings.sendMessage, itemLabel(item), verdict.exclusion, item.content, verdict.hits);
      if (choice === undefined) return false;
      if (choice.send === 'asIs') this.confirmedSends.add(sendKey(item));
      else this.set.updateContent(item.id, choice.text);
    }
    return true;
  }

  /**
   * Whether count_tokens may see the pending context: only when everything in it is what Send
   * would send without asking (scanned clean, nothing the user confirmed for Send only). An
   * unscanned item is scanned now and {@link onScanned} is called when that is done.
   */
  countable(): boolean {
    const unknown: ContextItem[] = [];
    for (const { item } of this.unsentEntries()) {
      if (this.confirmedSends.has(sendKey(item)) || this.scanned.get(item.hash) === false) return false;
      if (!this.scanned.has(item.hash)) unknown.push(item);
    }
    if (unknown.length === 0) return true;
    void this.scanItems(unknown);
    return false;
  }

  private unsentEntries(): { item: ContextItem }[] {
    return this.set.list().filter((entry) => entry.state === 'new' || entry.state === 'updated');
  }

  private async scanItems(items: readonly ContextItem[]): Promise<void> {
    const todo = items.filter((item) => !this.scanning.has(item.hash));
    if (todo.length === 0) return;
    todo.forEach((item) => this.scanning.add(item.hash));
    try {
      const gate = this.egress.content;
      for (const item of todo) this.scanned.set(item.hash, (await gate.checkContent(item.content, item.path)).clean);
    } finally {
      todo.forEach((item) => this.scanning.delete(item.hash));
    }
    if (this.scanned.size > 5000) this.scanned.clear();
    this.onScanned();
  }
}

/** An item's identity with its content: a confirmation covers these exact bytes, not a later edit. */
function sendKey(item: Pick<ContextItem, 'id' | 'hash'>): string {
  return `${item.id}@${item.hash}`;
}
