/**
 * Prompt-cache benchmark (`npm run bench:cache`): replays a scripted 20-turn conversation with
 * ~40k tokens of files through the extension's own chat path against the local test server's
 * cache accounting, and prints a table then one JSON line (always the last line).
 *
 * What runs is what the extension runs: files are read into the core ContextSet (readContextFile,
 * the same call the ContextController makes), each turn's blocks come from `takeBlocks()` (new
 * files whole, an edited one as an "updated version"), and `ChatSession.send` appends the turn to
 * the conversation, builds the request (request builder + cache planner, with the session's own
 * gap hint) and streams it through an SDK client made by the extension's client factory. Only the
 * file bytes come from memory and the clock is the server's manual one. The two baselines run the
 * same session and script; their client rewrites the breakpoints of the request it is given
 * (none at all; the common extensions' last two user messages).
 *
 * Per turn 2-20: share = cache_read_input_tokens / ideally cacheable tokens, where ideally
 * cacheable = every token the previous request sent. `pass` needs every one of turns 2-20 to read
 * all of it back (MIN_TURN_SHARE; not a weighted average a bad turn could hide in), and the
 * planner to cost less than sending without caching.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, MessageCreateParamsStreaming, MessageParam, TextBlockParam, Usage } from '@anthropic-ai/sdk/resources/messages';
import { costOf, DEFAULT_MODEL, findModel } from '../src/core/anthropic/catalog';
import { createClient } from '../src/core/anthropic/clientFactory';
import { describeError } from '../src/core/anthropic/errors';
import type { CacheRequest } from '../src/core/chat/cachePlanner';
import { ChatSession } from '../src/core/chat/chatSession';
import { sessionOptionsFrom } from '../src/core/chat/sessionOptions';
import { composeSystemPrompt } from '../src/core/chat/systemPrompt';
import { turnErrorFrom } from '../src/core/chat/turnError';
import { parseConfig } from '../src/core/config/config';
import { ContextSet, DEFAULT_CONTEXT_LIMITS, readContextFile } from '../src/core/context';
import type { TestServer } from '../test/server';
import { countInputTokens, startTestServer } from '../test/server';
import { editedFile, sourceFile } from './sourceText';

type Strategy = 'planner' | 'noCaching' | 'lastTwoUserMessages';
const STRATEGIES: readonly Strategy[] = ['planner', 'noCaching', 'lastTwoUserMessages'];
const TURNS = 20;
const found = findModel(DEFAULT_MODEL);
if (found === undefined) throw new Error(`${DEFAULT_MODEL} is not in the catalog`);
const catalogModel = found;

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

/** What every turn 2-20 must read back, as a share of what the previous request sent: all of it. */
const MIN_TURN_SHARE = 1;

/** The breakpoints a request carries, in the table's shorthand (s=system, m=message block, ¹=1h). */
function marksOf(params: MessageCreateParamsStreaming): string {
  const marks: string[] = [];
  const mark = (where: string, block: { cache_control?: { ttl?: string } | null }): void => {
    if (block.cache_control) marks.push(`${where}${block.cache_control.ttl === '1h' ? '¹' : ''}`);
  };
  for (const block of Array.isArray(params.system) ? params.system : []) mark('s', block);
  params.messages.forEach((message, i) => {
    if (Array.isArray(message.content)) for (const block of message.content) mark(`m${i}`, block as { cache_control?: { ttl?: string } | null });
  });
  return marks.join(' ');
}

/** How a baseline client rewrites the extension's request; the planner's passes it on untouched. */
function rewrite(strategy: Strategy, params: MessageCreateParamsStreaming): MessageCreateParamsStreaming {
  if (strategy === 'planner') return params;
  const strip = <T extends object>(block: T): T => {
    const { cache_control: _dropped, ...rest } = block as T & { cache_control?: unknown };
    return rest as T;
  };
  const request: CacheRequest = {
    system: (Array.isArray(params.system) ? params.system : []).map((block: TextBlockParam) => strip(block)),
    messages: params.messages.map((m): MessageParam => (Array.isArray(m.content) ? ({ ...m, content: m.content.map((block: ContentBlockParam) => strip(block)) } as MessageParam) : m)),
  };
  const rewritten = strategy === 'noCaching' ? request : lastTwoUserMessages(request);
  return { ...params, system: [...rewritten.system], messages: [...rewritten.messages] };
}

