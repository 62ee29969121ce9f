import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CountSubject, OfflineReason, TokenReading } from '../../../../src/core/tokens/tokenCounter';
import { COUNT_DEBOUNCE_MS, COUNT_RETRY_AFTER_MS, TokenCounter } from '../../../../src/core/tokens/tokenCounter';
import { FakeClock, FakeCount, flush } from './fakes';

interface Params {
  readonly history: string;
  readonly draft: string;
}

class Offline extends Error {
  constructor(readonly reason: OfflineReason | undefined) {
    super(reason ?? 'refused');
  }
}

/** The "exact" count of the fake API: a little more than the local estimate, as a real one would be. */
const exactOf = (params: Params): number => params.history.length + params.draft.length + 7;

function subject(draft: string, options: Partial<CountSubject<Params>> = {}): CountSubject<Params> {
  return { params: { history: 'h'.repeat(100), draft }, estimate: 100 + draft.length, base: 'conversation-1', ...options };
}

describe('TokenCounter', () => {
  let clock: FakeClock;
  let api: FakeCount<Params>;
  let counter: TokenCounter<Params>;
  let changes: TokenReading[];

  beforeEach(() => {
    clock = new FakeClock();
    api = new FakeCount<Params>();
    counter = new TokenCounter<Params>({
      count: api.count,
      classify: (error) => (error instanceof Offline ? error.reason : undefined),
      clock,
    });
    changes = [];
    counter.onDidChange((reading) => changes.push(reading));
  });

  afterEach(() => counter.dispose());

  it('answers with the estimate at once, then the exact count after the pause', async () => {
    assert.deepEqual(counter.update(subject('hello')), { tokens: 105, exact: false, source: 'estimate' });
    assert.equal(api.calls.length, 0, 'nothing is sent while the user may still be typing');
    await clock.advance(COUNT_DEBOUNCE_MS - 1);
    assert.equal(api.calls.length, 0);
    await clock.advance(1);
    assert.equal(api.calls.length, 1);
    assert.deepEqual(api.calls[0]?.params, subject('hello').params);
    api.calls[0]?.resolve(112);
    await flush();
    assert.deepEqual(counter.reading, { tokens: 112, exact: true, source: 'count' });
    assert.deepEqual(changes.at(-1), { tokens: 112, exact: true, source: 'count' });
  });

  it('debounces: a burst of edits is counted once, for the content it ended with', async () => {
    api.auto = exactOf;
    for (const draft of ['h', 'he', 'hel', 'hell', 'hello']) {
      counter.update(subject(draft));
      await clock.advance(150);
    }
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.deepEqual(api.calls.map((call) => call.params.draft), ['hello']);
    assert.deepEqual(counter.reading, { tokens: 112, exact: true, source: 'count' });
  });

  it('never counts the same content twice, and sends nothing while nothing changes', async () => {
    api.auto = exactOf;
    counter.update(subject('first'));
    await clock.advance(COUNT_DEBOUNCE_MS);
    counter.update(subject('second'));
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.equal(api.calls.length, 2);
    // Back to a counted content (undo): the cached figure, at once and without a call.
    assert.deepEqual(counter.update(subject('first')), { tokens: 112, exact: true, source: 'count' });
    // The same content reported again and again (events that change nothing), then a long idle.
    for (let i = 0; i < 10; i++) counter.update(subject('first'));
    await clock.advance(10 * 60_000);
    assert.equal(api.calls.length, 2);
    assert.equal(clock.pendingTimers, 0, 'no timer is left running while idle');
  });

  it('keys by content, not by object identity or property order', async () => {
    api.auto = exactOf;
    counter.update({ params: { history: 'h'.repeat(100), draft: 'x' }, estimate: 101 });
    await clock.advance(COUNT_DEBOUNCE_MS);
    const reordered = { draft: 'x', history: 'h'.repeat(100) } as Params;
    assert.equal(counter.update({ params: reordered, estimate: 101 }).source, 'count');
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.equal(api.calls.length, 1);
  });

  it('does not start a second call for a content already in flight', async () => {
    counter.update(subject('abc'));
    await clock.advance(COUNT_DEBOUNCE_MS);
    counter.update(subject('abcd'));
    counter.update(subject('abc'));
    await clock.advance(COUNT_DEBOUNCE_MS * 3);
    assert.equal(api.calls.length, 1, 'abc is in flight; abcd was replaced before its timer ran');
    api.calls[0]?.resolve(120);
    await flush();
    assert.deepEqual(counter.reading, { tokens: 120, exact: true, source: 'count' });
  });

  it('lets a stale call finish: its answer is kept for later and anchors the new estimate', async () => {
    counter.update(subject('abc'));
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.equal(api.calls.length, 1);
    counter.update(subject('abcdef'));
    api.calls[0]?.resolve(150); // the exact figure for "abc": 47 more than its estimate of 103
    await flush();
    assert.deepEqual(counter.reading, { tokens: 153, exact: false, source: 'estimate' }, 'only the 3 new characters are estimated');
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.equal(api.calls.length, 2);
    assert.equal(api.calls[0]?.signal.aborted, false);
    api.calls[1]?.resolve(155);
    await flush();
    assert.deepEqual(counter.update(subject('abc')), { tokens: 150, exact: true, source: 'count' });
  });

  it('anchors estimates only within the same base', async () => {
    api.auto = () => 500;
    counter.update(subject('abc'));
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.equal(counter.update(subject('abcd')).tokens, 501);
    assert.equal(counter.update(subject('abcd', { base: 'conversation-2' })).tokens, 104);
  });

  it('takes a response usage as exact and calls nothing for it', async () => {
    assert.deepEqual(counter.update(subject('', { exactFromUsage: true, estimate: 1060 })), { tokens: 1060, exact: true, source: 'usage' });
    await clock.advance(60_000);
    assert.equal(api.calls.length, 0);
  });

  it('estimates but never calls while the request is not countable (an answer streaming)', async () => {
    assert.equal(counter.update(subject('typed mid-answer', { countable: false })).source, 'estimate');
    await clock.advance(60_000);
    assert.equal(api.calls.length, 0);
    counter.update(subject('typed mid-answer'));
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.equal(api.calls.length, 1, 'counted once the answer has ended');
  });

  it('drops a scheduled count when the same content stops being countable', async () => {
    counter.update(subject('sent'));
    await clock.advance(COUNT_DEBOUNCE_MS / 2);
    counter.update(subject('sent', { countable: false }));
    await clock.advance(60_000);
    assert.equal(api.calls.length, 0);
  });

  it('with no key says so and keeps estimating, without retrying on every pause', async () => {
    api.auto = () => {
      throw new Offline('noKey');
    };
    counter.update(subject('a'));
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.deepEqual(counter.reading, { tokens: 101, exact: false, source: 'estimate', offline: 'noKey' });
    assert.deepEqual(changes.at(-1), counter.reading);
    counter.update(subject('ab'));
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.equal(api.calls.length, 1, 'while offline the next try waits for the retry delay');
    assert.equal(counter.update(subject('ab')).offline, 'noKey');
    await clock.advance(COUNT_RETRY_AFTER_MS);
    assert.equal(api.calls.length, 2);
    api.auto = exactOf;
    counter.update(subject('abc'));
    await clock.advance(COUNT_RETRY_AFTER_MS);
    assert.deepEqual(counter.reading, { tokens: 110, exact: true, source: 'count' }, 'the key is back: exact again, offline cleared');
  });

  it('reports an unreachable API, and tries again at once when told the setup changed', async () => {
    api.auto = () => {
      throw new Offline('unreachable');
    };
    counter.update(subject('a'));
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.equal(counter.reading.offline, 'unreachable');
    api.auto = exactOf;
    counter.forgetFailures();
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.equal(api.calls.length, 2);
    assert.deepEqual(counter.reading, { tokens: 108, exact: true, source: 'count' });
  });

  it('ignores a failure of a count started before forgetFailures: the new key or endpoint is counted at once', async () => {
    counter.update(subject('old endpoint'));
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.equal(api.calls.length, 1, 'a count under the old settings is in flight');
    // The settings change (another provider, a new key) while it is in flight...
    counter.forgetFailures();
    counter.update(subject('new draft'));
    // ...and only then does the old endpoint refuse it.
    api.calls[0]?.reject(new Offline('noKey'));
    await flush();
    assert.equal(counter.reading.offline, undefined, 'the old endpoint\'s refusal does not make the new one offline');
    api.auto = exactOf;
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.equal(api.calls.length, 2, 'the new draft is counted after the usual pause, not after the retry delay');
    assert.deepEqual(counter.reading, { tokens: exactOf(subject('new draft').params), exact: true, source: 'count' });
  });

  it('counts the same content again when its count under the old settings fails after forgetFailures', async () => {
    counter.update(subject('same'));
    await clock.advance(COUNT_DEBOUNCE_MS);
    counter.forgetFailures();
    api.auto = exactOf;
    api.calls[0]?.reject(new Offline('noKey'));
    await flush();
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.equal(api.calls.length, 2);
    assert.equal(counter.reading.source, 'count');
  });

  it('treats a refused request as a failure for that content only, not as offline', async () => {
    api.auto = () => {
      throw new Offline(undefined);
    };
    counter.update(subject('too long'));
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.deepEqual(counter.reading, { tokens: 108, exact: false, source: 'estimate' });
    counter.update(subject('too long'));
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.equal(api.calls.length, 1, 'the same content is not retried at once');
    counter.update(subject('shorter'));
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.equal(api.calls.length, 2, 'new content is tried without waiting');
  });

  it('keeps a bounded number of counts', async () => {
    const small = new TokenCounter<Params>({ count: api.count, classify: () => undefined, clock, maxEntries: 2 });
    api.auto = exactOf;
    for (const draft of ['a', 'b', 'c']) {
      small.update(subject(draft));
      await clock.advance(COUNT_DEBOUNCE_MS);
    }
    assert.equal(small.update(subject('c')).source, 'count');
    assert.equal(small.update(subject('a')).source, 'estimate', 'the oldest was dropped');
    small.dispose();
  });

  it('stops everything when disposed', async () => {
    counter.update(subject('x'));
    await clock.advance(COUNT_DEBOUNCE_MS);
    counter.update(subject('xy'));
    counter.dispose();
    assert.equal(api.calls[0]?.signal.aborted, true);
    assert.equal(clock.pendingTimers, 0);
    await clock.advance(60_000);
    assert.equal(api.calls.length, 1);
  });
});
