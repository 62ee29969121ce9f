/**
 * Results ingestion: reads the results one line at a time (`for await` over the SDK's JSONL
 * decoder, or any async iterable), writes each line to the job's results.jsonl and records in
 * the job only where the line is and how it ended. Nothing holds all results in memory.
 */
import * as l10n from '@vscode/l10n';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import type { ModelEntry } from '../anthropic/modelTypes';
import { costOf } from '../anthropic/cost';
import { redactSecrets } from '../anthropic/redact';
import type { BatchJob, JobRequest, RequestOutcome } from './model';
import { emptyCounts } from './model';
import type { LineWriter } from './ports';

export interface IngestSummary {
  readonly lines: number;
  readonly unknownIds: number;
  readonly costUsd: number;
}

/** Error text of an errored result, secrets redacted: it is stored in the journal and shown. */
export function errorText(result: MessageBatchIndividualResponse['result']): string | undefined {
  if (result.type !== 'errored') return undefined;
  const error = (result.error as { error?: { type?: string; message?: string } } | undefined)?.error;
  return error ? redactSecrets(`${error.type ?? 'error'}: ${error.message ?? ''}`.trim()) : 'errored';
}

/** One line of results.jsonl; an errored one is redacted like its error text, since it is stored as is. */
export function resultLine(item: MessageBatchIndividualResponse): string {
  const json = JSON.stringify(item);
  return `${item.result.type === 'errored' ? redactSecrets(json) : json}\n`;
}

/**
 * Streams `results` into `writer`. Requests are matched by custom_id through the job's table;
 * ids the table does not know (imported jobs) are added as requests without a file.
 */
export async function ingestResults(
  job: BatchJob,
  results: AsyncIterable<MessageBatchIndividualResponse>,
  writer: LineWriter,
  model: Pick<ModelEntry, 'pricing'> | undefined,
  batchPrice = true,
): Promise<IngestSummary> {
  const byId = new Map<string, JobRequest>();
  for (const request of job.requests) byId.set(request.customId, request);
  const counts = emptyCounts();
  let offset = 0;
  let lines = 0;
  let unknownIds = 0;
  let costUsd = 0;
  for await (const item of results) {
    const line = resultLine(item);
    const length = Buffer.byteLength(line, 'utf8');
    await writer.write(line);
    let request = byId.get(item.custom_id);
    if (request === undefined) {
      unknownIds++;
      request = { customId: item.custom_id, file: '', label: item.custom_id };
      job.requests.push(request);
      byId.set(item.custom_id, request);
    }
    const outcome: RequestOutcome = item.result.type;
    request.outcome = outcome;
    request.offset = offset;
    request.length = length;
    const error = errorText(item.result);
    if (error !== undefined) request.error = error;
    if (item.result.type === 'succeeded' && model !== undefined) {
      request.costUsd = costOf(item.result.message.usage, model, { batch: batchPrice }).total;
      costUsd += request.costUsd;
    }
    counts[outcome]++;
    offset += length;
    lines++;
  }
  job.counts = counts;
  job.costUsd = costUsd;
  return { lines, unknownIds, costUsd };
}

/** The Markdown of one result line (what "open result" shows). */
export function resultMarkdown(line: string, label: string): string {
  let item: MessageBatchIndividualResponse;
  try {
    item = JSON.parse(line) as MessageBatchIndividualResponse;
  } catch {
    return `# ${label}\n\n${l10n.t('The stored result could not be read.')}\n`;
  }
  return `# ${label}\n\n${resultBody(item)}\n`;
}

export function resultBody(item: MessageBatchIndividualResponse): string {
  switch (item.result.type) {
    case 'succeeded':
      return item.result.message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n\n');
    case 'errored':
      return l10n.t('**Errored:** {0}', errorText(item.result) ?? '');
    case 'canceled':
      return l10n.t('**Canceled** before it ran.');
    case 'expired':
      return l10n.t('**Expired**: the batch ended (24 hours) before this request ran.');
  }
}

/**
 * The code to apply to the file from an answer: the longest fenced code block, or the whole
 * answer when it has none.
 */
export function codeToApply(answer: string): string {
  const fence = /(^|\n)(```+|~~~+)[^\n]*\n([\s\S]*?)\n\2[ \t]*(?=\n|$)/g;
  let best: string | undefined;
  for (const match of answer.matchAll(fence)) {
    const code = match[3] ?? '';
    if (best === undefined || code.length > best.length) best = code;
  }
  return best === undefined ? answer : `${best}\n`;
}
