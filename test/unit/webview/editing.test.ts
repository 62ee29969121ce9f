import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatSnapshot, TurnView, UsageView } from '../../../src/shared/protocol';
import { ChatApp } from '../../../src/webview/app';
import { createFakeApi, createRenderer, createWindow, ManualScheduler, type FakeApi } from './helpers';

const zero: UsageView = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, savedUsd: 0 };

const turns: TurnView[] = [
  { id: 'u1', role: 'user', text: 'First question' },
  { id: 'a1', role: 'assistant', text: 'First answer', thinking: '', status: 'done' },
  { id: 'u2', role: 'user', text: 'Second\nquestion' },
  { id: 'a2', role: 'assistant', text: 'Second answer', thinking: '', status: 'done' },
];

const snapshot = (overrides: Partial<ChatSnapshot> = {}): ChatSnapshot => ({
  conversationId: 'c1', title: 'Chat', busy: false, model: 'm', models: [], totals: zero, turns, ...overrides,
});

interface Harness {
  app: ChatApp;
  api: FakeApi;
  doc: Document;
  win: ReturnType<typeof createWindow>;
}

function setup(snap: ChatSnapshot = snapshot()): Harness {
  const win = createWindow();
  const api = createFakeApi();
  const root = win.document.getElementById('app') as HTMLElement;
  const app = new ChatApp(root, { api, win, schedule: new ManualScheduler().schedule, now: () => 0, newId: () => 'id', markdown: createRenderer(win) });
  app.handle({ type: 'didLoad', snapshot: snap });
  return { app, api, doc: win.document, win };
}

const q = <T extends HTMLElement = HTMLElement>(doc: Document, selector: string): T => {
  const found = doc.querySelector<T>(selector);
  assert.ok(found, `missing ${selector}`);
  return found;
};

