import { l10n } from 'vscode';
import type { RecipeKind } from '../core/recipes/types';

const requests = (n: number): string => (n === 1 ? l10n.t('1 request') : l10n.t('{0} requests', n));

/**
 * What follows a recipe's first stage, and that the "Run now" estimate includes it, the earlier
 * answers it carries counted at their max tokens. Kept short and said early in the line: a
 * quick pick cuts its detail line at about 80 characters in a common window.
 */
const laterStages: Readonly<Record<RecipeKind, (later: number) => string>> = {
  chainOfThought: () => l10n.t('nothing more'),
  fewShot: () => l10n.t('nothing more'),
  role: () => l10n.t('nothing more'),
  jsonOutput: () => l10n.t('nothing more'),
  selfConsistency: () => l10n.t('the vote, worked out here with no further request'),
  multiPersona: () => l10n.t('the synthesis (in the estimate, each view at its max tokens)'),
  refine: (later) => l10n.t('up to {0} of critique and improvement (in the estimate, each draft and critique at its max tokens)', requests(later)),
  decompose: (later) => l10n.t('up to {0} subtasks and the synthesis (in the estimate, each answer at its max tokens)', later - 1),
};

/**
 * The built-in recipes' and personas' names and descriptions as the user sees them (pickers,
 * titles), by id. The definitions in core keep the English, which is also what the prompts sent
 * to Claude use; a recipe or persona of the user's own is shown as written.
 */
const builtinRecipeText: Readonly<Record<string, { english: string; name: () => string; description: () => string }>> = {
  cot: { english: 'Chain of thought', name: () => l10n.t('Chain of thought'), description: () => l10n.t('Reason step by step before answering.') },
  'cot-structured': { english: 'Chain of thought (structured)', name: () => l10n.t('Chain of thought (structured)'), description: () => l10n.t('Analysis, steps, answer and confidence as separate sections.') },
  'few-shot': { english: 'Few-shot', name: () => l10n.t('Few-shot'), description: () => l10n.t('Classify or transform the selection like your saved examples.') },
  role: { english: 'Ask an expert', name: () => l10n.t('Ask an expert'), description: () => l10n.t('An expert persona as the system prompt.') },
  json: { english: 'JSON output', name: () => l10n.t('JSON output'), description: () => l10n.t('JSON matching your schema, validated.') },
  vote: { english: 'Self-consistency vote', name: () => l10n.t('Self-consistency vote'), description: () => l10n.t('Several independent answers; the majority wins.') },
  refine: { english: 'Iterative refinement', name: () => l10n.t('Iterative refinement'), description: () => l10n.t('Draft, critique, improve, until nothing is left to improve.') },
  decompose: { english: 'Decompose and synthesize', name: () => l10n.t('Decompose and synthesize'), description: () => l10n.t('Split into subtasks, solve each, put it together.') },
  personas: { english: 'Multi-persona analysis', name: () => l10n.t('Multi-persona analysis'), description: () => l10n.t('Several experts’ views, then where they agree and differ.') },
};

const builtinPersonaNames: Readonly<Record<string, () => string>> = {
  security: () => l10n.t('Security reviewer'),
  performance: () => l10n.t('Performance engineer'),
  maintainer: () => l10n.t('Maintainer'),
  tester: () => l10n.t('Test engineer'),
  architect: () => l10n.t('Software architect'),
  newcomer: () => l10n.t('New team member'),
};

/**
 * A recipe's name and description in the display language: a built-in's (its id and English name
 * both match) translated, a recipe of the user's own that reuses an id shown as written.
 */
export function recipeDisplay(recipe: { readonly id: string; readonly name: string; readonly description: string }): { name: string; description: string } {
  const builtin = builtinRecipeText[recipe.id];
  return builtin !== undefined && builtin.english === recipe.name ? { name: builtin.name(), description: builtin.description() } : { name: recipe.name, description: recipe.description };
}

/**
 * A persona's name in the display language. Only a built-in's (its id and English name both
 * match) is translated: a persona of the user's own that reuses an id keeps its own name.
 */
export function personaDisplayName(persona: { readonly id: string; readonly name: string }, englishBuiltinName: string | undefined): string {
  const builtin = builtinPersonaNames[persona.id];
  return builtin !== undefined && englishBuiltinName === persona.name ? builtin() : persona.name;
}

