import type { Usage } from '@anthropic-ai/sdk/resources/messages';
import { newId } from '../util/ids';
import type { ContextBlock } from '../context/contextSet';

/** How an assistant turn ended, or that it is still streaming. */
export type AssistantStatus = 'streaming' | 'done' | 'stopped' | 'error' | 'interrupted';

/** A failure kept on the turn it broke; the partial answer stays beside it. */
export interface TurnError {
  readonly kind: string;
  readonly message: string;
  readonly action?: 'setApiKey' | 'pickModel' | 'reduceContext' | 'retry' | 'openSettings';
  readonly retryable: boolean;
  /** How long the API asked us to wait (retry-after), when it said. */
  readonly retryAfterMs?: number;
  /** When the session will retry by itself (epoch ms), for a visible countdown. */
  readonly retryAt?: number;
  /** What happened, without advice: the session words the rest from what it did (turnError.ts). */
  readonly fact?: string;
}

export interface UserTurn {
  readonly kind: 'user';
  readonly id: string;
  /** The turn this one answers or follows; absent for the first turn. Forks share a parent. */
  readonly parentId?: string;
  readonly text: string;
  /**
   * Context (files, selections) sent with this message, before its text. Stored with the turn so
   * the history replays it byte for byte; never rewritten (a later edit is a new block later on).
   */
  readonly context?: readonly ContextBlock[];
  readonly createdAt: number;
}

/** One request of a recipe run, shown as a collapsed section of the turn. */
export interface TurnStep {
  readonly title: string;
  readonly status: 'running' | 'done' | 'error';
  readonly text: string;
  readonly usage?: Usage;
  readonly error?: string;
  /** The model this step ran on, when not the turn's (a recipe's cheap grouping request). */
  readonly model?: string;
}

/** Set on an assistant turn that a recipe produced: its steps, each with its own usage. */
export interface TurnRecipe {
  readonly name: string;
  steps: readonly TurnStep[];
}

export interface AssistantTurn {
  readonly kind: 'assistant';
  readonly id: string;
  readonly parentId: string;
  readonly model: string;
  text: string;
  thinking: string;
  thinkingSignature?: string;
  status: AssistantStatus;
  stopReason?: string;
  stopSequence?: string;
  usage?: Usage;
  /**
   * The `model` the response named, when it differs from `model` (a Foundry deployment, a
   * gateway's alias or a Bedrock profile answer with the model behind them). Untrusted: only
   * looked up in the catalog to price an answer whose requested id has no price.
   */
  answeredBy?: string;
  error?: TurnError;
  /** A recipe run: the turn's text is its final answer and `usage` the sum of its steps. */
  recipe?: TurnRecipe;
  readonly createdAt: number;
}

export type Turn = UserTurn | AssistantTurn;

/**
 * A conversation is a tree of turns (edits fork it) with one active leaf. The system prompt is
 * fixed when the conversation starts so that it never changes a byte, and the cache keeps paying.
 */
export interface Conversation {
  readonly id: string;
  title: string;
  readonly createdAt: number;
  /** Set once, before the first turn is sent; never changed afterwards. */
  system: readonly string[];
  readonly turns: Map<string, Turn>;
  leafId?: string;
}

export function createConversation(system: readonly string[], now: number): Conversation {
  return { id: newId('c'), title: 'New chat', createdAt: now, system: [...system], turns: new Map() };
}

/** The turns from the root to the active leaf, oldest first. */
export function activePath(conversation: Conversation): Turn[] {
  const path: Turn[] = [];
  const seen = new Set<string>();
  let id = conversation.leafId;
  while (id !== undefined && !seen.has(id)) {
    seen.add(id);
    const turn = conversation.turns.get(id);
    if (turn === undefined) break;
    path.push(turn);
    id = turn.parentId;
  }
  return path.reverse();
}

export function appendUserTurn(conversation: Conversation, text: string, now: number, context?: readonly ContextBlock[]): UserTurn {
  const turn: UserTurn = {
    kind: 'user',
    id: newId('t'),
    ...(conversation.leafId !== undefined ? { parentId: conversation.leafId } : {}),
    text,
    ...(context !== undefined && context.length > 0 ? { context: context.map((block) => ({ label: block.label, text: block.text, ...(block.media !== undefined ? { media: { ...block.media } } : {}) })) } : {}),
    createdAt: now,
  };
  conversation.turns.set(turn.id, turn);
  conversation.leafId = turn.id;
  if (conversation.title === 'New chat') conversation.title = titleFrom(text);
  return turn;
}

export function appendAssistantTurn(conversation: Conversation, parentId: string, model: string, now: number): AssistantTurn {
  const turn: AssistantTurn = {
    kind: 'assistant',
    id: newId('t'),
    parentId,
    model,
    text: '',
    thinking: '',
    status: 'streaming',
    createdAt: now,
  };
  conversation.turns.set(turn.id, turn);
  conversation.leafId = turn.id;
  return turn;
}

/** A one-line title from the first message: its first line, cut at a word near 60 characters. */
export function titleFrom(text: string): string {
  const line = text.trim().split('\n', 1)[0]?.replace(/\s+/g, ' ') ?? '';
  if (line.length <= 60) return line || 'New chat';
  const cut = line.slice(0, 60);
  const space = cut.lastIndexOf(' ');
  return `${space > 30 ? cut.slice(0, space) : cut}…`;
}

/** The turns whose parent is `parentId` (root turns for undefined), in the order they were added. */
export function childrenOf(conversation: Conversation, parentId: string | undefined): Turn[] {
  const children: Turn[] = [];
  for (const turn of conversation.turns.values()) if (turn.parentId === parentId) children.push(turn);
  return children;
}

/** Follows the newest child from `turnId` down to a leaf: where a branch's conversation ends. */
export function newestLeafFrom(conversation: Conversation, turnId: string): string {
  let id = turnId;
  for (let guard = 0; guard < conversation.turns.size; guard++) {
    const next = childrenOf(conversation, id).at(-1);
    if (next === undefined) break;
    id = next.id;
  }
  return id;
}

/**
 * For a turn with siblings of its kind (an edited message, a regenerated answer): its 1-based
 * place among them.
 */
export function branchOf(conversation: Conversation, turn: Turn): { index: number; count: number } | undefined {
  const siblings = childrenOf(conversation, turn.parentId).filter((sibling) => sibling.kind === turn.kind);
  if (siblings.length < 2) return undefined;
  return { index: siblings.findIndex((sibling) => sibling.id === turn.id) + 1, count: siblings.length };
}

/**
 * Forks the conversation at a user turn: a new user turn with the same parent becomes the active
 * leaf. The old turn and everything after it stay in the tree, reachable by switching branches.
 * A blank edit forks nothing: the API refuses whitespace-only text, so it could never be answered.
 */
export function forkUserTurn(conversation: Conversation, turnId: string, text: string, now: number): UserTurn | undefined {
  const original = conversation.turns.get(turnId);
  if (original?.kind !== 'user' || text.trim() === '') return undefined;
  conversation.leafId = original.parentId;
  // The edited message keeps the context its original carried.
  return appendUserTurn(conversation, text, now, original.context);
}
