import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AssistantTurnView, ChatSnapshot, TurnView, UsageView, UserTurnView } from '../../../src/shared/protocol';
import { ChatApp } from '../../../src/webview/app';
import { createFakeApi, createRenderer, createWindow, ManualScheduler, type FakeApi } from './helpers';

const zero: UsageView = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, savedUsd: 0 };

const snapshot = (turns: TurnView[], overrides: Partial<ChatSnapshot> = {}): ChatSnapshot => ({
  conversationId: 'c1', title: 'Chat', busy: false, model: 'm', models: [], totals: zero, turns, ...overrides,
});

const user = (id: string, text: string, branch?: UserTurnView['branch']): UserTurnView => ({ id, role: 'user', text, ...(branch ? { branch } : {}) });
const answer = (id: string, text: string, extra: Partial<AssistantTurnView> = {}): AssistantTurnView => ({
  id, role: 'assistant', text, thinking: '', status: 'done', ...extra,
});

interface Harness {
  app: ChatApp;
  api: FakeApi;
  doc: Document;
  scheduler: ManualScheduler;
}

function setup(turns: TurnView[] = []): Harness {
  const win = createWindow();
  const api = createFakeApi();
  const scheduler = new ManualScheduler();
  const root = win.document.getElementById('app') as HTMLElement;
  const app = new ChatApp(root, { api, win, schedule: scheduler.schedule, now: () => 0, newId: () => 'id', markdown: createRenderer(win) });
  app.handle({ type: 'didLoad', snapshot: snapshot(turns) });
  return { app, api, doc: win.document, scheduler };
}

const q = <T extends HTMLElement = HTMLElement>(scope: ParentNode, selector: string): T => {
  const found = scope.querySelector<T>(selector);
  assert.ok(found, `missing ${selector}`);
  return found;
};
const turnEl = (doc: Document, id: string): HTMLElement => q(doc, `.turn[data-turn-id="${id}"]`);
const continueIds = (doc: Document): (string | null)[] =>
  Array.from(doc.querySelectorAll('.continue')).map((b) => b.closest('.turn')?.getAttribute('data-turn-id') ?? null);

describe('copy buttons', () => {
  it('every turn has one; user turns copy the text, assistant turns the markdown source', () => {
    const { api, doc } = setup([user('u1', 'What is <b>x</b>?'), answer('a1', 'It is **bold**.\n\n- a\n- b')]);
    const buttons = Array.from(doc.querySelectorAll<HTMLButtonElement>('.turn .turn-copy'));
    assert.equal(buttons.length, 2);
    for (const button of buttons) {
      assert.equal(button.getAttribute('aria-label'), 'Copy message');
      assert.equal(button.type, 'button');
    }
    q<HTMLButtonElement>(turnEl(doc, 'u1'), '.turn-copy').click();
    const copy = q<HTMLButtonElement>(turnEl(doc, 'a1'), '.turn-copy');
    copy.click();
    assert.deepEqual(api.posted, [
      { type: 'copyText', text: 'What is <b>x</b>?' },
      { type: 'copyText', text: 'It is **bold**.\n\n- a\n- b' },
    ]);
    assert.equal(q(copy, '.label').textContent, 'Copied');
    assert.ok(copy.classList.contains('flashed'));
  });
});

describe('branch navigation', () => {
  it('shows "‹ 2 / 3 ›" with labelled buttons that post switchBranch', () => {
    const { api, doc } = setup([user('u1', 'v2', { index: 2, count: 3 }), answer('a1', 'x')]);
    const nav = q(turnEl(doc, 'u1'), '.branch-nav');
    assert.equal(nav.getAttribute('aria-label'), 'Version 2 of 3');
    assert.equal(q(nav, '.branch-label').textContent, '2 / 3');
    const prev = q<HTMLButtonElement>(nav, '.branch-prev');
    const next = q<HTMLButtonElement>(nav, '.branch-next');
    assert.equal(prev.getAttribute('aria-label'), 'Previous version');
    assert.equal(next.getAttribute('aria-label'), 'Next version');
    assert.deepEqual([prev.disabled, next.disabled], [false, false]);
    prev.click();
    next.click();
    assert.deepEqual(api.posted, [
      { type: 'switchBranch', turnId: 'u1', direction: -1 },
      { type: 'switchBranch', turnId: 'u1', direction: 1 },
    ]);
  });

  it('disables the ends, waits while busy, and is absent without other versions', () => {
    const { app, api, doc } = setup([
      user('first', 'a', { index: 1, count: 2 }),
      user('last', 'b', { index: 3, count: 3 }),
      user('single', 'c', { index: 1, count: 1 }),
      user('plain', 'd'),
    ]);
    const state = (id: string): boolean[] => [
      q<HTMLButtonElement>(turnEl(doc, id), '.branch-prev').disabled,
      q<HTMLButtonElement>(turnEl(doc, id), '.branch-next').disabled,
    ];
    assert.deepEqual(state('first'), [true, false]);
    assert.deepEqual(state('last'), [false, true]);
    assert.equal(turnEl(doc, 'single').querySelector('.branch-nav'), null);
    assert.equal(turnEl(doc, 'plain').querySelector('.branch-nav'), null);
    q<HTMLButtonElement>(turnEl(doc, 'first'), '.branch-prev').click();
    assert.deepEqual(api.posted, []);

    app.handle({ type: 'didChangeBusy', busy: true });
    assert.deepEqual(state('first'), [true, true]);
    app.handle({ type: 'didChangeBusy', busy: false });
    assert.deepEqual(state('first'), [true, false], 'the end stays disabled after busy clears');
  });
});

