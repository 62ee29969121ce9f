import type Anthropic from '@anthropic-ai/sdk';
import type { MessageStreamEvent, Usage } from '@anthropic-ai/sdk/resources/messages';
import { Emitter } from '../util/emitter';
import type { AssistantTurn, Conversation, Turn, TurnError } from './conversation';
import { activePath, appendAssistantTurn, appendUserTurn, createConversation } from './conversation';
import type { RequestOptions } from './requestBuilder';
import { buildRequest } from './requestBuilder';
import type { SessionTotals } from './usageLedger';
import { UsageLedger } from './usageLedger';

/** What a session needs from the outside world, injected so the core runs under plain Node. */
export interface ChatSessionDeps {
  /** Resolves to a ready client, or rejects with an error that {@link describeError} explains. */
  getClient(): Promise<Anthropic>;
  getOptions(): RequestOptions & { readonly stallTimeoutMs: number };
  describeError(error: unknown): TurnError;
  price(usage: Usage, model: string): { readonly costUsd: number; readonly savedUsd: number };
  now(): number;
}

export interface StreamDelta {
  readonly turnId: string;
  readonly text?: string;
  readonly thinking?: string;
}

const STALLED = Symbol('stalled');

/**
 * One conversation and the request in flight for it. It owns the turn lifecycle: a failure or a
 * stop keeps whatever had streamed, marks the turn, and leaves the conversation consistent.
 */
export class ChatSession {
  private readonly _onDidAppendTurn = new Emitter<Turn>();
  readonly onDidAppendTurn = this._onDidAppendTurn.event;
  private readonly _onDidStreamDelta = new Emitter<StreamDelta>();
  readonly onDidStreamDelta = this._onDidStreamDelta.event;
  private readonly _onDidUpdateTurn = new Emitter<AssistantTurn>();
  readonly onDidUpdateTurn = this._onDidUpdateTurn.event;
  private readonly _onDidChangeBusy = new Emitter<boolean>();
  readonly onDidChangeBusy = this._onDidChangeBusy.event;
  private readonly _onDidChangeTotals = new Emitter<SessionTotals>();
  readonly onDidChangeTotals = this._onDidChangeTotals.event;
  private readonly _onDidReset = new Emitter<Conversation>();
  /** A new conversation replaced the old one (New Chat). */
  readonly onDidReset = this._onDidReset.event;

  private conversation: Conversation;
  private readonly ledger = new UsageLedger();
  private inFlight?: { controller: AbortController; turn: AssistantTurn; done: Promise<void> };

  constructor(private readonly deps: ChatSessionDeps, system: readonly string[] = []) {
    this.conversation = createConversation(system, deps.now());
  }

  get current(): Conversation {
    return this.conversation;
  }

  get busy(): boolean {
    return this.inFlight !== undefined;
  }

  get totals(): SessionTotals {
    return this.ledger.totals;
  }

  /** The turns the user sees, oldest first. */
  turns(): Turn[] {
    return activePath(this.conversation);
  }

  /** Appends the user's message and streams the answer. Resolves when the answer has ended. */
  async send(text: string): Promise<void> {
    if (this.busy) throw new Error('A response is still streaming; stop it first.');
    const user = appendUserTurn(this.conversation, text, this.deps.now());
    this._onDidAppendTurn.fire(user);
    await this.respond(user.id);
  }

  /** Runs the answer to `turnId`'s user turn again, replacing a failed or stopped answer. */
  async retry(turnId: string): Promise<void> {
    if (this.busy) return;
    const turn = this.conversation.turns.get(turnId);
    if (turn === undefined) return;
    const parentId = turn.kind === 'assistant' ? turn.parentId : turn.id;
    if (turn.kind === 'assistant') this.conversation.turns.delete(turn.id);
    this.conversation.leafId = parentId;
    await this.respond(parentId);
  }

  /** Aborts the streaming answer at once; what arrived so far is kept and marked as stopped. */
  async stop(): Promise<void> {
    const inFlight = this.inFlight;
    if (inFlight === undefined) return;
    inFlight.controller.abort();
    await inFlight.done;
  }

  /** Starts over with a fresh conversation (the system prompt is fixed again, for its lifetime). */
  async reset(system: readonly string[]): Promise<void> {
    await this.stop();
    this.conversation = createConversation(system, this.deps.now());
    this.ledger.reset();
    this._onDidReset.fire(this.conversation);
    this._onDidChangeTotals.fire(this.ledger.totals);
  }

  dispose(): void {
    this.inFlight?.controller.abort();
    for (const emitter of [this._onDidAppendTurn, this._onDidStreamDelta, this._onDidUpdateTurn, this._onDidChangeBusy, this._onDidChangeTotals, this._onDidReset]) {
      emitter.dispose();
    }
  }

  private async respond(userTurnId: string): Promise<void> {
    const options = this.deps.getOptions();
    const turn = appendAssistantTurn(this.conversation, userTurnId, options.model, this.deps.now());
    const controller = new AbortController();
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    this.inFlight = { controller, turn, done };
    this._onDidAppendTurn.fire(turn);
    this._onDidChangeBusy.fire(true);
    try {
      await this.stream(turn, options, controller);
    } finally {
      this.inFlight = undefined;
      this._onDidUpdateTurn.fire(turn);
      this._onDidChangeBusy.fire(false);
      resolveDone();
    }
  }

  private async stream(turn: AssistantTurn, options: RequestOptions & { stallTimeoutMs: number }, controller: AbortController): Promise<void> {
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    let stalled = false;
    const armStallTimer = (): void => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => {
        stalled = true;
        controller.abort(STALLED);
      }, options.stallTimeoutMs);
    };
    try {
      const client = await this.deps.getClient();
      if (controller.signal.aborted) throw controller.signal.reason;
      const params = buildRequest(this.conversation, options);
      armStallTimer();
      const stream = client.messages.stream(params, { signal: controller.signal });
      stream.on('streamEvent', (event: MessageStreamEvent) => {
        armStallTimer();
        if (event.type === 'message_start') turn.usage = event.message.usage;
      });
      stream.on('text', (delta) => {
        turn.text += delta;
        this._onDidStreamDelta.fire({ turnId: turn.id, text: delta });
      });
      stream.on('thinking', (delta) => {
        turn.thinking += delta;
        this._onDidStreamDelta.fire({ turnId: turn.id, thinking: delta });
      });
      const message = await stream.finalMessage();
      for (const block of message.content) {
        if (block.type === 'thinking') turn.thinkingSignature = block.signature;
      }
      turn.status = 'done';
      turn.stopReason = message.stop_reason ?? undefined;
      turn.stopSequence = message.stop_sequence ?? undefined;
      turn.usage = message.usage;
    } catch (error) {
      if (stalled) {
        turn.status = 'error';
        turn.error = {
          kind: 'stalled',
          message: `The answer stopped arriving: nothing came for ${Math.round(options.stallTimeoutMs / 1000)} s, so the request was stopped.`,
          action: 'retry',
          retryable: true,
        };
      } else if (controller.signal.aborted) {
        turn.status = 'stopped';
      } else {
        turn.status = 'error';
        turn.error = this.deps.describeError(error);
      }
    } finally {
      clearTimeout(stallTimer);
    }
    if (turn.usage !== undefined) {
      this.ledger.add(turn.id, this.deps.price(turn.usage, turn.model));
      this._onDidChangeTotals.fire(this.ledger.totals);
    }
  }
}
