import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { escapeMarkdown } from '../../../src/core/util/markdown';
import { tooltipMarkdown } from '../../../src/status/tokenState';
import { tokenStrings } from '../../../src/status/strings';

const SPOOF = '[x](command:workbench.action.quit)';
const md = new MarkdownIt({ html: false, linkify: true });

/** Every href a Markdown renderer would make of the text. */
function links(markdown: string): string[] {
  return [...md.render(markdown).matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
}

describe('Markdown tooltips with workspace-controlled text', () => {
  it('escapes a file named like a command link, so it renders as its literal name', () => {
    const markdown = tooltipMarkdown({
      mode: 'editor',
      size: { kind: 'file', tokens: 120, what: tokenStrings.editorWhatFile(SPOOF) },
      modelName: 'claude-sonnet-5-5',
      share: 0.01,
    } as Parameters<typeof tooltipMarkdown>[0]);
    assert.deepEqual(links(markdown), []);
    assert.ok(md.render(markdown).includes(SPOOF), 'the name is shown as written');
  });

  it('escapes a model name from a workspace setting in the chat tooltip, and keeps its own command links', () => {
    const markdown = tooltipMarkdown({
      mode: 'chat',
      reading: { tokens: 190_000, exact: true, source: 'count' },
      parts: [],
      modelName: '[m](command:claudeStudio.setApiKey)',
      contextWindow: 200_000,
      share: 0.95,
      level: 'warning',
      session: { costUsd: 0, savedUsd: 0, cache: { requests: 0, hits: 0, readTokens: 0 } },
    } as unknown as Parameters<typeof tooltipMarkdown>[0]);
    assert.deepEqual(links(markdown).sort(), ['command:claudeStudio.newChat', 'command:claudeStudio.pickModel']);
  });

  it('a provider without count_tokens (Bedrock): an estimate says the provider does not count, not that an exact count follows', () => {
    const state = {
      mode: 'chat',
      reading: { tokens: 1200, exact: false, source: 'estimate' },
      parts: [],
      modelName: 'Claude Sonnet 4.6',
      contextWindow: 200_000,
      share: 0.006,
      level: 'ok',
      estimateOnly: 'Amazon Bedrock does not count tokens: the figure is an estimate.',
      session: { costUsd: 0, savedUsd: 0, cache: { requests: 0, hits: 0, readTokens: 0 } },
    } as unknown as Parameters<typeof tooltipMarkdown>[0];
    const markdown = tooltipMarkdown(state);
    assert.match(markdown, /Amazon Bedrock does not count tokens: the figure is an estimate\./);
    assert.ok(!markdown.includes(tokenStrings.source.estimate), 'no promise of an exact count');
    // An exact figure from the last answer's usage still says where it comes from.
    const exact = tooltipMarkdown({ ...state, reading: { tokens: 1200, exact: true, source: 'usage' } } as Parameters<typeof tooltipMarkdown>[0]);
    assert.ok(exact.includes(tokenStrings.source.usage));
    assert.ok(!exact.includes('does not count tokens'));
  });

  it('session cost: partial when an answer had no known price, naming the model escaped; no $0 for the next request', () => {
    const state = {
      mode: 'chat',
      reading: { tokens: 1200, exact: true, source: 'usage' },
      parts: [],
      modelName: SPOOF,
      share: 0,
      level: 'ok',
      unpricedModel: true,
      session: { costUsd: 0.5, savedUsd: 0, unpriced: { models: [SPOOF], partial: true }, cache: { requests: 2, hits: 1, readTokens: 900 } },
    } as unknown as Parameters<typeof tooltipMarkdown>[0];
    const markdown = tooltipMarkdown(state);
    assert.ok(md.render(markdown).includes(`Session: at least $0.5000: no price for ${SPOOF} · cache hits on 1 of 2 requests`), markdown);
    assert.ok(markdown.includes(tokenStrings.sendCostUnknown));
    assert.deepEqual(links(markdown), []);
    const session = { costUsd: 0, savedUsd: 0, unpriced: { models: ['gw'], partial: false }, cache: { requests: 1, hits: 0, readTokens: 0 } };
    const unknown = tooltipMarkdown({ ...state, session } as Parameters<typeof tooltipMarkdown>[0]);
    assert.match(unknown, /Session: cost unknown: no price for gw · /);
  });

  it('leaves no Markdown meaning in names: emphasis, code, icons, autolinks, line breaks', () => {
    for (const name of ['*a*_b_`c`', '$(warning) x', '<https://example.com>', 'a\n# heading', 'x\\](command:y)', 'a &amp; b']) {
      const html = md.render(escapeMarkdown(name));
      assert.ok(!/<(em|strong|code|a|h1)\b/.test(html), `${JSON.stringify(name)} -> ${html}`);
    }
  });
});
