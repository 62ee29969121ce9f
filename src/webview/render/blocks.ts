/**
 * Splits streaming markdown into top-level blocks that can no longer change and an open tail.
 *
 * The streaming renderer renders each finished block once and only re-renders the tail, so the
 * cost of a turn stays linear in its length. That is only correct if rendering the blocks one by
 * one gives the same HTML as rendering the whole text, so the rules here are conservative: when in
 * doubt a block stays open (which costs a re-render) rather than being cut (which could change
 * the output). Every decision is taken on complete lines only; a trailing partial line is always
 * part of the tail.
 *
 * Pure functions, no DOM: unit-tested in test/unit/webview/blocks.test.ts.
 */

export interface BlockSplit {
  /** Finished blocks, in order. Joined they equal `text.slice(from, tailStart)`. */
  readonly blocks: readonly string[];
  /** Offset of the open tail; always a block boundary, so it can be passed back as `from`. */
  readonly tailStart: number;
  /** The tail ends inside a code fence whose opening line is complete and which is not closed yet. */
  readonly openFence: boolean;
}

interface Fence {
  readonly char: '`' | '~';
  readonly length: number;
}

/** Column width of the leading whitespace (tabs advance to the next multiple of 4). */
export function indentWidth(line: string): number {
  let col = 0;
  for (const ch of line) {
    if (ch === ' ') col += 1;
    else if (ch === '\t') col += 4 - (col % 4);
    else break;
  }
  return col;
}

export function isBlankLine(line: string): boolean {
  return /^[ \t]*\r?$/.test(line);
}

/** A bullet (`-`, `+`, `*`) or ordered (`1.`, `1)`) list item marker, indented at most 3. */
export function isListMarkerLine(line: string): boolean {
  return /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|\r?$)/.test(line);
}

export function openingFence(line: string): Fence | undefined {
  const match = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
  if (!match) return undefined;
  const marker = match[1] ?? '';
  const info = match[2] ?? '';
  // CommonMark: a backtick fence's info string may not contain backticks (it is inline code).
  if (marker[0] === '`' && info.includes('`')) return undefined;
  return { char: marker[0] === '`' ? '`' : '~', length: marker.length };
}

export function isClosingFence(line: string, fence: Fence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*\r?$/.exec(line);
  const marker = match?.[1];
  return marker !== undefined && marker[0] === fence.char && marker.length >= fence.length;
}

function isAtxHeading(line: string): boolean {
  return /^ {0,3}#{1,6}(?:[ \t]|\r?$)/.test(line);
}

/**
 * Finds the blocks of `text` that are finished, scanning from `from` (a previous `tailStart`, or
 * 0). Rules:
 * - A fenced code block (``` or ~~~, closed only by the same character, at least as long) is
 *   finished by its closing fence line; blank lines inside a fence never end anything.
 * - An ATX heading at the start of a block is finished at its line end.
 * - Lists and indented code are "sticky": blank lines inside them are normal (loose lists,
 *   multi-paragraph items), so they end only when a non-blank line after a blank line is neither
 *   indented nor a list item. Any list-marker line makes its block sticky, because a list may
 *   interrupt a paragraph without a blank line.
 * - Any other block (paragraph, quote, table, rule) is finished by the first blank line after it.
 */
export function splitFinishedBlocks(text: string, from = 0): BlockSplit {
  const blocks: string[] = [];
  let blockStart = from;
  let hasContent = false;
  let sticky = false;
  let blankSeen = false;
  let fence: Fence | undefined;

  const finish = (end: number): void => {
    blocks.push(text.slice(blockStart, end));
    blockStart = end;
    hasContent = false;
    sticky = false;
    blankSeen = false;
  };

  let lineStart = from;
  for (;;) {
    const newline = text.indexOf('\n', lineStart);
    if (newline < 0) break; // a partial line decides nothing
    const line = text.slice(lineStart, newline);
    const lineEnd = newline + 1;

    if (fence) {
      if (isClosingFence(line, fence)) {
        fence = undefined;
        // Inside a list the fence may belong to an item that continues, so only cut outside one.
        if (!sticky) finish(lineEnd);
      }
      lineStart = lineEnd;
      continue;
    }

    if (isBlankLine(line)) {
      if (hasContent) {
        if (sticky) blankSeen = true;
        else finish(lineEnd);
      }
      lineStart = lineEnd;
      continue;
    }

    const indent = indentWidth(line);
    if (sticky && blankSeen && indent === 0 && !isListMarkerLine(line)) finish(lineStart);
    blankSeen = false;

    if (indent <= 3) {
      const opened = openingFence(line);
      if (opened) {
        fence = opened;
        hasContent = true;
        lineStart = lineEnd;
        continue;
      }
      if (isListMarkerLine(line)) sticky = true;
    }
    if (!hasContent) {
      if (indent >= 4) sticky = true; // indented code may contain blank lines
      else if (isAtxHeading(line)) {
        finish(lineEnd);
        lineStart = lineEnd;
        continue;
      }
    }
    hasContent = true;
    lineStart = lineEnd;
  }
  return { blocks, tailStart: blockStart, openFence: fence !== undefined };
}

/**
 * A link reference definition (`[id]: url`) applies to the whole document, including blocks
 * rendered before it arrived, so a turn containing one is re-rendered in one piece when it ends.
 */
export function hasLinkReferenceDefinition(text: string): boolean {
  return /^ {0,3}\[[^\]\n]+\]:/m.test(text);
}
