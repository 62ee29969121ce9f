import type Anthropic from '@anthropic-ai/sdk';
import type { Usage } from '@anthropic-ai/sdk/resources/messages';
import { Emitter } from '../util/emitter';
import { liveComplete } from '../anthropic/liveness';
import type { Price } from '../anthropic/price';
import type { AssistantTurn, Conversation, Turn, TurnError } from './conversation';
import { activePath, appendAssistantTurn, appendUserTurn, createConversation, forkUserTurn, newestLeafFrom } from './conversation';
import type { TurnRequest } from './turnRequests';
import { checkTurnRequest, siblingOf } from './turnRequests';
import type { RequestOptions } from './requestBuilder';
import { buildRequest } from './requestBuilder';
import type { SessionTotals } from './usageLedger';
import { sumUsages, UsageLedger } from './usageLedger';
import { sessionMessages } from './sessionPolicy';
import { streamAnswer } from './answerStream';
import { recentTurnsThatFit } from './overflow';
import type { ContextBlock } from '../context/contextSet';

/** Options read fresh for every request. */
export type SessionOptions = RequestOptions & {
  readonly stallTimeoutMs: number;
  /** Automatic retries of a 429/529/5xx/connection failure that happened before any output. */
  readonly maxRetries: number;
};

/** What a session needs from the outside world, injected so the core runs under plain Node. */
export interface ChatSessionDeps {
  /** Resolves to a ready client, or rejects with an error that {@link describeError} explains. */
  getClient(): Promise<Anthropic>;
  /**
   * The options for a request to `model` (the configured model when left out): thinking, effort
   * and limits fitted to that model, as the settings would fit them if it were chosen.
   */
  getOptions(model?: string): SessionOptions;
  describeError(error: unknown): TurnError;
  price(usage: Usage, model: string, answeredBy?: string): Price;
  now(): number;
  /**
   * Puts the system prompt together when a conversation's first message is sent (not before:
   * it may read the workspace), after which it is frozen for the conversation's lifetime.
   */
  composeSystem?(): Promise<string[]>;
  /**
   * Hears every state change the session refused (a retry of a finished answer, an edit of an
   * answer...): the view asked for something the conversation does not allow, which is logged.
   */
  onRefused?(request: TurnRequest, reason: string): void;
}

export interface StreamDelta {
  readonly turnId: string;
  readonly text?: string;
  readonly thinking?: string;
}

/** The work behind a recipe turn: fills `turn` in (calling `update` to redraw it) and returns the final answer. */
export type TaskWork = (turn: AssistantTurn, signal: AbortSignal, update: () => void) => Promise<{ text: string; error?: string }>;

/**
 * One conversation and the request in flight for it. It owns the turn lifecycle: a failure or a
 * stop keeps whatever had streamed, marks the turn, and leaves the conversation consistent. The
 * requests of a chat answer are made by answerStream.ts; a recipe's, by its TaskWork.
 */
export class ChatSession {
  private readonly _onDidAppendTurn = new Emitter<Turn>();
  readonly onDidAppendTurn = this._onDidAppendTurn.event;
  private readonly _onDidStreamDelta = new Emitter<StreamDelta>();
  readonly onDidStreamDelta = this._onDidStreamDelta.event;
  private readonly _onDidUpdateTurn = new Emitter<AssistantTurn>();
  /** A turn's state changed (final state, a retry countdown, a continuation starting). */
  readonly onDidUpdateTurn = this._onDidUpdateTurn.event;
  private readonly _onDidChangeBusy = new Emitter<boolean>();
  readonly onDidChangeBusy = this._onDidChangeBusy.event;
  private readonly _onDidChangeTotals = new Emitter<SessionTotals>();
  readonly onDidChangeTotals = this._onDidChangeTotals.event;
  private readonly _onDidReset = new Emitter<Conversation>();
  /** A different conversation is now current (New Chat, or one opened from history). */
  readonly onDidReset = this._onDidReset.event;
  private readonly _onDidChangeActivePath = new Emitter<Conversation>();
  /** The visible path changed shape (an edit forked it, or another branch was chosen). */
  readonly onDidChangeActivePath = this._onDidChangeActivePath.event;

  private readonly _onDidRemoveTurn = new Emitter<string>();
  /** A turn left the conversation (a failed or stopped answer replaced by Retry). */
  readonly onDidRemoveTurn = this._onDidRemoveTurn.event;

