import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MarkdownRenderer } from '../../../src/webview/render/markdown';
import { StreamingMessageRenderer } from '../../../src/webview/render/streaming';
import { createRenderer, createWindow, ManualScheduler, oneShotHtml } from './helpers';

// When the streaming renderer renders its open tail again (the pacing rules in streaming.ts's
// header); what it renders is tested in streaming.test.ts.
const win = createWindow();
const doc = win.document;
const markdown = createRenderer(win);
const oneShot = (text: string): string => oneShotHtml(markdown, doc, text);

describe('StreamingMessageRenderer: when the open tail is rendered again', () => {
  /** Counts full renders and the characters they rendered. */
  function measuring(): { renderer: MarkdownRenderer; renders: () => number; chars: () => number } {
    let renders = 0;
    let chars = 0;
    const count = (source: string): void => {
      renders++;
      chars += source.length;
    };
    return {
      renderer: {
        ...markdown,
        render: (source, options) => (count(source), markdown.render(source, options)),
        renderStream: (source, tailFrom, options) => (count(source), markdown.renderStream(source, tailFrom, options)),
      },
      renders: () => renders,
      chars: () => chars,
    };
  }
  const items = (n: number): string[] => Array.from({ length: n }, (_, i) => `- item ${i} with a few words\n`);

  it('renders a long open block ever more rarely: total work linear in its length', () => {
    const { renderer, renders, chars } = measuring();
    const scheduler = new ManualScheduler();
    const container = doc.createElement('div');
    // No time limit here: only the growth rule decides.
    const streaming = new StreamingMessageRenderer(container, renderer, scheduler.schedule, () => undefined, { now: () => 0 });
    const list = items(400);
    for (const item of list) {
      streaming.append(item);
      scheduler.runOneFrame();
    }
    const text = list.join('');
    // Each render of a tail of length L waited for L/2 new characters: ~log1.5(400) renders.
    assert.ok(renders() <= 20, `${renders()} renders for a 400-item list`);
    assert.ok(chars() <= 3 * text.length, `rendered ${chars()} chars for ${text.length}`);
    streaming.finish();
    assert.equal(container.innerHTML, oneShot(text));
  });

  it('renders a short tail promptly: a few frames after text appends cannot show', () => {
    const { renderer, renders } = measuring();
    const scheduler = new ManualScheduler();
    const container = doc.createElement('div');
    const streaming = new StreamingMessageRenderer(container, renderer, scheduler.schedule, () => undefined, { now: () => 0 });
    streaming.append(`${items(50).join('')}\nA new paragraph.\n\nAnd another`);
    scheduler.runOneFrame();
    assert.equal(renders(), 1);
    streaming.append(' with **bold**');
    for (let frame = 1; frame < 8; frame++) scheduler.runOneFrame();
    assert.equal(renders(), 1, 'fewer than minFrames frames since the last render');
    scheduler.runOneFrame();
    assert.equal(renders(), 2, 'the list is frozen: the short tail renders after minFrames frames, time standing still');
    assert.equal(streaming.shownLength, streaming.length);
    assert.ok(container.querySelector('strong'));
  });

  it('renders a long open block once text has waited maxWaitMs, even if it grew little', () => {
    const { renderer, renders } = measuring();
    const scheduler = new ManualScheduler();
    const container = doc.createElement('div');
    let now = 0;
    const streaming = new StreamingMessageRenderer(container, renderer, scheduler.schedule, () => undefined, { now: () => now, maxWaitMs: 250 });
    streaming.append(items(200).join(''));
    scheduler.runOneFrame();
    assert.equal(renders(), 1);
    streaming.append('- one more **item**\n');
    for (const at of [0, 100, 200]) {
      now = at;
      scheduler.runOneFrame();
    }
    assert.equal(renders(), 1, 'waited 200 ms: still below the limit, and the list barely grew');
    assert.ok(streaming.shownLength < streaming.length);
    now = 250;
    scheduler.runOneFrame();
    assert.equal(renders(), 2, 'rendered once the new item had waited 250 ms');
    assert.equal(streaming.shownLength, streaming.length);
  });

  /** Sentences that stop appends (inline code) every few words, `perFrame` characters a frame. */
  function streamAtPace(perFrame: number, frames: number, options: { fastGapMs?: number } = {}): { renders: number; text: string; html: string } {
    const { renderer, renders } = measuring();
    const scheduler = new ManualScheduler();
    const container = doc.createElement('div');
    const streaming = new StreamingMessageRenderer(container, renderer, scheduler.schedule, () => undefined, { now: scheduler.now, ...options });
    const source = Array.from({ length: 400 }, (_, i) => `Sentence ${i} calls \`f${i}()\` then **stops**.${i % 5 === 4 ? '\n\n' : ' '}`).join('');
    let at = 0;
    for (let frame = 0; frame < frames && at < source.length; frame++) {
      streaming.append(source.slice(at, at + perFrame));
      at += perFrame;
      scheduler.runOneFrame();
    }
    const text = source.slice(0, at);
    streaming.finish(text);
    return { renders: renders(), text, html: container.innerHTML };
  }

  it('backs off to one full render per fastGapMs while text arrives faster than fastPace', () => {
    // 200 characters a 60 Hz frame: 12 a millisecond, three times fastPace. 120 frames: 2 s.
    const fast = streamAtPace(200, 120);
    assert.ok(fast.renders <= 2000 / 600 + 2, `${fast.renders} full renders in 2 s of fast text`);
    assert.equal(fast.html, oneShot(fast.text));
    const longer = streamAtPace(200, 120, { fastGapMs: 1500 });
    assert.ok(longer.renders < fast.renders, `fastGapMs 1500: ${longer.renders} renders, 600: ${fast.renders}`);
    // A model's pace (5 characters a frame, 0.3 a millisecond): the usual cadence, a render
    // every minFrames frames or so while inline code keeps appends from showing the text.
    const slow = streamAtPace(5, 480);
    assert.ok(slow.renders >= 480 / 16, `${slow.renders} full renders in 8 s of text at a model's pace`);
    assert.equal(slow.html, oneShot(slow.text));
  });

  it('runs a full render as a task after the frame, inserted and told at the next frame', () => {
    const { renderer, renders } = measuring();
    const scheduler = new ManualScheduler();
    const tasks: (() => void)[] = [];
    let told = 0;
    const container = doc.createElement('div');
    const streaming = new StreamingMessageRenderer(container, renderer, scheduler.schedule, () => told++, { now: scheduler.now, runTask: (task) => tasks.push(task) });
    streaming.append('Some **bold** text');
    scheduler.runOneFrame();
    assert.equal(renders(), 0, 'the frame only queued the render');
    assert.equal(tasks.length, 1);
    streaming.append(' and more');
    scheduler.runOneFrame();
    assert.equal(tasks.length, 1, 'one render queued at a time');
    tasks.shift()?.();
    assert.equal(renders(), 1);
    assert.equal(container.innerHTML, '', 'inserted by the next frame, not between frames');
    assert.equal(told, 0, 'not told between frames, while the render is not laid out');
    scheduler.runOneFrame();
    assert.equal(container.innerHTML, oneShot('Some **bold** text and more'), 'the render took the text of both frames');
    assert.equal(told, 1);
  });

  it('at a fast pace, comes back to waiting text by a timer when a render can be due, not every frame', () => {
    const { renderer, renders } = measuring();
    const scheduler = new ManualScheduler();
    let now = 0;
    const tasks: (() => void)[] = [];
    const timers: { task: () => void; delayMs: number }[] = [];
    const container = doc.createElement('div');
    const streaming = new StreamingMessageRenderer(container, renderer, scheduler.schedule, () => undefined, {
      now: () => now,
      runTask: (task, delayMs = 0) => void (delayMs > 0 ? timers.push({ task, delayMs }) : tasks.push(task)),
    });
    // Inline code in every sentence: appends cannot show it, only a full render.
    const sentences = (from: number, n: number): string => Array.from({ length: n }, (_, i) => `Sentence ${from + i} calls \`f()\` and **stops**. `).join('');
    streaming.append(sentences(0, 1));
    scheduler.runOneFrame();
    tasks.shift()?.();
    scheduler.runOneFrame();
    assert.equal(renders(), 1, 'the first text renders at once');
    const renderedLength = streaming.length;
    // 100 ms later, 2,000-odd characters: 20 a millisecond, five times fastPace (4).
    now = 100;
    streaming.append(sentences(1, 50));
    scheduler.runOneFrame();
    assert.equal(renders(), 1);
    assert.equal(scheduler.pending, 0, 'no frame requested while nothing can make a render due');
    const arrived = streaming.length - renderedLength;
    assert.deepEqual(timers.map((t) => t.delayMs), [Math.ceil(Math.min(600, arrived / 4) - 100) + 1], 'back when the pace could drop below 4 a ms');
    // More text brings a frame of its own, and sets no second timer.
    now = 150;
    streaming.append(sentences(51, 1));
    scheduler.runOneFrame();
    assert.equal(scheduler.pending, 0);
    assert.equal(timers.length, 1);
    // The timer fires: the pace (with that last sentence) is still fast, so one more short wait.
    now = 100 + (timers[0]?.delayMs ?? 0);
    timers.shift()?.task();
    assert.equal(scheduler.pending, 1, 'the timer asks for a frame');
    scheduler.runOneFrame();
    assert.equal(renders(), 1);
    assert.equal(timers.length, 1);
    now += timers[0]?.delayMs ?? 0;
    timers.shift()?.task();
    scheduler.runOneFrame();
    tasks.shift()?.();
    assert.equal(renders(), 2, 'rendered once the pace dropped: the text had waited more than maxWaitMs');
    scheduler.runOneFrame();
    assert.equal(streaming.shownLength, streaming.length, 'all of it on screen');
    streaming.finish();
    assert.equal(container.innerHTML, oneShot(sentences(0, 52)));
    assert.equal(renders(), 2, 'nothing left to render at the end');
  });

  it('inserts a large render a slice of about insertBudget elements a frame, in order, the tail last', () => {
    const scheduler = new ManualScheduler();
    const container = doc.createElement('div');
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} with **bold**, *emphasis* and \`code\`.`);
    const text = `${paragraphs.join('\n\n')}\n\nThe open tail, **still going`;
    const streaming = new StreamingMessageRenderer(container, markdown, scheduler.schedule, () => undefined, { now: scheduler.now, insertBudget: 10 });
    const elements = (): number => container.getElementsByTagName('*').length;
    streaming.append(text);
    const seen: number[] = [];
    let before = 0;
    for (let frame = 0; frame < 100 && scheduler.pending > 0; frame++) {
      scheduler.runOneFrame();
      const now = elements();
      seen.push(now - before);
      before = now;
      // What is on screen is always the start of the rendering, in order.
      const shown = container.innerHTML;
      assert.ok(oneShot(text).startsWith(shown.slice(0, shown.lastIndexOf('</p>') + 4)), `frame ${frame} shows a prefix`);
    }
    // Each paragraph is 4 elements (p, strong, em, code): two fit in a budget of 10.
    assert.ok(seen.length >= 15, `inserted over ${seen.length} frames`);
    assert.ok(seen.every((count) => count <= 10), `elements inserted per frame: ${seen.join(', ')}`);
    streaming.finish(`${text}, done**.`);
    assert.equal(container.innerHTML, oneShot(`${text}, done**.`));
  });

  it('finish inserts what is left at once', () => {
    const scheduler = new ManualScheduler();
    const container = doc.createElement('div');
    const text = Array.from({ length: 20 }, (_, i) => `Block ${i}, *emphasised*.`).join('\n\n');
    const streaming = new StreamingMessageRenderer(container, markdown, scheduler.schedule, () => undefined, { now: scheduler.now, insertBudget: 4 });
    streaming.append(text);
    scheduler.runOneFrame();
    assert.ok(container.childElementCount < 20, 'only a slice after one frame');
    streaming.finish();
    assert.equal(container.innerHTML, oneShot(text));
  });

  it('drops a queued render when the stream finishes first', () => {
    const { renderer, renders } = measuring();
    const scheduler = new ManualScheduler();
    const tasks: (() => void)[] = [];
    const container = doc.createElement('div');
    const streaming = new StreamingMessageRenderer(container, renderer, scheduler.schedule, () => undefined, { now: scheduler.now, runTask: (task) => tasks.push(task) });
    streaming.append('A `code` span');
    scheduler.runOneFrame();
    assert.equal(tasks.length, 1);
    streaming.finish('A `code` span, finished.');
    const afterFinish = renders();
    for (const task of tasks.splice(0)) task();
    assert.equal(renders(), afterFinish, 'the queued render did nothing');
    assert.equal(container.innerHTML, oneShot('A `code` span, finished.'));
  });

  it('does not render the tail again at the end when it is already exactly on screen', () => {
    const { renderer, renders } = measuring();
    const scheduler = new ManualScheduler();
    const container = doc.createElement('div');
    const streaming = new StreamingMessageRenderer(container, renderer, scheduler.schedule, () => undefined, { now: scheduler.now });
    streaming.append('Para one.\n\nA **last** paragraph');
    scheduler.runFrames();
    streaming.append(' ends here.');
    scheduler.runFrames();
    assert.equal(renders(), 1);
    streaming.finish();
    assert.equal(renders(), 1, 'finishing froze the exact tail');
    assert.equal(container.innerHTML, oneShot(streaming.text));
    // A tail with code is rendered once more at the end (highlighting with auto-detection).
    streaming.append('\n\n```\nlet x = 1;\n```');
    scheduler.runFrames();
    const before = renders();
    streaming.finish();
    assert.equal(renders(), before + 1, 'one final render, of the tail only');
    assert.equal(container.innerHTML, oneShot(streaming.text));
  });
});
