import type { Usage } from '@anthropic-ai/sdk/resources/messages';
import type { AssistantTurn, Conversation, TurnStep, UserTurn } from '../chat/conversation';
import type { MediaType } from '../media/mediaFacts';
import { sha256Of } from './historyMedia';
import { activePath } from '../chat/conversation';
import { historyMessages as msg } from './historyMessages';
import { sumPrices, type Price } from '../anthropic/price';
import { escapeMarkdown } from '../util/markdown';

/** Options for {@link exportMarkdown}. */
export interface MarkdownExportOptions {
  /** Prices an answer's usage so the export can show its cost; without it only tokens are shown. */
  readonly price?: (usage: Usage, model: string, answeredBy?: string) => Price;
  /** Where a stored image or PDF is (a URL), so the export links it; without it media are named only. */
  readonly mediaLink?: (media: { readonly sha256: string; readonly mediaType: MediaType }) => string | undefined;
}

/** The images and PDFs a message carried, as links to their stored copies (images as Markdown images). */
function mediaLinks(turn: UserTurn, options: MarkdownExportOptions): string | undefined {
  const lines: string[] = [];
  for (const block of turn.context ?? []) {
    const media = block.media;
    if (media === undefined || media.data === '') continue;
    const label = block.label.replace(/[[\]\\]/g, '\\$&').replace(/\s+/g, ' ');
    const link = options.mediaLink?.({ sha256: sha256Of(Buffer.from(media.data, 'base64')), mediaType: media.mediaType });
    if (link === undefined || /[<>\s]/.test(link.replace(/ /g, ''))) lines.push(`- ${label}`);
    else lines.push(`${media.kind === 'image' ? '!' : ''}[${label}](<${link}>)`);
  }
  return lines.length > 0 ? lines.join('\n\n') : undefined;
}

/** A date in UTC without milliseconds: the same everywhere, so exports diff cleanly. */
const formatDate = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace('T', ' ');

/**
 * The fence a code block opened in `text` and never closed, if any. A step cut off at max_tokens
 * can end inside one, and an open fence would swallow the </details> after it and the rest of
 * the document.
 */
function openFence(text: string): string | undefined {
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence === null) continue;
    const [, marks = '', rest = ''] = fence;
    if (open === undefined) {
      if (!(marks[0] === '`' && rest.includes('`'))) open = marks;
    } else if (marks[0] === open[0] && marks.length >= open.length && rest.trim() === '') open = undefined;
  }
  return open;
}

/** Keeps a block's content from closing the <details> it sits in, or from never letting it close. */
function guardDetails(text: string): string {
  const fence = openFence(text);
  const guarded = text.replace(/<\/details>/gi, '&lt;/details>');
  return fence === undefined ? guarded : `${guarded}\n${fence}`;
}

/** A step title is text, not markup: <summary> is HTML, where a "<T>" in a title would vanish. */
const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A collapsed section; blank lines inside <details> let the Markdown in it render as Markdown. */
const details = (summary: string, body: readonly string[]): string =>
  `<details>\n<summary>${summary}</summary>\n\n${body.map(guardDetails).join('\n\n')}${body.length > 0 ? '\n\n' : ''}</details>`;

function usageLine(usage: Usage | undefined, price: Price | undefined): string | undefined {
  if (usage === undefined) return undefined;
  const tokens = msg.exportUsage(usage.input_tokens, usage.output_tokens, usage.cache_read_input_tokens ?? 0, usage.cache_creation_input_tokens ?? 0);
  return `<sub>${price === undefined ? tokens : `${tokens}; ${costText(price)}`}</sub>`;
}

/** A model id is the user's text: escaped, so it cannot close the `<sub>` or add Markdown. */
function costText(price: Price): string {
  const { unpriced } = price;
  if (unpriced === undefined) return msg.exportCost(price.costUsd);
  const models = unpriced.models.map(escapeMarkdown).join(', ');
  return unpriced.partial ? msg.exportCostPartial(price.costUsd, models) : msg.exportCostUnknown(models);
}

/**
 * What an answer cost. A recipe turn's steps are priced one by one and added up, as the chat
 * shows it: its usage is their sum, and pricing the sum at once could cross a long-prompt tier
 * that no single request reached.
 */
function turnCost(turn: AssistantTurn, options: MarkdownExportOptions): Price | undefined {
  const price = options.price;
  if (price === undefined || turn.usage === undefined) return undefined;
  const steps = turn.recipe?.steps ?? [];
  if (steps.length === 0) return price(turn.usage, turn.model, turn.answeredBy);
  return sumPrices(steps.flatMap((step) => (step.usage === undefined ? [] : [price(step.usage, step.model ?? turn.model)])));
}

/** One request of a recipe run, collapsed and named as the chat names it, with its own usage. */
function stepSection(step: TurnStep, model: string, options: MarkdownExportOptions): string {
  const title = escapeHtml(step.title.replace(/\s+/g, ' ').trim());
  const summary = step.status === 'done' ? title : `${title} (${msg.exportStepStatus[step.status]})`;
  const body: string[] = [];
  if (step.error !== undefined) body.push(`> ${msg.exportError(step.error).replace(/\n/g, '\n> ')}`);
  if (step.text !== '') body.push(step.text);
  const cost = step.usage === undefined ? undefined : options.price?.(step.usage, step.model ?? model);
  const usage = usageLine(step.usage, cost);
  if (usage !== undefined) body.push(usage);
  return details(summary, body);
}

function assistantSection(turn: AssistantTurn, options: MarkdownExportOptions): string[] {
  const parts = [`## ${msg.exportAssistant}`];
  if (turn.thinking !== '') parts.push(details(msg.exportThinking, [turn.thinking]));
  const steps = turn.recipe?.steps ?? [];
  if (turn.recipe !== undefined && steps.length > 0) {
    parts.push(`*${msg.exportRecipe(turn.recipe.name, steps.length)}*`, ...steps.map((step) => stepSection(step, turn.model, options)));
  }
  if (turn.text !== '') parts.push(turn.text);
  if (turn.status === 'stopped') parts.push(`*${msg.exportStopped}*`);
  if (turn.status === 'interrupted') parts.push(`*${msg.exportInterrupted}*`);
  if (turn.error !== undefined) parts.push(`> ${msg.exportError(turn.error.message).replace(/\n/g, '\n> ')}`);
  const usage = usageLine(turn.usage, turnCost(turn, options));
  if (usage !== undefined) parts.push(usage);
  return parts;
}

/**
 * The active branch of a conversation as a Markdown document: title, date, models, then each
 * turn under a role heading. Message text is kept exactly as written (code fences included);
 * thinking and each step of a recipe run go in collapsed <details> blocks.
 */
export function exportMarkdown(conversation: Conversation, options: MarkdownExportOptions = {}): string {
  const path = activePath(conversation);
  const models = [...new Set(path.flatMap((turn) => (turn.kind === 'assistant' ? [turn.model] : [])))];
  const parts = [`# ${conversation.title.replace(/\s+/g, ' ').trim()}`];
  const meta = [`- ${msg.exportDate}: ${formatDate(conversation.createdAt)}`];
  if (models.length > 0) meta.push(`- ${msg.exportModel}: ${models.map((m) => `\`${m}\``).join(', ')}`);
  parts.push(meta.join('\n'));
  for (const turn of path) {
    if (turn.kind === 'user') {
      parts.push(`## ${msg.exportUser}`, turn.text);
      const media = mediaLinks(turn, options);
      if (media !== undefined) parts.push(media);
    }
    else parts.push(...assistantSection(turn, options));
  }
  return `${parts.join('\n\n')}\n`;
}
