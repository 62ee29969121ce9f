/**
 * JSON output: how to ask for it on a given model, and checking what came back against the
 * user's schema with ajv.
 */
import * as l10n from '@vscode/l10n';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ModelCapabilities } from '../anthropic/modelTypes';
import { errorMessage } from '../util/errors';
import { requestKey } from '../tokens/requestKey';

/**
 * - `structured`: `output_config.format` with the schema; the API constrains the output.
 * - `prefill`: Claude's turn starts with `{`, so the reply continues a JSON object.
 * - `instruction`: only the prompt asks for JSON (prefill is not allowed with thinking, and some
 *   models reject it; the answer is still validated).
 */
export type JsonStrategy = 'structured' | 'prefill' | 'instruction';

export const JSON_PREFILL = '{';

export function jsonStrategy(capabilities: Pick<ModelCapabilities, 'structuredOutputs'>, options: { thinking: boolean; prefillAllowed: boolean }): JsonStrategy {
  if (capabilities.structuredOutputs) return 'structured';
  if (!options.thinking && options.prefillAllowed) return 'prefill';
  return 'instruction';
}

/** Validators kept at once; a workspace can hold any number of schemas, memory must not. */
const MAX_COMPILED = 32;
/** Compiled validators by the schema's content hash, oldest first (a Map keeps insertion order). */
const compiled = new Map<string, ValidateFunction>();

/**
 * Compiles a user's schema, or says why it is not a usable JSON schema. Compiled once per
 * content: recipes are re-read for every run, so the same schema arrives as a new object each
 * time. Each schema gets its own Ajv instance, because Ajv registers a schema's `$id` and refuses
 * a second schema (or the same one compiled again) with that `$id`; dropping the instance from
 * the bounded cache frees everything it compiled.
 */
export function compileSchema(schema: Record<string, unknown>): { validate: ValidateFunction } | { error: string } {
  const key = requestKey(schema);
  const cached = compiled.get(key);
  if (cached) {
    compiled.delete(key);
    compiled.set(key, cached);
    return { validate: cached };
  }
  try {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    compiled.set(key, validate);
    for (const oldest of compiled.keys()) {
      if (compiled.size <= MAX_COMPILED) break;
      compiled.delete(oldest);
    }
    return { validate };
  } catch (error) {
    return { error: l10n.t('The schema is not a valid JSON schema: {0}', errorMessage(error)) };
  }
}

/** How many compiled validators are held (for tests of the bound). */
export function compiledSchemaCount(): number {
  return compiled.size;
}

function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 8)
    .map((e) => `${e.instancePath === '' ? '(top level)' : e.instancePath} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : ''}`)
    .join('; ');
}

/** The JSON text in a reply: the prefill put back, a ```json fence taken off. */
export function jsonTextOf(reply: string, prefill: string): string {
  const text = `${prefill}${reply}`.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n```\s*$/i.exec(text);
  return (fenced?.[1] ?? text).trim();
}

/** Parses and validates the reply; the error says what is wrong and where. */
export function checkJson(text: string, schema: Record<string, unknown>): { value: unknown } | { error: string } {
  const compiledSchema = compileSchema(schema);
  if ('error' in compiledSchema) return compiledSchema;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: l10n.t("Claude's reply is not valid JSON: {0}", errorMessage(error)) };
  }
  if (!compiledSchema.validate(value)) {
    return { error: l10n.t("Claude's JSON does not match the schema: {0}", describeErrors(compiledSchema.validate.errors)) };
  }
  return { value };
}