function key(win: Harness['win'], target: HTMLElement, init: KeyboardEventInit): KeyboardEvent {
  const event = new win.KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

/** The messages other than the composer's draft notices. */
const sent = (api: FakeApi): FakeApi['posted'] => api.posted.filter((m) => m.type !== 'draftChanged');

const editButton = (doc: Document, id: string): HTMLButtonElement => q<HTMLButtonElement>(doc, `.turn[data-turn-id="${id}"] .turn-edit`);

describe('editing a user message', () => {
  it('labels the Edit button and says in its title that the conversation forks', () => {
    const { doc } = setup();
    const edit = editButton(doc, 'u1');
    assert.equal(edit.getAttribute('aria-label'), 'Edit message');
    assert.equal(edit.title, 'Edit and regenerate from here; the current answer stays reachable');
    assert.equal(edit.querySelector('svg.icon-edit')?.getAttribute('aria-hidden'), 'true');
    assert.equal(doc.querySelectorAll('.turn-assistant .turn-edit').length, 0, 'only user turns are editable');
  });

  it('opens an inline editor prefilled with the text; Enter posts editMessage', () => {
    const { api, doc, win } = setup();
    editButton(doc, 'u2').click();
    const turn = q(doc, '.turn[data-turn-id="u2"]');
    const input = q<HTMLTextAreaElement>(doc, '.turn[data-turn-id="u2"] .edit-box textarea');
    assert.equal(input.value, 'Second\nquestion');
    assert.equal(doc.activeElement, input);
    assert.equal(input.selectionStart, input.value.length, 'caret at the end');
    assert.equal(q(doc, '.turn[data-turn-id="u2"] .turn-text').hidden, true);
    assert.ok(turn.classList.contains('editing'));
    assert.equal(q(doc, '.edit-box .edit-send').textContent, 'Send');
    assert.equal(q(doc, '.edit-box .edit-cancel').textContent, 'Cancel');

    input.value = 'Second question, reworded';
    input.dispatchEvent(new win.Event('input', { bubbles: true }));
    assert.equal(key(win, input, { key: 'Enter', shiftKey: true }).defaultPrevented, false, 'Shift+Enter is a newline');
    assert.deepEqual(sent(api), []);
    const enter = key(win, input, { key: 'Enter' });
    assert.ok(enter.defaultPrevented);
    assert.deepEqual(sent(api), [{ type: 'editMessage', turnId: 'u2', text: 'Second question, reworded' }]);
    // The original stays until the host's didLoad brings the new branch; typing goes on below.
    assert.equal(doc.querySelector('.edit-box'), null);
    assert.equal(q(doc, '.turn[data-turn-id="u2"] .turn-text').hidden, false);
    assert.equal(doc.activeElement, q(doc, '#composer-input'));
  });

  it('Send posts too, and is disabled while the text is blank', () => {
    const { api, doc, win } = setup();
    editButton(doc, 'u1').click();
    const input = q<HTMLTextAreaElement>(doc, '.edit-box textarea');
    const send = q<HTMLButtonElement>(doc, '.edit-box .edit-send');
    input.value = '   ';
    input.dispatchEvent(new win.Event('input', { bubbles: true }));
    assert.equal(send.disabled, true);
    key(win, input, { key: 'Enter' });
    assert.deepEqual(sent(api), []);
    input.value = 'Better first question';
    input.dispatchEvent(new win.Event('input', { bubbles: true }));
    assert.equal(send.disabled, false);
    send.click();
    assert.deepEqual(sent(api), [{ type: 'editMessage', turnId: 'u1', text: 'Better first question' }]);
  });

  it('Esc or Cancel restores the message without posting', () => {
    const { api, doc, win } = setup();
    editButton(doc, 'u1').click();
    const input = q<HTMLTextAreaElement>(doc, '.edit-box textarea');
    input.value = 'never sent';
    const esc = key(win, input, { key: 'Escape' });
    assert.ok(esc.defaultPrevented);
    assert.equal(doc.querySelector('.edit-box'), null);
    assert.equal(q(doc, '.turn[data-turn-id="u1"] .turn-text').textContent, 'First question');
    assert.equal(q(doc, '.turn[data-turn-id="u1"] .turn-text').hidden, false);
    assert.equal(q(doc, '.turn[data-turn-id="u1"]').classList.contains('editing'), false);
    assert.equal(doc.activeElement, editButton(doc, 'u1'), 'focus returns to Edit');

    editButton(doc, 'u1').click();
    q(doc, '.edit-box .edit-cancel').click();
    assert.equal(doc.querySelector('.edit-box'), null);
    assert.deepEqual(sent(api), []);
  });

  it('edits one message at a time', () => {
    const { doc } = setup();
    editButton(doc, 'u1').click();
    editButton(doc, 'u2').click();
    assert.equal(doc.querySelectorAll('.edit-box').length, 1);
    assert.ok(doc.querySelector('.turn[data-turn-id="u2"] .edit-box'));
    assert.equal(q(doc, '.turn[data-turn-id="u1"] .turn-text').hidden, false);
  });

  it('is not available while busy or blocked', () => {
    const { app, api, doc, win } = setup();
    editButton(doc, 'u1').click();
    app.handle({ type: 'didChangeBusy', busy: true });
    const input = q<HTMLTextAreaElement>(doc, '.edit-box textarea');
    assert.equal(q<HTMLButtonElement>(doc, '.edit-box .edit-send').disabled, true);
    key(win, input, { key: 'Enter' });
    key(win, input, { key: 'Escape' });
    assert.equal(editButton(doc, 'u1').disabled, true);
    assert.equal(editButton(doc, 'u2').disabled, true);
    editButton(doc, 'u2').click();
    assert.equal(doc.querySelector('.edit-box'), null);
    app.handle({ type: 'didChangeBusy', busy: false });
    assert.equal(editButton(doc, 'u2').disabled, false);
    assert.deepEqual(sent(api), []);

    app.handle({ type: 'didLoad', snapshot: snapshot({ busy: true }) });
    assert.equal(editButton(doc, 'u1').disabled, true);
    app.handle({ type: 'didLoad', snapshot: snapshot({ blocker: { kind: 'untrusted' } }) });
    assert.equal(editButton(doc, 'u1').disabled, true);
    // A streamed turn appended while busy arrives locked too.
    app.handle({ type: 'didLoad', snapshot: snapshot({ busy: true, turns: [] }) });
    app.handle({ type: 'didAppendTurn', turn: { id: 'u9', role: 'user', text: 'new' } });
    assert.equal(editButton(doc, 'u9').disabled, true);
  });
});

describe('ArrowUp in the composer', () => {
  it('opens the editor of the last user message when the composer is empty', () => {
    const { doc, win } = setup();
    const composer = q<HTMLTextAreaElement>(doc, '#composer-input');
    const up = key(win, composer, { key: 'ArrowUp' });
    assert.ok(up.defaultPrevented);
    const input = q<HTMLTextAreaElement>(doc, '.turn[data-turn-id="u2"] .edit-box textarea');
    assert.equal(doc.activeElement, input);
    assert.equal(input.selectionStart, 'Second\nquestion'.length);
    assert.equal(input.selectionEnd, 'Second\nquestion'.length);
  });

  it('leaves ArrowUp alone with text in the box, while busy, or with nothing to edit', () => {
    const { app, doc, win } = setup();
    const composer = q<HTMLTextAreaElement>(doc, '#composer-input');
    composer.value = 'line 1\nline 2';
    composer.dispatchEvent(new win.Event('input', { bubbles: true }));
    assert.equal(key(win, composer, { key: 'ArrowUp' }).defaultPrevented, false);
    composer.value = '';
    composer.dispatchEvent(new win.Event('input', { bubbles: true }));
    assert.equal(key(win, composer, { key: 'ArrowUp', shiftKey: true }).defaultPrevented, false);
    app.handle({ type: 'didChangeBusy', busy: true });
    assert.equal(key(win, composer, { key: 'ArrowUp' }).defaultPrevented, false);
    assert.equal(doc.querySelector('.edit-box'), null);
    app.handle({ type: 'didLoad', snapshot: snapshot({ turns: [] }) });
    assert.equal(key(win, composer, { key: 'ArrowUp' }).defaultPrevented, false);
  });
});
