import type { Event } from '../util/emitter';
import { Emitter } from '../util/emitter';
import { RequestKeyer } from './requestKey';

/** Where a figure came from: a response's usage, a count_tokens answer, or the local estimate. */
export type TokenSource = 'usage' | 'count' | 'estimate';

/** Why no exact count can be had right now; the figure stays an estimate meanwhile. */
export type OfflineReason = 'noKey' | 'unreachable';

/** The size of the next request as it should be shown. */
export interface TokenReading {
  readonly tokens: number;
  readonly exact: boolean;
  readonly source: TokenSource;
  readonly offline?: OfflineReason;
}

/** What is to be sent next, as the caller sees it now. */
export interface CountSubject<P> {
  /** The count_tokens params: what is hashed, and what is sent if an exact count is needed. */
  readonly params: P;
  /** The local figure: exact where a response's usage covers it, estimated for the rest. */
  readonly estimate: number;
  /** Nothing was added since the last response: its usage already makes `estimate` exact. */
  readonly exactFromUsage?: boolean;
  /**
   * Everything but the part being typed (e.g. conversation, branch, model). While it stays the
   * same, an estimate is anchored on the last exact count, so only the difference is estimated.
   */
  readonly base?: string;
  /** False while the request is in flux (an answer streaming): estimate, but never call. */
  readonly countable?: boolean;
}

/** The injected clock: timers are the only side effect of the policy besides `count`. */
export interface CounterClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface TokenCounterDeps<P> {
  /** count_tokens. Rejects on failure; {@link classify} says whether that means offline. */
  count(params: P, signal: AbortSignal): Promise<number>;
  /** 'noKey' / 'unreachable', or undefined when the API refused this request itself. */
  classify(error: unknown): OfflineReason | undefined;
  readonly clock: CounterClock;
  /** Quiet time after the last change before counting. */
  readonly debounceMs?: number;
  /** A content whose count failed, and any count while offline, waits this long before a retry. */
  readonly retryAfterMs?: number;
  /** Exact counts kept (least recently used dropped first). */
  readonly maxEntries?: number;
  /** Content hash; by default a {@link RequestKeyer}'s (sha256 of the canonical JSON, long strings hashed once). */
  keyOf?(params: P): string;
}

export const COUNT_DEBOUNCE_MS = 600;
export const COUNT_RETRY_AFTER_MS = 30_000;
const MAX_ENTRIES = 256;

interface Pending<P> {
  readonly key: string;
  readonly params: P;
  readonly estimate: number;
  readonly base: string | undefined;
}

/**
 * The counting policy, free of VS Code and of the network. Each {@link update} answers at once
 * (cached exact count, usage, or estimate) and, when the content is new, schedules one debounced
 * count for it. A content is counted at most once (a failure may be retried after
 * `retryAfterMs`); nothing is sent while nothing changes; a newer change replaces the scheduled
 * count before it starts.
 */
export class TokenCounter<P> {
  private readonly _onDidChange = new Emitter<TokenReading>();
  /** A count finished (or failed) and changed the current reading. */
  readonly onDidChange: Event<TokenReading> = this._onDidChange.event;

  private readonly counts = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  /**
   * Bumped by {@link forgetFailures}: a count started before (under the old key or endpoint) that
   * fails afterwards says nothing about the new one, so it neither marks its content as failed
   * nor makes the counter offline.
   */
  private generation = 0;
  private readonly inFlight = new Map<string, AbortController>();
  private timer: { handle: unknown; key: string } | undefined;
  private offline: { reason: OfflineReason; at: number } | undefined;
  private anchor: { base: string; estimate: number; tokens: number } | undefined;
  private subject: (Pending<P> & { exactFromUsage: boolean; countable: boolean }) | undefined;
  private current: TokenReading = { tokens: 0, exact: false, source: 'estimate' };
  private readonly debounceMs: number;
  private readonly retryAfterMs: number;
  private readonly maxEntries: number;
  private readonly keyOf: (params: P) => string;
  private disposed = false;
  private startedCount = 0;

  constructor(private readonly deps: TokenCounterDeps<P>) {
    this.debounceMs = deps.debounceMs ?? COUNT_DEBOUNCE_MS;
    this.retryAfterMs = deps.retryAfterMs ?? COUNT_RETRY_AFTER_MS;
    this.maxEntries = deps.maxEntries ?? MAX_ENTRIES;
    // One keyer per counter: its memo of long strings lives and dies with the counter.
    const keyer = new RequestKeyer();
    const keyOf = deps.keyOf;
    this.keyOf = keyOf !== undefined ? (params) => keyOf.call(deps, params) : (params) => keyer.keyOf(params);
  }

  get reading(): TokenReading {
    return this.current;
  }

  /** How many count calls have been started; for diagnostics and tests. */
  get started(): number {
    return this.startedCount;
  }

