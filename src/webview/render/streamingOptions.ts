/**
 * The knobs of the streaming renderer (streaming.ts, whose header explains each rule), their
 * defaults, and the bounds every value given is held to.
 */
import { FAST_STREAM_CHARS_PER_MS } from '../../shared/streamPace';
import type { TaskRunner } from '../dom';

export interface StreamingOptions {
  /** Fewest frames between two full renders of the open tail (8; see streaming.ts). */
  readonly minFrames?: number;
  /**
   * A full render waits until the text that arrived since the last one is at least this fraction
   * of the tail's length then (1/2; see streaming.ts). 0 renders every `minFrames` frames.
   */
  readonly growth?: number;
  /**
   * Longest time text that appends cannot show waits for a full render (250 ms; see
   * streaming.ts).
   */
  readonly maxWaitMs?: number;
  /**
   * Most elements one frame inserts (250; see streaming.ts): a larger render is shown over several
   * frames, a whole top-level block at a time.
   */
  readonly insertBudget?: number;
  /** Clock for `maxWaitMs`, in milliseconds; `performance.now` by default. */
  readonly now?: () => number;
  /**
   * Characters per millisecond, arriving since the last full render, from which full renders
   * back off to `fastGapMs` apart (4; see streaming.ts).
   */
  readonly fastPace?: number;
  /** Least time between two full renders while text arrives faster than `fastPace` (600 ms). */
  readonly fastGapMs?: number;
  /**
   * Runs a full render as a task of its own, after the current frame, and the timer that comes
   * back to text waiting at a fast pace (see streaming.ts). Without it, renders are synchronous
   * (tests that drive frames by hand see the render in the frame that decided it) and waiting
   * text comes back every frame.
   */
  readonly runTask?: TaskRunner;
}

const DEFAULT_MIN_FRAMES = 8;
const DEFAULT_GROWTH = 1 / 2;
const DEFAULT_MAX_WAIT_MS = 250;
const DEFAULT_FAST_PACE = FAST_STREAM_CHARS_PER_MS;
const DEFAULT_FAST_GAP_MS = 600;
const DEFAULT_INSERT_BUDGET = 250;

/** The options with their defaults filled in and held within bounds; `runTask` may stay unset. */
export type ResolvedStreamingOptions = Required<Omit<StreamingOptions, 'runTask'>> & Pick<StreamingOptions, 'runTask'>;

export function resolveStreamingOptions(options: StreamingOptions): ResolvedStreamingOptions {
  return {
    minFrames: Math.max(1, options.minFrames ?? DEFAULT_MIN_FRAMES),
    growth: Math.max(0, options.growth ?? DEFAULT_GROWTH),
    maxWaitMs: Math.max(0, options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS),
    now: options.now ?? (() => performance.now()),
    fastPace: Math.max(0, options.fastPace ?? DEFAULT_FAST_PACE),
    fastGapMs: Math.max(0, options.fastGapMs ?? DEFAULT_FAST_GAP_MS),
    insertBudget: Math.max(1, options.insertBudget ?? DEFAULT_INSERT_BUDGET),
    runTask: options.runTask,
  };
}
