import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ComposerView } from '../../../src/webview/view/composer';
import { createFakeApi, createWindow, type FakeApi } from './helpers';

function setup(draft = '', editLast?: () => boolean): { composer: ComposerView; api: FakeApi; input: HTMLTextAreaElement; win: ReturnType<typeof createWindow> } {
  const win = createWindow();
  const api = createFakeApi({ draft });
  let n = 0;
  const composer = new ComposerView(win.document, { api, newId: () => `req-${++n}`, editLast });
  win.document.body.append(composer.element);
  const input = win.document.getElementById('composer-input') as HTMLTextAreaElement;
  return { composer, api, input, win };
}

function type(win: ReturnType<typeof createWindow>, input: HTMLTextAreaElement, text: string): void {
  input.value = text;
  input.dispatchEvent(new win.Event('input', { bubbles: true }));
}

function key(win: ReturnType<typeof createWindow>, input: HTMLTextAreaElement, init: KeyboardEventInit): KeyboardEvent {
  const event = new win.KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  input.dispatchEvent(event);
  return event;
}

/** The messages other than the draft notices, which have their own test. */
function withoutDrafts(posted: FakeApi['posted']): FakeApi['posted'] {
  return posted.filter((message) => message.type !== 'draftChanged');
}

describe('ComposerView', () => {
  it('tells the host about the draft, coalesced while typing and at once after sending', async () => {
    const { api, input, win } = setup();
    type(win, input, 'E');
    type(win, input, 'Ex');
    type(win, input, 'Explain');
    assert.deepEqual(api.posted, []);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(api.posted, [{ type: 'draftChanged', text: 'Explain' }]);
    key(win, input, { key: 'Enter' });
    assert.deepEqual(api.posted.at(-1), { type: 'draftChanged', text: '' });
  });

  it('is labelled for assistive technology', () => {
    const { input } = setup();
    assert.equal(input.getAttribute('aria-label'), 'Message Claude');
    assert.equal(input.getAttribute('placeholder'), 'Ask Claude about your code…');
  });

  it('Enter sends the text with a request id and clears the draft', () => {
    const { api, input, win } = setup();
    type(win, input, 'Explain this function');
    assert.equal(api.state.draft, 'Explain this function');
    const event = key(win, input, { key: 'Enter' });
    assert.ok(event.defaultPrevented);
    assert.deepEqual(withoutDrafts(api.posted), [{ type: 'send', text: 'Explain this function', requestId: 'req-1' }]);
    assert.equal(input.value, '');
    assert.equal(api.state.draft, '');
  });

  it('Shift+Enter inserts a newline instead of sending', () => {
    const { api, input, win } = setup();
    type(win, input, 'line one');
    const event = key(win, input, { key: 'Enter', shiftKey: true });
    assert.equal(event.defaultPrevented, false);
    assert.deepEqual(withoutDrafts(api.posted), []);
  });

  it('does not send blank text, or while an IME composition is open', () => {
    const { api, input, win } = setup();
    type(win, input, '   \n ');
    key(win, input, { key: 'Enter' });
    type(win, input, 'にほんご');
    key(win, input, { key: 'Enter', isComposing: true });
    assert.deepEqual(withoutDrafts(api.posted), []);
  });

  it('while busy: Enter does not send, Esc posts stop, the button is Stop', () => {
    const { composer, api, input, win } = setup();
    composer.setBusy(true);
    type(win, input, 'next question');
    key(win, input, { key: 'Enter' });
    assert.deepEqual(withoutDrafts(api.posted), []);
    const esc = key(win, input, { key: 'Escape' });
    assert.ok(esc.defaultPrevented);
    assert.deepEqual(withoutDrafts(api.posted), [{ type: 'stop' }]);
    const stop = win.document.getElementById('stop') as HTMLButtonElement;
    assert.ok(stop);
    assert.equal(win.document.getElementById('send'), null);
    assert.equal(stop.getAttribute('aria-label'), 'Stop generating');
    stop.click();
    assert.deepEqual(withoutDrafts(api.posted), [{ type: 'stop' }, { type: 'stop' }]);
    composer.setBusy(false);
    assert.ok(win.document.getElementById('send'));
  });

  it('Esc does nothing when idle', () => {
    const { api, input, win } = setup();
    const esc = key(win, input, { key: 'Escape' });
    assert.equal(esc.defaultPrevented, false);
    assert.deepEqual(withoutDrafts(api.posted), []);
  });

  it('the Send button sends and is disabled while the box is empty', () => {
    const { api, input, win } = setup();
    const send = win.document.getElementById('send') as HTMLButtonElement;
    assert.equal(send.disabled, true);
    type(win, input, 'hi');
    assert.equal(send.disabled, false);
    send.click();
    assert.deepEqual(withoutDrafts(api.posted), [{ type: 'send', text: 'hi', requestId: 'req-1' }]);
  });

  it('restores the persisted draft', () => {
    const { input } = setup('half-written question');
    assert.equal(input.value, 'half-written question');
  });

  it('didFocusInput focuses and optionally replaces the text', () => {
    const { composer, api, input, win } = setup('old');
    composer.focus('Explain `foo`');
    assert.equal(win.document.activeElement, input);
    assert.equal(input.value, 'Explain `foo`');
    assert.equal(api.state.draft, 'Explain `foo`');
    composer.focus();
    assert.equal(input.value, 'Explain `foo`');
  });

  it('is disabled with a reason while blocked', () => {
    const { composer, api, input, win } = setup('draft');
    composer.setBlocker({ kind: 'untrusted' });
    assert.equal(input.disabled, true);
    assert.match(input.placeholder, /Restricted Mode/);
    key(win, input, { key: 'Enter' });
    assert.deepEqual(withoutDrafts(api.posted), []);
    composer.setBlocker({ kind: 'noApiKey' });
    assert.equal(composer.element.hidden, true);
    composer.setBlocker(undefined);
    assert.equal(input.disabled, false);
    assert.equal(composer.element.hidden, false);
  });

  it('ArrowUp in an empty, idle box asks to edit the last message', () => {
    let calls = 0;
    let found = true;
    const { composer, input, win } = setup('', () => {
      calls += 1;
      return found;
    });
    assert.equal(key(win, input, { key: 'ArrowUp' }).defaultPrevented, true);
    assert.equal(calls, 1);
    found = false;
    assert.equal(key(win, input, { key: 'ArrowUp' }).defaultPrevented, false, 'nothing to edit: the key does its usual thing');
    assert.equal(calls, 2);
    for (const init of [{ key: 'ArrowUp', altKey: true }, { key: 'ArrowUp', ctrlKey: true }, { key: 'ArrowDown' }]) key(win, input, init);
    type(win, input, 'draft');
    key(win, input, { key: 'ArrowUp' });
    type(win, input, '');
    composer.setBusy(true);
    key(win, input, { key: 'ArrowUp' });
    composer.setBusy(false);
    composer.setBlocker({ kind: 'untrusted' });
    key(win, input, { key: 'ArrowUp' });
    assert.equal(calls, 2);
  });

  it('refuses a message over the host limit with a visible reason', () => {
    const { api, input, win } = setup();
    type(win, input, 'x'.repeat(200_001));
    key(win, input, { key: 'Enter' });
    assert.deepEqual(withoutDrafts(api.posted), []);
    const reason = win.document.getElementById('composer-reason');
    assert.equal(reason?.hidden, false);
    assert.match(reason?.textContent ?? '', /too long/);
  });
});
