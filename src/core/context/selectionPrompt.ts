import { fenceFor } from './contextItem';

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

/** The right-click actions on a selection, each a prompt built around the selected code. */
export type SelectionAction = 'explain' | 'findBugs' | 'refactor' | 'writeTests' | 'document';

const ACTION_INSTRUCTIONS: Readonly<Record<Exclude<SelectionAction, 'explain'>, string>> = {
  findBugs:
    'Find bugs in this code: logic errors, unhandled edge cases, wrong error handling, resource leaks, concurrency and security problems. ' +
    'For each, give the line, what goes wrong and when, and a minimal fix. If you find none, say so plainly rather than inventing one.',
  refactor:
    'Refactor this code for clarity and maintainability without changing its behaviour or its public interface. ' +
    'Show the complete refactored code in one block, then list each change and why it helps.',
  writeTests:
    'Write unit tests for this code with the test framework and style this project already uses (ask if you cannot tell). ' +
    'Cover the normal cases, the edge cases and the failure paths; each test name should say what it checks.',
  document:
    'Write documentation comments for this code in the idiomatic style of its language (JSDoc, docstrings, rustdoc...): ' +
    'what each part does, its parameters, return value, errors and anything surprising. Show the code with the comments added and change nothing else.',
};

/** The prompt for one of the selection actions. */
export function actionPrompt(action: SelectionAction, selection: CodeSelection): string {
  if (action === 'explain') return explainPrompt(selection);
  return `${ACTION_INSTRUCTIONS[action]}\n\n${formatSelection(selection)}`;
}
