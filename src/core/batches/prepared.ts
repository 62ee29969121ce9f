/**
 * Batch jobs of requests the caller built (a recipe's first stage) instead of one per file: their
 * description, and the requests as stored beside the job so a journaled job can always be resent.
 */
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { BatchJob, CreateOptions } from './model';
import type { BatchRequestParams } from './requests';

/** One request built by the caller (a recipe's first stage), with its label for the tree. */
export interface PreparedRequest {
  readonly label: string;
  readonly params: MessageCreateParamsNonStreaming;
}

export interface PreparedJobOptions extends CreateOptions {
  /** What the tree shows as the job's prompt (e.g. the recipe and its request). */
  readonly prompt: string;
  readonly recipe?: BatchJob['recipe'];
}

/** Thrown when prepared requests do not fit one batch; nothing was journaled or sent. */
export class PreparedTooLargeError extends Error {}

/** The stored requests of a prepared job, keeping only well-formed entries. Throws on bad JSON. */
export function parsePreparedRequests(text: string): BatchRequestParams[] | undefined {
  const stored = JSON.parse(text) as unknown;
  if (!Array.isArray(stored)) return undefined;
  return stored.filter((r): r is BatchRequestParams => typeof r === 'object' && r !== null && typeof (r as BatchRequestParams).custom_id === 'string' && typeof (r as BatchRequestParams).params === 'object');
}