  private conversation: Conversation;
  private readonly ledger = new UsageLedger();
  private inFlight?: { controller: AbortController; turn: AssistantTurn; done: Promise<void> };
  /** How to run each recipe answer of this session again (Retry); lost with the session, like a draft. */
  private readonly tasks = new Map<string, { readonly name: string; readonly work: TaskWork }>();

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
  async send(text: string, context?: readonly ContextBlock[]): Promise<void> {
    if (this.busy) throw new Error(sessionMessages.busy);
    // Only awaited when there is a prompt to compose: a turn otherwise begins (busy) at once.
    if (this.systemPending) await this.ensureSystem();
    const user = appendUserTurn(this.conversation, text, this.deps.now(), context);
    this._onDidAppendTurn.fire(user);
    await this.respond(appendAssistantTurn(this.conversation, user.id, this.deps.getOptions().model, this.deps.now()));
  }

  /**
   * The conversation's system prompt, composed now when this is a new chat (then fixed for its
   * lifetime, as at a first message). Recipes build their requests on it before their turn exists.
   */
  async ensureSystem(): Promise<readonly string[]> {
    // A new chat's prompt is composed at its first message; one carried over from a longer chat
    // arrives with its prompt (and the summary) already fixed, which must not be replaced.
    if (this.systemPending && this.deps.composeSystem) {
      this.conversation.system = await this.deps.composeSystem().catch(() => this.conversation.system);
    }
    return this.conversation.system;
  }

  private get systemPending(): boolean {
    return this.conversation.turns.size === 0 && this.conversation.system.length === 0 && this.deps.composeSystem !== undefined;
  }

  /** Whether the conversation allows `request` now ({@link checkTurnRequest}); the methods below refuse what it refuses. */
  check(request: TurnRequest): ReturnType<typeof checkTurnRequest> {
    return checkTurnRequest(this.conversation, this.busy, request);
  }

  /** {@link check}, with a refusal reported to `onRefused`: the one place a refused request is told. */
  allow(request: TurnRequest): boolean {
    const verdict = this.check(request);
    if (!verdict.ok) this.deps.onRefused?.(request, verdict.reason);
    return verdict.ok;
  }

  /**
   * Runs the answer to `turnId`'s user turn again, replacing a failed, stopped or interrupted
   * answer at the tip of its branch; anything else is refused (a finished answer is never deleted).
   */
  async retry(turnId: string): Promise<void> {
    if (!this.allow({ type: 'retry', turnId })) return;
    const turn = this.conversation.turns.get(turnId);
    if (turn === undefined) return;
    const parentId = turn.kind === 'assistant' ? turn.parentId : turn.id;
    if (turn.kind === 'assistant') {
      this.conversation.turns.delete(turn.id);
      this._onDidRemoveTurn.fire(turn.id);
    }
    this.conversation.leafId = parentId;
    // A recipe answer is retried by running the recipe again, not by a plain chat answer.
    const task = this.tasks.get(turn.id);
    if (task !== undefined) {
      this.tasks.delete(turn.id);
      await this.respondTask(parentId, task);
      return;
    }
    await this.respond(appendAssistantTurn(this.conversation, parentId, this.deps.getOptions().model, this.deps.now()));
  }

  /** Replaces an earlier user message and answers again from there; the old branch stays. */
  async edit(turnId: string, text: string): Promise<void> {
    if (!this.allow({ type: 'editMessage', turnId, text })) return;
    if (this.busy) await this.stop();
    const user = forkUserTurn(this.conversation, turnId, text, this.deps.now());
    if (user === undefined) return;
    this._onDidChangeActivePath.fire(this.conversation);
    await this.respond(appendAssistantTurn(this.conversation, user.id, this.deps.getOptions().model, this.deps.now()));
  }

  /**
   * Answers the same message again, with `model` or the configured one. The new answer is a
   * sibling of `turnId` (‹ 1 / 2 › like an edit); the old answer and whatever followed it stay on
   * their branch. A recipe answer runs its recipe again.
   */
  async regenerate(turnId: string, model?: string): Promise<void> {
    if (!this.allow({ type: 'regenerate', turnId })) return;
    const turn = this.conversation.turns.get(turnId);
    if (turn?.kind !== 'assistant') return;
    this.conversation.leafId = turn.parentId;
    this._onDidChangeActivePath.fire(this.conversation);
    const task = this.tasks.get(turn.id);
    if (task !== undefined) {
      await this.respondTask(turn.parentId, task);
      return;
    }
    await this.respond(appendAssistantTurn(this.conversation, turn.parentId, model ?? this.deps.getOptions().model, this.deps.now()));
  }

