/** A piece of code the user selected, with where it came from. */
export interface CodeSelection {
  /** Workspace-relative path, with forward slashes. */
  readonly path: string;
  readonly languageId: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
}

/** Longest run of backticks in the text, so the fence around it is always longer. */
function fenceFor(text: string): string {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** The selection as a fenced block headed by its path and line range. */
export function formatSelection(selection: CodeSelection): string {
  const fence = fenceFor(selection.text);
  const range = selection.startLine === selection.endLine ? `line ${selection.startLine}` : `lines ${selection.startLine}-${selection.endLine}`;
  return `\`${selection.path}\` (${range}):\n\n${fence}${selection.languageId}\n${selection.text.replace(/\n$/, '')}\n${fence}`;
}

/** "Explain" on a selection: what it does, how, and anything surprising. */
export function explainPrompt(selection: CodeSelection): string {
  return `Explain this code: what it does, how it works, and anything surprising or risky in it.\n\n${formatSelection(selection)}`;
}

/** A free question about a selection. */
export function questionPrompt(selection: CodeSelection, question: string): string {
  return `${question.trim()}\n\n${formatSelection(selection)}`;
}
