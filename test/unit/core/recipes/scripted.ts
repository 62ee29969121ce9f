import assert from 'node:assert/strict';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { findModel } from '../../../../src/core/anthropic/catalog';
import type { ModelEntry } from '../../../../src/core/anthropic/modelTypes';
import { builtinRecipes } from '../../../../src/core/recipes/builtins';
import type { Complete, Completion, RecipeDefinition, RecipeInput } from '../../../../src/core/recipes/types';

export const MODEL = findModel('claude-sonnet-5-5') as ModelEntry;

const recipes = builtinRecipes();
/** A built-in recipe by id. */
export function recipe(id: string): RecipeDefinition {
  const found = recipes.find((r) => r.id === id);
  assert.ok(found, id);
  return found;
}

/** A `complete` for runs that must not send anything. */
export const never = (): Promise<never> => Promise.reject(new Error('not sent'));

/** A material long enough to cross Sonnet's minimum cacheable prefix. */
export const LARGE: RecipeInput = { material: `\`\`\`ts\n${'export const value = compute(input, options);\n'.repeat(400)}\`\`\`` };

/** The text of a request's last user message. */
export function lastUser(params: MessageCreateParamsNonStreaming): string {
  const user = [...params.messages].reverse().find((m) => m.role === 'user');
  return typeof user?.content === 'string' ? user.content : '';
}

export function systemTexts(params: MessageCreateParamsNonStreaming): string[] {
  return Array.isArray(params.system) ? params.system.map((block) => block.text) : [];
}

/**
 * A `complete` that answers from a script: each rule's `when` is tested against the last user
 * message (first match wins, each rule used once unless `always`), and every request is kept.
 */
export function scripted(rules: { when: RegExp; reply: string | Error; always?: boolean; delayMs?: number }[]): { complete: Complete; requests: MessageCreateParamsNonStreaming[]; order: string[] } {
  const requests: MessageCreateParamsNonStreaming[] = [];
  const order: string[] = [];
  const left = rules.map((rule) => ({ ...rule, used: false }));
  const complete: Complete = async (params) => {
    requests.push(params);
    const text = lastUser(params);
    const rule = left.find((r) => (r.always || !r.used) && r.when.test(text));
    if (rule === undefined) throw new Error(`no scripted reply for: ${text.slice(0, 120)}`);
    rule.used = true;
    order.push(`start:${requests.length}`);
    if (rule.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
    order.push(`end:${requests.length}`);
    if (rule.reply instanceof Error) throw rule.reply;
    const completion: Completion = {
      content: [{ type: 'text', text: rule.reply, citations: null }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    };
    return completion;
  };
  return { complete, requests, order };
}