/** Every user-visible string of the recipes feature, in one place, through vscode.l10n (read when shown). */
export const recipeStrings = {
  get pickTitle(): string { return l10n.t('Claude: Run Recipe'); },
  get pickPlaceholder(): string { return l10n.t('Choose a prompt recipe to run on the selection'); },
  get builtin(): string { return l10n.t('built-in'); },
  get fromWorkspace(): string { return l10n.t('workspace'); },
  get fromSettings(): string { return l10n.t('settings'); },
  get noMaterial(): string { return l10n.t('Select some code first (or type text after the slash command).'); },
  unknownCommand: (command: string, known: readonly string[]): string =>
    l10n.t('There is no recipe "/{0}". Recipes: {1}.', command, known.map((k) => `/${k}`).join(', ')),
  unknownModel: (id: string): string => l10n.t('Claude Studio does not know the model "{0}". Choose one with Claude: Choose Model...', id),
  problems: (count: number, first: string): string =>
    count === 1
      ? l10n.t('Claude Studio skipped an invalid recipe or persona: {0}', first)
      : l10n.t('Claude Studio skipped {0} invalid recipe or persona definitions, first: {1}. The Claude Studio output lists each file and field.', count, first),
  get showOutput(): string { return l10n.t('Show Output'); },
  get samplesPrompt(): string { return l10n.t('How many independent samples should vote? (2-20)'); },
  get roundsPrompt(): string { return l10n.t('At most how many critique-and-improve rounds? (1-10)'); },
  wholeNumber: (min: number, max: number): string => l10n.t('Enter a whole number from {0} to {1}.', min, max),
  get personasTitle(): string { return l10n.t('Which experts should give their view?'); },
  get personaTitle(): string { return l10n.t('Which expert should answer?'); },
  get pickAtLeastOne(): string { return l10n.t('Pick at least one persona.'); },
  get schemaTitle(): string { return l10n.t('Which JSON schema should the answer match?'); },
  get schemaRecipe(): string { return l10n.t('The recipe’s schema'); },
  get schemaLast(): string { return l10n.t('The schema you used last'); },
  get schemaEnter(): string { return l10n.t('Enter a schema…'); },
  get schemaPrompt(): string { return l10n.t('A JSON schema (one line of JSON)'); },
  get schemaNotObject(): string { return l10n.t('a schema is an object'); },
  schemaInvalid: (message: string): string => message,
  notJson: (message: string): string => l10n.t('Not valid JSON: {0}', message),
  get examplesTitle(): string { return l10n.t('Which example set?'); },
  get examplesNew(): string { return l10n.t('$(add) New example set…'); },
  examplesCount: (n: number): string => (n === 1 ? l10n.t('1 example') : l10n.t('{0} examples', n)),
  get exampleSetName(): string { return l10n.t('A name for the example set'); },
  get exampleSetInstruction(): string { return l10n.t('What the examples show (e.g. "Classify each function as pure or impure.")'); },
  exampleInput: (n: number): string => l10n.t('Example {0}: the input (leave empty to finish)', n),
  exampleOutput: (n: number): string => l10n.t('Example {0}: the output for that input', n),
  cannotRun: (message: string): string => l10n.t('Claude Studio cannot run this recipe: {0}', message),
  /** The user turn's first line: it is sent to Claude too, so it stays English like the other prompt text. */
  userTurn: (name: string, where: string): string => `Recipe: ${name} on ${where}`,
  howTitle: (name: string): string => l10n.t('{0}: run now or send as a batch?', name),
  get runNow(): string { return l10n.t('Run now'); },
  get sendAsBatch(): string { return l10n.t('Send as batch (half price, results in Batch Jobs)'); },
  costOf: (input: string, maxOutput: string, estimated: boolean): string =>
    estimated ? l10n.t('≈{0} input + up to {1} output (estimated prices)', input, maxOutput) : l10n.t('≈{0} input + up to {1} output', input, maxOutput),
  runNowDetail: (first: number, later: number, kind: RecipeKind): string => l10n.t('{0} now, then {1}; the answer in the chat', requests(first), laterStages[kind](later)),
  sendAsBatchDetail: (n: number, kind: RecipeKind): string =>
    kind === 'selfConsistency'
      ? l10n.t('{0} requests as one batch job (most end within an hour); the vote when you open the results', n)
      : l10n.t('{0} requests as one batch job (most end within an hour); each answer, no synthesis', n),
  get typedText(): string { return l10n.t('the text you typed'); },
  batchJobName: (name: string, where: string): string => `${name}: ${where}`,
  batchFailed: (message: string): string => l10n.t('The recipe was not sent as a batch: {0}', message),
};
