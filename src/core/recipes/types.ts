import type { MessageCreateParamsNonStreaming, Message } from '@anthropic-ai/sdk/resources/messages';
import type { UsageLike } from '../anthropic/cost';

/** The eight prompting patterns a recipe can follow; each has its own flow in the engine. */
export type RecipeKind =
  | 'chainOfThought'
  | 'fewShot'
  | 'role'
  | 'jsonOutput'
  | 'selfConsistency'
  | 'refine'
  | 'decompose'
  | 'multiPersona';

/** The prompt templates a recipe may override; which ones a kind reads is in `PROMPTS_BY_KIND`. */
export type PromptName = 'task' | 'sample' | 'draft' | 'critique' | 'improve' | 'split' | 'solve' | 'synthesize' | 'view';

/**
 * A recipe as data: what users write in `.claude-studio/recipes/*.json` or the
 * `claudeStudio.recipes` setting, and what the built-ins are written in.
 */
export interface RecipeDefinition {
  /** Lower-case letters, digits and dashes; unique across all sources (later sources win). */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly kind: RecipeKind;
  /** The chat command word, without the slash; defaults to the id. */
  readonly slash: string;
  /** Extra system instructions, placed in the shared (cached) prefix. */
  readonly system?: string;
  /** Chain of thought only: ask for `<analysis>`, `<steps>`, `<answer>`, `<confidence>` and show them as sections. */
  readonly structured?: boolean;
  /** Overrides of the default prompt templates (see `PromptName`). */
  readonly prompts: Partial<Record<PromptName, string>>;
  /** Self-consistency: how many samples (default 5). */
  readonly samples?: number;
  /** Refinement: most critique/improve rounds (default 3). */
  readonly rounds?: number;
  /** Role (first one) and multi-persona: persona ids used unless the user picks others. */
  readonly personas?: readonly string[];
  /** Decompose: most subtasks solved (default 5). */
  readonly maxSubtasks?: number;
  /** JSON output: the schema used unless the user gives one. */
  readonly schema?: Record<string, unknown>;
  /** `max_tokens` per request (default 2048). */
  readonly maxTokens?: number;
}

/** An expert point of view, sent as a system prompt. */
export interface Persona {
  readonly id: string;
  readonly name: string;
  readonly prompt: string;
}

/** A few-shot example set: an instruction and input -> output pairs. */
export interface ExampleSet {
  readonly name: string;
  readonly instruction: string;
  readonly examples: readonly { readonly input: string; readonly output: string }[];
}

/** What a recipe runs on, and the run-time choices the user made. */
export interface RecipeInput {
  /** The selection or context, already formatted (path, lines, fenced code). */
  readonly material: string;
  /** What the user typed with it (a question, an instruction); may be empty. */
  readonly request?: string;
  readonly samples?: number;
  readonly rounds?: number;
  /** Personas resolved from ids (role uses the first). */
  readonly personas?: readonly Persona[];
  readonly schema?: Record<string, unknown>;
  readonly examples?: ExampleSet;
}

/** The reply a `complete` function gives back: the parts of the SDK's `Message` the engine reads. */
export type Completion = Pick<Message, 'content' | 'stop_reason'> & { readonly usage: UsageLike };

/**
 * Sends one request and resolves to the whole reply. Injected: unit tests script replies, the
 * extension and the integration tests call the real SDK. `onStart`, when the implementation can
 * tell, is called as the response begins (streaming `message_start`): from then on the request's
 * cache writes are readable, so the engine need not wait for the whole reply.
 */
export type Complete = (params: MessageCreateParamsNonStreaming, signal?: AbortSignal, onStart?: () => void) => Promise<Completion>;

export type StepStatus = 'running' | 'done' | 'error';

/** One request of a run, as the transcript shows it. */
export interface StepResult {
  readonly id: string;
  readonly title: string;
  status: StepStatus;
  text: string;
  usage?: UsageLike;
  costUsd: number;
  error?: string;
  /** Set when the step ran on another model than the run's (the cheap grouping request). */
  model?: string;
}

/** How the self-consistency samples voted. */
export interface Vote {
  /** The majority answer, as first written; undefined on a tie. */
  readonly winner?: string;
  /** Votes for the winner (or for each tied answer) over the answers counted. */
  readonly agreement: number;
  readonly votes: number;
  readonly counted: number;
  /** On a tie: the tied answers, as first written. */
  readonly tied: readonly string[];
  /** Every sample's answer, in sample order (undefined where a sample failed or gave none). */
  readonly answers: readonly (string | undefined)[];
  /**
   * The answers grouped by meaning, biggest first, when they did not all match exactly and the
   * grouping request answered; the winner, votes and agreement above are then the clusters'.
   */
  readonly clusters?: readonly VoteCluster[];
  /** Why the answers could not be grouped by meaning (the vote is then by exact match). */
  readonly clusterError?: string;
}

/** Answers that say the same thing, however worded. */
export interface VoteCluster {
  /** The cluster's most frequent wording, as a sample first wrote it. */
  readonly answer: string;
  readonly votes: number;
  /** `votes` over the answers counted. */
  readonly share: number;
  /** The cluster's other wordings, as written. */
  readonly variants: readonly string[];
}

/** A labelled part of the answer (chain of thought's analysis, steps, answer, confidence). */
export interface Section {
  readonly label: string;
  readonly text: string;
}

export interface RecipeResult {
  readonly recipeId: string;
  /** The final answer, as markdown. */
  readonly answer: string;
  readonly steps: readonly StepResult[];
  readonly usage: UsageLike;
  readonly costUsd: number;
  readonly sections?: readonly Section[];
  readonly vote?: Vote;
  /** JSON output: the parsed value when it matched the schema. */
  readonly json?: unknown;
  /** Set when the run ended without a usable answer (invalid JSON, every sample failed...). */
  readonly error?: string;
}