  /** Shows the previous (-1) or next (1) version of an edited message or a regenerated answer. */
  switchBranch(turnId: string, direction: -1 | 1): void {
    if (!this.allow({ type: 'switchBranch', turnId, direction })) return;
    const turn = this.conversation.turns.get(turnId);
    const target = turn === undefined ? undefined : siblingOf(this.conversation, turn, direction);
    if (target === undefined) return;
    this.conversation.leafId = newestLeafFrom(this.conversation, target.id);
    this._onDidChangeActivePath.fire(this.conversation);
  }

  /**
   * Resumes an answer cut off by max_tokens. Without thinking the answer so far is sent as the
   * start of Claude's turn and the rest streams into the same turn; with thinking (where a
   * prefilled answer is not allowed) Claude is asked to continue in a new turn.
   */
  async continueAnswer(turnId: string): Promise<void> {
    if (!this.allow({ type: 'continueAnswer', turnId })) return;
    const turn = this.conversation.turns.get(turnId);
    if (turn?.kind !== 'assistant') return;
    if (!this.canPrefill()) {
      await this.send(sessionMessages.continuePrompt);
      return;
    }
    // Still 'done' (or 'error') while the request is built, so the answer so far is sent as its
    // start; trimmed as the request trims it, so the continuation joins it exactly.
    turn.stopReason = undefined;
    turn.text = turn.text.trimEnd();
    await this.respond(turn);
  }

  /** The API takes the answer so far as the start of the next one only with thinking off. */
  private canPrefill(): boolean {
    return (this.deps.getOptions().thinking?.mode ?? 'off') === 'off';
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
    await this.open(createConversation(system, this.deps.now()));
  }

  /**
   * Starts a new conversation that carries on from this one: the same fixed system prompt (plus
   * `extraSystem`, e.g. a summary of what was dropped) and copies of `turns`, re-linked in order.
   */
  async carryOver(turns: readonly Turn[], extraSystem?: string): Promise<void> {
    const next = createConversation([...this.conversation.system, ...(extraSystem ? [extraSystem] : [])], this.deps.now());
    next.title = this.conversation.title;
    let parentId: string | undefined;
    for (const turn of turns) {
      const copy: Turn = turn.kind === 'user'
        ? { ...turn, ...(parentId !== undefined ? { parentId } : {}) }
        : { ...turn, parentId: parentId ?? turn.parentId };
      if (copy.kind === 'user' && parentId === undefined) delete (copy as { parentId?: string }).parentId;
      next.turns.set(copy.id, copy);
      parentId = copy.id;
    }
    next.leafId = parentId;
    await this.open(next);
  }

  /**
   * Asks Claude for a summary of the conversation (as much of its newest part as fits
   * `budgetTokens`), for a fresh chat to start from. One short answer, shown whole, but under
   * the same liveness rule as a chat answer (stall timer, `signal` to cancel).
   */
  async summarize(budgetTokens: number, instruction: string, signal?: AbortSignal): Promise<string> {
    const options = this.deps.getOptions();
    const kept = recentTurnsThatFit(this.turns(), budgetTokens);
    const scratch = createConversation(this.conversation.system, this.deps.now());
    let parentId: string | undefined;
    for (const turn of kept) {
      scratch.turns.set(turn.id, turn);
      parentId = turn.id;
    }
    scratch.leafId = parentId;
    appendUserTurn(scratch, instruction, this.deps.now());
    const params = buildRequest(scratch, { ...options, thinking: { mode: 'off', budgetTokens: 0 }, maxTokens: Math.min(options.maxTokens, 4096) });
    const client = await this.deps.getClient();
    const message = await liveComplete(client, params, { stallTimeoutMs: options.stallTimeoutMs, ...(signal !== undefined ? { signal } : {}) });
    this.ledger.add(`summary:${this.ledger.size}`, this.deps.price(message.usage, options.model));
    this._onDidChangeTotals.fire(this.ledger.totals);
    return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  }

