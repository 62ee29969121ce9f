import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendAssistantTurn, appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import { encodeSummary, mergeIndex } from '../../../../src/core/history/historyIndex';
import { HistoryError, HistoryStore } from '../../../../src/core/history/historyStore';
import type { LockFs } from '../../../../src/core/util/fileLock';
import { memoryLockFs } from '../../../../src/core/util/fileLock';
import { DIR, newStore, recordForkedConversation } from './fixtures';
import { FakeClock, MemoryFs } from './memoryFs';

/** Saves a small conversation: one question (`text`) and one answer, at the clock's time. */
async function save(store: HistoryStore, clock: FakeClock, text: string, answer = 'An answer.'): Promise<string> {
  const c = createConversation([], clock.now());
  await store.create(c);
  const rec = store.recorder(c);
  const user = appendUserTurn(c, text, clock.now());
  rec.turnAppended(user);
  const turn = appendAssistantTurn(c, user.id, 'm', clock.now());
  rec.turnAppended(turn);
  Object.assign(turn, { text: answer, status: 'done' });
  rec.turnFinal(turn);
  await rec.dispose();
  clock.advance(1000);
  return c.id;
}

const isLog = (path: string): boolean => path.startsWith(`${DIR}/conversations/`);
const badId = (error: unknown): boolean => error instanceof HistoryError && error.code === 'badId';

/** A lock folder on a slow disk: every lock operation takes a few milliseconds. */
function slowLockFs(ms = 5): LockFs {
  const inner = memoryLockFs();
  const later = <T>(operation: () => Promise<T>): Promise<T> => new Promise((resolve) => setTimeout(resolve, ms)).then(operation);
  return {
    ...inner,
    createExclusive: (path, text) => later(() => inner.createExclusive(path, text)),
    readFile: (path) => later(() => inner.readFile(path)),
    heartbeat: (path) => later(() => inner.heartbeat(path)),
  };
}

