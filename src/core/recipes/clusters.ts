/**
 * Self-consistency by meaning: free-text answers rarely match word for word, so when the samples'
 * normalized answers differ, one cheap request (the catalog's cheapest model, a small max_tokens,
 * JSON out) groups them by what they say, and the vote counts the groups.
 */
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { ModelEntry } from '../anthropic/modelTypes';
import { JSON_PREFILL, checkJson, jsonStrategy, jsonTextOf } from './jsonOutput';
import type { AnswerGroup } from './parsers';
import type { Vote, VoteCluster } from './types';

/** Enough for 20 answers' ids in any grouping; the reply is ids only. */
export const CLUSTER_MAX_TOKENS = 256;
/** Each answer is cut to this many characters: what it concludes is in its first lines. */
const ANSWER_CHARS = 600;
const QUESTION_CHARS = 2000;

export const CLUSTER_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    clusters: { type: 'array', items: { type: 'array', items: { type: 'integer' } } },
  },
  required: ['clusters'],
  additionalProperties: false,
};

const CLUSTER_SYSTEM = [
  'You group answers to one question by meaning.',
  'Two answers belong together when they reach the same conclusion (the same value, cause, fix or verdict), however they are worded.',
  'Answers that differ in substance go to different groups. Put every answer id in exactly one group.',
  'Reply with JSON only: {"clusters": [[ids of one group], [ids of another], ...]}.',
].join('\n');

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The grouping request: the question and each distinct answer once, by id (1-based, in `groups` order). */
export function clusterRequest(question: string, groups: readonly AnswerGroup[], model: ModelEntry, prefillAllowed = true): { params: MessageCreateParamsNonStreaming; prefill: string } {
  const answers = groups.map((group, i) => `<answer id="${i + 1}">${cut(group.first, ANSWER_CHARS)}</answer>`).join('\n');
  const prompt = `<question>\n${cut(question, QUESTION_CHARS)}\n</question>\n\n<answers>\n${answers}\n</answers>\n\nGroup the ${groups.length} answers by meaning.`;
  const strategy = jsonStrategy(model.capabilities, { thinking: false, prefillAllowed });
  const prefill = strategy === 'prefill' ? JSON_PREFILL : '';
  return {
    params: {
      model: model.id,
      max_tokens: Math.min(CLUSTER_MAX_TOKENS, model.maxOutputTokens),
      system: CLUSTER_SYSTEM,
      messages: [{ role: 'user', content: prompt }, ...(prefill ? [{ role: 'assistant' as const, content: prefill }] : [])],
      ...(strategy === 'structured' ? { output_config: { format: { type: 'json_schema' as const, schema: CLUSTER_SCHEMA } } } : {}),
    },
    prefill,
  };
}

/**
 * The groups of answer indexes (0-based) the reply describes, or why it cannot be read. Model
 * output is untrusted: ids out of range or repeated are dropped, an answer left out is a group
 * of its own, so every answer is counted exactly once whatever came back.
 */
export function parseClusters(reply: string, prefill: string, count: number): number[][] | { error: string } {
  const checked = checkJson(jsonTextOf(reply, prefill), CLUSTER_SCHEMA);
  if ('error' in checked) return checked;
  const { clusters } = checked.value as { clusters: number[][] };
  const seen = new Set<number>();
  const result: number[][] = [];
  for (const ids of clusters) {
    const members = ids.map((id) => id - 1).filter((index) => index >= 0 && index < count && !seen.has(index) && seen.add(index));
    if (members.length > 0) result.push(members);
  }
  for (let index = 0; index < count; index++) if (!seen.has(index)) result.push([index]);
  return result;
}

/** The vote over clusters: each cluster's votes are its answers' samples, its wording the most frequent one. */
export function clusteredVote(vote: Vote, groups: readonly AnswerGroup[], clusters: readonly (readonly number[])[]): Vote {
  const counted = groups.reduce((sum, group) => sum + group.count, 0);
  const ranked = clusters
    .map((members) => {
      const inCluster = members.map((index) => groups[index]).filter((group): group is AnswerGroup => group !== undefined);
      const byCount = [...inCluster].sort((a, b) => b.count - a.count || a.order - b.order);
      const votes = inCluster.reduce((sum, group) => sum + group.count, 0);
      const order = Math.min(...inCluster.map((group) => group.order));
      return { byCount, votes, order };
    })
    .filter((cluster) => cluster.byCount.length > 0)
    .sort((a, b) => b.votes - a.votes || a.order - b.order);
  const result: VoteCluster[] = ranked.map(({ byCount, votes }) => ({
    answer: (byCount[0] as AnswerGroup).first,
    votes,
    share: counted === 0 ? 0 : votes / counted,
    variants: byCount.slice(1).map((group) => group.first),
  }));
  const top = result[0];
  if (top === undefined) return vote;
  const tied = result.filter((cluster) => cluster.votes === top.votes);
  const base = { agreement: top.share, votes: top.votes, counted, answers: vote.answers, clusters: result };
  return tied.length > 1 ? { ...base, tied: tied.map((cluster) => cluster.answer) } : { ...base, winner: top.answer, tied: [] };
}