  /**
   * Runs work that is not one chat answer (a recipe) as a turn pair: `text` as the user turn and
   * an assistant turn that `work` fills in step by step (calling `update` to redraw it) and ends
   * with the final answer. Busy, Stop, errors and the cost ledger behave as for a chat answer;
   * each step is priced on its own, and the turn's usage is their sum.
   */
  async runTask(text: string, name: string, work: TaskWork): Promise<void> {
    if (this.busy) throw new Error(sessionMessages.busy);
    // Only awaited when there is a prompt to compose: a turn otherwise begins (busy) at once.
    if (this.systemPending) await this.ensureSystem();
    const user = appendUserTurn(this.conversation, text, this.deps.now());
    this._onDidAppendTurn.fire(user);
    await this.respondTask(user.id, { name, work });
  }

  private async respondTask(userId: string, task: { readonly name: string; readonly work: TaskWork }): Promise<void> {
    const { name, work } = task;
    const turn = appendAssistantTurn(this.conversation, userId, this.deps.getOptions().model, this.deps.now());
    turn.recipe = { name, steps: [] };
    this.tasks.set(turn.id, task);
    const controller = new AbortController();
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    this.inFlight = { controller, turn, done };
    this._onDidAppendTurn.fire(turn);
    this._onDidChangeBusy.fire(true);
    try {
      const result = await work(turn, controller.signal, () => this._onDidUpdateTurn.fire(turn));
      turn.text = result.text;
      turn.status = result.error === undefined ? 'done' : 'error';
      if (result.error !== undefined) turn.error = { kind: 'recipe', message: result.error, retryable: false };
    } catch (error) {
      if (controller.signal.aborted) turn.status = 'stopped';
      else {
        turn.status = 'error';
        turn.error = this.deps.describeError(error);
      }
    } finally {
      const priced = (turn.recipe?.steps ?? []).flatMap((step) => (step.usage ? [{ usage: step.usage, model: step.model ?? turn.model }] : []));
      if (priced.length > 0) {
        turn.usage = sumUsages(priced.map((step) => step.usage));
        priced.forEach((step, i) => this.ledger.add(`${turn.id}:step${i}`, this.deps.price(step.usage, step.model)));
        this._onDidChangeTotals.fire(this.ledger.totals);
      }
      this.inFlight = undefined;
      this._onDidUpdateTurn.fire(turn);
      this._onDidChangeBusy.fire(false);
      resolveDone();
    }
  }

  /** Makes `conversation` (e.g. one restored from history) the current one. */
  async open(conversation: Conversation): Promise<void> {
    await this.stop();
    this.conversation = conversation;
    this.tasks.clear();
    this.ledger.reset();
    for (const turn of conversation.turns.values()) {
      if (turn.kind === 'assistant' && turn.usage !== undefined) this.ledger.add(turn.id, this.deps.price(turn.usage, turn.model, turn.answeredBy));
    }
    this._onDidReset.fire(this.conversation);
    this._onDidChangeTotals.fire(this.ledger.totals);
  }

  dispose(): void {
    this.inFlight?.controller.abort();
    for (const emitter of [this._onDidAppendTurn, this._onDidStreamDelta, this._onDidUpdateTurn, this._onDidChangeBusy, this._onDidChangeTotals, this._onDidReset, this._onDidChangeActivePath, this._onDidRemoveTurn]) {
      emitter.dispose();
    }
  }

  private async respond(turn: AssistantTurn): Promise<void> {
    const controller = new AbortController();
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    this.inFlight = { controller, turn, done };
    if (turn.text === '' && turn.thinking === '') this._onDidAppendTurn.fire(turn);
    this._onDidChangeBusy.fire(true);
    try {
      await streamAnswer(turn, {
        deps: this.deps,
        conversation: () => this.conversation,
        controller,
        updated: (t) => this._onDidUpdateTurn.fire(t),
        streamed: (delta) => this._onDidStreamDelta.fire(delta),
        used: (t, usage) => {
          // Keyed per request, so a continued answer adds its second request instead of replacing the first.
          this.ledger.add(`${t.id}:${this.ledger.size}`, this.deps.price(usage, t.model, t.answeredBy));
          this._onDidChangeTotals.fire(this.ledger.totals);
        },
      });
    } finally {
      this.inFlight = undefined;
      this._onDidUpdateTurn.fire(turn);
      this._onDidChangeBusy.fire(false);
      resolveDone();
    }
  }
}
