/** Who the user is, from the profile settings; shapes how answers are pitched. */
export interface UserProfile {
  readonly expertise: 'beginner' | 'intermediate' | 'expert';
  readonly verbosity: 'concise' | 'detailed';
  readonly examples: boolean;
}

export interface SystemPromptInputs {
  readonly profile: UserProfile;
  /** The day the conversation started, as YYYY-MM-DD; fixed for the conversation's lifetime. */
  readonly date: string;
  /** The workspace's main languages, most used first. */
  readonly languages: readonly string[];
  /** The user's own system prompt blocks from the settings. */
  readonly userBlocks: readonly string[];
  /** `.claude-studio/instructions.md`, when the workspace is trusted and has one. */
  readonly workspaceInstructions?: string;
}

const BASE = [
  'You are Claude, working inside Visual Studio Code through the Claude Studio extension.',
  'The user shares code, files and questions from their editor. Answer in GitHub-flavoured Markdown.',
  'Put code in fenced blocks with a language tag. When you change existing code, show the complete changed unit (function, class or file) so it can be applied as is.',
  'Say so when you are unsure, and never invent APIs, files or output.',
].join('\n');

/**
 * Puts the system prompt together once, when a conversation starts. The result is frozen into the
 * conversation: nothing here (not even the date) may change a byte later, or the cache is lost.
 */
export function composeSystemPrompt(inputs: SystemPromptInputs): string[] {
  const { profile } = inputs;
  const about = [
    `Today is ${inputs.date}.`,
    `The user is ${article(profile.expertise)} ${profile.expertise} developer and prefers ${profile.verbosity} answers${profile.examples ? ' with examples' : ' without examples unless asked'}.`,
    inputs.languages.length > 0 ? `The workspace is mostly ${inputs.languages.join(', ')}.` : '',
  ]
    .filter((line) => line !== '')
    .join('\n');
  const blocks = [`${BASE}\n\n${about}`, ...inputs.userBlocks.map((block) => block.trim()).filter((block) => block !== '')];
  const instructions = inputs.workspaceInstructions?.trim();
  if (instructions) blocks.push(`Instructions for this workspace (from .claude-studio/instructions.md):\n\n${instructions}`);
  return blocks;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** A local calendar date as YYYY-MM-DD. */
export function isoDate(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
