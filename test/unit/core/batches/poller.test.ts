import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchPoller } from '../../../../src/core/batches/poller';
import type { BatchClock } from '../../../../src/core/batches/ports';

function fakeClock(): BatchClock & { pending: { cb: () => void; ms: number }[]; fire(): void } {
  const pending: { cb: () => void; ms: number; live: boolean }[] = [];
  return {
    pending,
    now: () => 0,
    setTimer(cb, ms) {
      const entry = { cb, ms, live: true };
      pending.push(entry);
      return { dispose: () => (entry.live = false) };
    },
    fire() {
      const next = pending.filter((p) => p.live).pop();
      pending.length = 0;
      next?.cb();
    },
  };
}

describe('batch poller', () => {
  it('backs off while nothing changes, resets on change, stops when nothing is active', async () => {
    const clock = fakeClock();
    const answers = [
      { active: true, changed: false },
      { active: true, changed: false },
      { active: true, changed: false },
      { active: true, changed: true },
      { active: false, changed: true },
    ];
    let ticks = 0;
    const poller = new BatchPoller(clock, async () => answers[ticks++]!, () => ({ minMs: 1000, maxMs: 2000 }));
    poller.start();
    for (let i = 0; i < 5; i++) {
      assert.equal(poller.scheduled, true);
      clock.fire();
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(ticks, 5);
    assert.deepEqual(poller.history, [1000, 1500, 2000, 2000, 1000]);
    assert.equal(poller.scheduled, false);
    poller.dispose();
  });

  it('keeps polling after a failed tick', async () => {
    const clock = fakeClock();
    const errors: unknown[] = [];
    const poller = new BatchPoller(clock, async () => {
      throw new Error('offline');
    }, () => ({ minMs: 10, maxMs: 100 }), (e) => errors.push(e));
    await poller.run();
    assert.equal(errors.length, 1);
    assert.equal(poller.scheduled, true);
    poller.dispose();
    assert.equal(poller.scheduled, false);
  });
});
