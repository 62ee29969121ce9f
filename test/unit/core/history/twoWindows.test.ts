/** History shared by two windows: each has its own open conversation, and one log is never written by both. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import type { Conversation } from '../../../../src/core/chat/conversation';
import type { HistoryRecorder } from '../../../../src/core/history/historyRecorder';
import { replayText } from '../../../../src/core/history/historyLog';
import { HistoryError, HistoryStore } from '../../../../src/core/history/historyStore';
import { memoryLockFs } from '../../../../src/core/util/fileLock';
import { FakeClock, MemoryFs } from './memoryFs';

const DIR = '/global/history';

/** Two windows over one history folder: shared files and lock files, each with its own pid and open folder. */
function twoWindows(): { fs: MemoryFs; a: HistoryStore; b: HistoryStore; errors: HistoryError[] } {
  const fs = new MemoryFs();
  const locks = memoryLockFs({ pid: 1, host: 'h' });
  const errors: HistoryError[] = [];
  const window = (pid: number): HistoryStore =>
    new HistoryStore({ fs, dir: DIR, openDir: `/workspace${pid}/history`, lockFs: { ...locks, self: { pid, host: 'h' } }, clock: new FakeClock(), onError: (e) => errors.push(e) });
  return { fs, a: window(1), b: window(2), errors };
}

/** Two windows where A has created a conversation and written its first turn, 'from A'. */
async function aWroteFirstTurn(): Promise<ReturnType<typeof twoWindows> & { c: Conversation; recA: HistoryRecorder }> {
  const windows = twoWindows();
  const c = createConversation([], 0);
  await windows.a.create(c);
  const recA = windows.a.recorder(c);
  recA.turnAppended(appendUserTurn(c, 'from A', 1));
  await recA.flush();
  return { ...windows, c, recA };
}

const logOf = (fs: MemoryFs, id: string): string => fs.files.get(`${DIR}/conversations/${id}.jsonl`) ?? '';

describe('history in two windows', () => {
  it('each window restores its own open conversation', async () => {
    const { a, b } = twoWindows();
    await a.setOpen('c_a');
    await b.setOpen('c_b');
    assert.equal(await a.getOpen(), 'c_a');
    assert.equal(await b.getOpen(), 'c_b');
  });

  it('a conversation open in one window opens as a copy in the other; neither writes the other log', async () => {
    const { fs, b, errors, c, recA } = await aWroteFirstTurn();

    const opened = await b.loadToOpen(c.id);
    assert.equal(opened.copied, true);
    assert.notEqual(opened.conversation.id, c.id);
    assert.match(opened.conversation.title, /\(copy\)$/);
    const copy = opened.conversation;
    await b.create(copy);
    const recB = b.recorder(copy);
    recB.turnAppended(appendUserTurn(copy, 'from B', 2));
    await recB.flush();
    recA.turnAppended(appendUserTurn(c, 'A again', 3));
    await recA.flush();

    const texts = (id: string): string[] => [...(replayText(logOf(fs, id)).conversation?.turns.values() ?? [])].map((t) => (t.kind === 'user' ? t.text : ''));
    assert.deepEqual(texts(c.id), ['from A', 'A again']);
    assert.deepEqual(texts(copy.id), ['from A', 'from B']);
    assert.deepEqual(errors, []);
  });

  it("a window that writes to a log another window holds is refused and says so; the log stays A's", async () => {
    const { fs, b, errors, c, recA } = await aWroteFirstTurn();
    const before = logOf(fs, c.id);
    const { conversation } = await b.load(c.id);
    const recB = b.recorder(conversation);
    recB.turnAppended(appendUserTurn(conversation, 'from B', 2));
    await recB.flush();
    assert.equal(logOf(fs, c.id), before);
    assert.deepEqual(errors.map((e) => e.code), ['inUse']);
    await assert.rejects(b.delete(c.id), (error: unknown) => error instanceof HistoryError && error.code === 'inUse');
    assert.equal(logOf(fs, c.id), before);
    // Once A lets go (switched away, window closed), B may take it.
    await recA.dispose();
    assert.equal((await b.loadToOpen(c.id)).copied, false);
  });
});
