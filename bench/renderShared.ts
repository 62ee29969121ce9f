/**
 * Constants shared by the render benchmark's host driver and its webview-side probe. A module of
 * its own so that neither bundle pulls in the other's side effects.
 */

/** The naive baseline's delta, a message type the app ignores. */
export const NAIVE_DELTA = 'benchNaiveDelta';
/** Renders a text once with the naive pipeline, so that it is compiled before it is measured. */
export const NAIVE_WARM_UP = 'benchNaiveWarmUp';
/** Turn id of the streamed answer. */
export const ANSWER_ID = 'a1';
/** Answered with {@link SYNCED} once the webview has handled every earlier message and drawn twice. */
export const SYNC = 'benchSync';
export const SYNCED = 'benchSynced';
