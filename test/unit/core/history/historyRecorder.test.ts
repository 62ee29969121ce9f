import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AssistantTurn } from '../../../../src/core/chat/conversation';
import { appendAssistantTurn, appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import { replayText } from '../../../../src/core/history/historyLog';
import { HistoryError, HistoryStore } from '../../../../src/core/history/historyStore';
import { DIR, newStore, recordForkedConversation } from './fixtures';
import { FakeClock, MemoryFs } from './memoryFs';

const isLog = (path: string): boolean => path.startsWith(`${DIR}/conversations/`);
const records = (text: string): { t: string; text?: string; thinking?: string }[] =>
  text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { t: string });

async function startAnswer(): Promise<{ fs: MemoryFs; clock: FakeClock; store: HistoryStore; turn: AssistantTurn; log: () => string; rec: ReturnType<HistoryStore['recorder']> }> {
  const { store, fs, clock } = newStore();
  const c = createConversation([], 0);
  await store.create(c);
  const rec = store.recorder(c);
  const user = appendUserTurn(c, 'q', 0);
  rec.turnAppended(user);
  const turn = appendAssistantTurn(c, user.id, 'm', 0);
  rec.turnAppended(turn);
  await rec.flush();
  return { fs, clock, store, turn, rec, log: () => fs.files.get(`${DIR}/conversations/${c.id}.jsonl`) ?? '' };
}

describe('HistoryRecorder', () => {
  it('checkpoints streamed characters at most once a second', async () => {
    const { clock, turn, rec, log } = await startAnswer();
    const deltas = (): { t: string; text?: string; thinking?: string }[] => records(log()).filter((r) => r.t === 'delta');
    rec.delta(turn.id, { thinking: 'think ' });
    for (let i = 0; i < 19; i++) {
      rec.delta(turn.id, { text: `${i},` });
      clock.advance(50);
    }
    await rec.flush().then(() => undefined);
    // flush() writes at once; without it nothing would be written before the second is up.
    assert.equal(deltas().length, 1);
    assert.deepEqual(deltas()[0], { t: 'delta', id: turn.id, text: Array.from({ length: 19 }, (_, i) => `${i},`).join(''), thinking: 'think ' });
    for (let i = 0; i < 100; i++) {
      rec.delta(turn.id, { text: 'x' });
      clock.advance(50);
    }
    await rec.flush();
    const written = deltas();
    // 5 s of streaming: one checkpoint per second, plus the flush above and at most one at the end.
    assert.ok(written.length >= 5 && written.length <= 7, `got ${written.length} checkpoints`);
    assert.equal(written.slice(1).map((r) => r.text).join(''), 'x'.repeat(100));
  });

  it('writes nothing before the interval unless flushed, and drops checkpoints a final state supersedes', async () => {
    const { clock, turn, rec, log } = await startAnswer();
    const before = log();
    rec.delta(turn.id, { text: 'partial' });
    clock.advance(999);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(log(), before);
    Object.assign(turn, { text: 'partial answer', status: 'done' });
    rec.turnFinal(turn);
    assert.equal(clock.pending, 0);
    await rec.flush();
    assert.deepEqual(records(log().slice(before.length)).map((r) => r.t), ['final']);
    assert.equal((replayText(log()).conversation?.turns.get(turn.id) as AssistantTurn).text, 'partial answer');
  });

  it('never rewrites a log: every write to an existing log is an append, however long it is', async () => {
    const { store, fs, clock, errors } = newStore();
    fs.guard = (op, exists) => {
      if (isLog(op.path) && exists && op.op !== 'appendFile') throw new Error(`${op.op} ${op.path}`);
    };
    await recordForkedConversation(store, clock);
    const c = createConversation([], clock.now());
    await store.create(c);
    const rec = store.recorder(c);
    const sizes: number[] = [];
    for (let i = 0; i < 400; i++) {
      const user = appendUserTurn(c, `question ${i} `.repeat(20), clock.now());
      rec.turnAppended(user);
      const answer = appendAssistantTurn(c, user.id, 'm', clock.now());
      rec.turnAppended(answer);
      Object.assign(answer, { text: 'answer '.repeat(100), status: 'done' });
      rec.turnFinal(answer);
    }
    await rec.flush();
    assert.deepEqual(errors, []);
    const logOps = fs.opsOn(isLog);
    assert.ok(logOps.every((op) => op.op === 'appendFile' || op.op === 'mkdir' || op.op === 'stat'));
    for (const op of logOps) if (op.op === 'appendFile') sizes.push(op.bytes ?? 0);
    // The last writes are as small as the first: a turn costs its own size, not the conversation's.
    assert.ok(Math.max(...sizes.slice(-50)) < 2000, `largest late append ${Math.max(...sizes.slice(-50))} bytes`);
  });

  it('keeps records in order when the disk is slow', async () => {
    const fs = new MemoryFs();
    const slow = Object.assign(Object.create(fs) as MemoryFs, {
      appendFile: async (path: string, text: string) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        return fs.appendFile(path, text);
      },
    });
    const clock = new FakeClock();
    const store = new HistoryStore({ fs: slow, dir: DIR, clock });
    const { conversation } = await recordForkedConversation(store, clock);
    const loaded = replayText(fs.files.get(`${DIR}/conversations/${conversation.id}.jsonl`) ?? '');
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual([...(loaded.conversation?.turns.keys() ?? [])], [...conversation.turns.keys()]);
  });

  it('fences off a torn write so the records after it stay readable, and reports the failure', async () => {
    const { store, fs, errors } = newStore();
    const c = createConversation([], 0);
    await store.create(c);
    const rec = store.recorder(c);
    let tear = false;
    const append = fs.appendFile.bind(fs);
    fs.appendFile = async (path, text) => {
      if (tear && isLog(path)) {
        tear = false;
        await append(path, text.slice(0, 20)); // the disk filled up mid-line
        throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      }
      return append(path, text);
    };
    const first = appendUserTurn(c, 'first', 0);
    rec.turnAppended(first);
    await rec.flush();
    tear = true;
    rec.titleChanged('lost');
    const second = appendUserTurn(c, 'second', 0);
    rec.turnAppended(second);
    await rec.flush();
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof HistoryError);
    const { conversation, problems } = await store.load(c.id);
    assert.deepEqual([...conversation.turns.keys()], [first.id, second.id]);
    assert.equal(problems.length, 1);
  });

  it('logs the automatic "New chat" retitle with the first message, without an event for it', async () => {
    const { store, fs } = newStore();
    const c = createConversation([], 0);
    await store.create(c);
    const rec = store.recorder(c);
    rec.turnAppended(appendUserTurn(c, 'How do I parse JSON?', 0));
    await rec.flush();
    assert.equal(replayText(fs.files.get(`${DIR}/conversations/${c.id}.jsonl`) ?? '').conversation?.title, 'How do I parse JSON?');
  });

  it('records only conversations the store created or loaded, so no log lacks its header', () => {
    const { store } = newStore();
    assert.throws(() => store.recorder(createConversation([], 0)), (error: unknown) => error instanceof HistoryError && error.code === 'notFound');
  });
});