  /** The reading for `subject`, now; an exact count may follow through {@link onDidChange}. */
  update(subject: CountSubject<P>): TokenReading {
    const exactFromUsage = subject.exactFromUsage === true;
    const countable = subject.countable !== false && !exactFromUsage;
    // No hash for the steady state: with nothing new there is nothing to count.
    const key = exactFromUsage ? '' : this.keyOf(subject.params);
    this.subject = { key, params: subject.params, estimate: subject.estimate, base: subject.base, exactFromUsage, countable };
    if (exactFromUsage && subject.base !== undefined) this.anchor = { base: subject.base, estimate: subject.estimate, tokens: subject.estimate };
    if (this.timer !== undefined && (this.timer.key !== key || !countable)) this.cancelTimer();
    if (countable) this.schedule();
    this.current = this.compute();
    return this.current;
  }

  /** Forget failures and the offline state (the key or the endpoint changed): try again. */
  forgetFailures(): void {
    this.generation++;
    this.failures.clear();
    this.offline = undefined;
    if (this.subject?.countable) this.schedule();
    this.refresh();
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
    this._onDidChange.dispose();
  }

  private compute(): TokenReading {
    const subject = this.subject;
    if (subject === undefined) return this.current;
    const offline = this.offline !== undefined ? { offline: this.offline.reason } : {};
    if (subject.exactFromUsage) return { tokens: subject.estimate, exact: true, source: 'usage', ...offline };
    const counted = this.counts.get(subject.key);
    if (counted !== undefined) {
      // Refresh its place in the LRU order: it is in use.
      this.counts.delete(subject.key);
      this.counts.set(subject.key, counted);
      return { tokens: counted, exact: true, source: 'count' };
    }
    const anchor = this.anchor;
    const tokens =
      anchor !== undefined && subject.base !== undefined && anchor.base === subject.base
        ? Math.max(0, anchor.tokens + subject.estimate - anchor.estimate)
        : subject.estimate;
    return { tokens, exact: false, source: 'estimate', ...offline };
  }

  private refresh(): void {
    if (this.disposed) return;
    const next = this.compute();
    const before = this.current;
    this.current = next;
    if (next.tokens !== before.tokens || next.exact !== before.exact || next.source !== before.source || next.offline !== before.offline) {
      this._onDidChange.fire(next);
    }
  }

  private schedule(): void {
    const subject = this.subject;
    if (subject === undefined || this.disposed) return;
    const { key } = subject;
    if (this.counts.has(key) || this.inFlight.has(key) || this.timer?.key === key) return;
    const now = this.deps.clock.now();
    const failedAt = this.failures.get(key);
    if (failedAt !== undefined && now - failedAt < this.retryAfterMs) return;
    // While offline, wait out the retry delay instead of failing once per pause.
    const offlineWait = this.offline !== undefined ? this.offline.at + this.retryAfterMs - now : 0;
    const pending: Pending<P> = { key, params: subject.params, estimate: subject.estimate, base: subject.base };
    const handle = this.deps.clock.setTimeout(() => this.start(pending), Math.max(this.debounceMs, offlineWait));
    this.timer = { handle, key };
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.deps.clock.clearTimeout(this.timer.handle);
    this.timer = undefined;
  }

  private start(pending: Pending<P>): void {
    if (this.timer?.key === pending.key) this.timer = undefined;
    if (this.disposed || this.counts.has(pending.key) || this.inFlight.has(pending.key)) return;
    const controller = new AbortController();
    this.inFlight.set(pending.key, controller);
    this.startedCount++;
    const generation = this.generation;
    // A count that goes stale while in flight is left to finish: the request is already paid
    // for, and its answer is reused if the user returns to that content (undo, deleting a word).
    let call: Promise<number>;
    try {
      call = this.deps.count(pending.params, controller.signal);
    } catch (error) {
      call = Promise.reject(error);
    }
    call.then(
      (tokens) => this.finish(pending, controller, tokens),
      (error: unknown) => this.fail(pending, controller, error, generation),
    );
  }

  private finish(pending: Pending<P>, controller: AbortController, tokens: number): void {
    if (this.inFlight.get(pending.key) === controller) this.inFlight.delete(pending.key);
    if (this.disposed || controller.signal.aborted) return;
    this.counts.set(pending.key, tokens);
    while (this.counts.size > this.maxEntries) {
      const oldest = this.counts.keys().next().value;
      if (oldest === undefined) break;
      this.counts.delete(oldest);
    }
    this.failures.delete(pending.key);
    this.offline = undefined;
    if (pending.base !== undefined) this.anchor = { base: pending.base, estimate: pending.estimate, tokens };
    this.refresh();
  }

  private fail(pending: Pending<P>, controller: AbortController, error: unknown, generation: number): void {
    if (this.inFlight.get(pending.key) === controller) this.inFlight.delete(pending.key);
    if (this.disposed || controller.signal.aborted) return;
    if (generation !== this.generation) {
      // Started under the old key or endpoint: count this content again under the new one.
      if (this.subject?.key === pending.key && this.subject.countable) this.schedule();
      return;
    }
    const now = this.deps.clock.now();
    this.failures.set(pending.key, now);
    const reason = this.deps.classify(error);
    if (reason !== undefined) this.offline = { reason, at: now };
    this.refresh();
  }
}