describe('Regenerate', () => {
  it('every answer has Regenerate and Regenerate with another model; each posts regenerate for its turn', () => {
    const { api, doc } = setup([user('u1', 'q'), answer('a1', 'one'), user('u2', 'q2'), answer('a2', 'two', { status: 'error' })]);
    assert.equal(turnEl(doc, 'u1').querySelector('.turn-regenerate'), null, 'a user message has Edit instead');
    const again = q<HTMLButtonElement>(turnEl(doc, 'a1'), '.turn-regenerate:not(.turn-regenerate-with)');
    const withModel = q<HTMLButtonElement>(turnEl(doc, 'a2'), '.turn-regenerate-with');
    assert.equal(again.getAttribute('aria-label'), 'Regenerate answer');
    assert.equal(withModel.getAttribute('aria-label'), 'Regenerate with another model');
    again.click();
    withModel.click();
    assert.deepEqual(api.posted, [
      { type: 'regenerate', turnId: 'a1', chooseModel: false },
      { type: 'regenerate', turnId: 'a2', chooseModel: true },
    ]);
  });

  it('is disabled while an answer streams, and a regenerated answer shows its version switcher', () => {
    const { app, api, doc } = setup([user('u1', 'q'), answer('a1', 'one', { branch: { index: 2, count: 2 } })]);
    const nav = q(turnEl(doc, 'a1'), '.branch-nav');
    assert.equal(q(nav, '.branch-label').textContent, '2 / 2');
    q<HTMLButtonElement>(nav, '.branch-prev').click();
    assert.deepEqual(api.posted, [{ type: 'switchBranch', turnId: 'a1', direction: -1 }]);
    app.handle({ type: 'didChangeBusy', busy: true });
    const buttons = Array.from(turnEl(doc, 'a1').querySelectorAll<HTMLButtonElement>('.turn-regenerate'));
    assert.equal(buttons.length, 2);
    assert.ok(buttons.every((button) => button.disabled));
    app.handle({ type: 'didChangeBusy', busy: false });
    assert.ok(buttons.every((button) => !button.disabled));
  });
});

describe('user turns that read well', () => {
  it('a quoted selection shows as a collapsed reference (path, lines) with the highlighted code inside', () => {
    const prompt = 'Explain this code: what it does.\n\n`src/inventory.py` (lines 24-28):\n\n```python\ndef sell(self):\n    pass\n```';
    const { doc } = setup([user('u1', prompt)]);
    const text = q(turnEl(doc, 'u1'), '.turn-text');
    assert.equal(q(text, 'p').textContent, 'Explain this code: what it does.');
    const ref = q<HTMLDetailsElement>(text, 'details.code-ref');
    assert.equal(ref.open, false);
    assert.equal(q(ref, '.code-ref-path').textContent, 'src/inventory.py');
    assert.equal(q(ref, '.code-ref-lines').textContent, 'lines 24–28');
    assert.ok(ref.querySelector('.code-block pre code .hljs-keyword'), 'highlighted');
    assert.equal(text.textContent?.includes('```'), false, 'no literal fences');
  });

  it('long lines wrap on request, per block', () => {
    const { doc, api } = setup([user('u1', 'q'), answer('a1', '```ts\nconst x = 1;\n```')]);
    const block = q(turnEl(doc, 'a1'), '.code-block');
    const wrap = q<HTMLButtonElement>(block, '.code-wrap');
    assert.equal(wrap.getAttribute('aria-pressed'), 'false');
    wrap.click();
    assert.ok(block.classList.contains('wrapped'));
    assert.equal(wrap.getAttribute('aria-pressed'), 'true');
    wrap.click();
    assert.equal(block.classList.contains('wrapped'), false);
    assert.deepEqual(api.posted, [], 'nothing for the host');
  });
});

describe('Apply to Files', () => {
  it('shows on a finished answer whose blocks name files, and posts applyFiles with the turn only', () => {
    const { api, doc } = setup([user('u1', 'q'), answer('a1', 'x', { files: ['src/a.ts', 'notes/new.md'] }), answer('a2', 'y')]);
    const button = q<HTMLButtonElement>(turnEl(doc, 'a1'), '.apply-files');
    assert.equal(button.textContent, 'Apply to 2 files');
    assert.match(button.title, /src\/a\.ts, notes\/new\.md/);
    assert.equal(turnEl(doc, 'a2').querySelector('.apply-files'), null, 'no named files, no button');
    button.click();
    assert.deepEqual(api.posted, [{ type: 'applyFiles', turnId: 'a1' }]);
  });
});

