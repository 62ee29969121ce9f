/**
 * Which fields each request shape has, taken from the SDK's own param types: every table below is
 * checked against `@anthropic-ai/sdk` by the compiler (`satisfies`), so a field the SDK adds or
 * drops fails the typecheck instead of making the server drift from the API.
 */
import type {
  BrowserStateBlockParam,
  CacheControlEphemeral,
  ContentBlockParam,
  MessageCountTokensParams,
  MessageCreateParamsBase,
  OutputConfig,
  ThinkingConfigAdaptive,
  ThinkingConfigEnabled,
  Tool,
  ToolReferenceBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { BatchCreateParams } from '@anthropic-ai/sdk/resources/messages/batches';

/** 'required' or 'optional' for every key of T, so a missing or extra key is a type error. */
type FieldTable<T> = { readonly [K in keyof T]-?: object extends Pick<T, K> ? 'optional' : 'required' };
export type Fields = Readonly<Record<string, 'required' | 'optional'>>;

/** The optional fields messages.create and count_tokens both take; only keys both SDK types have fit here. */
const SHARED_OPTIONAL_FIELDS = {
  cache_control: 'optional',
  output_config: 'optional',
  speed: 'optional',
  system: 'optional',
  thinking: 'optional',
  tool_choice: 'optional',
  tools: 'optional',
  user_profile_id: 'optional',
  workspace_id: 'optional',
} as const satisfies Partial<FieldTable<Pick<MessageCountTokensParams, keyof MessageCreateParamsBase & keyof MessageCountTokensParams>>>;

export const MESSAGE_FIELDS = {
  max_tokens: 'required',
  messages: 'required',
  model: 'required',
  container: 'optional',
  diagnostics: 'optional',
  inference_geo: 'optional',
  metadata: 'optional',
  service_tier: 'optional',
  stop_sequences: 'optional',
  stream: 'optional',
  ...SHARED_OPTIONAL_FIELDS,
} as const satisfies FieldTable<MessageCreateParamsBase>;

export const COUNT_TOKENS_FIELDS = { messages: 'required', model: 'required', ...SHARED_OPTIONAL_FIELDS } as const satisfies FieldTable<MessageCountTokensParams>;

export const BATCH_FIELDS = { requests: 'required', user_profile_id: 'optional', workspace_id: 'optional' } as const satisfies FieldTable<BatchCreateParams>;
export const BATCH_REQUEST_FIELDS = { custom_id: 'required', params: 'required' } as const satisfies FieldTable<BatchCreateParams.Request>;
export const OUTPUT_CONFIG_FIELDS = { effort: 'optional', format: 'optional' } as const satisfies FieldTable<OutputConfig>;
export const CACHE_CONTROL_FIELDS = { type: 'required', ttl: 'optional' } as const satisfies FieldTable<CacheControlEphemeral>;
export const THINKING_FIELDS = {
  enabled: { type: 'required', budget_tokens: 'required', display: 'optional' } as const satisfies FieldTable<ThinkingConfigEnabled>,
  adaptive: { type: 'required', display: 'optional' } as const satisfies FieldTable<ThinkingConfigAdaptive>,
  disabled: { type: 'required' },
  between_tools: { type: 'required' },
} as const;

/** A custom tool (no `type`, or `custom`); server tools have their own dated shapes. */
export const TOOL_FIELDS = {
  input_schema: 'required',
  name: 'required',
  allowed_callers: 'optional',
  cache_control: 'optional',
  defer_loading: 'optional',
  description: 'optional',
  eager_input_streaming: 'optional',
  input_examples: 'optional',
  strict: 'optional',
  type: 'optional',
} as const satisfies FieldTable<Tool>;

type AnyBlock = ContentBlockParam | ToolReferenceBlockParam | BrowserStateBlockParam;
export type BlockType = AnyBlock['type'];
type BlockTables = { readonly [T in BlockType]: FieldTable<Extract<AnyBlock, { type: T }>> };

const CACHEABLE_RESULT = { content: 'required', tool_use_id: 'required', type: 'required', cache_control: 'optional' } as const;

/** Every content block the SDK can send, with its fields. Thinking blocks have no `cache_control`. */
export const BLOCK_FIELDS = {
  text: { text: 'required', type: 'required', cache_control: 'optional', citations: 'optional' },
  image: { source: 'required', type: 'required', cache_control: 'optional', transformations: 'optional' },
  document: { source: 'required', type: 'required', cache_control: 'optional', citations: 'optional', context: 'optional', title: 'optional' },
  search_result: { content: 'required', source: 'required', title: 'required', type: 'required', cache_control: 'optional', citations: 'optional' },
  thinking: { signature: 'required', thinking: 'required', type: 'required' },
  redacted_thinking: { data: 'required', type: 'required' },
  tool_use: { id: 'required', input: 'required', name: 'required', type: 'required', cache_control: 'optional', caller: 'optional', toolset_name: 'optional' },
  tool_result: { tool_use_id: 'required', type: 'required', cache_control: 'optional', content: 'optional', is_error: 'optional', toolset_name: 'optional' },
  server_tool_use: { id: 'required', input: 'required', name: 'required', type: 'required', cache_control: 'optional', caller: 'optional' },
  web_search_tool_result: { ...CACHEABLE_RESULT, caller: 'optional' },
  web_fetch_tool_result: { ...CACHEABLE_RESULT, caller: 'optional' },
  code_execution_tool_result: CACHEABLE_RESULT,
  bash_code_execution_tool_result: CACHEABLE_RESULT,
  text_editor_code_execution_tool_result: CACHEABLE_RESULT,
  tool_search_tool_result: CACHEABLE_RESULT,
  container_upload: { file_id: 'required', type: 'required', cache_control: 'optional' },
  tool_reference: { tool_name: 'required', type: 'required', cache_control: 'optional' },
  browser_state: { tabs: 'required', type: 'required', cache_control: 'optional', state_changes: 'optional' },
} as const satisfies BlockTables;

/** Where each kind of block may appear (the SDK's unions for each position). */
export const MESSAGE_BLOCK_TYPES: readonly BlockType[] = [
  'text', 'image', 'document', 'search_result', 'thinking', 'redacted_thinking', 'tool_use', 'tool_result', 'server_tool_use',
  'web_search_tool_result', 'web_fetch_tool_result', 'code_execution_tool_result', 'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result', 'tool_search_tool_result', 'container_upload',
] satisfies ContentBlockParam['type'][];
export const TOOL_RESULT_BLOCK_TYPES: readonly BlockType[] = ['text', 'image', 'search_result', 'document', 'tool_reference', 'browser_state'];
export const SYSTEM_BLOCK_TYPES: readonly BlockType[] = ['text'];

export function isBlockType(type: string): type is BlockType {
  return Object.hasOwn(BLOCK_FIELDS, type);
}
