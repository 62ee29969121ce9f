/**
 * The webview's frame scheduler: one requestAnimationFrame per frame whatever the number of
 * callbacks, run in order; what is scheduled while they run waits for the next frame; one that
 * throws keeps neither the others nor later frames from running.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { animationFrameScheduler } from '../../../src/webview/dom';

function fakeWindow(): { win: { requestAnimationFrame: (callback: FrameRequestCallback) => number }; frames: FrameRequestCallback[]; runFrame: () => void } {
  const frames: FrameRequestCallback[] = [];
  return {
    frames,
    win: { requestAnimationFrame: (callback) => frames.push(callback) },
    runFrame: () => {
      const current = frames.splice(0);
      for (const callback of current) callback(0);
    },
  };
}

describe('animationFrameScheduler', () => {
  it('asks for one animation frame for all the callbacks of a frame, and runs them in order', () => {
    const { win, frames, runFrame } = fakeWindow();
    const schedule = animationFrameScheduler(win);
    const ran: number[] = [];
    schedule(() => ran.push(1));
    schedule(() => ran.push(2));
    schedule(() => ran.push(3));
    assert.equal(frames.length, 1);
    runFrame();
    assert.deepEqual(ran, [1, 2, 3]);
  });

  it("runs 'read' callbacks first, before any callback can change the DOM and stale the layout", () => {
    const { win, frames, runFrame } = fakeWindow();
    const schedule = animationFrameScheduler(win);
    const ran: string[] = [];
    schedule(() => ran.push('insert'));
    schedule(() => ran.push('scroll'), 'read');
    schedule(() => ran.push('append'));
    assert.equal(frames.length, 1);
    runFrame();
    assert.deepEqual(ran, ['scroll', 'insert', 'append']);
    schedule(() => ran.push('read only'), 'read');
    assert.equal(frames.length, 1, 'a frame asked for a read alone');
    runFrame();
    assert.deepEqual(ran.at(-1), 'read only');
  });

  it('runs what a callback schedules in the next frame, not this one', () => {
    const { win, frames, runFrame } = fakeWindow();
    const schedule = animationFrameScheduler(win);
    const ran: string[] = [];
    schedule(() => {
      ran.push('first');
      schedule(() => ran.push('next frame'));
    });
    runFrame();
    assert.deepEqual(ran, ['first']);
    assert.equal(frames.length, 1);
    runFrame();
    assert.deepEqual(ran, ['first', 'next frame']);
  });

  it('runs the other callbacks when one throws, rethrows its error, and keeps working', () => {
    const { win, runFrame } = fakeWindow();
    const schedule = animationFrameScheduler(win);
    const ran: string[] = [];
    schedule(() => {
      throw new Error('boom');
    });
    schedule(() => ran.push('after'));
    assert.throws(runFrame, /boom/);
    assert.deepEqual(ran, ['after']);
    schedule(() => ran.push('later'));
    runFrame();
    assert.deepEqual(ran, ['after', 'later']);
  });
});
