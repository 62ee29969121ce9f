/**
 * What every recipe flow shares: building requests so that all of a run's requests start with
 * the same cached prefix, sending them (parallel groups under the concurrency limit, the first
 * one alone so it writes the cache the others read), and keeping each step's text, usage and cost.
 */
import type { MessageCreateParamsNonStreaming, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { costOf } from '../anthropic/cost';
import type { UsageLike } from '../anthropic/cost';
import type { ModelEntry } from '../anthropic/modelTypes';
import { estimateTokens } from '../tokens/estimate';
import { mapLimit } from '../util/concurrency';
import type { Settled } from '../util/concurrency';
import { DEFAULT_PROMPTS, DEFAULT_REQUESTS } from './builtins';
import { fillTemplate } from './parsers';
import { systemBlocks } from '../chat/requestBuilder';
import type { Complete, Completion, Persona, PromptName, RecipeDefinition, RecipeInput, StepResult } from './types';
import { errorMessage } from '../util/errors';

export interface EngineOptions {
  readonly complete: Complete;
  /** The model: its prices, its minimum cacheable prefix and whether it has structured outputs. */
  readonly model: ModelEntry;
  /**
   * The chat's system prompt as the conversation fixed it (profile, the user's own blocks, the
   * workspace instructions where the workspace is trusted): first in every request, inside the
   * cached prefix, so a recipe answers as the chat would.
   */
  readonly system?: readonly string[];
  /** The model that groups self-consistency answers by meaning: the catalog's cheapest (default: `model`). */
  readonly clusterModel?: ModelEntry;
  /** Most requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** `max_tokens` when the recipe sets none (default 2048). */
  readonly maxTokens?: number;
  readonly cacheTtl?: '5m' | '1h';
  /** False where the model is known to reject a prefilled answer. */
  readonly prefillAllowed?: boolean;
  readonly signal?: AbortSignal;
  /** Called whenever a step starts or ends, with all steps so far. */
  readonly onProgress?: (steps: readonly StepResult[]) => void;
}

/** Extras on one request beyond its prompt. */
export interface RequestExtras {
  readonly persona?: Persona;
  /** Start of Claude's turn (prefill). */
  readonly prefill?: string;
  /** `output_config.format` schema (structured outputs). */
  readonly schema?: Record<string, unknown>;
}

export interface PlannedRequest {
  readonly title: string;
  readonly prompt: string;
  readonly extras?: RequestExtras;
}

/** How one request of a parallel group ended. */
export type Outcome = { readonly text: string } | { readonly error: unknown };

const DEFAULT_MAX_TOKENS = 2048;
const DEFAULT_CONCURRENCY = 4;

/** Usage totals with every field present. */
export interface UsageTotals {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

export function emptyUsage(): UsageTotals {
  return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } };
}

/** Sums usage records (e.g. every step of a run). */
export function sumUsage(usages: readonly (UsageLike | undefined)[]): UsageTotals {
  const total = emptyUsage();
  for (const usage of usages) {
    if (usage === undefined) continue;
    total.input_tokens += usage.input_tokens;
    total.output_tokens += usage.output_tokens;
    total.cache_creation_input_tokens += usage.cache_creation_input_tokens ?? 0;
    total.cache_read_input_tokens += usage.cache_read_input_tokens ?? 0;
    total.cache_creation.ephemeral_5m_input_tokens += usage.cache_creation?.ephemeral_5m_input_tokens ?? 0;
    total.cache_creation.ephemeral_1h_input_tokens += usage.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  }
  return total;
}

