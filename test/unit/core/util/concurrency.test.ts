import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { mapLimit } from '../../../../src/core/util/concurrency';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('mapLimit keeps at most `limit` in flight and returns results in input order', async () => {
  let running = 0;
  let peak = 0;
  const results = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
    running++;
    peak = Math.max(peak, running);
    for (let i = 0; i < n; i++) await tick();
    running--;
    return n * 10;
  });
  assert.equal(peak, 2);
  assert.deepEqual(results.map((r) => (r.ok ? r.value : undefined)), [50, 10, 40, 20, 30]);
});

test('mapLimit reports a failure per item and goes on with the rest', async () => {
  const results = await mapLimit([1, 2, 3], 3, async (n) => {
    if (n === 2) throw new Error('two');
    return n;
  });
  assert.equal(results[0]?.ok, true);
  assert.equal(results[1]?.ok, false);
  assert.equal(results[2]?.ok, true);
});

test('mapLimit starts nothing new after abort and rejects with the reason', async () => {
  const controller = new AbortController();
  const started: number[] = [];
  const run = mapLimit([1, 2, 3, 4], 1, async (n) => {
    started.push(n);
    if (n === 2) controller.abort(new Error('stopped'));
    await tick();
    return n;
  }, controller.signal);
  await assert.rejects(run, /stopped/);
  assert.deepEqual(started, [1, 2]);
});

test('mapLimit on no items resolves to an empty list', async () => {
  assert.deepEqual(await mapLimit([], 4, async () => 1), []);
});
