/**
 * The server's models, derived from the extension's built-in catalog (src/core/anthropic) so the
 * limits, capabilities and minimum cacheable lengths the server enforces are the ones the catalog
 * states: a model the catalog calls adaptive-only answers `thinking: {type:'enabled'}` with a 400
 * here, as the API does, and the extension's fallback has to work.
 */
import type { ModelCapabilities, ModelInfo } from '@anthropic-ai/sdk/resources/models';
import { BUILTIN_MODELS } from '../../src/core/anthropic/catalog';
import { EFFORT_LEVELS } from '../../src/core/anthropic/modelTypes';
import type { EffortLevel, ModelEntry } from '../../src/core/anthropic/modelTypes';
import { notFound } from './errors';
import { paginate } from './pagination';
import type { PageBody } from './pagination';
import type { ModelSpec, ThinkingType } from './types';

/** For a spec that names none (tests' own models). */
export const DEFAULT_MIN_CACHEABLE_TOKENS = 1024;
export const THINKING_TYPES: readonly ThinkingType[] = ['enabled', 'adaptive', 'disabled', 'between_tools'];

const SDK_LINES = ['haiku', 'sonnet', 'opus', 'fable', 'mythos'] as const;

/** The catalog has no release dates; one day apart keeps its newest-first order. */
const NEWEST_CREATED = Date.parse('2026-11-01T00:00:00Z');
const DAY_MS = 24 * 60 * 60_000;

/** `disabled` works everywhere; `between_tools` goes with adaptive thinking (the catalog has no flag for it). */
export function thinkingTypesOf(entry: ModelEntry): ThinkingType[] {
  const { thinkingEnabled, thinkingAdaptive } = entry.capabilities;
  return THINKING_TYPES.filter((type) =>
    type === 'enabled' ? thinkingEnabled : type === 'disabled' ? true : thinkingAdaptive,
  );
}

export function specFromCatalog(entry: ModelEntry, index: number): ModelSpec {
  return {
    id: entry.id,
    displayName: entry.displayName,
    createdAt: new Date(NEWEST_CREATED - index * DAY_MS).toISOString().replace('.000Z', 'Z'),
    maxInputTokens: entry.contextWindow,
    maxTokens: entry.maxOutputTokens,
    line: SDK_LINES.find((line) => line === entry.line) ?? null,
    minCacheableTokens: entry.minCacheableTokens,
    lifecycle: entry.lifecycle.status,
    thinkingTypes: thinkingTypesOf(entry),
    effortLevels: [...entry.capabilities.effortLevels],
    structuredOutputs: entry.capabilities.structuredOutputs,
  };
}

/**
 * What a key without special access sees: the catalog's generally available models, without the
 * dated snapshot ids (aliases of listed ones). Newest first, as the API lists them.
 */
export const DEFAULT_MODELS: readonly ModelSpec[] = BUILTIN_MODELS.filter((m) => m.availability === 'general' && m.aliasOf === undefined).map(
  specFromCatalog,
);

const YES = { supported: true } as const;
const NO = { supported: false } as const;
const support = (yes: boolean): { supported: boolean } => (yes ? YES : NO);

/** A spec without capability fields (a test's own model) accepts everything. */
export function specThinkingTypes(spec: ModelSpec): readonly ThinkingType[] {
  return spec.thinkingTypes ?? THINKING_TYPES;
}

export function specEffortLevels(spec: ModelSpec): readonly EffortLevel[] {
  return spec.effortLevels ?? EFFORT_LEVELS;
}

function capabilities(spec: ModelSpec): ModelCapabilities {
  const thinking = specThinkingTypes(spec);
  const effort = specEffortLevels(spec);
  return {
    batch: YES,
    citations: YES,
    code_execution: YES,
    context_management: { supported: true, clear_thinking_20251015: YES, clear_tool_uses_20250919: YES, compact_20260112: YES },
    effort: {
      supported: effort.length > 0,
      low: support(effort.includes('low')),
      medium: support(effort.includes('medium')),
      high: support(effort.includes('high')),
      max: support(effort.includes('max')),
      xhigh: support(effort.includes('xhigh')),
    },
    image_input: YES,
    pdf_input: YES,
    server_tools: { supported: true, code_execution: YES, web_search: YES },
    structured_outputs: support(spec.structuredOutputs ?? true),
    thinking: {
      supported: thinking.some((type) => type !== 'disabled'),
      types: {
        adaptive: support(thinking.includes('adaptive')),
        between_tools: support(thinking.includes('between_tools')),
        disabled: support(thinking.includes('disabled')),
        enabled: support(thinking.includes('enabled')),
      },
    },
  };
}

export function modelInfo(spec: ModelSpec): ModelInfo {
  return {
    id: spec.id,
    type: 'model',
    display_name: spec.displayName,
    created_at: spec.createdAt,
    capabilities: capabilities(spec),
    deprecated_at: null,
    lifecycle: spec.lifecycle ?? 'active',
    line: spec.line ?? null,
    max_input_tokens: spec.maxInputTokens,
    max_tokens: spec.maxTokens,
    retires_at: null,
  };
}

export class ModelCatalog {
  private readonly specs: ModelSpec[];

  /** `minCacheableOverride` replaces every model's figure (tests that want small prefixes cached). */
  constructor(specs: readonly ModelSpec[], private readonly minCacheableOverride?: number) {
    this.specs = [...specs].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  }

  get(id: string): ModelSpec | undefined {
    return this.specs.find((spec) => spec.id === id);
  }

  minCacheableTokens(id: string): number {
    return this.minCacheableOverride ?? this.get(id)?.minCacheableTokens ?? DEFAULT_MIN_CACHEABLE_TOKENS;
  }

  list(query: URLSearchParams): PageBody<ModelInfo> {
    // Retired models are hidden unless asked for, like the API's default lifecycle filter.
    const wanted = [...query.getAll('lifecycle'), ...query.getAll('lifecycle[]')];
    const visible = this.specs.filter((spec) => {
      const stage = spec.lifecycle ?? 'active';
      return wanted.length > 0 ? wanted.includes(stage) : stage !== 'retired';
    });
    return paginate(visible.map(modelInfo), query);
  }

  retrieve(id: string): ModelInfo {
    const spec = this.get(id);
    if (!spec) throw notFound(`model: ${id}`);
    return modelInfo(spec);
  }
}