describe('Continue', () => {
  it('appears only on the newest turn when it is done at max_tokens, and posts continueAnswer', () => {
    const { api, doc } = setup([
      user('u1', 'q1'), answer('a1', 'cut', { stopReason: 'max_tokens' }),
      user('u2', 'q2'), answer('a2', 'cut too', { stopReason: 'max_tokens' }),
    ]);
    assert.deepEqual(continueIds(doc), ['a2']);
    const button = q<HTMLButtonElement>(turnEl(doc, 'a2'), '.turn-status-row .continue');
    assert.equal(button.textContent, 'Continue');
    assert.equal(button.getAttribute('aria-label'), 'Continue this answer');
    assert.equal(q(turnEl(doc, 'a2'), '.turn-status').textContent, 'Reached the max tokens limit');
    button.click();
    assert.deepEqual(api.posted, [{ type: 'continueAnswer', turnId: 'a2' }]);
  });

  it('is not offered for other endings, or once a newer message follows', () => {
    const { app, doc } = setup([user('u1', 'q'), answer('a1', 'x', { status: 'stopped', stopReason: 'max_tokens' })]);
    assert.deepEqual(continueIds(doc), []);
    app.handle({ type: 'didLoad', snapshot: snapshot([answer('a1', 'x', { stopReason: 'end_turn' })]) });
    assert.deepEqual(continueIds(doc), []);

    app.handle({ type: 'didLoad', snapshot: snapshot([answer('a1', 'x', { stopReason: 'max_tokens' })]) });
    assert.deepEqual(continueIds(doc), ['a1']);
    app.handle({ type: 'didAppendTurn', turn: user('u2', 'next') });
    assert.deepEqual(continueIds(doc), [], 'a new question moves on');
    app.handle({ type: 'didAppendTurn', turn: answer('a2', '', { status: 'streaming' }) });
    app.handle({ type: 'didUpdateTurn', turn: answer('a2', 'long', { stopReason: 'max_tokens' }) });
    assert.deepEqual(continueIds(doc), ['a2'], 'a streamed turn that hits the limit offers it');
    app.handle({ type: 'didChangeBusy', busy: true });
    assert.equal(q<HTMLButtonElement>(doc, '.continue').disabled, true);
  });

  it('a continued turn streams again and renders the concatenation', () => {
    const first = 'Intro.\n\n```ts\nconst a = 1;\n';
    const rest = 'const b = 2;\n```\n\nDone *now*.';
    const { app, api, doc, scheduler } = setup([user('u1', 'q'), answer('a1', first, { stopReason: 'max_tokens' })]);
    q<HTMLButtonElement>(doc, '.continue').click();
    assert.deepEqual(api.posted, [{ type: 'continueAnswer', turnId: 'a1' }]);

    app.handle({ type: 'didChangeBusy', busy: true });
    app.handle({ type: 'didUpdateTurn', turn: answer('a1', first, { status: 'streaming' }) });
    const turn = turnEl(doc, 'a1');
    assert.equal(turn.getAttribute('data-status'), 'streaming');
    assert.deepEqual(continueIds(doc), []);
    for (const delta of ['const b', ' = 2;\n``', '`\n\nDone ', '*now*.']) {
      app.handle({ type: 'didStreamDelta', turnId: 'a1', text: delta });
      scheduler.runFrames();
    }
    const body = q(turn, '.turn-body');
    assert.equal(body.querySelectorAll('pre').length, 1, 'the cut code block is one block again');
    assert.equal(q(body, 'pre code').textContent, 'const a = 1;\nconst b = 2;\n');
    assert.equal(q(body, 'em').textContent, 'now');

    app.handle({ type: 'didUpdateTurn', turn: answer('a1', first + rest, { stopReason: 'end_turn' }) });
    app.handle({ type: 'didChangeBusy', busy: false });
    assert.equal(turn.getAttribute('data-status'), 'done');
    assert.equal(turn.getAttribute('aria-busy'), 'false');
    assert.deepEqual(continueIds(doc), []);
    // Same DOM as rendering the whole answer in one piece.
    const fresh = setup([user('u1', 'q'), answer('a1', first + rest)]);
    assert.equal(body.innerHTML, q(turnEl(fresh.doc, 'a1'), '.turn-body').innerHTML);
    q<HTMLButtonElement>(turn, '.turn-copy').click();
    assert.deepEqual(api.posted.at(-1), { type: 'copyText', text: first + rest });
  });

  it('can be continued more than once', () => {
    const { app, doc, scheduler } = setup([answer('a1', 'One', { stopReason: 'max_tokens' })]);
    let text = 'One';
    for (const more of [' two', ' three']) {
      app.handle({ type: 'didUpdateTurn', turn: answer('a1', text, { status: 'streaming' }) });
      app.handle({ type: 'didStreamDelta', turnId: 'a1', text: more });
      scheduler.runFrames();
      text += more;
      app.handle({ type: 'didUpdateTurn', turn: answer('a1', text, { stopReason: 'max_tokens' }) });
    }
    assert.equal(q(doc, '.turn-body p').textContent, 'One two three');
    assert.deepEqual(continueIds(doc), ['a1']);
  });
});