describe('HistoryStore', () => {
  it('keeps every turn when the recorder appends before create() has taken its lock (as a session does)', async () => {
    const fs = new MemoryFs();
    const clock = new FakeClock();
    const errors: unknown[] = [];
    const store = new HistoryStore({ fs, dir: DIR, clock, lockFs: slowLockFs(), onError: (error) => errors.push(error) });
    const c = createConversation([], clock.now());
    const user = appendUserTurn(c, 'First question', clock.now());
    // recordSession: create() is not awaited; the recorder starts at once and the answer streams in.
    const created = store.create(c);
    const rec = store.recorder(c);
    const turn = appendAssistantTurn(c, user.id, 'm', clock.now());
    rec.turnAppended(turn);
    Object.assign(turn, { text: 'An answer.', status: 'done' });
    rec.turnFinal(turn);
    rec.turnAppended(appendUserTurn(c, 'Second question', clock.now()));
    await created;
    await rec.dispose();
    assert.deepEqual(errors, []);
    const { conversation, problems } = await new HistoryStore({ fs, dir: DIR, clock }).load(c.id);
    assert.deepEqual(problems, []);
    assert.deepEqual([...conversation.turns.values()].map((t) => (t.kind === 'user' ? t.text : `${t.status}:${t.text}`)), ['First question', 'done:An answer.', 'Second question']);
    const [summary] = await new HistoryStore({ fs, dir: DIR, clock }).list();
    assert.deepEqual([summary?.turnCount, summary?.preview], [3, 'Second question']);
  });

  it('lists conversations newest first with title, times, turn count and preview', async () => {
    const { store, clock } = newStore();
    const first = await save(store, clock, 'First question');
    const second = await save(store, clock, 'Second question\nwith   more lines');
    const list = await store.list();
    assert.deepEqual(list.map((s) => s.id), [second, first]);
    assert.deepEqual(list[0], { id: second, title: 'Second question', createdAt: 1000, updatedAt: 1000, turnCount: 2, preview: 'Second question with more lines' });
  });

  it('lists 500 conversations from the index alone, without reading a single log', async () => {
    const { store, fs, clock } = newStore();
    for (let i = 0; i < 500; i++) await save(store, clock, `Question ${i}`, 'x'.repeat(2000));
    const fresh = new HistoryStore({ fs, dir: DIR, clock });
    fs.ops.length = 0;
    const started = performance.now();
    const list = await fresh.list();
    const ms = performance.now() - started;
    assert.equal(list.length, 500);
    assert.equal(list[0]?.title, 'Question 499');
    assert.deepEqual(fs.opsOn(isLog).filter((op) => op.op === 'readFile'), []);
    console.log(`perf: list() of 500 conversations: ${ms.toFixed(1)} ms, ${fs.ops.length} fs calls`);
  });

  it('rebuilds index entries a crash or a lost index left out, reading only those logs once', async () => {
    const { store, fs, clock } = newStore();
    const a = await save(store, clock, 'Alpha');
    const b = await save(store, clock, 'Beta');
    for (const path of [...fs.files.keys()]) if (path.includes('/index.')) fs.files.delete(path);
    const fresh = new HistoryStore({ fs, dir: DIR, clock });
    assert.deepEqual((await fresh.list()).map((s) => s.title).sort(), ['Alpha', 'Beta']);
    await fresh.flush();
    fs.ops.length = 0;
    const again = new HistoryStore({ fs, dir: DIR, clock });
    assert.deepEqual(new Set((await again.list()).map((s) => s.id)), new Set([a, b]));
    assert.deepEqual(fs.opsOn(isLog).filter((op) => op.op === 'readFile'), []);
  });

  it('compacts an index full of superseded lines into a new generation with the same answer', async () => {
    const { store, fs, clock } = newStore();
    const c = createConversation([], 0);
    await store.create(c);
    const rec = store.recorder(c);
    for (let i = 0; i < 80; i++) {
      rec.turnAppended(appendUserTurn(c, `message ${i}`, clock.now()));
      clock.advance(10);
      await rec.flush(); // one index line per turn, as at a human pace
    }
    await rec.flush();
    const before = await store.list();
    const indexFiles = [...fs.files.keys()].filter((p) => p.includes('/index.'));
    assert.deepEqual(indexFiles, [`${DIR}/index.1.jsonl`]);
    assert.deepEqual(await store.list(), before);
    assert.equal(before[0]?.turnCount, 80);
    assert.equal(before[0]?.preview, 'message 79');
    // Later writes go to the new generation.
    rec.titleChanged('After compaction');
    await rec.flush();
    assert.equal((await new HistoryStore({ fs, dir: DIR, clock }).list())[0]?.title, 'After compaction');
  });

  it('merges index generations by time, so an older line read later cannot win', () => {
    const summary = { id: 'c_1', title: 'old', createdAt: 0, updatedAt: 5, turnCount: 1, preview: '' };
    const newer = encodeSummary({ ...summary, title: 'new', updatedAt: 9 });
    assert.equal(mergeIndex([newer, encodeSummary(summary)]).summaries.get('c_1')?.title, 'new');
    assert.equal(mergeIndex([newer, '{"t":"deleted","id":"c_1","at":10}\n']).summaries.size, 0);
    assert.equal(mergeIndex(['{"t":"summary","id":"../x","title":1}\n{broken']).summaries.size, 0);
  });

  it('loads a conversation with its problems and heals a stale index entry', async () => {
    const { store, fs, clock } = newStore();
    const { conversation } = await recordForkedConversation(store, clock);
    const path = `${DIR}/conversations/${conversation.id}.jsonl`;
    fs.files.set(path, `${fs.files.get(path)}{"t":"turn","turn":{"kind":"user","id":"late","parentId":"x","text":"Appended by a crash","createdAt":1}}\n{"t":"delta"`);
    await store.list();
    const { conversation: loaded, problems } = await new HistoryStore({ fs, dir: DIR, clock }).load(conversation.id);
    assert.equal(problems.length, 1);
    const { problems: again } = await store.load(conversation.id);
    assert.equal(again.length, 1);
    assert.equal((await store.list()).find((s) => s.id === conversation.id)?.turnCount, loaded.turns.size);
  });

  it('rejects missing conversations, unusable logs and ids that are not safe file names', async () => {
    const { store, fs } = newStore();
    await assert.rejects(store.load('c_missing'), (error: unknown) => error instanceof HistoryError && error.code === 'notFound');
    await fs.mkdir(`${DIR}/conversations`);
    fs.files.set(`${DIR}/conversations/c_bad.jsonl`, 'not a log\n');
    await assert.rejects(store.load('c_bad'), (error: unknown) => error instanceof HistoryError && error.code === 'unreadable');
    assert.deepEqual(await store.list(), []);
    for (const id of ['../escape', 'a/b', '', 'c_1.jsonl']) {
      await assert.rejects(store.load(id), badId);
      await assert.rejects(store.delete(id), badId);
      await assert.rejects(store.setOpen(id), badId);
    }
    const c = createConversation([], 0);
    await store.create(c);
    await assert.rejects(new HistoryStore({ fs, dir: DIR }).create(c), (error: unknown) => error instanceof HistoryError && error.code === 'alreadyExists');
  });

  it('searches titles, user messages and answers, ignoring case', async () => {
    const { store, clock } = newStore();
    const json = await save(store, clock, 'How do I parse JSON?', 'Use JSON.parse with a reviver.');
    const quoted = await save(store, clock, 'Tabs\tand "quotes" in a path C:\\dir', 'ok');
    const titled = await save(store, clock, 'Reviver functions');
    assert.deepEqual((await store.search('json')).map((s) => s.id), [json]);
    assert.deepEqual((await store.search('REVIVER')).map((s) => s.id), [titled, json]);
    assert.deepEqual((await store.search('parse with')).map((s) => s.id), [json]);
    assert.deepEqual((await store.search('"quotes" in a path c:\\')).map((s) => s.id), [quoted]);
    assert.deepEqual((await store.search('tabs\tand')).map((s) => s.id), [quoted]);
    assert.deepEqual(await store.search('nowhere'), []);
    assert.equal((await store.search('  ')).length, 3);
  });

  it('deletes a conversation: its log, its index entry, its recorder and the open pointer', async () => {
    const { store, fs, clock } = newStore();
    const keep = await save(store, clock, 'Keep');
    const c = createConversation([], 0);
    await store.create(c);
    const rec = store.recorder(c);
    rec.turnAppended(appendUserTurn(c, 'Drop me', 0));
    await store.setOpen(c.id);
    rec.delta('t_x', { text: 'pending' });
    await store.delete(c.id);
    rec.turnAppended(appendUserTurn(c, 'after delete', 0));
    await rec.flush();
    clock.advance(5000);
    await store.flush();
    assert.equal(fs.files.has(`${DIR}/conversations/${c.id}.jsonl`), false);
    assert.deepEqual((await store.list()).map((s) => s.id), [keep]);
    assert.deepEqual((await new HistoryStore({ fs, dir: DIR }).list()).map((s) => s.id), [keep]);
    assert.equal(await store.getOpen(), undefined);
  });

  it('remembers the open conversation across restarts, tolerating a torn line and restarting the file', async () => {
    const { store, fs } = newStore();
    assert.equal(await store.getOpen(), undefined);
    for (let i = 0; i < 120; i++) await store.setOpen(`c_${i % 7}`);
    assert.equal(await new HistoryStore({ fs, dir: DIR }).getOpen(), `c_${119 % 7}`);
    assert.ok((fs.files.get(`${DIR}/open.jsonl`) ?? '').split('\n').length <= 52);
    fs.files.set(`${DIR}/open.jsonl`, `${fs.files.get(`${DIR}/open.jsonl`)}{"open":"c_to`);
    assert.equal(await new HistoryStore({ fs, dir: DIR }).getOpen(), `c_${119 % 7}`);
    fs.files.set(`${DIR}/open.jsonl`, '{"open":"../../etc"}\n');
    assert.equal(await store.getOpen(), undefined);
    await store.setOpen(undefined);
    assert.equal(await store.getOpen(), undefined);
  });

  it('works without the optional stat()', async () => {
    const fs = new MemoryFs();
    const noStat = Object.assign(Object.create(fs) as MemoryFs, { stat: undefined });
    const clock = new FakeClock();
    const store = new HistoryStore({ fs: noStat, dir: DIR, clock });
    const id = await save(store, clock, 'No stat');
    assert.equal((await store.load(id)).conversation.title, 'No stat');
  });
});