async function run(strategy: Strategy): Promise<TurnResult[]> {
  const server: TestServer = await startTestServer({ manualClock: true, log: () => undefined });
  const config = parseConfig(() => undefined).config;
  const model = config.model;
  const client = createClient({ apiKey: server.apiKey, baseURL: server.url, timeoutMs: 60_000, maxRetries: 0 });
  const sent: MessageCreateParamsStreaming[] = [];
  const stream = client.messages.stream.bind(client.messages);
  // The session streams through `client.messages.stream`; this records (and for a baseline rewrites) what it sends.
  client.messages.stream = ((params: MessageCreateParamsStreaming, options?: Parameters<typeof stream>[1]) => {
    const request = rewrite(strategy, params);
    sent.push(request);
    return stream(request, options);
  }) as typeof client.messages.stream;
  const session = new ChatSession({
    getClient: async (): Promise<Anthropic> => client,
    getOptions: () => sessionOptionsFrom(config),
    describeError: (error) => turnErrorFrom(describeError(error, { model, baseURL: server.url })),
    price: (usage, id) => {
      const cost = costOf(usage, findModel(id) ?? catalogModel);
      return { costUsd: cost.total, savedUsd: cost.savedByCache };
    },
    now: () => server.clock.now(),
    composeSystem: async () => composeSystemPrompt({ profile: config.profile, date: '2026-11-20', languages: ['TypeScript'], userBlocks: config.systemPrompt }),
  });
  const context = new ContextSet();
  const files = new Map(FILES.map((path, i) => [path, sources[i] ?? '']));
  files.set(ADDED_PATH, sourceFile(ADDED_PATH, 2000, 12_000));
  const add = async (path: string): Promise<void> => {
    const read = await readContextFile(
      { path, uri: `file:///ws/${path}`, currentTotal: context.totalTokens(), limits: DEFAULT_CONTEXT_LIMITS },
      async () => new TextEncoder().encode(files.get(path) ?? ''),
    );
    if (!read.ok) throw new Error(read.refusal.message);
    context.add(read.item);
  };
  const results: TurnResult[] = [];
  try {
    for (let n = 1; n <= TURNS; n++) {
      // Turn 1 attaches the ten files, turn 8 one more, turn 12 carries an edit of one of them.
      if (n === 1) for (const path of FILES) await add(path);
      if (n === 8) await add(ADDED_PATH);
      if (n === 12) {
        const path = FILES[EDITED] ?? '';
        const id = context.list().find((entry) => entry.item.path === path)?.item.id ?? '';
        if (!context.updateContent(id, editedFile(sources[EDITED] ?? '', 7))) throw new Error(`could not update ${path}`);
      }
      server.script({ text: replyText(n) });
      await session.send(QUESTIONS[n - 1] ?? 'Go on.', context.takeBlocks());
      const answer = session.turns().at(-1);
      if (answer?.kind !== 'assistant' || answer.status !== 'done' || answer.usage === undefined) {
        throw new Error(`turn ${n} (${strategy}) did not finish: ${answer?.kind === 'assistant' ? (answer.error?.message ?? answer.status) : 'no answer'}`);
      }
      const request = sent.at(-1);
      if (request === undefined) throw new Error(`turn ${n} sent nothing`);
      const tokens = countInputTokens({ system: request.system as TextBlockParam[], messages: request.messages });
      results.push({ usage: answer.usage, sent: tokens, ideal: n === 1 ? 0 : (results.at(-1)?.sent ?? 0), marks: marksOf(request) });
      server.clock.advance((GAPS_S[n - 1] ?? 60) * 1000);
    }
  } finally {
    session.dispose();
    await server.close();
  }
  return results;
}

const inputCost = (results: readonly TurnResult[]): number =>
  results.reduce((sum, r) => {
    const cost = costOf(r.usage, catalogModel);
    return sum + cost.input + cost.cacheWrite + cost.cacheRead;
  }, 0);

/** Each turn's cache read over what the previous request sent (turns 2-20). */
const turnShares = (results: readonly TurnResult[]): number[] => results.slice(1).map((r) => (r.ideal === 0 ? 0 : (r.usage.cache_read_input_tokens ?? 0) / r.ideal));

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

  console.log(`model ${DEFAULT_MODEL}, min cacheable ${catalogModel.minCacheableTokens}; through ChatSession (ContextSet, request builder, planner, SDK); pauses ${PAUSE_MINUTES === undefined ? '20-150 s' : `${PAUSE_MINUTES} min`}`);
  console.log('shares = cache read / tokens the previous request sent');
  console.log(['turn', '   sent', '  ideal', '   read', '  write', '  input', ' planner', ' lastTwo', '  breakpoints (s=system, mN=block of message N, ¹=1h)'].join(' '));
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
  const minTurnShare = round(Math.min(...turnShares(planner)), 4);
  const checks = {
    everyTurnReadsBack: minTurnShare >= MIN_TURN_SHARE,
    cheaperThanNoCaching: costs.planner < costs.noCaching,
  };
  console.log(`lowest turn share: ${pct(minTurnShare)} (every turn must read at least ${pct(MIN_TURN_SHARE)})`);
  console.log(
    JSON.stringify({
      bench: 'cache',
      turns: TURNS,
      cacheReadShare,
      minTurnShare,
      inputCostUsd: { planner: round(costs.planner, 4), noCaching: round(costs.noCaching, 4), lastTwoUserMessages: round(costs.lastTwoUserMessages, 4) },
      savingsVsNoCaching: round(1 - costs.planner / costs.noCaching, 4),
      checks,
      pass: Object.values(checks).every(Boolean),
    }),
  );
  if (!Object.values(checks).every(Boolean)) process.exitCode = 1;
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
