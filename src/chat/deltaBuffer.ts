import type { ToWebview } from '../shared/protocol';

/**
 * Coalesces streaming deltas so the webview gets at most one message per turn per interval,
 * instead of one per SSE event. Only new characters are ever sent.
 */
export class DeltaBuffer {
  private pending = new Map<string, { text: string; thinking: string }>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly post: (message: ToWebview.DidStreamDelta) => void, private readonly intervalMs = 16) {}

  push(turnId: string, delta: { text?: string; thinking?: string }): void {
    const entry = this.pending.get(turnId) ?? { text: '', thinking: '' };
    entry.text += delta.text ?? '';
    entry.thinking += delta.thinking ?? '';
    this.pending.set(turnId, entry);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends everything pending now; called before a turn's final state so nothing arrives late. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = new Map();
    for (const [turnId, entry] of pending) {
      this.post({
        type: 'didStreamDelta',
        turnId,
        ...(entry.text ? { text: entry.text } : {}),
        ...(entry.thinking ? { thinking: entry.thinking } : {}),
      });
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.pending.clear();
  }
}
