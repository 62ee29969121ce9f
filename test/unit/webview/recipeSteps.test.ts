import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AssistantTurnView, ChatSnapshot, RecipeRunView, TurnView, UsageView } from '../../../src/shared/protocol';
import { ChatApp } from '../../../src/webview/app';
import { ComposerView } from '../../../src/webview/view/composer';
import { createFakeApi, createRenderer, createWindow, ManualScheduler } from './helpers';

const zero: UsageView = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, savedUsd: 0 };
const usage = (costUsd: number): UsageView => ({ ...zero, inputTokens: 100, outputTokens: 20, cacheReadTokens: 4000, costUsd });
const snapshot = (turns: TurnView[]): ChatSnapshot => ({ conversationId: 'c1', title: 'Chat', busy: false, model: 'm', models: [], totals: zero, turns });

function setup(turns: TurnView[]): { app: ChatApp; doc: Document } {
  const win = createWindow();
  const root = win.document.getElementById('app') as HTMLElement;
  const app = new ChatApp(root, { api: createFakeApi(), win, schedule: new ManualScheduler().schedule, now: () => 0, newId: () => 'id', markdown: createRenderer(win) });
  app.handle({ type: 'didLoad', snapshot: snapshot(turns) });
  return { app, doc: win.document };
}

const run = (steps: RecipeRunView['steps']): RecipeRunView => ({ name: 'Multi-persona analysis', steps });
const turn = (recipe: RecipeRunView, extra: Partial<AssistantTurnView> = {}): AssistantTurnView => ({
  id: 'a1', role: 'assistant', text: '', thinking: '', status: 'streaming', recipe, ...extra,
});

describe('recipe steps in an assistant turn', () => {
  it('shows each step collapsed, with its status and usage, above the answer', () => {
    const { app, doc } = setup([{ id: 'u1', role: 'user', text: 'Recipe: Multi-persona analysis on a.ts:1-3' }, turn(run([
      { title: 'Security reviewer', status: 'done', text: 'Validate **input**.', usage: usage(0.002) },
      { title: 'Performance engineer', status: 'running', text: '' },
    ]))]);
    const steps = [...doc.querySelectorAll<HTMLDetailsElement>('.recipe-step')];
    assert.equal(steps.length, 2);
    assert.ok(steps.every((step) => !step.open), 'collapsed by default');
    assert.equal(doc.querySelector('.recipe-heading')?.textContent, 'Multi-persona analysis · 1 of 2 steps');
    assert.equal(steps[0]?.querySelector('.recipe-step-title')?.textContent, 'Security reviewer');
    assert.match(steps[0]?.querySelector('.recipe-step-usage')?.textContent ?? '', /in 100 · out 20 · cache read 4\.0k/);
    assert.equal(steps[0]?.querySelector('.recipe-step-body strong')?.textContent, 'input');
    assert.equal(steps[1]?.getAttribute('data-status'), 'running');
    const article = doc.querySelector('.turn-assistant') as HTMLElement;
    const order = [...article.children].map((child) => child.className.split(' ')[0]);
    assert.ok(order.indexOf('recipe-steps') < order.indexOf('turn-body'), order.join(','));

    steps[0]!.open = true;
    app.handle({ type: 'didUpdateTurn', turn: turn(run([
      { title: 'Security reviewer', status: 'done', text: 'Validate **input**.', usage: usage(0.002) },
      { title: 'Performance engineer', status: 'error', text: '', error: 'Overloaded' },
      { title: 'Synthesis', status: 'done', text: 'Both agree.', usage: usage(0.003) },
    ]), { status: 'done', text: '## Agreement\nBoth agree.', usage: { ...usage(0.005), inputTokens: 300 } }) });
    const after = [...doc.querySelectorAll<HTMLDetailsElement>('.recipe-step')];
    assert.equal(after.length, 3);
    assert.equal(after[0], steps[0], 'the same element, still open');
    assert.ok(after[0]?.open);
    assert.equal(after[1]?.querySelector('.recipe-step-error')?.textContent, 'Overloaded');
    assert.equal(doc.querySelector('.turn-body h2')?.textContent, 'Agreement');
    assert.equal(doc.querySelector('.recipe-heading')?.textContent, 'Multi-persona analysis · 3 of 3 steps · $0.0050 in total');
    assert.match(doc.querySelector('.turn-usage')?.textContent ?? '', /\$0\.005/);
  });

  it('renders model text in steps through the sanitizer', () => {
    const { doc } = setup([turn(run([{ title: 'x', status: 'done', text: '<img src=x onerror=alert(1)> [a](javascript:alert(1))' }]), { status: 'done' })]);
    const body = doc.querySelector('.recipe-step-body') as HTMLElement;
    assert.equal(body.querySelector('img'), null);
    assert.equal(body.querySelector('a[href^="javascript"]'), null);
  });
});

describe('slash commands in the composer', () => {
  it('posts runRecipe for /command text, and send for anything else', () => {
    const win = createWindow();
    const api = createFakeApi();
    const composer = new ComposerView(win.document, { api, newId: () => 'r1' });
    win.document.body.append(composer.element);
    const input = win.document.getElementById('composer-input') as HTMLTextAreaElement;
    const enter = (text: string): void => {
      input.value = text;
      input.dispatchEvent(new win.Event('input', { bubbles: true }));
      input.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    };
    enter('/personas why is this slow?');
    enter('/usr/bin is a path');
    const posted = api.posted.filter((m) => m.type !== 'draftChanged');
    assert.deepEqual(posted, [
      { type: 'runRecipe', command: 'personas', text: 'why is this slow?' },
      { type: 'send', text: '/usr/bin is a path', requestId: 'r1' },
    ]);
  });
});
