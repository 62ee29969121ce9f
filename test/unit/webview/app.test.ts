import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TurnTextMirror } from '../../../src/chat/turnTextMirror';
import type { AssistantTurnView, ChatSnapshot, ToWebview, UsageView } from '../../../src/shared/protocol';
import { asHostMessage, ChatApp } from '../../../src/webview/app';
import { formatUsage } from '../../../src/webview/format';
import { createFakeApi, createRenderer, createWindow, ManualScheduler, type FakeApi } from './helpers';

const usage: UsageView = { inputTokens: 1234, outputTokens: 567, cacheReadTokens: 12_345, cacheWriteTokens: 1000, costUsd: 0.0123, savedUsd: 0.045 };

const snapshot = (overrides: Partial<ChatSnapshot> = {}): ChatSnapshot => ({
  conversationId: 'c1',
  title: 'Chat',
  busy: false,
  model: 'claude-sonnet',
  models: [
    { id: 'claude-sonnet', label: 'Claude Sonnet', deprecated: false },
    { id: 'claude-old', label: 'Claude Old', deprecated: true },
  ],
  totals: usage,
  turns: [
    { id: 'u1', role: 'user', text: 'What is <b>this</b>? **not bold**' },
    { id: 'a1', role: 'assistant', text: 'It is **bold**. See [docs](https://example.com).\n\n```ts\nconst x = 1;\n```', thinking: 'Let me think about it', status: 'done', usage, model: 'claude-sonnet' },
  ],
  ...overrides,
});

interface Harness {
  app: ChatApp;
  api: FakeApi;
  doc: Document;
  scheduler: ManualScheduler;
  win: ReturnType<typeof createWindow>;
}

function setup(clock = { now: 0 }): Harness {
  const win = createWindow();
  const api = createFakeApi();
  const scheduler = new ManualScheduler();
  const root = win.document.getElementById('app') as HTMLElement;
  const app = new ChatApp(root, { api, win, schedule: scheduler.schedule, now: () => clock.now, newId: () => 'id', markdown: createRenderer(win) });
  return { app, api, doc: win.document, scheduler, win };
}

const q = (doc: Document, selector: string): HTMLElement => {
  const found = doc.querySelector<HTMLElement>(selector);
  assert.ok(found, `missing ${selector}`);
  return found;
};

