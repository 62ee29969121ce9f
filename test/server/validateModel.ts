/**
 * What depends on the model and the API version: thinking types, output_config (effort, format),
 * prefill with thinking, and the sampling parameters that API 2026-10-21 removed.
 */
import { EFFORT_LEVELS } from '../../src/core/anthropic/modelTypes';
import { OUTPUT_CONFIG_FIELDS, THINKING_FIELDS } from './blockRules';
import { invalidRequest } from './errors';
import { THINKING_TYPES, specEffortLevels, specThinkingTypes } from './models';
import { checkFields, isObject } from './validateContent';
import type { JsonObject, MessageJson, ModelSpec, ThinkingType } from './types';

const THINKING_DOCS = 'https://docs.claude.com/en/docs/build-with-claude/extended-thinking';
export const MIN_THINKING_BUDGET = 1024;

/** Versions the API accepts, oldest first; the SDK (1.12+) sends the newest. */
export const API_VERSIONS = ['2023-01-01', '2023-06-01', '2026-10-21'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];
/** From this version on, `temperature`, `top_p` and `top_k` are rejected. */
export const NO_SAMPLING_SINCE: ApiVersion = '2026-10-21';
export const SAMPLING_PARAMETERS = ['temperature', 'top_p', 'top_k'] as const;

export function isApiVersion(value: string): value is ApiVersion {
  return (API_VERSIONS as readonly string[]).includes(value);
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function isThinkingType(value: unknown): value is ThinkingType {
  return typeof value === 'string' && (THINKING_TYPES as readonly string[]).includes(value);
}

/** True when the request turns thinking on (what forbids prefill and, before 2026-10-21, sampling). */
export function thinkingOn(thinking: JsonObject | undefined): boolean {
  return thinking?.['type'] === 'enabled' || thinking?.['type'] === 'adaptive';
}

export function checkThinking(value: unknown, spec: ModelSpec, maxTokens: number | undefined): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalidRequest('thinking: Input should be a valid dictionary');
  const type = value['type'];
  if (!isThinkingType(type)) {
    throw invalidRequest(
      `thinking: Input tag '${String(type)}' found using 'type' does not match any of the expected tags: ${THINKING_TYPES.map((t) => `'${t}'`).join(', ')}`,
    );
  }
  checkFields(value, THINKING_FIELDS[type], `thinking.${type}`);
  const display = value['display'];
  if (display !== undefined && display !== null && display !== 'summarized' && display !== 'omitted') {
    throw invalidRequest(`thinking.${type}.display: Input should be 'summarized' or 'omitted'`);
  }
  if (!specThinkingTypes(spec).includes(type)) {
    throw invalidRequest(
      type === 'enabled'
        ? `thinking.type.enabled is not supported for this model. Use thinking.type.adaptive and output_config.effort to control thinking behavior.`
        : `thinking.type.${type} is not supported for this model.`,
    );
  }
  if (type === 'enabled') {
    const budget = value['budget_tokens'];
    if (!isInteger(budget)) throw invalidRequest('thinking.enabled.budget_tokens: Input should be a valid integer');
    if (budget < MIN_THINKING_BUDGET) {
      throw invalidRequest(`thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_THINKING_BUDGET}`);
    }
    if (maxTokens !== undefined && budget >= maxTokens) {
      throw invalidRequest(
        `\`max_tokens\` must be greater than \`thinking.budget_tokens\`. Please consult our documentation at ${THINKING_DOCS}#max-tokens-and-context-window-size`,
      );
    }
  }
  return value;
}

export function checkOutputConfig(value: unknown, spec: ModelSpec): void {
  if (value === undefined) return;
  if (!isObject(value)) throw invalidRequest('output_config: Input should be a valid dictionary');
  checkFields(value, OUTPUT_CONFIG_FIELDS, 'output_config');
  const effort = value['effort'];
  if (effort !== undefined && effort !== null) {
    if (typeof effort !== 'string' || !(EFFORT_LEVELS as readonly string[]).includes(effort)) {
      throw invalidRequest(`output_config.effort: Input should be ${EFFORT_LEVELS.map((l) => `'${l}'`).join(', ')}`);
    }
    const levels = specEffortLevels(spec) as readonly string[];
    if (levels.length === 0) throw invalidRequest('output_config.effort: This model does not support the effort parameter.');
    if (!levels.includes(effort)) throw invalidRequest(`output_config.effort: '${effort}' is not supported for this model.`);
  }
  const format = value['format'];
  if (format !== undefined && format !== null) {
    if (!isObject(format)) throw invalidRequest('output_config.format: Input should be a valid dictionary');
    checkFields(format, { schema: 'required', type: 'required' }, 'output_config.format');
    if (format['type'] !== 'json_schema') throw invalidRequest(`output_config.format.type: Input should be 'json_schema'`);
    if (!isObject(format['schema'])) throw invalidRequest('output_config.format.schema: Input should be a valid dictionary');
    if (spec.structuredOutputs === false) throw invalidRequest('output_config.format: This model does not support structured outputs.');
  }
}

/** A final assistant message is a prefill; with thinking on the API refuses it. */
export function checkPrefill(messages: readonly MessageJson[], thinking: JsonObject | undefined): void {
  if (messages[messages.length - 1]?.role === 'assistant' && thinkingOn(thinking)) {
    throw invalidRequest('messages: Prefilling the assistant message is not supported when thinking is enabled. The final message must use the "user" role.');
  }
}

function checkRange(body: JsonObject, key: string, max: number | undefined, integer: boolean): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || (integer && !Number.isInteger(value))) {
    throw invalidRequest(`${key}: Input should be a valid ${integer ? 'integer' : 'number'}`);
  }
  if (value < 0) throw invalidRequest(`${key}: Input should be greater than or equal to 0`);
  if (max !== undefined && value > max) throw invalidRequest(`${key}: Input should be less than or equal to ${max}`);
  return value;
}

/**
 * API 2026-10-21 rejects every sampling parameter; older versions take them in range, and with
 * thinking only `temperature: 1` and no `top_k`.
 */
export function checkSampling(body: JsonObject, version: ApiVersion, thinking: JsonObject | undefined): void {
  const present = SAMPLING_PARAMETERS.filter((key) => body[key] !== undefined);
  if (present.length === 0) return;
  if (version >= NO_SAMPLING_SINCE) {
    throw invalidRequest(
      `${present[0]}: sampling parameters (temperature, top_p, top_k) are not supported in anthropic-version ${version}; remove them from the request.`,
    );
  }
  const temperature = checkRange(body, 'temperature', 1, false);
  checkRange(body, 'top_p', 1, false);
  const topK = checkRange(body, 'top_k', undefined, true);
  if (thinkingOn(thinking) && ((temperature !== undefined && temperature !== 1) || topK !== undefined)) {
    throw invalidRequest(
      `\`temperature\` may only be set to 1 and \`top_k\` may not be set when thinking is enabled. Please consult our documentation at ${THINKING_DOCS}#feature-compatibility`,
    );
  }
}
