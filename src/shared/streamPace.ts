/**
 * The pace above which streamed text scrolls past faster than anyone can read it: 4 characters a
 * millisecond (4,000 a second, about 1,000 tokens a second, several times the fastest model).
 * Above it both sides of the chat do less often what only matters to a reader: the host sends
 * deltas less often (src/chat/deltaBuffer.ts) and the webview renders markdown less often
 * (src/webview/render/streaming.ts). Below it, where every model streams, neither changes.
 */
export const FAST_STREAM_CHARS_PER_MS = 4;
