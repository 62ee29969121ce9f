/**
 * Prompt-cache benchmark (`npm run bench:cache`): replays a scripted 20-turn conversation with
 * ~40k tokens of files through the real SDK against the local test server's cache accounting, for
 * the planner and two baselines, and prints a table then one JSON line (always the last line).
 *
 * Per turn 2-20: share = cache_read_input_tokens / ideally cacheable tokens, where ideally
 * cacheable = every token the previous request sent. The reported share is token-weighted
 * (sum of reads / sum of ideals), so a big turn counts for what it weighs.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, TextBlockParam, Usage } from '@anthropic-ai/sdk/resources/messages';
import { costOf, DEFAULT_MODEL, findModel } from '../src/core/anthropic/catalog';
import type { CacheRequest, MessageBlockRef } from '../src/core/chat/cachePlanner';
import { planCache } from '../src/core/chat/cachePlanner';
import { estimateBlockTokens } from '../src/core/chat/requestBuilder';
import { composeSystemPrompt } from '../src/core/chat/systemPrompt';
import { countInputTokens, startTestServer } from '../test/server';
import { editedFile, fileBlockText, sourceFile } from './sourceText';

type Strategy = 'planner' | 'noCaching' | 'lastTwoUserMessages';
const STRATEGIES: readonly Strategy[] = ['planner', 'noCaching', 'lastTwoUserMessages'];
const TURNS = 20;
const model = findModel(DEFAULT_MODEL);
if (model === undefined) throw new Error(`${DEFAULT_MODEL} is not in the catalog`);

const FILES = [
  'src/services/orderService.ts', 'src/services/invoiceService.ts', 'src/services/customerService.ts', 'src/services/paymentService.ts',
  'src/services/cartService.ts', 'src/api/routes.ts', 'src/api/middleware.ts', 'src/core/store.ts', 'src/core/helpers.ts', 'src/jobs/scheduler.ts',
];
const FILE_CHARS = 16_000; // ~4k tokens each, ~40k for the ten.
const sources = FILES.map((path, i) => sourceFile(path, 1000 + i, FILE_CHARS));
const ADDED_PATH = 'src/services/refundService.ts';
const EDITED = 3; // paymentService.ts

const QUESTIONS = [
  'Here is the code of our order pipeline. Where is an invoice created when an order is paid?',
  'Why does validateOrder return undefined instead of throwing?', 'Which functions touch the store without a limit?',
  'Is the scheduler safe to run twice at the same time?', 'Summarise what the middleware does, in order.',
  'Where would a retry storm come from?', 'How is the cart total computed?',
  'I added the refund service. How does it interact with payments?', 'Could refunds and invoices race?',
  'Which interfaces have fields that are never read?', 'What should the routes validate first?',
  'I changed the payment service (retries and strict mode). Does anything else need to change?',
  'Will the stricter payments break the cart?', 'Write a test plan for the payment changes.', 'Which of these files has the most duplication?',
  'Propose a shared helper for the retry options.', 'Where should logging go?', 'Are there any unbounded loops left?',
  'What would you refactor first, and why?', 'Summarise the whole conversation as a checklist.',
];
const SHORT_GAPS_S = [45, 90, 30, 120, 60, 150, 40, 75, 20, 110, 65, 35, 95, 50, 140, 25, 80, 55, 100, 45];
/** `--pause-minutes N` replays the same script with N-minute pauses (to see the auto TTL at work). */
const pauseFlag = process.argv.indexOf('--pause-minutes');
const PAUSE_MINUTES = pauseFlag >= 0 ? Number(process.argv[pauseFlag + 1]) : undefined;
const GAPS_S = PAUSE_MINUTES !== undefined && Number.isFinite(PAUSE_MINUTES) ? SHORT_GAPS_S.map(() => PAUSE_MINUTES * 60) : SHORT_GAPS_S;

const system: TextBlockParam[] = composeSystemPrompt({
  profile: { expertise: 'expert', verbosity: 'concise', examples: true },
  date: '2026-11-20',
  languages: ['TypeScript'],
  userBlocks: [],
}).map((text) => ({ type: 'text', text }));

/** The user blocks of turn `n` (1-based): files in turn 1, one more in 8, an edited file in 12. */
function userBlocks(n: number): TextBlockParam[] {
  const blocks: TextBlockParam[] = [];
  if (n === 1) FILES.forEach((path, i) => blocks.push({ type: 'text', text: fileBlockText(path, sources[i] ?? '') }));
  if (n === 8) blocks.push({ type: 'text', text: fileBlockText(ADDED_PATH, sourceFile(ADDED_PATH, 2000, 12_000)) });
  if (n === 12) {
    const path = FILES[EDITED] ?? '';
    blocks.push({ type: 'text', text: fileBlockText(path, editedFile(sources[EDITED] ?? '', 7), 'Updated version of') });
  }
  blocks.push({ type: 'text', text: QUESTIONS[n - 1] ?? 'Go on.' });
  return blocks;
}

const replyText = (n: number): string =>
  `Turn ${n}: the relevant code is in ${FILES[n % FILES.length]}. In short, ${QUESTIONS[n - 1]?.toLowerCase().replace('?', '') ?? 'it'} depends on how the store is called; I would check the retry options first.`;

/** The common extensions' placement: end of system and the last block of the last two user messages. */
function lastTwoUserMessages(request: CacheRequest): CacheRequest {
  const mark = <T extends object>(block: T): T => ({ ...block, cache_control: { type: 'ephemeral' } });
  const userIndexes = request.messages.flatMap((m, i) => (m.role === 'user' ? [i] : [])).slice(-2);
  const messages = request.messages.map((message, i): MessageParam => {
    if (!userIndexes.includes(i) || typeof message.content === 'string' || message.role !== 'user') return message;
    const content = [...message.content];
    const last = content.length - 1;
    const block = content[last];
    if (block !== undefined) content[last] = mark(block);
    return { role: message.role, content };
  });
  return { system: request.system.map((block, i) => (i === request.system.length - 1 ? mark(block) : block)), messages };
}

