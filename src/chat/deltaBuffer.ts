import type { ToWebview } from '../shared/protocol';
import { FAST_STREAM_CHARS_PER_MS } from '../shared/streamPace';

export interface DeltaBufferOptions {
  /** Longest a delta waits before it is sent (16 ms: one message a frame). */
  readonly intervalMs?: number;
  /**
   * The wait while text arrives faster than {@link FAST_STREAM_CHARS_PER_MS} (48 ms: one message
   * every three frames). Each message costs the webview a fixed amount (the message itself and the
   * frame that shows it) whatever its length, so at that pace fewer, longer messages cost it much
   * less, and text that scrolls past faster than it can be read looks the same.
   */
  readonly fastIntervalMs?: number;
  /** Clock in milliseconds (Date.now by default). */
  readonly now?: () => number;
}

const INTERVAL_MS = 16;
const FAST_INTERVAL_MS = 48;

/**
 * Coalesces streaming deltas so the webview gets at most one message per turn per interval,
 * instead of one per SSE event. Only new characters are ever sent. The interval follows the pace
 * measured between two sends (see {@link DeltaBufferOptions.fastIntervalMs}): a burst after a
 * stall lengthens at most the next wait, and a stream at any model's pace keeps the short one.
 */
export class DeltaBuffer {
  private pending = new Map<string, { text: string; thinking: string }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly intervalMs: number;
  private readonly fastIntervalMs: number;
  private readonly now: () => number;
  /** The wait of the next send; when the last one happened. */
  private waitMs: number;
  private sentAt: number | undefined;

  constructor(
    private readonly post: (message: ToWebview.DidStreamDelta) => void,
    options: DeltaBufferOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? INTERVAL_MS;
    this.fastIntervalMs = Math.max(this.intervalMs, options.fastIntervalMs ?? FAST_INTERVAL_MS);
    this.now = options.now ?? Date.now;
    this.waitMs = this.intervalMs;
  }

  push(turnId: string, delta: { text?: string; thinking?: string }): void {
    const entry = this.pending.get(turnId) ?? { text: '', thinking: '' };
    entry.text += delta.text ?? '';
    entry.thinking += delta.thinking ?? '';
    this.pending.set(turnId, entry);
    this.timer ??= setTimeout(() => this.flush(), this.waitMs);
  }

  /** Sends everything pending now; called before a turn's final state so nothing arrives late. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = new Map();
    let chars = 0;
    for (const [turnId, entry] of pending) {
      chars += entry.text.length + entry.thinking.length;
      this.post({
        type: 'didStreamDelta',
        turnId,
        ...(entry.text ? { text: entry.text } : {}),
        ...(entry.thinking ? { thinking: entry.thinking } : {}),
      });
    }
    if (pending.size === 0) return;
    const now = this.now();
    const elapsed = this.sentAt === undefined ? 0 : now - this.sentAt;
    this.waitMs = elapsed > 0 && chars / elapsed >= FAST_STREAM_CHARS_PER_MS ? this.fastIntervalMs : this.intervalMs;
    this.sentAt = now;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.pending.clear();
  }
}
