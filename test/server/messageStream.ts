/**
 * The streaming event sequence of `POST /v1/messages`:
 * message_start, ping, per block content_block_start / *_delta... / content_block_stop
 * (thinking: thinking_delta* then one signature_delta), message_delta (stop reason + final
 * usage), message_stop. Stream faults interrupt it after a number of deltas.
 */
import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { sleep, untilAborted } from './clock';
import { errorEnvelope } from './errors';
import { contentOf } from './reply';
import type { PlannedBlock, ReplyPlan } from './reply';
import type { EventSink } from './sse';
import type { FaultSpec, RequestOutcome } from './types';

export const DEFAULT_FAULT_AFTER_CHUNKS = 2;
const DEFAULT_PING_HOLD_MS = 3000;
const DEFAULT_PING_INTERVAL_MS = 1000;
const FLUSH_WAIT_MS = 500;

export interface StreamTarget {
  sse: EventSink;
  signal: AbortSignal;
  requestId: string;
  pingEveryChunks: number;
}

function chunk(text: string, size: number): string[] {
  const chars = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

function emptyStart(block: PlannedBlock, index: number): RawMessageStreamEvent {
  const content = contentOf(block);
  if (content.type === 'thinking') return { type: 'content_block_start', index, content_block: { ...content, thinking: '', signature: '' } };
  if (content.type === 'text') return { type: 'content_block_start', index, content_block: { ...content, text: '' } };
  return { type: 'content_block_start', index, content_block: { ...content, input: {} } as typeof content };
}

function deltasOf(block: PlannedBlock, index: number, size: number): RawMessageStreamEvent[] {
  switch (block.type) {
    case 'thinking':
      return [
        ...chunk(block.thinking, size).map((thinking): RawMessageStreamEvent => ({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } })),
        { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } },
      ];
    case 'text':
      return chunk(block.text, size).map((text) => ({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } }));
    case 'tool_use':
      return chunk(JSON.stringify(block.input), size).map((partial_json) => ({
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json },
      }));
  }
}

/**
 * ping-only: nothing but `ping` events for `holdMs` (a long think before the next token, where
 * the API keeps the connection alive with pings). False when the client went away meanwhile.
 */
async function pingFor(target: StreamTarget, fault: FaultSpec): Promise<boolean> {
  const until = Date.now() + (fault.holdMs ?? DEFAULT_PING_HOLD_MS);
  const every = fault.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
  while (Date.now() < until) {
    await sleep(Math.min(every, until - Date.now()), target.signal);
    if (target.signal.aborted || !target.sse.open) return false;
    target.sse.event('ping', { type: 'ping' });
  }
  return true;
}

async function fire(target: StreamTarget, fault: FaultSpec): Promise<RequestOutcome> {
  const { sse } = target;
  switch (fault.kind) {
    case 'reset-mid-stream':
      // Events already written must reach the client, as they would before a real dropped connection.
      await Promise.race([sse.flushed(), sleep(FLUSH_WAIT_MS, target.signal)]);
      sse.destroy();
      return 'reset';
    case 'stall':
      await untilAborted(target.signal);
      sse.destroy();
      return 'stalled';
    case 'malformed-sse':
      sse.raw('event: content_block_delta\ndata: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_del\n\n');
      sse.end();
      return 'malformed';
    default: {
      const type = fault.errorType ?? 'overloaded_error';
      sse.event('error', errorEnvelope(type, fault.message ?? (type === 'overloaded_error' ? 'Overloaded' : 'Internal server error'), target.requestId));
      sse.end();
      return 'error-event';
    }
  }
}

export async function writeMessageStream(target: StreamTarget, message: Message, plan: ReplyPlan, streamFault?: FaultSpec): Promise<RequestOutcome> {
  const { sse, signal } = target;
  // ping-only pauses the stream instead of ending it, so it is handled apart from the faults that end it.
  let pause = streamFault?.kind === 'ping-only' ? streamFault : undefined;
  const fault = pause === undefined ? streamFault : undefined;
  const pauseAt = pause ? Math.max(0, pause.afterChunks ?? DEFAULT_FAULT_AFTER_CHUNKS) : Infinity;
  const faultAt = fault ? Math.max(0, fault.afterChunks ?? DEFAULT_FAULT_AFTER_CHUNKS) : Infinity;
  let deltas = 0;

  sse.event('message_start', {
    type: 'message_start',
    message: {
      ...message,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      stop_details: null,
      usage: { ...message.usage, output_tokens: Math.min(1, message.usage.output_tokens), output_tokens_details: null },
    },
  });
  sse.event('ping', { type: 'ping' });

  for (const [index, block] of plan.blocks.entries()) {
    sse.event('content_block_start', emptyStart(block, index));
    for (const delta of deltasOf(block, index, plan.chunkSize)) {
      if (fault && deltas >= faultAt) return fire(target, fault);
      if (pause && deltas >= pauseAt) {
        if (!(await pingFor(target, pause))) return 'aborted';
        pause = undefined;
      }
      await sleep(plan.chunkDelayMs, signal);
      if (signal.aborted || !sse.open) return 'aborted';
      sse.event('content_block_delta', delta);
      deltas++;
      if (target.pingEveryChunks > 0 && deltas % target.pingEveryChunks === 0) sse.event('ping', { type: 'ping' });
    }
    sse.event('content_block_stop', { type: 'content_block_stop', index });
  }
  if (fault) return fire(target, fault);
  if (pause && !(await pingFor(target, pause))) return 'aborted';

  const { usage } = message;
  sse.event('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence, stop_details: message.stop_details, container: null },
    usage: {
      input_tokens: usage.input_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      output_tokens: usage.output_tokens,
      output_tokens_details: usage.output_tokens_details,
      server_tool_use: null,
    },
  });
  sse.event('message_stop', { type: 'message_stop' });
  sse.end();
  return 'completed';
}
