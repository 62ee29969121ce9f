import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendAssistantTurn, appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import { exportMarkdown } from '../../../../src/core/history/markdownExport';
import { newStore, recordForkedConversation, usage } from './fixtures';

describe('exportMarkdown', () => {
  it('exports the active branch with roles, thinking in <details>, code as is, and usage with cost', () => {
    const c = createConversation([], Date.UTC(2025, 0, 2, 13, 45, 7));
    c.title = 'Parsing\nJSON';
    const question = appendUserTurn(c, 'Why?\n```ts\nconst x: number = "1";\n```', 0);
    const answer = appendAssistantTurn(c, question.id, 'claude-sonnet-5-5', 0);
    Object.assign(answer, { text: 'Because.\n\n```ts\nconst x = 1;\n```', thinking: 'Tricky </details> here', status: 'done', usage: usage(12, 34) });
    const markdown = exportMarkdown(c, { price: (_usage, model) => ({ costUsd: model === 'claude-sonnet-5-5' ? 0.01234 : 0 }) });
    assert.equal(
      markdown,
      [
        '# Parsing JSON',
        '- Date: 2025-01-02 13:45:07Z\n- Model: `claude-sonnet-5-5`',
        '## You',
        'Why?\n```ts\nconst x: number = "1";\n```',
        '## Claude',
        '<details>\n<summary>Thinking</summary>\n\nTricky &lt;/details> here\n\n</details>',
        'Because.\n\n```ts\nconst x = 1;\n```',
        '<sub>Tokens: 12 in, 34 out, 1000 read from cache, 200 written to cache; cost $0.0123</sub>',
      ].join('\n\n') + '\n',
    );
  });

  it('marks stopped, failed and interrupted answers and leaves out other branches', async () => {
    const { store, clock } = newStore();
    const { conversation } = await recordForkedConversation(store, clock);
    const loaded = (await store.load(conversation.id)).conversation;
    const markdown = store.exportMarkdown(loaded);
    assert.match(markdown, /^# Renamed chat\n/);
    assert.match(markdown, /\*Interrupted: the window closed while this answer was streaming\.\*/);
    assert.ok(!markdown.includes('quotes'), 'the edited-away question is on another branch');
    assert.equal(markdown.match(/^## You$/gm)?.length, 2);
    assert.match(markdown, /Tokens: 12 in, 34 out/);
    loaded.leafId = [...loaded.turns.values()].find((t) => t.kind === 'assistant' && t.status === 'stopped')?.id;
    assert.match(store.exportMarkdown(loaded), /\*Stopped before the answer was complete\.\*/);
    assert.match(store.exportMarkdown(loaded), /- Model: `claude-sonnet-5-5`, `claude-opus-5`/);
  });
});
