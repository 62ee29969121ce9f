/**
 * The host's delta coalescing: at most one message per turn per interval, only new characters,
 * everything pending sent on flush; the interval lengthens to 48 ms only while text arrives faster
 * than FAST_STREAM_CHARS_PER_MS, measured between two sends, and shortens again when it slows.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { DeltaBuffer } from '../../../src/chat/deltaBuffer';
import type { ToWebview } from '../../../src/shared/protocol';
import { FAST_STREAM_CHARS_PER_MS } from '../../../src/shared/streamPace';

describe('DeltaBuffer', () => {
  let clock = 0;
  let sent: { at: number; message: ToWebview.DidStreamDelta }[] = [];
  const buffer = (): DeltaBuffer => new DeltaBuffer((message) => sent.push({ at: clock, message }), { now: () => clock });
  /** Moves the fake clock and the timers together. */
  const advance = (ms: number): void => {
    clock += ms;
    mock.timers.tick(ms);
  };

  beforeEach(() => {
    clock = 0;
    sent = [];
    mock.timers.enable({ apis: ['setTimeout'] });
  });
  afterEach(() => mock.timers.reset());

  it('sends what arrived within 16 ms as one message per turn, text and thinking apart', () => {
    const deltas = buffer();
    deltas.push('a', { text: 'Hel' });
    deltas.push('a', { text: 'lo' });
    deltas.push('a', { thinking: 'hmm' });
    deltas.push('b', { text: 'other' });
    advance(15);
    assert.equal(sent.length, 0);
    advance(1);
    assert.deepEqual(sent.map((s) => s.message), [
      { type: 'didStreamDelta', turnId: 'a', text: 'Hello', thinking: 'hmm' },
      { type: 'didStreamDelta', turnId: 'b', text: 'other' },
    ]);
  });

  it('flush sends what is pending at once, and nothing twice', () => {
    const deltas = buffer();
    deltas.push('a', { text: 'x' });
    deltas.flush();
    advance(100);
    deltas.flush();
    assert.deepEqual(sent.map((s) => s.message.text), ['x']);
  });

  it('keeps sending every 16 ms at any model pace (1 character a millisecond)', () => {
    const deltas = buffer();
    for (let ms = 0; ms < 200; ms += 4) {
      deltas.push('a', { text: 'abcd' });
      advance(4);
    }
    const gaps = sent.slice(1).map((s, i) => s.at - (sent[i]?.at ?? 0));
    assert.ok(gaps.length >= 10, `${gaps.length} sends`);
    assert.ok(gaps.every((gap) => gap === 16), `gaps ${gaps.join(', ')}`);
  });

  it('sends every 48 ms while text arrives faster than the fast pace, and every 16 ms again once it slows', () => {
    const deltas = buffer();
    const perMs = FAST_STREAM_CHARS_PER_MS * 3;
    for (let ms = 0; ms < 500; ms += 4) {
      deltas.push('a', { text: 'x'.repeat(perMs * 4) });
      advance(4);
    }
    const fastEnd = sent.length;
    const fastGaps = sent.slice(2, fastEnd).map((s, i) => s.at - (sent[i + 1]?.at ?? 0));
    assert.ok(fastGaps.length >= 5 && fastGaps.every((gap) => gap === 48), `gaps ${fastGaps.join(', ')}`);
    // Nothing is lost or repeated: every character arrives once, in order.
    for (let ms = 0; ms < 500; ms += 8) {
      deltas.push('a', { text: 'y' });
      advance(8);
    }
    deltas.flush();
    const slowGaps = sent.slice(fastEnd + 2).map((s, i) => s.at - (sent[fastEnd + 1 + i]?.at ?? 0));
    assert.ok(slowGaps.length >= 5 && slowGaps.every((gap) => gap <= 24), `gaps ${slowGaps.join(', ')}`);
    const text = sent.map((s) => s.message.text ?? '').join('');
    assert.equal(text, 'x'.repeat(perMs * 4 * 125) + 'y'.repeat(63));
  });

  it('a burst after a pause lengthens only the next wait', () => {
    const deltas = buffer();
    deltas.push('a', { text: 'a' });
    advance(16);
    advance(2000);
    deltas.push('a', { text: 'z'.repeat(5000) });
    advance(16);
    deltas.push('a', { text: 'b' });
    advance(16);
    assert.equal(sent.length, 3, '5,000 characters over a 2 s pause are a slow pace: the next send waits 16 ms');
    deltas.push('a', { text: 'z'.repeat(5000) });
    advance(16);
    deltas.push('a', { text: 'c' });
    advance(16);
    assert.equal(sent.length, 4, 'after 5,000 characters in 16 ms the next send waits 48 ms');
    advance(32);
    assert.equal(sent.length, 5);
    deltas.push('a', { text: 'd' });
    advance(16);
    assert.equal(sent.length, 6, 'one character in 48 ms: back to 16 ms');
  });

  it('dispose drops what is pending', () => {
    const deltas = buffer();
    deltas.push('a', { text: 'x' });
    deltas.dispose();
    advance(100);
    assert.equal(sent.length, 0);
  });
});
