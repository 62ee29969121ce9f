/**
 * The typed messages between the extension host and the chat webview.
 *
 * Webview -> host messages are imperative (`send`, `stop`); host -> webview messages are past
 * tense (`didLoad`, `didStreamDelta`). The host never trusts what the webview posts: every
 * incoming value goes through {@link parseWebviewMessage} before it is acted on.
 *
 * This module imports nothing so that both bundles (node host, browser webview) can use it.
 */

/** Token usage and money for one assistant turn or a whole session. */
export interface UsageView {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  /** What the turn cost, in US dollars. */
  readonly costUsd: number;
  /** What prompt caching saved against sending the same tokens uncached, in US dollars. */
  readonly savedUsd: number;
  /**
   * Set when some or all of it has no known price (a model id the catalog does not list):
   * `costUsd` and `savedUsd` then cover only the priced part. Show it; never show $0 for it.
   */
  readonly unpriced?: Unpriced;
}

/** The models a cost could not be priced for, decided by the host (core/anthropic/price.ts). */
export interface Unpriced {
  /** The model ids with no known price, as the requests named them. */
  readonly models: readonly string[];
  /** True when other parts were priced: the figure is a lower bound, not the total. */
  readonly partial: boolean;
}

/** A failure shown in the transcript; never carries a stack trace or a key. */
export interface ErrorView {
  readonly kind: string;
  readonly message: string;
  readonly action?: 'setApiKey' | 'pickModel' | 'reduceContext' | 'retry' | 'openSettings';
  /** When the host will retry by itself, so the webview can count down. */
  readonly retryAt?: number;
  /** Text arrived before the error: Continue resumes it (Retry starts over). */
  readonly continuable?: boolean;
}

export type AssistantStatus = 'streaming' | 'done' | 'stopped' | 'error' | 'interrupted';

export interface UserTurnView {
  readonly id: string;
  readonly role: 'user';
  readonly text: string;
  /** Labels of the context blocks sent with this message (`src/a.ts`, `src/a.ts (updated)`). */
  readonly context?: readonly string[];
  /**
   * The images and PDFs sent with it, by their context label; a small image carries its bytes
   * (base64) for a thumbnail drawn through a `blob:` URL, as a chip's.
   */
  readonly media?: readonly { readonly label: string; readonly kind: 'image' | 'document'; readonly thumbnail?: ContextChipView['thumbnail'] }[];
  /** Set when editing forked the conversation here: this version's place among its siblings (1-based). */
  readonly branch?: { readonly index: number; readonly count: number };
}

/** One request of a recipe run (collapsed in the turn), with its own usage. */
export interface RecipeStepView {
  readonly title: string;
  readonly status: 'running' | 'done' | 'error';
  readonly text: string;
  readonly usage?: UsageView;
  readonly error?: string;
}

/** The steps behind an answer that a recipe produced. */
export interface RecipeRunView {
  readonly name: string;
  readonly steps: readonly RecipeStepView[];
}

export interface AssistantTurnView {
  readonly id: string;
  readonly role: 'assistant';
  readonly text: string;
  readonly thinking: string;
  readonly status: AssistantStatus;
  /** The API's stop_reason once the turn has ended. */
  readonly stopReason?: string;
  readonly stopSequence?: string;
  readonly usage?: UsageView;
  readonly error?: ErrorView;
  readonly model?: string;
  /** Set when a recipe produced the turn; `usage` is then the total over its steps. */
  readonly recipe?: RecipeRunView;
  /** Its place among the answers to the same message, when it was regenerated. */
  readonly branch?: { readonly index: number; readonly count: number };
  /** Workspace-relative files its code blocks name (a finished answer only): Apply to Files changes them together. */
  readonly files?: readonly string[];
}

export type TurnView = UserTurnView | AssistantTurnView;

export interface ModelOption {
  readonly id: string;
  readonly label: string;
  readonly deprecated: boolean;
}

