/**
 * AWS event-stream framing (application/vnd.amazon.eventstream), as Bedrock's
 * InvokeModelWithResponseStream sends it, written from the format's description rather than with
 * the client's own codec so the real client's decoder is what is tested:
 *
 *   total length (u32) | headers length (u32) | prelude CRC32 | headers | payload | message CRC32
 *
 * A header is name length (u8), name, value type (7 = string), value length (u16), value. Each
 * answer event is a `chunk` event whose payload is `{"bytes": base64(event JSON)}`; an error after
 * the stream began is an `exception` message named by `:exception-type`.
 */
import type { ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import type { EventSink } from './sse';

const STRING_TYPE = 7;

function encodeHeaders(headers: Readonly<Record<string, string>>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    const head = Buffer.alloc(1 + nameBytes.length + 1 + 2);
    head.writeUInt8(nameBytes.length, 0);
    nameBytes.copy(head, 1);
    head.writeUInt8(STRING_TYPE, 1 + nameBytes.length);
    head.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
    parts.push(head, valueBytes);
  }
  return Buffer.concat(parts);
}

/** One event-stream message. */
export function encodeMessage(headers: Readonly<Record<string, string>>, payload: Buffer): Buffer {
  const headerBytes = encodeHeaders(headers);
  const total = 12 + headerBytes.length + payload.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, 12);
  payload.copy(message, 12 + headerBytes.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** A `chunk` event carrying one Anthropic streaming event. */
export function chunkMessage(json: string): Buffer {
  const payload = Buffer.from(JSON.stringify({ bytes: Buffer.from(json, 'utf8').toString('base64') }));
  return encodeMessage({ ':event-type': 'chunk', ':content-type': 'application/json', ':message-type': 'event' }, payload);
}

/** An exception message: `throttlingException`, `modelStreamErrorException`, ... */
export function exceptionMessage(exceptionType: string, message: string): Buffer {
  return encodeMessage(
    { ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' },
    Buffer.from(JSON.stringify({ message })),
  );
}

/** Anthropic error types as the Bedrock stream's modeled exceptions. */
const EXCEPTION_OF: Readonly<Record<string, string>> = {
  overloaded_error: 'serviceUnavailableException',
  api_error: 'internalServerException',
  rate_limit_error: 'throttlingException',
  timeout_error: 'modelTimeoutException',
  invalid_request_error: 'validationException',
};

export interface InvocationMetrics {
  inputTokenCount: number;
  outputTokenCount: number;
}

/** Writes the message stream as Bedrock does; `message_stop` carries Bedrock's invocation metrics. */
export class EventStreamWriter implements EventSink {
  private lastWrite: Promise<void> = Promise.resolve();
  private readonly startedAt = Date.now();

  constructor(private readonly res: ServerResponse, private readonly metrics: InvocationMetrics) {}

  get open(): boolean {
    return !this.res.destroyed && !this.res.writableEnded;
  }

  start(headers: Record<string, string>): void {
    this.res.writeHead(200, {
      ...headers,
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-bedrock-content-type': 'application/json',
    });
    this.res.flushHeaders();
  }

  event(name: string, data: unknown): void {
    if (name === 'error') {
      const error = (data as { error?: { type?: string; message?: string } }).error;
      this.write(exceptionMessage(EXCEPTION_OF[error?.type ?? ''] ?? 'modelStreamErrorException', error?.message ?? 'Internal server error'));
      return;
    }
    const body = name === 'message_stop'
      ? {
          ...(data as object),
          'amazon-bedrock-invocationMetrics': { ...this.metrics, invocationLatency: Date.now() - this.startedAt, firstByteLatency: 1 },
        }
      : data;
    this.write(chunkMessage(JSON.stringify(body)));
  }

  /** A chunk whose bytes are not JSON (the malformed-sse fault). */
  raw(text: string): void {
    const data = /^data: (.*)$/m.exec(text)?.[1] ?? text;
    this.write(chunkMessage(data));
  }

  private write(bytes: Buffer): void {
    if (!this.open) return;
    this.lastWrite = new Promise((resolve) => this.res.write(bytes, () => resolve()));
  }

  flushed(): Promise<void> {
    return this.lastWrite;
  }

  end(): void {
    if (this.open) this.res.end();
  }

  destroy(): void {
    this.res.socket?.destroy();
    this.res.destroy();
  }
}
