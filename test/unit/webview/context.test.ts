import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ComposerView } from '../../../src/webview/view/composer';
import { ContextBarView } from '../../../src/webview/view/contextBar';
import { createFakeApi, createWindow } from './helpers';

function setup() {
  const win = createWindow();
  const api = createFakeApi({ draft: '' });
  let n = 0;
  const bar = new ContextBarView(win.document, api);
  const composer = new ComposerView(win.document, { api, newId: () => `q${++n}`, top: bar.element });
  win.document.body.append(composer.element);
  const input = win.document.getElementById('composer-input') as HTMLTextAreaElement;
  const type = (text: string): void => {
    input.value = text;
    input.setSelectionRange(text.length, text.length);
    input.dispatchEvent(new win.Event('input', { bubbles: true }));
  };
  const key = (name: string): KeyboardEvent => {
    const event = new win.KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true });
    input.dispatchEvent(event);
    return event;
  };
  const posted = () => api.posted.filter((message) => message.type !== 'draftChanged');
  return { win, api, bar, composer, input, type, key, posted };
}

describe('context chips', () => {
  it('shows each item with its tokens and state, an excluded file with its reason, and hides when empty', () => {
    const { bar, win } = setup();
    assert.equal(bar.element.hidden, true);
    bar.update({
      type: 'didChangeContext',
      totalTokens: 1500,
      chips: [
        { id: 'file:src/a.ts', kind: 'file', label: 'src/a.ts', tokens: 1200, state: 'new' },
        { id: 'selection:src/b.ts#L3-9', kind: 'selection', label: 'src/b.ts:3-9', tokens: 300, state: 'updated' },
        { id: 'excluded:.env', kind: 'excluded', label: '.env', tokens: 0, state: 'excluded', reason: 'may hold secrets (.env*)' },
      ],
      suggestion: { label: 'src/c.ts', kind: 'file' },
    });
    const chips = [...win.document.querySelectorAll('.context-chip')];
    assert.deepEqual(chips.map((chip) => chip.textContent), ['a.ts1.2k tok×', 'b.ts:3-9300 tokupdated×', '.envexcluded: may hold secrets (.env*)×']);
    assert.equal(chips[2]?.getAttribute('data-state'), 'excluded');
    assert.match(chips[2]?.querySelector('.context-chip-open')?.getAttribute('title') ?? '', /left out: may hold secrets/);
    assert.ok(win.document.querySelector('.context-suggestion'));
    bar.update({ type: 'didChangeContext', totalTokens: 0, chips: [] });
    assert.equal(bar.element.hidden, true);
  });

  it('an image chip shows its thumbnail (a blob: URL, made once) and what it is; a PDF chip its icon and pages', () => {
    const { bar, win } = setup();
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
    const chips = [
      { id: 'image:a.png', kind: 'image' as const, label: 'assets/a.png', tokens: 1, state: 'new' as const, detail: 'PNG, 1x1 px, 69 bytes', thumbnail: { mediaType: 'image/png' as const, data: png } },
      { id: 'document:spec.pdf', kind: 'document' as const, label: 'docs/spec.pdf', tokens: 6750, state: 'new' as const, detail: 'PDF, 3 pages, 9 KB' },
    ];
    bar.update({ type: 'didChangeContext', totalTokens: 6751, chips });
    const image = win.document.querySelector('[data-kind="image"]');
    const src = image?.querySelector('img.context-chip-thumb')?.getAttribute('src') ?? '';
    assert.match(src, /^blob:/);
    assert.equal(image?.querySelector('.context-chip-detail')?.textContent, 'PNG, 1x1 px, 69 bytes');
    assert.match(image?.querySelector('.context-chip-open')?.getAttribute('title') ?? '', /^PNG, 1x1 px, 69 bytes\. assets\/a\.png: about 1 tokens/);
    const doc = win.document.querySelector('[data-kind="document"]');
    assert.ok(doc?.querySelector('svg.icon-document'));
    assert.equal(doc?.querySelector('img'), null);
    assert.equal(doc?.textContent, 'spec.pdfPDF, 3 pages, 9 KB6.8k tok×');
    // The same bytes keep their URL; a chip that goes away loses it.
    bar.update({ type: 'didChangeContext', totalTokens: 6751, chips });
    assert.equal(win.document.querySelector('img.context-chip-thumb')?.getAttribute('src'), src);
    bar.update({ type: 'didChangeContext', totalTokens: 0, chips: [] });
    assert.equal(win.document.querySelector('img'), null);
  });

  it('posts open, remove and add-suggestion', () => {
    const { bar, win, api } = setup();
    bar.update({ type: 'didChangeContext', totalTokens: 1, chips: [{ id: 'file:a.ts', kind: 'file', label: 'a.ts', tokens: 1, state: 'new' }], suggestion: { label: 'b.ts', kind: 'file' } });
    (win.document.querySelector('.context-chip-open') as HTMLElement).click();
    (win.document.querySelector('.context-chip-remove') as HTMLElement).click();
    (win.document.querySelector('.context-suggestion') as HTMLElement).click();
    assert.deepEqual(api.posted, [{ type: 'openContext', id: 'file:a.ts' }, { type: 'removeContext', id: 'file:a.ts' }, { type: 'addSuggestion' }]);
  });
});

describe('@ file picker', () => {
  it('searches after @, shows only the latest results, and Enter adds the file and removes the @query', () => {
    const { composer, input, type, key, posted, win } = setup();
    type('Look at @in');
    assert.deepEqual(posted().at(-1), { type: 'searchFiles', query: 'in', requestId: 'q1' });
    type('Look at @inv');
    composer.picker.showResults({ type: 'didSearchFiles', requestId: 'q1', results: [{ path: 'stale.py', positions: [] }] });
    assert.equal(composer.picker.isOpen, false, 'an older query is ignored');
    composer.picker.showResults({ type: 'didSearchFiles', requestId: 'q2', results: [{ path: 'src/inventory.py', positions: [4, 5, 6] }, { path: 'docs/inv.md', positions: [5, 6, 7] }] });
    assert.equal(composer.picker.isOpen, true);
    assert.equal(win.document.querySelectorAll('.file-picker-match').length, 6);
    assert.ok(key('ArrowDown').defaultPrevented);
    assert.equal(win.document.querySelector('.file-picker-option.active')?.getAttribute('data-path'), 'docs/inv.md');
    const enter = key('Enter');
    assert.ok(enter.defaultPrevented);
    assert.deepEqual(posted().at(-1), { type: 'addContextFile', path: 'docs/inv.md' });
    assert.equal(input.value, 'Look at ');
    assert.equal(composer.picker.isOpen, false);
    assert.ok(!posted().some((message) => message.type === 'send'), 'Enter in the picker does not send');
  });

  it('an email address does not open it; Escape closes it', () => {
    const { composer, type, key, posted } = setup();
    type('mail me@example.com');
    assert.equal(posted().length, 0);
    type('@');
    composer.picker.showResults({ type: 'didSearchFiles', requestId: 'q1', results: [] });
    assert.equal(composer.picker.isOpen, true);
    assert.ok(key('Escape').defaultPrevented);
    assert.equal(composer.picker.isOpen, false);
  });
});