describe('ChatApp', () => {
  it('posts ready on start and renders the snapshot with stable hooks', () => {
    const { app, api, doc } = setup();
    app.start();
    assert.deepEqual(api.posted, [{ type: 'ready' }]);
    app.handle({ type: 'didLoad', snapshot: snapshot() });

    const turns = Array.from(doc.querySelectorAll('#transcript .turn'));
    assert.deepEqual(turns.map((t) => [t.getAttribute('data-role'), t.getAttribute('data-turn-id'), t.getAttribute('data-status')]), [
      ['user', 'u1', 'sent'],
      ['assistant', 'a1', 'done'],
    ]);
    // User text renders as Markdown through the same sanitizer as answers: HTML stays text.
    const user = q(doc, '.turn[data-role="user"] .turn-text');
    assert.equal(user.textContent?.trim(), 'What is <b>this</b>? not bold');
    assert.equal(user.querySelector('b'), null);
    assert.equal(user.querySelector('strong')?.textContent, 'not bold');

    assert.equal(q(doc, '.turn-body strong').textContent, 'bold');
    const thinking = q(doc, 'details.thinking') as HTMLDetailsElement;
    assert.equal(thinking.open, false);
    assert.equal(thinking.querySelector('summary')?.textContent, 'Thought for 5 words');
    assert.equal(q(doc, '.turn-usage').textContent, 'in 1,234 · out 567 · cache read 12.3k · write 1.0k · $0.0123 (saved $0.0450)');
    assert.equal(q(doc, '#session-totals').textContent, '$0.0123 · saved $0.0450');
    assert.equal((q(doc, '#model-select') as HTMLSelectElement).value, 'claude-sonnet');
    assert.equal(q(doc, '#model-select option[value="claude-old"]').textContent, 'Claude Old (deprecated)');
    assert.equal(q(doc, '#offline-badge').hidden, true);
    assert.equal(doc.querySelector('#onboarding'), null);
  });

  it('routes header, link and code block actions to the host', () => {
    const { app, api, doc, win } = setup();
    app.handle({ type: 'didLoad', snapshot: snapshot() });
    const select = q(doc, '#model-select') as HTMLSelectElement;
    select.value = 'claude-old';
    select.dispatchEvent(new win.Event('change'));
    const click = new win.MouseEvent('click', { bubbles: true, cancelable: true });
    q(doc, '.turn-body a').dispatchEvent(click);
    assert.ok(click.defaultPrevented, 'link navigation must be prevented');
    q(doc, 'button[data-action="copy-code"]').click();
    q(doc, 'button[data-action="insert-code"]').click();
    q(doc, 'button[data-action="apply-code"]').click();
    assert.deepEqual(api.posted, [
      { type: 'pickModel', modelId: 'claude-old' },
      { type: 'openLink', href: 'https://example.com' },
      { type: 'copyText', text: 'const x = 1;\n' },
      { type: 'insertCode', code: 'const x = 1;\n' },
      { type: 'applyCode', code: 'const x = 1;\n' },
    ]);
  });

  it('finishes a streamed turn from the text it holds when the host leaves it out (through the host mirror)', () => {
    const { app, api, doc, scheduler } = setup();
    const mirror = new TurnTextMirror();
    const handle = (message: ToWebview.Message): void => app.handle(mirror.outgoing(message));
    handle({ type: 'didLoad', snapshot: snapshot({ turns: [] }) });
    handle({ type: 'didAppendTurn', turn: { id: 'a2', role: 'assistant', text: '', thinking: '', status: 'streaming' } });
    const text = `Intro **bold**\n\n${'A line of the answer.\n\n'.repeat(200)}\`\`\`ts\nconst x = 1;\n\`\`\``;
    for (let i = 0; i < text.length; i += 97) handle({ type: 'didStreamDelta', turnId: 'a2', text: text.slice(i, i + 97), ...(i === 0 ? { thinking: 'Plan.' } : {}) });
    scheduler.runFrames();
    const final: AssistantTurnView = { id: 'a2', role: 'assistant', text, thinking: 'Plan.', status: 'done', usage };
    const sent = mirror.outgoing({ type: 'didUpdateTurn', turn: final });
    assert.deepEqual(sent, { type: 'didUpdateTurn', turn: { ...final, text: '', thinking: '' }, keptText: text.length, keptThinking: 5 });
    app.handle(sent);
    scheduler.runFrames();
    const element = q(doc, '.turn[data-turn-id="a2"]');
    assert.equal(element.getAttribute('data-status'), 'done');
    assert.equal(element.querySelectorAll('.turn-body p').length, 201);
    assert.equal(element.querySelector('.turn-body code.hljs, .turn-body pre code')?.textContent?.includes('const x = 1;'), true);
    assert.equal(q(doc, '.turn[data-turn-id="a2"] details.thinking summary').textContent, 'Thought for 1 word');
    // The same DOM as rendering the final text whole, and nothing asked of the host.
    const reference = setup();
    reference.app.handle({ type: 'didLoad', snapshot: snapshot({ turns: [final] }) });
    assert.equal(q(doc, '.turn[data-turn-id="a2"] .turn-body').innerHTML, q(reference.doc, '.turn[data-turn-id="a2"] .turn-body').innerHTML);
    assert.deepEqual(api.posted.filter((m) => m.type === 'resync'), []);
  });

  it('asks for a snapshot when the text it holds is not the length the host says, and changes nothing', () => {
    const { app, api, doc } = setup();
    app.handle({ type: 'didLoad', snapshot: snapshot({ turns: [] }) });
    app.handle({ type: 'didAppendTurn', turn: { id: 'a2', role: 'assistant', text: '', thinking: '', status: 'streaming' } });
    app.handle({ type: 'didStreamDelta', turnId: 'a2', text: 'Hello' });
    app.handle({ type: 'didUpdateTurn', turn: { id: 'a2', role: 'assistant', text: '', thinking: '', status: 'done' }, keptText: 11 });
    assert.deepEqual(api.posted.filter((m) => m.type === 'resync'), [{ type: 'resync' }]);
    assert.equal(q(doc, '.turn[data-turn-id="a2"]').getAttribute('data-status'), 'streaming');
    // A turn it does not have at all: the same.
    app.handle({ type: 'didUpdateTurn', turn: { id: 'nope', role: 'assistant', text: '', thinking: '', status: 'done' }, keptText: 5 });
    assert.equal(api.posted.filter((m) => m.type === 'resync').length, 2);
    assert.equal(doc.querySelector('.turn[data-turn-id="nope"]'), null);
  });

  it('streams a turn: thinking open while streaming, text via frames, final update', () => {
    const { app, doc, scheduler } = setup();
    app.handle({ type: 'didLoad', snapshot: snapshot({ turns: [] }) });
    assert.ok(doc.querySelector('.welcome'));
    app.handle({ type: 'didAppendTurn', turn: { id: 'u2', role: 'user', text: 'hi' } });
    app.handle({ type: 'didChangeBusy', busy: true });
    app.handle({ type: 'didAppendTurn', turn: { id: 'a2', role: 'assistant', text: '', thinking: '', status: 'streaming' } });
    assert.equal(doc.querySelector('.welcome'), null);
    assert.equal(q(doc, '.turn-pending').hidden, false);
    assert.ok(doc.getElementById('stop'));

    app.handle({ type: 'didStreamDelta', turnId: 'a2', thinking: 'Considering the ' });
    app.handle({ type: 'didStreamDelta', turnId: 'a2', thinking: 'question.' });
    app.handle({ type: 'didStreamDelta', turnId: 'a2', text: 'Hello ' });
    app.handle({ type: 'didStreamDelta', turnId: 'a2', text: '*there*' });
    assert.equal(q(doc, '.turn-pending').hidden, true);
    scheduler.runFrames();
    const details = q(doc, '.turn[data-turn-id="a2"] details.thinking') as HTMLDetailsElement;
    assert.equal(details.open, true);
    assert.equal(details.querySelector('summary')?.textContent, 'Thinking…');
    assert.equal(q(doc, '.turn[data-turn-id="a2"] .turn-body em').textContent, 'there');
    assert.equal(q(doc, '.turn[data-turn-id="a2"]').getAttribute('aria-busy'), 'true');

    const final: AssistantTurnView = { id: 'a2', role: 'assistant', text: 'Hello *there*', thinking: 'Considering the question.', status: 'done', usage };
    app.handle({ type: 'didUpdateTurn', turn: final });
    app.handle({ type: 'didChangeBusy', busy: false });
    app.handle({ type: 'didChangeTotals', totals: { ...usage, costUsd: 1.5, savedUsd: 0 } });
    assert.equal(q(doc, '.turn[data-turn-id="a2"]').getAttribute('data-status'), 'done');
    assert.equal(details.open, false);
    assert.equal(details.querySelector('summary')?.textContent, 'Thought for 3 words');
    assert.equal(q(doc, '.turn[data-turn-id="a2"] .turn-usage').textContent, formatUsage(usage));
    assert.equal(q(doc, '#session-totals').textContent, '$1.50');
    assert.ok(doc.getElementById('send'));
  });

  it('an answer the host could not price says so, and totals that include it say they are partial', () => {
    const { app, doc } = setup();
    const unknown: UsageView = { ...usage, costUsd: 0, savedUsd: 0, unpriced: { models: ['claude-haiku-4-5@20251001'], partial: false } };
    const partial: UsageView = { ...usage, costUsd: 1.5, savedUsd: 0, unpriced: { models: ['claude-haiku-4-5@20251001'], partial: true } };
    const turn: AssistantTurnView = { id: 'a1', role: 'assistant', text: 'Hi', thinking: '', status: 'done', usage: unknown };
    app.handle({ type: 'didLoad', snapshot: snapshot({ totals: partial, turns: [{ id: 'u1', role: 'user', text: 'hi' }, turn] }) });
    const line = q(doc, '.turn[data-turn-id="a1"] .turn-usage').textContent ?? '';
    assert.match(line, /cost unknown: no price for claude-haiku-4-5@20251001$/);
    assert.doesNotMatch(line, /\$0\.00/);
    const totals = q(doc, '#session-totals');
    assert.equal(totals.textContent, 'at least $1.50');
    assert.match(totals.title, /Cost at least \$1\.50 \(no price for claude-haiku-4-5@20251001\); prompt caching saved \$0\.00\.$/);
    app.handle({ type: 'didChangeTotals', totals: unknown });
    assert.equal(q(doc, '#session-totals').textContent, 'cost unknown');
    assert.match(q(doc, '#session-totals').title, /Cost unknown: no price for claude-haiku-4-5@20251001\.$/);
  });

  it('Retry: the failed answer the host removes leaves the transcript, the new one takes its place', () => {
    const { app, doc } = setup();
    const failed: AssistantTurnView = { id: 'a1', role: 'assistant', text: '', thinking: '', status: 'error', error: { kind: 'server', message: 'Overloaded' } };
    app.handle({ type: 'didLoad', snapshot: snapshot({ turns: [{ id: 'u1', role: 'user', text: 'hi' }, failed] }) });
    assert.ok(doc.querySelector('.turn[data-turn-id="a1"] button.retry'));
    assert.deepEqual(asHostMessage({ type: 'didRemoveTurn', turnId: 'a1' }), { type: 'didRemoveTurn', turnId: 'a1' });
    app.handle({ type: 'didRemoveTurn', turnId: 'a1' });
    app.handle({ type: 'didAppendTurn', turn: { id: 'a2', role: 'assistant', text: '', thinking: '', status: 'streaming' } });
    app.handle({ type: 'didUpdateTurn', turn: { id: 'a2', role: 'assistant', text: 'Fine now.', thinking: '', status: 'done' } });
    const turns = Array.from(doc.querySelectorAll('#transcript .turn')).map((t) => `${t.getAttribute('data-turn-id')}:${t.getAttribute('data-status')}`);
    assert.deepEqual(turns, ['u1:sent', 'a2:done']);
    assert.equal(doc.querySelector('button.retry'), null);
  });

  it('shows status notes for stopped, interrupted and stop reasons', () => {
    const { app, doc } = setup();
    const turn = (id: string, extra: Partial<AssistantTurnView>): AssistantTurnView => ({ id, role: 'assistant', text: 'x', thinking: '', status: 'done', ...extra });
    app.handle({ type: 'didLoad', snapshot: snapshot({ turns: [
      turn('s', { status: 'stopped' }),
      turn('i', { status: 'interrupted' }),
      turn('m', { stopReason: 'max_tokens' }),
      turn('q', { stopReason: 'stop_sequence', stopSequence: '###' }),
      turn('r', { stopReason: 'refusal' }),
    ] }) });
    const status = (id: string): string | null | undefined => doc.querySelector(`.turn[data-turn-id="${id}"] .turn-status`)?.textContent;
    assert.equal(status('s'), 'Stopped');
    assert.equal(status('i'), 'Interrupted');
    assert.equal(status('m'), 'Reached the max tokens limit');
    assert.equal(status('q'), 'Stopped at the stop sequence “###”');
    assert.equal(status('r'), 'Claude declined to answer');
  });

  it('shows an error with Retry, the action, Copy and a countdown', () => {
    const clock = { now: 1_000_000 };
    const { app, api, doc } = setup(clock);
    app.handle({ type: 'didLoad', snapshot: snapshot({ turns: [{ id: 'a1', role: 'assistant', text: '', thinking: '', status: 'streaming' }] }) });
    app.handle({ type: 'didUpdateTurn', turn: {
      id: 'a1', role: 'assistant', text: '', thinking: '', status: 'error',
      error: { kind: 'rate_limit', message: 'Rate limited by the API.', action: 'openSettings', retryAt: clock.now + 12_000 },
    } });
    const box = q(doc, '.turn[data-turn-id="a1"] .turn-error');
    assert.equal(box.getAttribute('role'), 'alert');
    assert.equal(q(doc, '.turn-error-message').textContent, 'Rate limited by the API.');
    assert.equal(q(doc, '.turn-error-countdown').textContent, 'Retrying automatically in 12s…');
    q(doc, '.turn-error .retry').click();
    q(doc, '.turn-error .error-action').click();
    q(doc, '.turn-error .error-copy').click();
    assert.deepEqual(api.posted, [
      { type: 'retry', turnId: 'a1' },
      { type: 'runAction', action: 'openSettings' },
      { type: 'copyText', text: 'Rate limited by the API.' },
    ]);
    assert.equal(q(doc, '.turn-error .error-action').textContent, 'Open Settings');
    app.handle({ type: 'didLoad', snapshot: snapshot({ turns: [] }) }); // disposes the countdown timer
  });

  it('an error after partial text offers Continue (and Retry to start over); once superseded, no buttons', () => {
    const { app, api, doc } = setup();
    app.handle({ type: 'didLoad', snapshot: snapshot({ turns: [{ id: 'u1', role: 'user', text: 'q' }, { id: 'a1', role: 'assistant', text: 'The first half', thinking: '', status: 'streaming' }] }) });
    app.handle({ type: 'didUpdateTurn', turn: {
      id: 'a1', role: 'assistant', text: 'The first half', thinking: '', status: 'error',
      error: { kind: 'connection', message: 'The connection was lost. The partial answer is kept: Continue picks up where it stopped; Retry starts the answer over.', action: 'retry', continuable: true },
    } });
    const resume = q(doc, '.turn[data-turn-id="a1"] .turn-error .continue');
    assert.equal(resume.textContent, 'Continue');
    assert.match(q(doc, '.turn-error .retry').getAttribute('aria-label') ?? '', /from the start/);
    resume.click();
    q(doc, '.turn-error .retry').click();
    assert.deepEqual(api.posted, [{ type: 'continueAnswer', turnId: 'a1' }, { type: 'retry', turnId: 'a1' }]);
    // The user asks something else instead: the old error box keeps its text, loses its buttons.
    app.handle({ type: 'didAppendTurn', turn: { id: 'u2', role: 'user', text: 'never mind' } });
    app.handle({ type: 'didAppendTurn', turn: { id: 'a2', role: 'assistant', text: '', thinking: '', status: 'streaming' } });
    assert.match(q(doc, '.turn[data-turn-id="a1"] .turn-error-message').textContent ?? '', /partial answer is kept/);
    assert.equal(doc.querySelectorAll('.turn[data-turn-id="a1"] .turn-error button').length, 0);
  });

  it('shows onboarding instead of the composer without an API key', () => {
    const { app, api, doc } = setup();
    app.handle({ type: 'didLoad', snapshot: snapshot({ blocker: { kind: 'noApiKey' }, offlineLabel: 'Offline demo' }) });
    assert.match(q(doc, '#onboarding').textContent ?? '', /Connect Claude Studio to Claude/);
    assert.equal(q(doc, '#composer').hidden, true);
    q(doc, '#set-api-key').click();
    assert.deepEqual(api.posted, [{ type: 'setApiKey' }]);
    assert.equal(q(doc, '#offline-badge').hidden, false);
    assert.equal(q(doc, '#offline-badge').textContent, 'Offline demo');

    // With Microsoft Foundry chosen, the key asked for is the Foundry resource's, not an Anthropic key.
    app.handle({ type: 'didLoad', snapshot: snapshot({ blocker: { kind: 'noApiKey', service: 'foundry' } }) });
    assert.match(q(doc, '#onboarding').textContent ?? '', /API key of your Microsoft Foundry resource/);
    assert.doesNotMatch(q(doc, '#onboarding').textContent ?? '', /Anthropic API key/);

    app.handle({ type: 'didLoad', snapshot: snapshot({ blocker: { kind: 'untrusted' } }) });
    assert.match(q(doc, '#onboarding').textContent ?? '', /Restricted Mode/);
    assert.equal(doc.querySelector('#set-api-key'), null);
    assert.equal((q(doc, '#composer-input') as HTMLTextAreaElement).disabled, true);

    app.handle({ type: 'didLoad', snapshot: snapshot() });
    assert.equal(doc.querySelector('#onboarding'), null);
    assert.equal(q(doc, '#composer').hidden, false);
  });

  it('accepts only well-formed host messages', () => {
    assert.equal(asHostMessage(null), undefined);
    assert.equal(asHostMessage('didLoad'), undefined);
    assert.equal(asHostMessage({ type: 'evil' }), undefined);
    assert.deepEqual(asHostMessage({ type: 'didChangeBusy', busy: true }), { type: 'didChangeBusy', busy: true });
  });
});
