import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConversationSummary } from '../../../../src/core/history/historyIndex';
import { searchLogs } from '../../../../src/core/history/historySearch';
import { LatestSearch } from '../../../../src/core/history/latestSearch';
import { FakeClock } from './memoryFs';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('LatestSearch (history search as you type)', () => {
  it('runs one search when the typing pauses, not one per keystroke', async () => {
    const clock = new FakeClock();
    const runs: string[] = [];
    const delivered: string[] = [];
    const search = new LatestSearch<string>({ run: async (query) => (runs.push(query), query), deliver: (_q, result) => delivered.push(result) }, clock, 200);
    for (const query of ['r', 're', 'rec', 'reci', 'recipe']) {
      search.schedule(query);
      clock.advance(50);
    }
    assert.deepEqual(runs, []);
    clock.advance(200);
    await tick();
    assert.deepEqual(runs, ['recipe']);
    assert.deepEqual(delivered, ['recipe']);
  });

  it('a late result of an older query never replaces a newer one, and the older one is aborted', async () => {
    const clock = new FakeClock();
    const pending = new Map<string, { resolve: (value: string) => void; signal: AbortSignal }>();
    const delivered: string[] = [];
    const busy: boolean[] = [];
    const search = new LatestSearch<string>({
      run: (query, signal) => new Promise((resolve) => pending.set(query, { resolve, signal })),
      deliver: (query, result) => delivered.push(`${query}:${result}`),
      busy: (value) => busy.push(value),
    }, clock, 100);
    search.schedule('old');
    clock.advance(100);
    search.schedule('new');
    clock.advance(100);
    assert.equal(pending.get('old')?.signal.aborted, true, 'the older search was told to stop');
    pending.get('new')?.resolve('fresh');
    await tick();
    pending.get('old')?.resolve('stale');
    await tick();
    assert.deepEqual(delivered, ['new:fresh']);
    assert.equal(busy.at(-1), false);
  });

  it('runNow answers at once; dispose drops a waiting query', async () => {
    const clock = new FakeClock();
    const delivered: string[] = [];
    const search = new LatestSearch<string>({ run: async (query) => query, deliver: (query) => delivered.push(query) }, clock, 100);
    await search.runNow('');
    search.schedule('never');
    search.dispose();
    clock.advance(1000);
    await tick();
    assert.deepEqual(delivered, ['']);
  });
});

describe('searchLogs with a signal', () => {
  it('stops reading logs once the signal aborts', async () => {
    const summaries = Array.from({ length: 100 }, (_, i) => ({ id: `c${i}`, title: `chat ${i}`, updatedAt: 0, turnCount: 2, preview: '' }) as unknown as ConversationSummary);
    const controller = new AbortController();
    let reads = 0;
    const reading = searchLogs('needle', summaries, async () => {
      if (++reads === 10) controller.abort();
      await tick();
      return '';
    }, controller.signal);
    await assert.rejects(reading);
    assert.ok(reads < 30, `read ${reads} logs after the abort`);
  });
});
