import type { Usage } from '@anthropic-ai/sdk/resources/messages';
import type { AssistantTurn, Conversation } from '../../../../src/core/chat/conversation';
import { appendAssistantTurn, appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import type { HistoryRecorder } from '../../../../src/core/history/historyRecorder';
import { HistoryStore } from '../../../../src/core/history/historyStore';
import { FakeClock, MemoryFs } from './memoryFs';

export const DIR = '/storage/history';

/** A usage record shaped exactly like the SDK's, nulls included. */
export function usage(input: number, output: number): Usage {
  return {
    input_tokens: input,
    output_tokens: output,
    cache_creation_input_tokens: 200,
    cache_read_input_tokens: 1000,
    cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 0 },
    inference_geo: null,
    server_tool_use: null,
    service_tier: 'standard',
    output_tokens_details: null,
  } as Usage;
}

export function newStore(fs = new MemoryFs(), clock = new FakeClock()): { store: HistoryStore; fs: MemoryFs; clock: FakeClock; errors: unknown[] } {
  const errors: unknown[] = [];
  const store = new HistoryStore({ fs, dir: DIR, clock, onError: (error) => errors.push(error) });
  return { store, fs, clock, errors };
}

/** Streams an answer through the recorder the way ChatSession does: deltas, then the final state. */
export function streamAnswer(recorder: HistoryRecorder, clock: FakeClock, turn: AssistantTurn, chunks: readonly string[], thinking = ''): void {
  if (thinking !== '') {
    turn.thinking += thinking;
    recorder.delta(turn.id, { thinking });
  }
  for (const chunk of chunks) {
    turn.text += chunk;
    recorder.delta(turn.id, { text: chunk });
    clock.advance(300);
  }
}

/**
 * Records a conversation with everything the format must survive: thinking, usage, an error,
 * a Retry (removed turn), a stopped answer, an edit fork, a rename, a leaf move, and a last
 * answer that is still streaming when "the window closes".
 */
export async function recordForkedConversation(store: HistoryStore, clock: FakeClock): Promise<{ conversation: Conversation; streaming: AssistantTurn }> {
  const c = createConversation(['You are helpful.', 'Project rules'], clock.now());
  await store.create(c);
  const rec = store.recorder(c);

  const u1 = appendUserTurn(c, 'Why does this fail?\n```ts\nconst x: number = "1";\n```', clock.now());
  rec.turnAppended(u1);
  const a1 = appendAssistantTurn(c, u1.id, 'claude-sonnet-5-5', clock.now());
  rec.turnAppended(a1);
  streamAnswer(rec, clock, a1, ['A string ', 'is not a ', 'number.\n\n```ts\nconst x = 1;\n```'], 'The user assigns a string…');
  Object.assign(a1, { status: 'done', stopReason: 'end_turn', thinkingSignature: 'sig==', usage: usage(12, 34) });
  rec.turnFinal(a1);

  const u2 = appendUserTurn(c, 'And with "quotes" \\ backslashes\tand unicode ✓ 😀?', clock.now());
  rec.turnAppended(u2);
  const a2 = appendAssistantTurn(c, u2.id, 'claude-sonnet-5-5', clock.now());
  rec.turnAppended(a2);
  streamAnswer(rec, clock, a2, ['Part']);
  Object.assign(a2, { status: 'error', error: { kind: 'overloaded', message: 'Overloaded', action: 'retry', retryable: true } });
  rec.turnFinal(a2);

  // Retry: the failed answer is dropped and answered again, and this time stopped.
  c.turns.delete(a2.id);
  c.leafId = u2.id;
  rec.turnRemoved(a2.id);
  const a2b = appendAssistantTurn(c, u2.id, 'claude-opus-5', clock.now());
  rec.turnAppended(a2b);
  streamAnswer(rec, clock, a2b, ['Stopped half']);
  a2b.status = 'stopped';
  rec.turnFinal(a2b);

  // Edit of the second question: a fork sharing its parent.
  c.leafId = a1.id;
  const u2e = appendUserTurn(c, 'Edited second question', clock.now());
  rec.turnAppended(u2e);
  const streaming = appendAssistantTurn(c, u2e.id, 'claude-sonnet-5-5', clock.now());
  rec.turnAppended(streaming);
  streamAnswer(rec, clock, streaming, ['Interrupted ', 'mid-answer'], 'thinking…');
  clock.advance(1000);

  // Looking at the other branch and back: explicit leaf moves.
  c.leafId = a2b.id;
  rec.leafChanged(a2b.id);
  c.leafId = streaming.id;
  rec.leafChanged(streaming.id);

  c.title = 'Renamed chat';
  rec.titleChanged(c.title);
  await rec.flush();
  return { conversation: c, streaming };
}
