import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendAssistantTurn, appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import { HistoryStore } from '../../../../src/core/history/historyStore';
import { DIR, newStore } from './fixtures';

const ids = async (store: HistoryStore, query: string): Promise<string[]> => (await store.search(query)).map((s) => s.id);

describe('History search over answers, with its index', () => {
  it('matches a final answer, a deltas-only answer (a crash), and not thinking or attached files', async () => {
    const { store, fs, clock } = newStore();
    const c = createConversation(['system words: sysonly'], clock.now());
    await store.create(c);
    const rec = store.recorder(c);
    const user = appendUserTurn(c, 'Question', clock.now());
    Object.assign(user, { context: [{ label: 'a.ts', text: 'attachedonly' }] });
    rec.turnAppended(user);
    const answer = appendAssistantTurn(c, user.id, 'm', clock.now());
    rec.turnAppended(answer);
    Object.assign(answer, { text: 'The Finalword answer', thinking: 'thinkonly', status: 'done' });
    rec.turnFinal(answer);
    await rec.dispose();
    assert.deepEqual(await ids(store, 'finalw'), [c.id], 'a partial word of a final answer');
    assert.deepEqual(await ids(store, 'the finalword'), [c.id], 'several words');
    for (const hidden of ['thinkonly', 'attachedonly', 'sysonly']) assert.deepEqual(await ids(store, hidden), [], hidden);
    // A log cut off mid-answer: only a delta carries the answer's text.
    const crashed = 'c_crashed';
    const log = [
      { v: 1, t: 'conversation', id: crashed, title: 'Crashed', createdAt: 0, system: [] },
      { t: 'turn', turn: { kind: 'user', id: 'u1', text: 'q', createdAt: 0 } },
      { t: 'turn', turn: { kind: 'assistant', id: 'a1', parentId: 'u1', model: 'm', text: '', thinking: '', status: 'streaming', createdAt: 0 } },
      { t: 'delta', id: 'a1', text: 'streamed deltaonly words' },
    ].map((r) => JSON.stringify(r)).join('\n') + '\n{"t":"delta","id":"a1","te';
    fs.files.set(`${DIR}/conversations/${crashed}.jsonl`, log);
    assert.deepEqual(await ids(store, 'deltaonl'), [crashed]);
    assert.deepEqual(await ids(store, 'streamed delta'), [crashed]);
  });

  it('keeps up with appends: streamed text, a final that replaces it, and a removed answer', async () => {
    const { store, clock } = newStore();
    const c = createConversation([], clock.now());
    await store.create(c);
    assert.deepEqual(await ids(store, 'anything'), [], 'the entry exists before the recording');
    const rec = store.recorder(c);
    const user = appendUserTurn(c, 'Question', clock.now());
    rec.turnAppended(user);
    const failed = appendAssistantTurn(c, user.id, 'm', clock.now());
    rec.turnAppended(failed);
    rec.delta(failed.id, { text: 'draftword ' });
    await rec.flush();
    await store.flush();
    assert.deepEqual(await ids(store, 'draftw'), [c.id], 'streamed text is searchable');
    Object.assign(failed, { text: 'brokenword', status: 'error' });
    rec.turnFinal(failed);
    await store.flush();
    assert.deepEqual(await ids(store, 'draftword'), [], 'the final replaced the deltas');
    assert.deepEqual(await ids(store, 'brokenword'), [c.id]);
    c.turns.delete(failed.id);
    rec.turnRemoved(failed.id);
    const retried = appendAssistantTurn(c, user.id, 'm', clock.now());
    rec.turnAppended(retried);
    Object.assign(retried, { text: 'retriedword', status: 'done' });
    rec.turnFinal(retried);
    await rec.dispose();
    await store.flush();
    assert.deepEqual(await ids(store, 'brokenword'), [], 'a removed answer no longer matches');
    assert.deepEqual(await ids(store, 'retriedword'), [c.id]);
  });

  it('reads a log again when another window changed it', async () => {
    const { store, fs, clock } = newStore();
    const c = createConversation([], clock.now());
    await store.create(c);
    const rec = store.recorder(c);
    const user = appendUserTurn(c, 'Question', clock.now());
    rec.turnAppended(user);
    await rec.dispose();
    assert.deepEqual(await ids(store, 'otherwindow'), []);
    // Another window (another store on the same folder) answers in the same log.
    const other = new HistoryStore({ fs, dir: DIR, clock });
    const loaded = (await other.load(c.id)).conversation;
    const rec2 = other.recorder(loaded);
    const answer = appendAssistantTurn(loaded, user.id, 'm', clock.now());
    rec2.turnAppended(answer);
    Object.assign(answer, { text: 'otherwindow answer', status: 'done' });
    rec2.turnFinal(answer);
    await rec2.dispose();
    await other.flush();
    other.dispose();
    assert.deepEqual(await ids(store, 'otherwindow'), [c.id]);
  });
});
