import type { Usage } from '@anthropic-ai/sdk/resources/messages';
import type { AssistantTurnView, RecipeRunView, TurnView, UsageView, UserTurnView } from '../../shared/protocol';
import { sumPrices, type Price } from '../anthropic/price';
import type { ContextBlock } from '../context/contextSet';
import { MAX_THUMBNAIL_BYTES } from '../context/chips';
import type { AssistantTurn, Conversation, Turn, TurnRecipe } from './conversation';
import { branchOf } from './conversation';
import { canContinueTurn } from './turnError';
import { fileBlocksOf } from './fileBlocks';

/** Files named by a finished answer's code blocks, parsed once per answer text. */
const namedFiles = new WeakMap<AssistantTurn, { readonly text: string; readonly files: readonly string[] }>();

function filesOf(turn: AssistantTurn): readonly string[] {
  if (turn.status !== 'done' || (!turn.text.includes('```') && !turn.text.includes('~~~'))) return [];
  const known = namedFiles.get(turn);
  if (known?.text === turn.text) return known.files;
  const files = [...new Set(fileBlocksOf(turn.text).map((block) => block.path))];
  namedFiles.set(turn, { text: turn.text, files });
  return files;
}

/** Prices a usage record for a model, in US dollars. */
export type Pricer = (usage: Usage, model: string, answeredBy?: string) => Price;

export function usageView(usage: Usage, price: Price): UsageView {
  return {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    costUsd: price.costUsd,
    savedUsd: price.savedUsd,
    ...(price.unpriced !== undefined ? { unpriced: price.unpriced } : {}),
  };
}

function recipeView(recipe: TurnRecipe, model: string, pricer: Pricer): RecipeRunView {
  return {
    name: recipe.name,
    steps: recipe.steps.map((step) => ({
      title: step.title,
      status: step.status,
      text: step.text,
      ...(step.usage !== undefined ? { usage: usageView(step.usage, pricer(step.usage, step.model ?? model)) } : {}),
      ...(step.error !== undefined ? { error: step.error } : {}),
    })),
  };
}

/** A recipe turn's usage: token sums, and the cost of each step added up (each priced on its own). */
function recipeUsage(turn: AssistantTurn, usage: Usage, pricer: Pricer): UsageView {
  const steps = turn.recipe?.steps ?? [];
  const prices = steps.flatMap((step) => (step.usage === undefined ? [] : [pricer(step.usage, step.model ?? turn.model)]));
  return usageView(usage, sumPrices(prices));
}

export function assistantView(turn: AssistantTurn, pricer: Pricer, conversation?: Conversation): AssistantTurnView {
  const branch = conversation ? branchOf(conversation, turn) : undefined;
  const files = filesOf(turn);
  return {
    id: turn.id,
    role: 'assistant',
    text: turn.text,
    thinking: turn.thinking,
    status: turn.status,
    model: turn.model,
    ...(turn.stopReason !== undefined ? { stopReason: turn.stopReason } : {}),
    ...(turn.stopSequence !== undefined ? { stopSequence: turn.stopSequence } : {}),
    ...(turn.usage !== undefined
      ? { usage: turn.recipe && turn.recipe.steps.length > 0 ? recipeUsage(turn, turn.usage, pricer) : usageView(turn.usage, pricer(turn.usage, turn.model, turn.answeredBy)) }
      : {}),
    ...(turn.recipe !== undefined ? { recipe: recipeView(turn.recipe, turn.model, pricer) } : {}),
    ...(turn.error !== undefined
      ? {
          error: {
            kind: turn.error.kind,
            message: turn.error.message,
            ...(turn.error.action ? { action: turn.error.action } : {}),
            ...(turn.error.retryAt !== undefined ? { retryAt: turn.error.retryAt } : {}),
            ...(canContinueTurn(turn) ? { continuable: true } : {}),
          },
        }
      : {}),
    ...(branch ? { branch } : {}),
    ...(files.length > 0 ? { files } : {}),
  };
}

/** The webview's view of a turn: only what it draws, never request internals. */
export function turnView(turn: Turn, pricer: Pricer, conversation?: Conversation): TurnView {
  if (turn.kind === 'assistant') return assistantView(turn, pricer, conversation);
  const branch = conversation ? branchOf(conversation, turn) : undefined;
  const context = turn.context?.map((block) => block.label);
  const media = mediaViews(turn.context ?? []);
  return {
    id: turn.id, role: 'user', text: turn.text,
    ...(context !== undefined && context.length > 0 ? { context } : {}),
    ...(media.length > 0 ? { media } : {}),
    ...(branch ? { branch } : {}),
  };
}

/** What a user turn shows of its images and PDFs: small images with their bytes, for a thumbnail. */
function mediaViews(context: readonly ContextBlock[]): NonNullable<UserTurnView['media']> {
  return context.flatMap((block) => {
    const media = block.media;
    if (media === undefined || media.data === '') return [];
    const mediaType = media.mediaType;
    const thumbnail = mediaType !== 'application/pdf' && (media.data.length / 4) * 3 <= MAX_THUMBNAIL_BYTES ? { thumbnail: { mediaType, data: media.data } } : {};
    return [{ label: block.label, kind: media.kind, ...thumbnail }];
  });
}
