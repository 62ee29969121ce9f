import type { Usage } from '@anthropic-ai/sdk/resources/messages';
import type { AssistantTurn, Conversation } from '../chat/conversation';
import { activePath } from '../chat/conversation';
import { historyMessages as msg } from './historyMessages';

/** Options for {@link exportMarkdown}. */
export interface MarkdownExportOptions {
  /** Prices an answer's usage so the export can show its cost; without it only tokens are shown. */
  readonly price?: (usage: Usage, model: string) => { readonly costUsd: number };
}

/** A date in UTC without milliseconds: the same everywhere, so exports diff cleanly. */
const formatDate = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace('T', ' ');

/** Keeps a thinking block from closing the <details> it sits in. */
const guardDetails = (text: string): string => text.replace(/<\/details>/gi, '&lt;/details>');

function usageLine(turn: AssistantTurn, options: MarkdownExportOptions): string | undefined {
  const usage = turn.usage;
  if (usage === undefined) return undefined;
  const tokens = msg.exportUsage(usage.input_tokens, usage.output_tokens, usage.cache_read_input_tokens ?? 0, usage.cache_creation_input_tokens ?? 0);
  const price = options.price?.(usage, turn.model);
  return `<sub>${price === undefined ? tokens : `${tokens}; ${msg.exportCost(price.costUsd)}`}</sub>`;
}

function assistantSection(turn: AssistantTurn, options: MarkdownExportOptions): string[] {
  const parts = [`## ${msg.exportAssistant}`];
  if (turn.thinking !== '') {
    // Blank lines inside <details> let Markdown inside the block render as Markdown.
    parts.push(`<details>\n<summary>${msg.exportThinking}</summary>\n\n${guardDetails(turn.thinking)}\n\n</details>`);
  }
  if (turn.text !== '') parts.push(turn.text);
  if (turn.status === 'stopped') parts.push(`*${msg.exportStopped}*`);
  if (turn.status === 'interrupted') parts.push(`*${msg.exportInterrupted}*`);
  if (turn.error !== undefined) parts.push(`> ${msg.exportError(turn.error.message).replace(/\n/g, '\n> ')}`);
  const usage = usageLine(turn, options);
  if (usage !== undefined) parts.push(usage);
  return parts;
}

/**
 * The active branch of a conversation as a Markdown document: title, date, models, then each
 * turn under a role heading. Message text is kept exactly as written (code fences included);
 * thinking goes in a collapsed <details> block.
 */
export function exportMarkdown(conversation: Conversation, options: MarkdownExportOptions = {}): string {
  const path = activePath(conversation);
  const models = [...new Set(path.flatMap((turn) => (turn.kind === 'assistant' ? [turn.model] : [])))];
  const parts = [`# ${conversation.title.replace(/\s+/g, ' ').trim()}`];
  const meta = [`- ${msg.exportDate}: ${formatDate(conversation.createdAt)}`];
  if (models.length > 0) meta.push(`- ${msg.exportModel}: ${models.map((m) => `\`${m}\``).join(', ')}`);
  parts.push(meta.join('\n'));
  for (const turn of path) {
    if (turn.kind === 'user') parts.push(`## ${msg.exportUser}`, turn.text);
    else parts.push(...assistantSection(turn, options));
  }
  return `${parts.join('\n\n')}\n`;
}
