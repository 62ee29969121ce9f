import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AssistantTurn, Conversation } from '../../../../src/core/chat/conversation';
import { activePath } from '../../../../src/core/chat/conversation';
import { replay, replayText, snapshotLines } from '../../../../src/core/history/historyLog';
import { DIR, newStore, recordForkedConversation, usage } from './fixtures';

const logOf = (fs: { files: Map<string, string> }, id: string): string => fs.files.get(`${DIR}/conversations/${id}.jsonl`) ?? '';

/** A deep copy with the streaming answer marked as a restart would see it. */
function expectedAfterRestart(conversation: Conversation, streaming: AssistantTurn): Conversation {
  const copy = structuredClone(conversation);
  const turn = copy.turns.get(streaming.id);
  assert.ok(turn?.kind === 'assistant');
  turn.status = 'interrupted';
  return copy;
}

describe('historyLog replay', () => {
  it('round-trips a forked conversation with thinking, usage, an error, a retry, a stop and an interruption', async () => {
    const { store, fs, clock } = newStore();
    const { conversation, streaming } = await recordForkedConversation(store, clock);
    const { conversation: loaded, problems } = replayText(logOf(fs, conversation.id));
    assert.deepEqual(problems, []);
    assert.ok(loaded);
    assert.deepEqual(loaded, expectedAfterRestart(conversation, streaming));
    // deepEqual ignores Map order; the order turns were added must survive too.
    assert.deepEqual([...loaded.turns.keys()], [...conversation.turns.keys()]);
    assert.equal(loaded.leafId, streaming.id);
    assert.equal(loaded.title, 'Renamed chat');
    const restored = loaded.turns.get(streaming.id) as AssistantTurn;
    assert.equal(restored.text, 'Interrupted mid-answer');
    assert.equal(restored.thinking, 'thinking…');
    assert.deepEqual(activePath(loaded).map((t) => t.id), activePath(conversation).map((t) => t.id));
  });

  it('a snapshot of a conversation replays to the same conversation', async () => {
    const { store, clock } = newStore();
    const { conversation, streaming } = await recordForkedConversation(store, clock);
    conversation.leafId = [...conversation.turns.keys()][1];
    streaming.status = 'done';
    const { conversation: loaded, problems } = replayText(snapshotLines(conversation));
    assert.deepEqual(problems, []);
    assert.deepEqual(loaded, conversation);
    assert.deepEqual([...(loaded?.turns.keys() ?? [])], [...conversation.turns.keys()]);
  });

  it('a crash after checkpoints restores the streamed text as an interrupted answer', () => {
    const lines = [
      '{"v":1,"t":"conversation","id":"c_1","title":"T","createdAt":1,"system":[]}',
      '{"t":"turn","turn":{"kind":"user","id":"u1","text":"q","createdAt":2}}',
      '{"t":"turn","turn":{"kind":"assistant","id":"a1","parentId":"u1","model":"m","text":"","thinking":"","status":"streaming","createdAt":3}}',
      '{"t":"delta","id":"a1","thinking":"hmm"}',
      '{"t":"delta","id":"a1","text":"Hello, "}',
      '{"t":"delta","id":"a1","text":"world"}',
    ];
    const { conversation, problems } = replay(lines);
    assert.deepEqual(problems, []);
    const answer = conversation?.turns.get('a1');
    assert.deepEqual(answer && { ...answer }, { kind: 'assistant', id: 'a1', parentId: 'u1', model: 'm', text: 'Hello, world', thinking: 'hmm', status: 'interrupted', createdAt: 3 });
    assert.equal(conversation?.leafId, 'a1');
  });

  it('skips and reports a half-written last line, keeping everything before it', () => {
    const text = [
      '{"v":1,"t":"conversation","id":"c_1","title":"T","createdAt":1,"system":["s"]}',
      '{"t":"turn","turn":{"kind":"user","id":"u1","text":"q","createdAt":2}}',
      '{"t":"turn","turn":{"kind":"assistant","id":"a1","parentId":"u1","model":"m","text":"","thinking":"","status":"streaming","createdAt":3}}',
      '{"t":"delta","id":"a1","text":"kept"}',
      '{"t":"delta","id":"a1","text":"lo',
    ].join('\n');
    const { conversation, problems } = replayText(text);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.line, 5);
    assert.match(problems[0]?.message ?? '', /incomplete/);
    const answer = conversation?.turns.get('a1') as AssistantTurn;
    assert.equal(answer.text, 'kept');
    assert.equal(answer.status, 'interrupted');
  });

  it('validates every record as untrusted input and never throws', () => {
    const header = '{"v":1,"t":"conversation","id":"c_1","title":"T","createdAt":1,"system":[]}';
    const user = '{"t":"turn","turn":{"kind":"user","id":"u1","text":"q","createdAt":2,"extra":"dropped"}}';
    const answer = (fields: string): string =>
      `{"t":"turn","turn":{"kind":"assistant","id":"a1","parentId":"u1","model":"m","text":"","thinking":"","status":"streaming","createdAt":3${fields}}}`;
    const hostile = [
      '[]', '42', 'null', '"text"', '{"t":7}', '{not json', '',
      '{"t":"turn","turn":{"kind":"user","id":5,"text":"q","createdAt":2}}',
      '{"t":"turn","turn":{"kind":"admin","id":"x","text":"q","createdAt":2}}',
      answer(',"status":"pwned"').replace('"status":"streaming",', ''),
      answer(',"usage":{"input_tokens":"10","output_tokens":1}'),
      answer(',"error":{"kind":"x","message":"m","retryable":"yes"}'),
      answer(',"usage":{"input_tokens":1,"output_tokens":1,"__proto__":{"polluted":true},"cache_creation":{"__proto__":{"polluted":true}}}'),
      user,
      '{"t":"delta","id":"nope","text":"x"}',
      '{"t":"delta","id":"u1","text":"x"}',
      '{"t":"delta","id":"a1","text":5}',
      '{"t":"final","turn":{"kind":"user","id":"u1","text":"q","createdAt":2}}',
      '{"t":"leaf","id":"missing"}',
      '{"t":"title","title":7}',
      '{"t":"removed","id":"ghost"}',
      '{"t":"conversation","v":1,"id":"c_2","title":"x","createdAt":1,"system":[]}',
      '{"t":"reaction","id":"a1","emoji":"👍"}',
      '{"__proto__":{"polluted":true},"t":"title","title":"Safe"}',
    ];
    const { conversation, problems } = replay([header, user, ...hostile]);
    assert.ok(conversation);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(conversation.title, 'Safe');
    const turn = conversation.turns.get('a1');
    assert.ok(turn?.kind === 'assistant');
    assert.deepEqual({ ...turn.usage }, { input_tokens: 1, output_tokens: 1, cache_creation: {} });
    assert.equal(Object.getPrototypeOf(turn.usage), Object.prototype);
    assert.deepEqual(Object.keys(conversation.turns.get('u1') ?? {}), ['kind', 'id', 'text', 'createdAt']);
    // Every hostile line except the blank one, the valid answer and the safe title is reported once.
    assert.equal(problems.length, hostile.length - 3);
    assert.ok(problems.some((p) => /does not know/.test(p.message) && p.line === 25));
    assert.ok(problems.every((p) => typeof p.message === 'string' && p.line > 2));
  });

  it('rejects an unusable first line (including a path-like id) without throwing', () => {
    for (const header of ['garbage', '{"v":1,"t":"conversation","id":"../../etc/passwd","title":"T","createdAt":1,"system":[]}', '{"v":0,"t":"conversation","id":"c","title":"T","createdAt":1,"system":[]}']) {
      const { conversation, problems } = replay([header, '{"t":"title","title":"x"}']);
      assert.equal(conversation, undefined);
      assert.equal(problems.length >= 1, true);
    }
    assert.equal(replayText('').conversation, undefined);
  });

  it('reads a log from a newer version, skipping what it does not know', () => {
    const { conversation, problems } = replay([
      '{"v":2,"t":"conversation","id":"c_1","title":"T","createdAt":1,"system":[],"tags":["x"]}',
      '{"t":"turn","turn":{"kind":"user","id":"u1","text":"q","createdAt":2}}',
      '{"t":"attachment","id":"u1","file":"a.png"}',
    ]);
    assert.equal(conversation?.turns.size, 1);
    assert.equal(problems.length, 2);
  });

  it('a final record replaces what the checkpoints built', () => {
    const finalTurn = { kind: 'assistant', id: 'a1', parentId: 'u1', model: 'm', text: 'Final', thinking: '', status: 'done', createdAt: 3, usage: usage(1, 2) };
    const { conversation } = replay([
      '{"v":1,"t":"conversation","id":"c_1","title":"T","createdAt":1,"system":[]}',
      '{"t":"turn","turn":{"kind":"user","id":"u1","text":"q","createdAt":2}}',
      '{"t":"turn","turn":{"kind":"assistant","id":"a1","parentId":"u1","model":"m","text":"","thinking":"","status":"streaming","createdAt":3}}',
      '{"t":"delta","id":"a1","text":"Fi"}',
      JSON.stringify({ t: 'final', turn: finalTurn }),
      '{"t":"delta","id":"a1","text":"late"}',
    ]);
    assert.deepEqual(conversation?.turns.get('a1'), finalTurn);
  });
});
