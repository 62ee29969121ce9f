/**
 * The chat session against the local Anthropic-compatible server, through the real SDK over real
 * HTTP: streaming, stop, caching across turns, and every injected fault reaching the error mapping.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { costOf, findModel } from '../../../src/core/anthropic/catalog';
import { createClient } from '../../../src/core/anthropic/clientFactory';
import { describeError } from '../../../src/core/anthropic/errors';
import type { ChatSessionDeps } from '../../../src/core/chat/chatSession';
import { ChatSession } from '../../../src/core/chat/chatSession';
import { turnErrorFrom } from '../../../src/core/chat/turnError';
import type { FaultKind, TestServer } from '../../server';
import { startTestServer } from '../../server';

const MODEL = 'claude-sonnet-5-5';
let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function session(overrides: { maxRetries?: number; stallTimeoutMs?: number; system?: string[]; thinking?: { mode: 'off' | 'enabled' | 'adaptive'; budgetTokens: number } } = {}): ChatSession {
  const client = createClient({ apiKey: server.apiKey, baseURL: server.url, timeoutMs: 10_000, maxRetries: 0 });
  const deps: ChatSessionDeps = {
    getClient: async () => client,
    getOptions: () => ({ model: MODEL, maxTokens: 2048, cacheTtl: '5m', stallTimeoutMs: overrides.stallTimeoutMs ?? 10_000, maxRetries: overrides.maxRetries ?? 0, thinking: overrides.thinking }),
    describeError: (error) => {
      const friendly = describeError(error, { model: MODEL, baseURL: server.url });
      return turnErrorFrom(friendly);
    },
    price: (usage, model) => {
      const cost = costOf(usage, findModel(model) ?? findModel(MODEL)!);
      return { costUsd: cost.total, savedUsd: cost.savedByCache };
    },
    now: () => Date.now(),
  };
  return new ChatSession(deps, overrides.system ?? ['You are a test.']);
}

describe('ChatSession over the SDK and the test server', () => {
  it('streams text and thinking deltas, then records the final usage and cost', async () => {
    server.script({ thinking: 'Let me think.', text: 'Hello there, this is a streamed answer.', chunkSize: 5, chunkDelayMs: 2 });
    const chat = session();
    const deltas: string[] = [];
    let thinking = '';
    chat.onDidStreamDelta((delta) => {
      if (delta.text) deltas.push(delta.text);
      if (delta.thinking) thinking += delta.thinking;
    });
    await chat.send('Say hello');
    const answer = chat.turns().at(-1);
    assert.ok(answer && answer.kind === 'assistant');
    assert.equal(answer.status, 'done');
    assert.equal(answer.text, 'Hello there, this is a streamed answer.');
    assert.ok(deltas.length > 3, `expected several deltas, got ${deltas.length}`);
    assert.equal(deltas.join(''), answer.text);
    assert.equal(thinking, 'Let me think.');
    assert.ok(answer.thinkingSignature);
    assert.ok(answer.usage && answer.usage.output_tokens > 0);
    assert.ok(chat.totals.costUsd > 0);
  });

  it('reads the earlier turns from the cache on the next turn', async () => {
    const chat = session({ system: ['Context. '.repeat(600)] });
    await chat.send('first question');
    await chat.send('second question');
    const usage = server.records.filter((record) => record.path === '/v1/messages').map((record) => record.usage);
    assert.equal(usage.length, 2);
    assert.ok((usage[0]?.cache_creation_input_tokens ?? 0) > 0, 'turn 1 writes the prefix');
    assert.ok((usage[1]?.cache_read_input_tokens ?? 0) >= (usage[0]?.cache_creation_input_tokens ?? 0), 'turn 2 reads all of it');
    assert.ok(chat.totals.savedUsd > 0);
  });

  it('stops mid-answer at once, keeps the partial text, and can go on afterwards', async () => {
    server.script({ text: 'word '.repeat(400), chunkSize: 5, chunkDelayMs: 5 });
    const chat = session();
    let chunks = 0;
    chat.onDidStreamDelta(() => {
      if (++chunks === 5) void chat.stop();
    });
    const started = Date.now();
    await chat.send('long answer please');
    assert.ok(Date.now() - started < 2000, 'stopping does not wait for the whole answer');
    const stopped = chat.turns().at(-1);
    assert.ok(stopped && stopped.kind === 'assistant');
    assert.equal(stopped.status, 'stopped');
    assert.ok(stopped.text.length > 0 && stopped.text.length < 2000);
    server.script({ text: 'Continuing.' });
    await chat.send('go on');
    assert.equal(chat.turns().at(-1)?.text, 'Continuing.');
    const last = server.records.filter((record) => record.path === '/v1/messages').at(-1)?.body as { messages: Array<{ role: string }> };
    assert.deepEqual(last.messages.map((message) => message.role), ['user', 'assistant', 'user']);
  });

  it('aborts a stalled stream with a clear message and keeps what arrived', async () => {
    server.script({ text: 'partial answer that then stalls', chunkSize: 4 });
    server.fault({ kind: 'stall', afterChunks: 2 });
    // Long enough for a cold server's first response on a loaded machine; the rule itself is in liveness.test.ts.
    const chat = session({ stallTimeoutMs: 1500 });
    await chat.send('hello');
    const turn = chat.turns().at(-1);
    assert.ok(turn && turn.kind === 'assistant');
    assert.equal(turn.status, 'error');
    assert.equal(turn.error?.kind, 'stalled');
    assert.match(turn.error?.message ?? '', /nothing came for/);
    assert.ok(turn.text.length > 0, 'the partial answer is kept');
  });

  const faults: Array<[FaultKind, string, RegExp]> = [
    ['rate-limit', 'rateLimited', /rate|limit|again/i],
    ['overloaded', 'overloaded', /overloaded|busy/i],
    ['api-error', 'server', /server|error/i],
    ['unauthorized', 'auth', /key/i],
    ['too-large', 'tooLarge', /too (large|long)/i],
    ['reset-before-headers', 'connection', /reach|connect/i],
    ['stream-error', 'overloaded', /overloaded|busy/i],
    ['reset-mid-stream', 'connection', /connection .* was lost/i],
    ['malformed-sse', 'server', /malformed/i],
  ];
  for (const [kind, expected, message] of faults) {
    it(`maps the ${kind} fault to a ${expected} message`, async () => {
      server.script({ text: 'some text that arrives in chunks', chunkSize: 4 });
      server.fault({ kind, afterChunks: 2 });
      const chat = session();
      await chat.send('hello');
      const turn = chat.turns().at(-1);
      assert.ok(turn && turn.kind === 'assistant');
      assert.equal(turn.status, 'error');
      assert.equal(turn.error?.kind, expected, turn.error?.message);
      assert.match(turn.error?.message ?? '', message);
      assert.doesNotMatch(turn.error?.message ?? '', /\n\s+at /, 'no stack trace');
      assert.doesNotMatch(turn.error?.message ?? '', new RegExp(server.apiKey));
    });
  }

  it('retries a 429 after the retry-after delay with a visible countdown, then succeeds', async () => {
    server.script({ text: 'after the wait' });
    server.fault({ kind: 'rate-limit', retryAfterSeconds: 0.3 });
    const chat = session({ maxRetries: 2 });
    const countdowns: number[] = [];
    chat.onDidUpdateTurn((turn) => {
      if (turn.error?.retryAt !== undefined) countdowns.push(turn.error.retryAt);
    });
    const started = Date.now();
    await chat.send('hello');
    assert.equal(chat.turns().at(-1)?.text, 'after the wait');
    assert.equal(countdowns.length, 1, 'one countdown was shown');
    assert.ok((countdowns[0] ?? 0) - started >= 250, 'the countdown ends when retry-after says');
    assert.ok(Date.now() - started >= 250, 'waited for retry-after');
    assert.equal(server.messageRequests().length, 2);
  });

  it('stops during a retry countdown at once', async () => {
    server.fault({ kind: 'overloaded', times: 'always' });
    const chat = session({ maxRetries: 3 });
    chat.onDidUpdateTurn((turn) => {
      if (turn.error?.retryAt !== undefined) void chat.stop();
    });
    await chat.send('hello');
    const last = chat.turns().at(-1);
    assert.equal(last?.kind === 'assistant' ? last.status : undefined, 'stopped');
    assert.equal(server.messageRequests().length, 1);
    server.clearFaults();
  });

  it('edits an earlier message into a new branch and keeps the old one reachable', async () => {
    const chat = session();
    server.script({ text: 'answer one' }, { text: 'answer two' }, { text: 'answer to the edit' });
    await chat.send('first');
    await chat.send('second');
    const firstUser = chat.turns()[0];
    assert.ok(firstUser);
    await chat.edit(firstUser.id, 'first, edited');
    assert.deepEqual(chat.turns().map((turn) => turn.text), ['first, edited', 'answer to the edit']);
    const body = server.messageRequests().at(-1)?.body as { messages: Array<{ content: Array<{ text: string }> }> };
    assert.deepEqual(body.messages.map((message) => message.content.map((block) => block.text).join('')), ['first, edited']);
    const edited = chat.turns()[0];
    assert.ok(edited);
    chat.switchBranch(edited.id, -1);
    assert.deepEqual(chat.turns().map((turn) => turn.text), ['first', 'answer one', 'second', 'answer two']);
    chat.switchBranch(chat.turns()[0]!.id, 1);
    assert.deepEqual(chat.turns().map((turn) => turn.text), ['first, edited', 'answer to the edit']);
  });

  it('continues an answer cut off by max_tokens in the same turn', async () => {
    const chat = session();
    server.script({ text: 'The first half', stopReason: 'max_tokens' }, { text: ' and the second half.' });
    await chat.send('tell me');
    const cut = chat.turns().at(-1);
    assert.ok(cut && cut.kind === 'assistant');
    assert.equal(cut.stopReason, 'max_tokens');
    await chat.continueAnswer(cut.id);
    assert.equal(chat.turns().length, 2, 'no new turn');
    assert.equal(chat.turns().at(-1)?.text, 'The first half and the second half.');
    const body = server.messageRequests().at(-1)?.body as { messages: Array<{ role: string; content: Array<{ text: string }> }> };
    assert.deepEqual(body.messages.at(-1), { role: 'assistant', content: [{ type: 'text', text: 'The first half' }] });
    assert.ok(chat.totals.costUsd > 0);
  });

  it('continues an answer a dropped connection cut short: one answer, no text repeated, the partial sent as its start', async () => {
    const chat = session({ maxRetries: 2 });
    server.script({ text: 'Alpha beta gamma delta epsilon zeta', chunkSize: 6 }, { text: ' eta theta.' });
    server.fault({ kind: 'reset-mid-stream', afterChunks: 2 });
    await chat.send('list some letters');
    const cut = chat.turns().at(-1);
    assert.ok(cut && cut.kind === 'assistant');
    assert.equal(cut.status, 'error');
    assert.equal(server.messageRequests().length, 1, 'text had arrived: no automatic retry');
    assert.match(cut.error?.message ?? '', /was lost before the answer finished\. The partial answer is kept: Continue picks up where it stopped; Retry starts the answer over\.$/);
    const partial = cut.text;
    assert.ok(partial.length > 0 && 'Alpha beta gamma delta epsilon zeta'.startsWith(partial), partial);
    await chat.continueAnswer(cut.id);
    assert.equal(chat.turns().length, 2, 'no new turn');
    const resumed = chat.turns().at(-1);
    assert.equal(resumed?.kind === 'assistant' ? resumed.status : undefined, 'done');
    assert.equal(resumed?.text, `${partial.trimEnd()} eta theta.`);
    const body = server.messageRequests().at(-1)?.body as { messages: Array<{ role: string; content: Array<{ text: string }> }> };
    assert.deepEqual(body.messages.at(-1), { role: 'assistant', content: [{ type: 'text', text: partial.trimEnd() }] });
  });

  it('carries a too-long conversation over into a fresh one, from a summary or from its newest turns', async () => {
    const chat = session();
    server.script({ text: 'answer one' }, { text: 'answer two' }, { text: '- goal: X\n- decided: Y' });
    await chat.send('question one');
    await chat.send('question two');
    const oldId = chat.current.id;
    const oldSystem = [...chat.current.system];
    const summary = await chat.summarize(100_000, 'Summarize please.');
    assert.equal(summary, '- goal: X\n- decided: Y');
    const summaryRequest = server.messageRequests().at(-1)?.body as { stream?: boolean; messages: Array<{ content: Array<{ text: string }> }> };
    // Streamed, though shown whole: the stall timer and Stop apply to it as to any answer.
    assert.equal(summaryRequest.stream, true);
    assert.equal(summaryRequest.messages.at(-1)?.content.at(-1)?.text, 'Summarize please.');
    await chat.carryOver([], `Summary:\n${summary}`);
    assert.notEqual(chat.current.id, oldId);
    assert.deepEqual(chat.current.system, [...oldSystem, 'Summary:\n- goal: X\n- decided: Y']);
    assert.equal(chat.turns().length, 0);

    const keep = session();
    server.script({ text: 'a1' }, { text: 'a2' });
    await keep.send('q1');
    await keep.send('q2');
    await keep.carryOver(keep.turns().slice(2));
    assert.deepEqual(keep.turns().map((turn) => turn.text), ['q2', 'a2']);
    assert.equal(keep.turns()[0]?.parentId, undefined);
    server.script({ text: 'a3' });
    await keep.send('q3');
    const body = server.messageRequests().at(-1)?.body as { messages: Array<{ content: Array<{ text: string }> }> };
    assert.deepEqual(body.messages.map((message) => message.content.map((block) => block.text).join('')), ['q2', 'a2', 'q3']);
  });
});