interface TurnResult {
  usage: Usage;
  sent: number;
  ideal: number;
  marks: string;
}

const median = (values: readonly number[]): number | undefined => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function run(strategy: Strategy): Promise<TurnResult[]> {
  const server = await startTestServer({ manualClock: true, log: () => undefined });
  const client = new Anthropic({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 });
  const messages: MessageParam[] = [];
  const results: TurnResult[] = [];
  const gaps: number[] = [];
  let previous: MessageBlockRef | undefined;
  let previousSent = 0;
  try {
    for (let n = 1; n <= TURNS; n++) {
      messages.push({ role: 'user', content: userBlocks(n) });
      let request: CacheRequest = { system, messages };
      let marks = '';
      if (strategy === 'planner') {
        const gapHintMs = median(gaps);
        const planned = planCache(request, {
          ttl: 'auto',
          minCacheableTokens: model?.minCacheableTokens ?? 1024,
          countTokens: estimateBlockTokens,
          ...(gapHintMs !== undefined ? { gapHintMs } : {}),
          ...(previous !== undefined ? { previousBreakpoint: previous } : {}),
        });
        request = planned.request;
        previous = planned.plan.tail;
        marks = planned.plan.breakpoints.map((b) => `${b.reasons.map((r) => r[0]).join('')}${b.ttl === '1h' ? '¹' : ''}`).join(' ');
      } else if (strategy === 'lastTwoUserMessages') {
        request = lastTwoUserMessages(request);
      }
      server.script({ text: replyText(n) });
      const answer = await client.messages
        .stream({ model: DEFAULT_MODEL, max_tokens: 1024, system: [...request.system], messages: [...request.messages] })
        .finalMessage();
      const sent = countInputTokens(request);
      results.push({ usage: answer.usage, sent, ideal: n === 1 ? 0 : previousSent, marks });
      previousSent = sent;
      messages.push({ role: 'assistant', content: answer.content.flatMap((b) => (b.type === 'text' ? [{ type: 'text' as const, text: b.text }] : [])) });
      const gap = (GAPS_S[n - 1] ?? 60) * 1000;
      server.clock.advance(gap);
      gaps.push(gap);
    }
  } finally {
    await server.close();
  }
  return results;
}

const inputCost = (results: readonly TurnResult[]): number =>
  results.reduce((sum, r) => {
    const cost = costOf(r.usage, model);
    return sum + cost.input + cost.cacheWrite + cost.cacheRead;
  }, 0);

function share(results: readonly TurnResult[]): number {
  const later = results.slice(1);
  const ideal = later.reduce((sum, r) => sum + r.ideal, 0);
  return ideal === 0 ? 0 : later.reduce((sum, r) => sum + (r.usage.cache_read_input_tokens ?? 0), 0) / ideal;
}

const pad = (value: string | number, width: number): string => String(value).padStart(width);
const pct = (value: number): string => `${(value * 100).toFixed(1)}%`;
const round = (value: number, digits: number): number => Number(value.toFixed(digits));

async function main(): Promise<void> {
  const runs = new Map<Strategy, TurnResult[]>();
  for (const strategy of STRATEGIES) runs.set(strategy, await run(strategy));
  const planner = runs.get('planner') ?? [];
  const lastTwo = runs.get('lastTwoUserMessages') ?? [];

  console.log(`model ${DEFAULT_MODEL}, min cacheable ${model?.minCacheableTokens}; pauses ${PAUSE_MINUTES === undefined ? '20-150 s' : `${PAUSE_MINUTES} min`}`);
  console.log('shares = cache read / tokens the previous request sent');
  console.log(['turn', '   sent', '  ideal', '   read', '  write', '  input', ' planner', ' lastTwo', '  breakpoints (s=system c=context l=lookback t=tail, ¹=1h)'].join(' '));
  planner.forEach((r, i) => {
    const s = (x: TurnResult | undefined): string => (i === 0 || !x ? '      -' : pad(pct((x.usage.cache_read_input_tokens ?? 0) / x.ideal), 8));
    console.log(
      [pad(i + 1, 4), pad(r.sent, 7), pad(r.ideal, 7), pad(r.usage.cache_read_input_tokens ?? 0, 7), pad(r.usage.cache_creation_input_tokens ?? 0, 7), pad(r.usage.input_tokens, 7), s(r), s(lastTwo[i]), ` ${r.marks}`].join(' '),
    );
  });
  const costs = {
    planner: inputCost(planner),
    noCaching: inputCost(runs.get('noCaching') ?? []),
    lastTwoUserMessages: inputCost(lastTwo),
  };
  console.log(`input cost USD: planner ${costs.planner.toFixed(4)}, no caching ${costs.noCaching.toFixed(4)}, last two user messages ${costs.lastTwoUserMessages.toFixed(4)}`);
  console.log(`cache read share (turns 2-20): planner ${pct(share(planner))}, last two user messages ${pct(share(lastTwo))}`);
  const cacheReadShare = round(share(planner), 4);
  console.log(
    JSON.stringify({
      bench: 'cache',
      turns: TURNS,
      cacheReadShare,
      inputCostUsd: { planner: round(costs.planner, 4), noCaching: round(costs.noCaching, 4), lastTwoUserMessages: round(costs.lastTwoUserMessages, 4) },
      savingsVsNoCaching: round(1 - costs.planner / costs.noCaching, 4),
      pass: cacheReadShare >= 0.95,
    }),
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
