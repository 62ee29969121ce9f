import type { ModelCapabilities, ModelInfo } from '@anthropic-ai/sdk/resources/models';
import { notFound } from './errors';
import { paginate } from './pagination';
import type { PageBody } from './pagination';
import type { ModelSpec } from './types';

export const DEFAULT_MIN_CACHEABLE_TOKENS = 1024;

/** Newest first, as the API lists them. */
export const DEFAULT_MODELS: readonly ModelSpec[] = [
  { id: 'claude-opus-5-5', displayName: 'Claude Opus 5.5', createdAt: '2026-09-02T00:00:00Z', maxInputTokens: 1_000_000, maxTokens: 128_000, line: 'opus' },
  { id: 'claude-sonnet-5-5', displayName: 'Claude Sonnet 5.5', createdAt: '2026-09-01T00:00:00Z', maxInputTokens: 1_000_000, maxTokens: 64_000, line: 'sonnet' },
  { id: 'claude-haiku-5-5', displayName: 'Claude Haiku 5.5', createdAt: '2026-08-15T00:00:00Z', maxInputTokens: 200_000, maxTokens: 64_000, line: 'haiku' },
];

const YES = { supported: true } as const;

function capabilities(): ModelCapabilities {
  return {
    batch: YES,
    citations: YES,
    code_execution: YES,
    context_management: { supported: true, clear_thinking_20251015: YES, clear_tool_uses_20250919: YES, compact_20260112: YES },
    effort: { supported: true, low: YES, medium: YES, high: YES, max: YES, xhigh: YES },
    image_input: YES,
    pdf_input: YES,
    server_tools: { supported: true, code_execution: YES, web_search: YES },
    structured_outputs: YES,
    thinking: { supported: true, types: { adaptive: YES, between_tools: YES, disabled: YES, enabled: YES } },
  };
}

export function modelInfo(spec: ModelSpec): ModelInfo {
  return {
    id: spec.id,
    type: 'model',
    display_name: spec.displayName,
    created_at: spec.createdAt,
    capabilities: capabilities(),
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

  constructor(specs: readonly ModelSpec[], private readonly defaultMinCacheable: number) {
    this.specs = [...specs].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  }

  get(id: string): ModelSpec | undefined {
    return this.specs.find((spec) => spec.id === id);
  }

  minCacheableTokens(id: string): number {
    return this.get(id)?.minCacheableTokens ?? this.defaultMinCacheable;
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
