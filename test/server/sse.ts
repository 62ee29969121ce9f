import type { ServerResponse } from 'node:http';

/** Where a streamed answer's events go: SSE for the Anthropic API, AWS event-stream for Bedrock. */
export interface EventSink {
  readonly open: boolean;
  event(name: string, data: unknown): void;
  /** Bytes that are not a well-formed event (the malformed-sse fault). */
  raw(text: string): void;
  flushed(): Promise<void>;
  end(): void;
  destroy(): void;
}

/**
 * Server-sent events framed exactly like the API: `event: <name>\ndata: <json>\n\n`, one event
 * per write so a client sees them arrive individually.
 */
export class SseWriter implements EventSink {
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(private readonly res: ServerResponse) {}

  get open(): boolean {
    return !this.res.destroyed && !this.res.writableEnded;
  }

  start(headers: Record<string, string>): void {
    this.res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    });
    // Without this the headers wait for the first body write, and a client never sees a stall's headers.
    this.res.flushHeaders();
  }

  event(name: string, data: unknown): void {
    this.raw(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  raw(text: string): void {
    if (!this.open) return;
    this.lastWrite = new Promise((resolve) => this.res.write(text, () => resolve()));
  }

  /** Resolves once everything written so far has reached the socket. */
  flushed(): Promise<void> {
    return this.lastWrite;
  }

  end(): void {
    if (this.open) this.res.end();
  }

  /** Drops the connection without a terminating chunk: the client sees a truncated body. */
  destroy(): void {
    this.res.socket?.destroy();
    this.res.destroy();
  }
}