/** Why the chat cannot send yet; the webview shows onboarding instead of a stack trace. */
export type Blocker =
  /** `foundry`: the key wanted is the Microsoft Foundry resource's, not an Anthropic API key. */
  | { readonly kind: 'noApiKey'; readonly service?: 'foundry' }
  | { readonly kind: 'untrusted' };

/** Everything the webview needs to draw itself from nothing (sent after `ready`). */
export interface ChatSnapshot {
  readonly conversationId: string;
  readonly title: string;
  readonly turns: readonly TurnView[];
  readonly busy: boolean;
  readonly model: string;
  readonly models: readonly ModelOption[];
  readonly totals: UsageView;
  readonly blocker?: Blocker;
  /** Set when the extension talks to the local test/demo server instead of the real API. */
  readonly offlineLabel?: string;
}

/** One chip above the composer: an item of context, or a file that was left out and why. */
export interface ContextChipView {
  readonly id: string;
  readonly kind: 'file' | 'selection' | 'snippet' | 'image' | 'document' | 'excluded';
  /** `src/a.ts` or `src/a.ts:3-9`. */
  readonly label: string;
  /** Estimated tokens (0 for an excluded file). */
  readonly tokens: number;
  /** For an image or PDF: what it is and its size (`PNG, 400x300 px, 12 KB`, `PDF, 3 pages, 40 KB`). */
  readonly detail?: string;
  /**
   * For an image: a small copy made off the UI thread when it was downscaled, or a small image's
   * own bytes (base64, of `mediaType`), drawn as a thumbnail through a `blob:` URL, the only image
   * source the page's CSP adds. Never a URL: nothing remote is ever loaded.
   */
  readonly thumbnail?: { readonly mediaType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'; readonly data: string };
  /** new/sent/updated/deleted for context; `excluded` for a file that was left out. */
  readonly state: 'new' | 'sent' | 'updated' | 'deleted' | 'excluded';
  /** For an excluded file: why ("may hold secrets (.env*)"). */
  readonly reason?: string;
}

/** What the active editor would add (shown as a dashed chip while the chat view is open). */
export interface ContextSuggestionView {
  readonly label: string;
  readonly kind: 'file' | 'selection';
}

export interface FileMatchView {
  readonly path: string;
  /** Indexes of the matched characters, for highlighting. */
  readonly positions: readonly number[];
}

export namespace FromWebview {
  export interface Ready { readonly type: 'ready' }
  /** The webview's copy of a turn did not match what the host said it held: send the snapshot again. */
  export interface Resync { readonly type: 'resync' }
  export interface Send { readonly type: 'send'; readonly text: string; readonly requestId: string }
  export interface Stop { readonly type: 'stop' }
  export interface Retry { readonly type: 'retry'; readonly turnId: string }
  export interface NewChat { readonly type: 'newChat' }
  export interface SetApiKey { readonly type: 'setApiKey' }
  export interface PickModel { readonly type: 'pickModel'; readonly modelId: string }
  export interface OpenLink { readonly type: 'openLink'; readonly href: string }
  export interface CopyText { readonly type: 'copyText'; readonly text: string }
  export interface InsertCode { readonly type: 'insertCode'; readonly code: string }
  /** Propose the code as a change to the editor's selection (or whole file), shown as a diff to accept. */
  export interface ApplyCode { readonly type: 'applyCode'; readonly code: string }
  export interface RunAction { readonly type: 'runAction'; readonly action: NonNullable<ErrorView['action']> }
  /** The composer's text changed (debounced by the webview); feeds the live token count. */
  export interface DraftChanged { readonly type: 'draftChanged'; readonly text: string }
  /** Replace an earlier user message and answer again from there; the old branch is kept. */
  export interface EditMessage { readonly type: 'editMessage'; readonly turnId: string; readonly text: string }
  /** Show the previous (-1) or next (1) version of a user message that was edited. */
  export interface SwitchBranch { readonly type: 'switchBranch'; readonly turnId: string; readonly direction: -1 | 1 }
  /** Resume an answer that stopped at the max_tokens limit. */
  export interface ContinueAnswer { readonly type: 'continueAnswer'; readonly turnId: string }
  /** Apply the answer's code blocks that name files, as one reviewed change (the host reads the answer itself). */
  export interface ApplyFiles { readonly type: 'applyFiles'; readonly turnId: string }
  /** Answer the same message again (the old answer stays as a version); `chooseModel`: ask which model first. */
  export interface Regenerate { readonly type: 'regenerate'; readonly turnId: string; readonly chooseModel: boolean }
  /** A slash command typed in the composer (`/personas why is this slow?`): run that recipe. */
  export interface RunRecipe { readonly type: 'runRecipe'; readonly command: string; readonly text: string }
  /** Drop a chip (context item or an excluded-file notice). */
  export interface RemoveContext { readonly type: 'removeContext'; readonly id: string }
  /** Open a chip's file at its range; for an excluded file, offer to add it anyway (host confirms). */
  export interface OpenContext { readonly type: 'openContext'; readonly id: string }
  /** The `@` picker's query: the host searches workspace files and answers with didSearchFiles. */
  export interface SearchFiles { readonly type: 'searchFiles'; readonly query: string; readonly requestId: string }
  /** Add a workspace file (a path the host offered in didSearchFiles). */
  export interface AddContextFile { readonly type: 'addContextFile'; readonly path: string }
  /** Add what the suggestion chip shows (the active editor's selection or file). */
  export interface AddSuggestion { readonly type: 'addSuggestion' }
  /**
   * An image pasted into the composer or a file dropped on the chat from outside the workspace:
   * its bytes (base64). The name is only a label; the host reads the format from the bytes and
   * holds them to the same limits as a workspace file. A file larger than one piece comes in
   * pieces, in order, each with `part` (so no single post clones megabytes on the page's thread);
   * the host joins them when `last` arrives.
   */
  export interface AddMediaData {
    readonly type: 'addMediaData';
    readonly source: 'paste' | 'drop';
    readonly name: string;
    readonly data: string;
    readonly part?: { readonly id: string; readonly index: number; readonly last: boolean };
  }
  /** Files dropped from VS Code's explorer (URIs): the host adds those inside the workspace, through the gate. */
  export interface AddDroppedUris { readonly type: 'addDroppedUris'; readonly uris: readonly string[] }
  export type Message =
    | Ready | Resync | Send | Stop | Retry | NewChat | SetApiKey | PickModel | OpenLink | CopyText | InsertCode | RunAction
    | DraftChanged | EditMessage | SwitchBranch | ContinueAnswer | Regenerate | ApplyCode | ApplyFiles | RunRecipe
    | RemoveContext | OpenContext | SearchFiles | AddContextFile | AddSuggestion | AddMediaData | AddDroppedUris;
}

export namespace ToWebview {
  /**
   * The first message after `ready`: VS Code's display language (`vscode.env.language`, e.g.
   * `de`) and the extension's translated strings for it (`vscode.l10n.bundle`, English text ->
   * translation; empty in English). The webview builds its UI only once this has arrived.
   */
  export interface DidInit { readonly type: 'didInit'; readonly language: string; readonly bundle: Readonly<Record<string, string>> }
  export interface DidLoad { readonly type: 'didLoad'; readonly snapshot: ChatSnapshot }
  export interface DidAppendTurn { readonly type: 'didAppendTurn'; readonly turn: TurnView }
  /** Only the new characters of a streaming turn: never the whole transcript per chunk. */
  export interface DidStreamDelta {
    readonly type: 'didStreamDelta';
    readonly turnId: string;
    readonly text?: string;
    readonly thinking?: string;
  }
  /**
   * The final state of a turn (done, stopped, error) replacing the streamed one. `keptText` (and
   * `keptThinking`): the turn's text is exactly what the webview already holds from the messages
   * before, so it is not sent again (`turn.text` is then empty) and the number is its length, to
   * check; a long answer would otherwise cross to the webview a second time as it ends (about 20 ms
   * of the webview's main thread for 320k characters). A webview whose text differs asks for
   * everything again (`resync`).
   */
  export interface DidUpdateTurn {
    readonly type: 'didUpdateTurn';
    readonly turn: AssistantTurnView;
    readonly keptText?: number;
    readonly keptThinking?: number;
  }
  /** A turn left the conversation (a failed answer that Retry replaces). */
  export interface DidRemoveTurn { readonly type: 'didRemoveTurn'; readonly turnId: string }
  export interface DidChangeBusy { readonly type: 'didChangeBusy'; readonly busy: boolean }
  export interface DidChangeTotals { readonly type: 'didChangeTotals'; readonly totals: UsageView }
  export interface DidFocusInput { readonly type: 'didFocusInput'; readonly text?: string }
  /** The chips above the composer, whole (a handful of items; small). */
  export interface DidChangeContext {
    readonly type: 'didChangeContext';
    readonly chips: readonly ContextChipView[];
    readonly totalTokens: number;
    readonly suggestion?: ContextSuggestionView;
  }
  export interface DidSearchFiles {
    readonly type: 'didSearchFiles';
    readonly requestId: string;
    readonly results: readonly FileMatchView[];
  }
  export type Message =
    | DidInit | DidLoad | DidAppendTurn | DidStreamDelta | DidUpdateTurn | DidRemoveTurn | DidChangeBusy | DidChangeTotals | DidFocusInput
    | DidChangeContext | DidSearchFiles;
}

/** Largest message text the host accepts from the webview (characters). */
export const MAX_SEND_CHARS = 200_000;

/** Most base64 characters one pasted or dropped file may post (32 MB of bytes, the API's request limit). */
export const MAX_MEDIA_DATA_CHARS = Math.ceil((32 * 1024 * 1024) / 3) * 4;
/** Most pieces one pasted or dropped file may come in (the webview's pieces are 384 KB; 32 MB is 86 of them). */
export const MAX_MEDIA_PARTS = 1024;
/** Most URIs one drop may post. */
export const MAX_DROPPED_URIS = 100;

/** A slash command's word: what recipes may use as `slash`. */
export const SLASH_COMMAND = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Splits `/word rest` typed in the composer; undefined when the text is not a slash command. */
export function parseSlashCommand(text: string): { command: string; text: string } | undefined {
  const match = /^\/([a-z0-9][a-z0-9-]{0,39})(?:\s+([\s\S]*))?$/.exec(text.trim());
  return match ? { command: match[1] ?? '', text: (match[2] ?? '').trim() } : undefined;
}

const ACTIONS: ReadonlySet<string> = new Set(['setApiKey', 'pickModel', 'reduceContext', 'retry', 'openSettings']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length <= max ? value : undefined;
}

/**
 * Narrows an untrusted value posted by the webview to a known message, or returns undefined.
 * Unknown types, missing fields and oversized strings are all rejected here, in one place.
 */
export function parseWebviewMessage(value: unknown): FromWebview.Message | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  switch (value.type) {
    case 'ready':
    case 'resync':
    case 'stop':
    case 'newChat':
    case 'setApiKey':
      return { type: value.type };
    case 'send': {
      const text = str(value.text, MAX_SEND_CHARS);
      const requestId = str(value.requestId, 100);
      return text !== undefined && requestId !== undefined ? { type: 'send', text, requestId } : undefined;
    }
    case 'retry': {
      const turnId = str(value.turnId, 100);
      return turnId !== undefined ? { type: 'retry', turnId } : undefined;
    }
    case 'pickModel': {
      const modelId = str(value.modelId, 200);
      return modelId !== undefined ? { type: 'pickModel', modelId } : undefined;
    }
    case 'openLink': {
      const href = str(value.href, 4000);
      return href !== undefined ? { type: 'openLink', href } : undefined;
    }
    case 'editMessage': {
      const turnId = str(value.turnId, 100);
      const text = str(value.text, MAX_SEND_CHARS);
      return turnId !== undefined && text !== undefined && text.trim() !== '' ? { type: 'editMessage', turnId, text } : undefined;
    }
    case 'switchBranch': {
      const turnId = str(value.turnId, 100);
      const direction = value.direction;
      return turnId !== undefined && (direction === 1 || direction === -1) ? { type: 'switchBranch', turnId, direction } : undefined;
    }
    case 'continueAnswer': {
      const turnId = str(value.turnId, 100);
      return turnId !== undefined ? { type: 'continueAnswer', turnId } : undefined;
    }
    case 'applyFiles': {
      const turnId = str(value.turnId, 100);
      return turnId !== undefined ? { type: 'applyFiles', turnId } : undefined;
    }
    case 'regenerate': {
      const turnId = str(value.turnId, 100);
      const chooseModel = value.chooseModel ?? false;
      return turnId !== undefined && typeof chooseModel === 'boolean' ? { type: 'regenerate', turnId, chooseModel } : undefined;
    }
    case 'runRecipe': {
      const command = str(value.command, 40);
      const text = str(value.text, MAX_SEND_CHARS);
      return command !== undefined && SLASH_COMMAND.test(command) && text !== undefined ? { type: 'runRecipe', command, text } : undefined;
    }
    case 'draftChanged': {
      const text = str(value.text, MAX_SEND_CHARS);
      return text !== undefined ? { type: 'draftChanged', text } : undefined;
    }
    case 'copyText':
    case 'insertCode':
    case 'applyCode': {
      const text = str(value.type === 'copyText' ? value.text : value.code, 2_000_000);
      if (text === undefined) return undefined;
      return value.type === 'copyText' ? { type: 'copyText', text } : { type: value.type, code: text };
    }
    case 'removeContext':
    case 'openContext': {
      const id = str(value.id, 2000);
      return id !== undefined && id !== '' ? { type: value.type, id } : undefined;
    }
    case 'searchFiles': {
      const query = str(value.query, 500);
      const requestId = str(value.requestId, 100);
      return query !== undefined && requestId !== undefined ? { type: 'searchFiles', query, requestId } : undefined;
    }
    case 'addContextFile': {
      const path = str(value.path, 2000);
      return path !== undefined && path !== '' ? { type: 'addContextFile', path } : undefined;
    }
    case 'addSuggestion':
      return { type: 'addSuggestion' };
    case 'addMediaData': {
      const name = str(value.name, 1000);
      const data = str(value.data, MAX_MEDIA_DATA_CHARS);
      const source = value.source;
      if (name === undefined || data === undefined || data === '' || (source !== 'paste' && source !== 'drop')) return undefined;
      if (value.part === undefined) return { type: 'addMediaData', source, name, data };
      const part = isRecord(value.part) ? value.part : {};
      const id = str(part.id, 64);
      const index = part.index;
      const last = part.last;
      return id !== undefined && /^[A-Za-z0-9_-]+$/.test(id) && typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < MAX_MEDIA_PARTS && typeof last === 'boolean'
        ? { type: 'addMediaData', source, name, data, part: { id, index, last } }
        : undefined;
    }
    case 'addDroppedUris': {
      const uris = value.uris;
      if (!Array.isArray(uris) || uris.length === 0 || uris.length > MAX_DROPPED_URIS) return undefined;
      const valid = uris.map((uri) => str(uri, 4000)).filter((uri): uri is string => uri !== undefined && uri !== '');
      return valid.length === uris.length ? { type: 'addDroppedUris', uris: valid } : undefined;
    }
    case 'runAction': {
      const action = str(value.action, 40);
      return action !== undefined && ACTIONS.has(action)
        ? { type: 'runAction', action: action as FromWebview.RunAction['action'] }
        : undefined;
    }
    default:
      return undefined;
  }
}

/** Exhaustiveness check for switches over the message unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}
