import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Usage } from '@anthropic-ai/sdk/resources/messages';
import type { AssistantTurn, TurnStep } from '../../../../src/core/chat/conversation';
import { appendAssistantTurn, appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import { exportMarkdown } from '../../../../src/core/history/markdownExport';
import { unknownPrice, type Price } from '../../../../src/core/anthropic/price';
import { newStore, recordForkedConversation, usage } from './fixtures';

describe('exportMarkdown', () => {
  it('exports the active branch with roles, thinking in <details>, code as is, and usage with cost', () => {
    const c = createConversation([], Date.UTC(2025, 0, 2, 13, 45, 7));
    c.title = 'Parsing\nJSON';
    const question = appendUserTurn(c, 'Why?\n```ts\nconst x: number = "1";\n```', 0);
    const answer = appendAssistantTurn(c, question.id, 'claude-sonnet-5-5', 0);
    Object.assign(answer, { text: 'Because.\n\n```ts\nconst x = 1;\n```', thinking: 'Tricky </details> here', status: 'done', usage: usage(12, 34) });
    const markdown = exportMarkdown(c, { price: (_usage, model) => ({ costUsd: model === 'claude-sonnet-5-5' ? 0.01234 : 0, savedUsd: 0 }) });
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

  describe('a recipe turn', () => {
    /** A conversation of one recipe run: the user turn, then an answer with these steps. */
    function recipeExport(steps: readonly TurnStep[], text = 'Validate `sku` first.'): string {
      const c = createConversation([], 0);
      c.title = 'Recipe';
      const question = appendUserTurn(c, 'Recipe: Multi-persona analysis on src/a.py:1-4', 0);
      const answer: AssistantTurn = appendAssistantTurn(c, question.id, 'claude-sonnet-5-5', 0);
      const total = steps.reduce((sum, step) => sum + (step.usage?.input_tokens ?? 0), 0);
      Object.assign(answer, { text, status: 'done', usage: usage(total, 0), recipe: { name: 'Multi-persona analysis', steps } });
      // A fixed fee per request makes pricing the steps one by one differ from pricing their sum.
      const price = (u: Usage): Price => ({ costUsd: 0.01 + u.input_tokens / 1000, savedUsd: 0 });
      return exportMarkdown(c, { price });
    }

    it('shows each step collapsed under the title the chat gives it, with its own usage, before the answer', () => {
      const markdown = recipeExport([
        { title: 'Security reviewer', status: 'done', text: 'Unknown **SKU** raises.', usage: usage(100, 10) },
        { title: 'Synthesis', status: 'done', text: '### Agreement\n```py\nvalidate(sku)\n```', usage: usage(300, 20) },
      ]);
      const answer = markdown.slice(markdown.indexOf('## Claude'));
      assert.equal(
        answer,
        [
          '## Claude',
          '*Multi-persona analysis: 2 steps*',
          '<details>\n<summary>Security reviewer</summary>\n\nUnknown **SKU** raises.\n\n' +
            '<sub>Tokens: 100 in, 10 out, 1000 read from cache, 200 written to cache; cost $0.1100</sub>\n\n</details>',
          '<details>\n<summary>Synthesis</summary>\n\n### Agreement\n```py\nvalidate(sku)\n```\n\n' +
            '<sub>Tokens: 300 in, 20 out, 1000 read from cache, 200 written to cache; cost $0.3100</sub>\n\n</details>',
          'Validate `sku` first.',
          // The total is the steps' costs added up (0.11 + 0.31), not the sum of tokens priced at once (0.41).
          '<sub>Tokens: 400 in, 0 out, 1000 read from cache, 200 written to cache; cost $0.4200</sub>',
        ].join('\n\n') + '\n',
      );
    });

    it('marks failed and unfinished steps and keeps every step inside its own <details>', () => {
      const markdown = recipeExport(
        [
          { title: 'Subtask 1: check <T> & friends', status: 'done', text: 'Ends </details> early?\n\n```ts\nconst cut = [', usage: usage(50, 2048) },
          { title: 'Subtask 2:\nnull checks', status: 'error', text: '', error: 'Overloaded.\nTry again.' },
          { title: 'Synthesis', status: 'running', text: '' },
        ],
        '',
      );
      assert.match(markdown, /<summary>Subtask 1: check &lt;T&gt; &amp; friends<\/summary>/);
      assert.match(markdown, /Ends &lt;\/details> early\?/);
      // The answer was cut off inside a code block: the fence is closed before </details>.
      assert.match(markdown, /const cut = \[\n```\n\n<sub>Tokens: 50 in, 2048 out/);
      assert.match(markdown, /<details>\n<summary>Subtask 2: null checks \(failed\)<\/summary>\n\n> Error: Overloaded\.\n> Try again\.\n\n<\/details>/);
      assert.match(markdown, /<details>\n<summary>Synthesis \(did not finish\)<\/summary>\n\n<\/details>/);
      assert.equal(markdown.match(/<details>/g)?.length, 3);
      assert.equal(markdown.match(/<\/details>/g)?.length, 3);
    });

    it('leaves out the recipe heading for a turn without steps', () => {
      assert.doesNotMatch(recipeExport([]), /Multi-persona analysis: 0 steps|<details>/);
    });
  });

  describe('a model with no known price', () => {
    const known = 'claude-sonnet-5-5';
    const price = (_u: Usage, model: string): Price => (model === known ? { costUsd: 0.25, savedUsd: 0 } : unknownPrice(model));

    it('says the cost is unknown and names the model instead of exporting $0', () => {
      const c = createConversation([], 0);
      const question = appendUserTurn(c, 'Hi', 0);
      const answer = appendAssistantTurn(c, question.id, 'us.anthropic.claude-sonnet-4-6', 0);
      Object.assign(answer, { text: 'Hello.', status: 'done', usage: usage(12, 34) });
      const markdown = exportMarkdown(c, { price });
      assert.match(markdown, /; cost unknown: no price for us\\\.anthropic\\\.claude\\-sonnet\\-4\\-6<\/sub>/);
      assert.doesNotMatch(markdown, /\$0\.0000/);
    });

    it('calls a recipe total with an unpriced step partial, a lower bound', () => {
      const c = createConversation([], 0);
      const question = appendUserTurn(c, 'Recipe', 0);
      const answer = appendAssistantTurn(c, question.id, known, 0);
      const steps: TurnStep[] = [
        { title: 'A', status: 'done', text: 'a', usage: usage(10, 1) },
        { title: 'B', status: 'done', text: 'b', usage: usage(10, 1), model: 'gateway-alias' },
      ];
      Object.assign(answer, { text: 'Done.', status: 'done', usage: usage(20, 2), recipe: { name: 'R', steps } });
      const markdown = exportMarkdown(c, { price });
      assert.match(markdown, /; cost \$0\.2500<\/sub>\n\n<\/details>/);
      assert.match(markdown, /; cost unknown: no price for gateway\\-alias<\/sub>/);
      assert.match(markdown, /Done\.\n\n<sub>[^<]*; cost at least \$0\.2500: no price for gateway\\-alias<\/sub>/);
    });
  });
});
