import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendAssistantTurn, appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import { buildRequest } from '../../../../src/core/chat/requestBuilder';
import { ContextSet, createContextItem } from '../../../../src/core/context';
import { newStore } from '../history/fixtures';

describe('context in the history', () => {
  it('a conversation with context, saved and loaded, builds a byte-identical request', async () => {
    const { store, clock } = newStore();
    const set = new ContextSet();
    set.add(createContextItem({ kind: 'file', path: 'src/a.ts', languageId: 'typescript', content: 'export const a = 1;\n' }));
    set.add(createContextItem({ kind: 'selection', path: 'src/b.py', languageId: 'python', range: { startLine: 2, endLine: 3 }, content: 'x = 1\ny = "```"\n' }));
    const conversation = createConversation(['sys'], clock.now());
    await store.create(conversation);
    const recorder = store.recorder(conversation);
    const ask = (text: string): void => {
      const user = appendUserTurn(conversation, text, clock.now(), set.takeBlocks());
      recorder.turnAppended(user);
      const answer = appendAssistantTurn(conversation, user.id, 'm', clock.now());
      recorder.turnAppended(answer);
      Object.assign(answer, { text: `Answer to ${text}`, status: 'done' });
      recorder.turnFinal(answer);
    };
    ask('What do these do?');
    set.updateContent('file:src/a.ts', 'export const a = 2;\n');
    ask('And now?');
    await recorder.dispose();

    const { conversation: loaded, problems } = await store.load(conversation.id);
    assert.deepEqual(problems, []);
    const options = { model: 'm', maxTokens: 10, cacheTtl: '5m' } as const;
    assert.equal(JSON.stringify(buildRequest(loaded, options)), JSON.stringify(buildRequest(conversation, options)));
    const turns = [...loaded.turns.values()].filter((turn) => turn.kind === 'user');
    assert.deepEqual(turns.map((turn) => turn.kind === 'user' && turn.context?.map((block) => block.label)), [['src/a.ts', 'src/b.py:2-3'], ['src/a.ts (updated)']]);
  });
});
