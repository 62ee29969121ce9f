/**
 * Structured outputs: with `output_config.format` the API constrains the answer to the schema,
 * so an unscripted reply must be JSON that matches it, never free text. The responders answer
 * with the smallest instance of the schema (required properties only, arrays at their minimum),
 * strings quoting what they were asked.
 */
import type { JsonObject, JsonValue, MessagesRequest } from './types';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The json_schema the request constrains its answer to, if any. */
export function structuredSchema(req: MessagesRequest): JsonObject | undefined {
  const config = req.raw['output_config'];
  const format = isObject(config) ? config['format'] : undefined;
  return isObject(format) && format['type'] === 'json_schema' && isObject(format['schema']) ? format['schema'] : undefined;
}

/** The smallest value `schema` accepts; `text` fills strings. */
export function schemaInstance(schema: JsonValue | undefined, text: string, depth = 0): JsonValue {
  if (!isObject(schema) || depth > 16) return null;
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return schema['enum'][0] ?? null;
  if ('const' in schema) return schema['const'] ?? null;
  const anyOf = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(anyOf) && anyOf.length > 0) return schemaInstance(anyOf[0], text, depth + 1);
  const type = Array.isArray(schema['type']) ? schema['type'][0] : schema['type'];
  switch (type) {
    case 'object': {
      const properties = isObject(schema['properties']) ? schema['properties'] : {};
      const required = Array.isArray(schema['required']) ? schema['required'].filter((key): key is string => typeof key === 'string') : [];
      return Object.fromEntries(required.map((key) => [key, schemaInstance(properties[key], text, depth + 1)]));
    }
    case 'array': {
      const min = typeof schema['minItems'] === 'number' ? schema['minItems'] : 0;
      return Array.from({ length: min }, () => schemaInstance(schema['items'], text, depth + 1));
    }
    case 'string':
      return text;
    case 'integer':
    case 'number':
      return typeof schema['minimum'] === 'number' ? schema['minimum'] : 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}