export function textOf(completion: Pick<Completion, 'content'>): string {
  return completion.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

/** The request prefix every request of a run starts with: instructions, examples, the material. */
export function sharedPrefix(recipe: RecipeDefinition, input: RecipeInput, afterChatPrompt = false): string {
  // After the chat's own prompt, which already says who Claude is and where, the material is introduced only.
  const parts = [afterChatPrompt ? 'The material the developer is working on is below.' : 'You are Claude, helping a developer inside their code editor. The material they are working on is below.'];
  if (recipe.system) parts.push(recipe.system);
  if (recipe.kind === 'fewShot' && input.examples) {
    const examples = input.examples.examples
      .map((example, i) => `<example index="${i + 1}">\n<input>\n${example.input}\n</input>\n<output>\n${example.output}\n</output>\n</example>`)
      .join('\n');
    parts.push(`${input.examples.instruction}\n\n<examples>\n${examples}\n</examples>`);
  }
  parts.push(`<material>\n${input.material}\n</material>`);
  return parts.join('\n\n');
}

export class RunContext {
  readonly steps: StepResult[] = [];
  private readonly chatSystem: readonly TextBlockParam[];
  private readonly prefixBlock: TextBlockParam;
  private readonly prefixTokens: number;
  readonly request: string;

  constructor(readonly recipe: RecipeDefinition, readonly input: RecipeInput, readonly options: EngineOptions) {
    this.chatSystem = systemBlocks(options.system ?? []);
    const text = sharedPrefix(recipe, input, this.chatSystem.length > 0);
    this.prefixTokens = this.chatSystem.reduce((sum, block) => sum + estimateTokens(block.text), estimateTokens(text));
    this.prefixBlock = {
      type: 'text',
      text,
      cache_control: { type: 'ephemeral', ...(options.cacheTtl === '1h' ? { ttl: '1h' } : {}) },
    };
    const typed = input.request?.trim() ?? '';
    this.request = typed !== '' ? typed : recipe.kind === 'fewShot' && input.examples ? input.examples.instruction : DEFAULT_REQUESTS[recipe.kind];
  }

  /** A template of this recipe (its own or the kind's default) with the values filled in. */
  prompt(name: PromptName, values: Readonly<Record<string, string>> = {}): string {
    const template = this.recipe.prompts[name] ?? DEFAULT_PROMPTS[this.recipe.kind][name] ?? '{{request}}';
    return fillTemplate(template, { request: this.request, ...values });
  }

  /** The API request for one step: shared prefix (cached) first, then what differs. */
  params(prompt: string, extras: RequestExtras = {}): MessageCreateParamsNonStreaming {
    // The chat's prompt, then the recipe's prefix whose breakpoint caches both.
    const system: TextBlockParam[] = [...this.chatSystem.map((block) => ({ ...block })), this.prefixBlock];
    if (extras.persona) system.push({ type: 'text', text: extras.persona.prompt });
    return {
      model: this.options.model.id,
      max_tokens: this.recipe.maxTokens ?? this.options.maxTokens ?? DEFAULT_MAX_TOKENS,
      system,
      messages: [
        { role: 'user', content: prompt },
        ...(extras.prefill ? [{ role: 'assistant' as const, content: extras.prefill }] : []),
      ],
      ...(extras.schema ? { output_config: { format: { type: 'json_schema' as const, schema: extras.schema } } } : {}),
    };
  }

  /** Sends one step's request and records it; rejects with the API's error (the step keeps it). */
  async send(planned: PlannedRequest, onStart?: () => void): Promise<{ text: string; completion: Completion; step: StepResult }> {
    return this.sendParams(planned.title, this.params(planned.prompt, planned.extras), this.options.model, onStart);
  }

  /**
   * Sends a request built outside the shared prefix (a utility step on another model, such as
   * grouping answers by meaning) and records it as a step, priced at `model`.
   */
  async sendParams(title: string, params: MessageCreateParamsNonStreaming, model: ModelEntry, onStart?: () => void): Promise<{ text: string; completion: Completion; step: StepResult }> {
    const step: StepResult = { id: `s${this.steps.length + 1}`, title, status: 'running', text: '', costUsd: 0, ...(model.id !== this.options.model.id ? { model: model.id } : {}) };
    this.steps.push(step);
    this.progress();
    try {
      this.options.signal?.throwIfAborted();
      const completion = await this.options.complete(params, this.options.signal, onStart);
      step.text = textOf(completion);
      step.usage = completion.usage;
      step.costUsd = costOf(completion.usage, model).total;
      step.status = 'done';
      return { text: step.text, completion, step };
    } catch (error) {
      step.status = 'error';
      step.error = errorMessage(error);
      throw error;
    } finally {
      this.progress();
    }
  }

  /**
   * Sends independent requests side by side, at most `concurrency` at once. When the shared
   * prefix is long enough to be cached, the first goes alone so it writes the cache and the
   * rest then read it instead of each writing its own copy.
   */
  async parallel(planned: readonly PlannedRequest[]): Promise<Outcome[]> {
    const settle = async (item: PlannedRequest, onStart?: () => void): Promise<Outcome> => {
      try {
        return { text: (await this.send(item, onStart)).text };
      } catch (error) {
        this.options.signal?.throwIfAborted();
        return { error };
      }
    };
    const limit = this.options.concurrency ?? DEFAULT_CONCURRENCY;
    const collect = (settled: readonly Settled<Outcome>[]): Outcome[] => settled.map((item) => (item.ok ? item.value : { error: item.error }));
    if (planned.length < 2 || !this.prefixCacheable()) return collect(await mapLimit(planned, limit, (item) => settle(item), this.options.signal));
    // The rest start once the first response has begun (its cache write is readable then), or
    // once it has ended where the transport cannot tell when it began.
    let begun!: () => void;
    const firstBegan = new Promise<void>((resolve) => (begun = resolve));
    const first = settle(planned[0] as PlannedRequest, begun).finally(begun);
    await firstBegan;
    this.options.signal?.throwIfAborted();
    const rest = await mapLimit(planned.slice(1), Math.max(1, limit - 1), (item) => settle(item), this.options.signal);
    return [await first, ...collect(rest)];
  }

  /** Whether the shared prefix reaches the model's minimum cacheable length (estimated). */
  prefixCacheable(): boolean {
    return this.prefixTokens >= this.options.model.minCacheableTokens;
  }

  get totalCost(): number {
    return this.steps.reduce((sum, step) => sum + step.costUsd, 0);
  }

  get usage(): UsageTotals {
    return sumUsage(this.steps.map((step) => step.usage));
  }

  private progress(): void {
    this.options.onProgress?.(this.steps);
  }
}
