/**
 * The requests behind one chat answer, for ChatSession: each is built from the conversation and
 * streamed into the answer's turn, and a failure that produced nothing is retried automatically
 * with a visible countdown. The session owns the turn around it (busy, Stop, the cost ledger).
 */
import type { MessageStreamEvent, Usage } from '@anthropic-ai/sdk/resources/messages';
import { StalledError, liveStream } from '../anthropic/liveness';
import { answeredModelOf } from '../anthropic/price';
import type { AssistantTurn, Conversation } from './conversation';
import { activePath } from './conversation';
import { buildRequest } from './requestBuilder';
import { abortableDelay, retryDelayMs, sessionMessages, typicalGapMs } from './sessionPolicy';
import { canContinueTurn, explainTurnError } from './turnError';
import type { ChatSessionDeps, SessionOptions, StreamDelta } from './chatSession';

const AUTO_RETRY_KINDS: ReadonlySet<string> = new Set(['rateLimited', 'overloaded', 'server', 'connection']);

/** What streaming an answer needs from its session. */
export interface AnswerHost {
  readonly deps: Pick<ChatSessionDeps, 'getClient' | 'getOptions' | 'describeError' | 'now'>;
  /** The session's current conversation, read when a request is built. */
  conversation(): Conversation;
  /** Aborted by Stop (or dispose): ends the stream, or the wait before a retry. */
  readonly controller: AbortController;
  /** The turn's state changed (the session's onDidUpdateTurn). */
  updated(turn: AssistantTurn): void;
  /** Text or thinking arrived (the session's onDidStreamDelta). */
  streamed(delta: StreamDelta): void;
  /** One request's usage, already set on the turn: the session adds its price to the ledger. */
  used(turn: AssistantTurn, usage: Usage): void;
}

/**
 * Streams `turn` (a new answer, or the rest of one being continued), retrying a 429/529/5xx or
 * connection failure that produced nothing up to `maxRetries` times. A failure or a stop is left
 * on the turn (status and error) for the session to report.
 */
export async function streamAnswer(turn: AssistantTurn, host: AnswerHost): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    // The turn's own model: a regenerated answer may use another, and a continued one keeps its.
    const options = { ...host.deps.getOptions(turn.model), model: turn.model };
    const before = turn.text.length + turn.thinking.length;
    await streamOnce(turn, options, host);
    const error = turn.error;
    if (error === undefined) break;
    const producedNothing = turn.text.length + turn.thinking.length === before;
    const outcome = { attempts: attempt + 1, partial: turn.text.trim() !== '', continuable: false };
    if (!producedNothing || !AUTO_RETRY_KINDS.has(error.kind) || attempt >= options.maxRetries) {
      // Said once it is over, so the text promises only what is true (retried or not, Continue or not).
      turn.error = explainTurnError(error, { ...outcome, continuable: outcome.partial && canContinueTurn(turn) });
      break;
    }
    // A visible countdown instead of the SDK's silent retry: the user sees why nothing streams.
    const waitMs = retryDelayMs(attempt, error.retryAfterMs);
    turn.error = { ...explainTurnError(error, { ...outcome, willRetryOf: options.maxRetries + 1 }), retryAt: host.deps.now() + waitMs };
    host.updated(turn);
    if (!(await abortableDelay(waitMs, host.controller.signal))) {
      turn.status = 'stopped';
      turn.error = undefined;
      break;
    }
    turn.status = 'streaming';
    turn.error = undefined;
    host.updated(turn);
  }
}

async function streamOnce(turn: AssistantTurn, options: SessionOptions, host: AnswerHost): Promise<void> {
  let usage: Usage | undefined;
  try {
    const client = await host.deps.getClient();
    if (host.controller.signal.aborted) throw host.controller.signal.reason;
    const conversation = host.conversation();
    const userTimes = activePath(conversation).filter((t) => t.kind === 'user').map((t) => t.createdAt);
    const gapHintMs = typicalGapMs(userTimes);
    const params = buildRequest(conversation, gapHintMs !== undefined ? { ...options, gapHintMs } : options);
    if (turn.status !== 'streaming') {
      turn.status = 'streaming';
      turn.error = undefined;
      host.updated(turn);
    }
    // Retries are the session's own (above), so they can be shown; the SDK makes one attempt.
    const live = liveStream(client, params, { stallTimeoutMs: options.stallTimeoutMs, signal: host.controller.signal, maxRetries: 0 });
    const { stream } = live;
    stream.on('streamEvent', (event: MessageStreamEvent) => {
      if (event.type === 'message_start') {
        usage = event.message.usage;
        const answeredBy = answeredModelOf(turn.model, event.message.model);
        if (answeredBy !== undefined) turn.answeredBy = answeredBy;
      }
    });
    stream.on('text', (delta) => {
      turn.text += delta;
      host.streamed({ turnId: turn.id, text: delta });
    });
    stream.on('thinking', (delta) => {
      turn.thinking += delta;
      host.streamed({ turnId: turn.id, thinking: delta });
    });
    const message = await live.finalMessage();
    for (const block of message.content) {
      if (block.type === 'thinking') turn.thinkingSignature = block.signature;
    }
    turn.status = 'done';
    turn.stopReason = message.stop_reason ?? undefined;
    turn.stopSequence = message.stop_sequence ?? undefined;
    usage = message.usage;
  } catch (error) {
    if (error instanceof StalledError) {
      turn.status = 'error';
      const stalled = sessionMessages.stalled(options.stallTimeoutMs);
      turn.error = { kind: 'stalled', message: stalled, fact: stalled, action: 'retry', retryable: true };
    } else if (host.controller.signal.aborted) {
      turn.status = 'stopped';
    } else {
      turn.status = 'error';
      turn.error = host.deps.describeError(error);
    }
  }
  if (usage !== undefined) {
    turn.usage = usage;
    host.used(turn, usage);
  }
}
