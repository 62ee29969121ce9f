import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Conversation } from '../../../../src/core/chat/conversation';
import { appendAssistantTurn, appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import type { HistoryFs } from '../../../../src/core/history/historyPorts';
import { HistoryStore } from '../../../../src/core/history/historyStore';
import { DIR, usage } from './fixtures';
import { FakeClock, MemoryFs, nodeFs } from './memoryFs';

const KB = 'Lorem ipsum dolor sit amet, `code` and "quotes" — ünïcode. '.repeat(17).slice(0, 1000);

/** Records `exchanges` question/answer pairs the way a live session would: checkpoints, then final. */
async function recordLong(store: HistoryStore, clock: FakeClock, exchanges: number): Promise<Conversation> {
  const c = createConversation(['system prompt'], clock.now());
  await store.create(c);
  const rec = store.recorder(c);
  for (let i = 0; i < exchanges; i++) {
    const user = appendUserTurn(c, `${i} ${KB}`, clock.now());
    rec.turnAppended(user);
    const answer = appendAssistantTurn(c, user.id, 'claude-sonnet-5-5', clock.now());
    rec.turnAppended(answer);
    for (let part = 0; part < 5; part++) {
      const chunk = KB.slice(part * 200, part * 200 + 200);
      answer.text += chunk;
      rec.delta(answer.id, { text: chunk });
      clock.advance(1000);
    }
    Object.assign(answer, { status: 'done', stopReason: 'end_turn', usage: usage(100, 250) });
    rec.turnFinal(answer);
  }
  await rec.flush();
  return c;
}

async function timeLoads(fs: HistoryFs, dir: string, id: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const store = new HistoryStore({ fs, dir }); // fresh, as after a restart
    const started = performance.now();
    const { conversation, problems } = await store.load(id);
    times.push(performance.now() - started);
    assert.equal(conversation.turns.size, 1000);
    assert.deepEqual(problems, []);
  }
  return times;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const report = (line: string): void => console.log(`perf: ${line}`);

/** Mean cost of recording one turn (queued write included) in a conversation of `size` turns. */
async function appendCost(fs: HistoryFs, dir: string, size: number): Promise<{ perCallUs: number }> {
  const clock = new FakeClock();
  const store = new HistoryStore({ fs, dir, clock });
  const c = createConversation([], 0);
  for (let i = 0; i < size; i++) appendUserTurn(c, `${i} ${KB}`, 0);
  await store.create(c);
  const rec = store.recorder(c);
  const calls = 1000;
  const started = performance.now();
  for (let i = 0; i < calls; i++) rec.turnAppended(appendUserTurn(c, `${i} ${KB}`, 0));
  await rec.flush();
  const perCallUs = ((performance.now() - started) * 1000) / calls;
  return { perCallUs };
}

describe('history performance', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('loads a 1,000-turn conversation (~1 KB a turn) well under 200 ms', async () => {
    const memory = new MemoryFs();
    const clock = new FakeClock();
    const c = await recordLong(new HistoryStore({ fs: memory, dir: DIR, clock }), clock, 500);
    const text = memory.files.get(`${DIR}/conversations/${c.id}.jsonl`) ?? '';
    const inMemory = await timeLoads(memory, DIR, c.id, 7);

    const disk = await mkdtemp(join(tmpdir(), 'history-perf-'));
    dirs.push(disk);
    await nodeFs.mkdir(`${disk}/conversations`);
    await nodeFs.appendFile(`${disk}/conversations/${c.id}.jsonl`, text);
    const onDisk = await timeLoads(nodeFs, disk, c.id, 7);

    report(`log ${(text.length / 1024).toFixed(0)} KB, ${text.split('\n').length - 1} records`);
    report(`load() in memory: median ${median(inMemory).toFixed(1)} ms (first ${inMemory[0]?.toFixed(1)} ms)`);
    report(`load() from disk: median ${median(onDisk).toFixed(1)} ms (first ${onDisk[0]?.toFixed(1)} ms)`);
    assert.ok(median(onDisk) < 200 && median(inMemory) < 200);
  });

  it('records a turn at the same cost in a 10-turn and a 10,000-turn conversation', async () => {
    const memory = new MemoryFs();
    await appendCost(memory, DIR, 10); // warm-up
    const small = await appendCost(memory, DIR, 10);
    const large = await appendCost(memory, DIR, 10_000);
    const disk = await mkdtemp(join(tmpdir(), 'history-perf-'));
    dirs.push(disk);
    const smallDisk = await appendCost(nodeFs, disk, 10);
    const largeDisk = await appendCost(nodeFs, disk, 10_000);
    report(`turnAppended in memory: ${small.perCallUs.toFixed(1)} µs/turn at 10 turns, ${large.perCallUs.toFixed(1)} µs/turn at 10,000`);
    report(`turnAppended on disk: ${smallDisk.perCallUs.toFixed(1)} µs/turn at 10 turns, ${largeDisk.perCallUs.toFixed(1)} µs/turn at 10,000`);
    // Generous: timing noise, not the conversation's size, should be all that differs.
    assert.ok(large.perCallUs < small.perCallUs * 4 + 50, 'recording a turn must not grow with the conversation');
  });
});
