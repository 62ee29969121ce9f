import type { RecipeKind } from '../core/recipes/types';

const requests = (n: number): string => `${n} request${n === 1 ? '' : 's'}`;

/**
 * What follows a recipe's first stage, and that the "Run now" estimate includes it, the earlier
 * answers it carries counted at their max tokens. Kept short and said early in the line: a
 * quick pick cuts its detail line at about 80 characters in a common window.
 */
const laterStages: Readonly<Record<RecipeKind, (later: number) => string>> = {
  chainOfThought: () => 'nothing more',
  fewShot: () => 'nothing more',
  role: () => 'nothing more',
  jsonOutput: () => 'nothing more',
  selfConsistency: () => 'the vote, worked out here with no further request',
  multiPersona: () => 'the synthesis (in the estimate, each view at its max tokens)',
  refine: (later) => `up to ${requests(later)} of critique and improvement (in the estimate, each draft and critique at its max tokens)`,
  decompose: (later) => `up to ${later - 1} subtasks and the synthesis (in the estimate, each answer at its max tokens)`,
};

/** Every user-visible string of the recipes feature, in one place for vscode.l10n. */
export const recipeStrings = {
  pickTitle: 'Claude: Run Recipe',
  pickPlaceholder: 'Choose a prompt recipe to run on the selection',
  builtin: 'built-in',
  fromWorkspace: 'workspace',
  fromSettings: 'settings',
  noMaterial: 'Select some code first (or type text after the slash command).',
  unknownCommand: (command: string, known: readonly string[]): string => `There is no recipe "/${command}". Recipes: ${known.map((k) => `/${k}`).join(', ')}.`,
  unknownModel: (id: string): string => `Claude Studio does not know the model "${id}". Choose one with Claude: Choose Model...`,
  problems: (count: number, first: string): string =>
    count === 1
      ? `Claude Studio skipped an invalid recipe or persona: ${first}`
      : `Claude Studio skipped ${count} invalid recipe or persona definitions, first: ${first}. The Claude Studio output lists each file and field.`,
  showOutput: 'Show Output',
  samplesPrompt: 'How many independent samples should vote? (2-20)',
  roundsPrompt: 'At most how many critique-and-improve rounds? (1-10)',
  wholeNumber: (min: number, max: number): string => `Enter a whole number from ${min} to ${max}.`,
  personasTitle: 'Which experts should give their view?',
  personaTitle: 'Which expert should answer?',
  pickAtLeastOne: 'Pick at least one persona.',
  schemaTitle: 'Which JSON schema should the answer match?',
  schemaRecipe: 'The recipe’s schema',
  schemaLast: 'The schema you used last',
  schemaEnter: 'Enter a schema…',
  schemaPrompt: 'A JSON schema (one line of JSON)',
  schemaInvalid: (message: string): string => message,
  notJson: (message: string): string => `Not valid JSON: ${message}`,
  examplesTitle: 'Which example set?',
  examplesNew: '$(add) New example set…',
  examplesCount: (n: number): string => `${n} example${n === 1 ? '' : 's'}`,
  exampleSetName: 'A name for the example set',
  exampleSetInstruction: 'What the examples show (e.g. "Classify each function as pure or impure.")',
  exampleInput: (n: number): string => `Example ${n}: the input (leave empty to finish)`,
  exampleOutput: (n: number): string => `Example ${n}: the output for that input`,
  cannotRun: (message: string): string => `Claude Studio cannot run this recipe: ${message}`,
  userTurn: (name: string, where: string): string => `Recipe: ${name} on ${where}`,
  howTitle: (name: string): string => `${name}: run now or send as a batch?`,
  runNow: 'Run now',
  sendAsBatch: 'Send as batch (half price, results in Batch Jobs)',
  costOf: (input: string, maxOutput: string, estimated: boolean): string => `≈${input} input + up to ${maxOutput} output${estimated ? ' (estimated prices)' : ''}`,
  runNowDetail: (first: number, later: number, kind: RecipeKind): string => `${requests(first)} now, then ${laterStages[kind](later)}; the answer in the chat`,
  sendAsBatchDetail: (n: number, kind: RecipeKind): string =>
    `${n} requests as one batch job (most end within an hour); ${kind === 'selfConsistency' ? 'the vote when you open the results' : 'each answer, no synthesis'}`,
  batchJobName: (name: string, where: string): string => `${name}: ${where}`,
  batchFailed: (message: string): string => `The recipe was not sent as a batch: ${message}`,
} as const;
