/**
 * The thin, typed seam between the UI and VS Code's webview API. Views never call
 * `acquireVsCodeApi` themselves: they get a {@link HostApi}, which tests replace with a fake.
 */
import type { FromWebview } from '../shared/protocol';

/** UI-only state that survives the view being hidden; the transcript itself lives in the host. */
export interface PersistedState {
  readonly draft: string;
  /** Scroll position of one conversation; ignored when another conversation is loaded. */
  readonly scroll?: { readonly conversationId: string; readonly top: number; readonly atBottom: boolean };
}

export interface HostApi {
  post(message: FromWebview.Message): void;
  getState(): PersistedState;
  /** Shallow-merges into the persisted state. */
  patchState(patch: Partial<PersistedState>): void;
}

/** The subset of the object `acquireVsCodeApi()` returns that we use. */
export interface VsCodeApiLike {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): unknown;
}

declare function acquireVsCodeApi(): VsCodeApiLike;

/**
 * `getState` hands back whatever an older build of this webview stored, so it is validated
 * rather than trusted.
 */
export function readPersistedState(raw: unknown): PersistedState {
  if (typeof raw !== 'object' || raw === null) return { draft: '' };
  const record = raw as Record<string, unknown>;
  const draft = typeof record.draft === 'string' ? record.draft : '';
  const scroll = record.scroll;
  if (typeof scroll === 'object' && scroll !== null) {
    const s = scroll as Record<string, unknown>;
    if (typeof s.conversationId === 'string' && typeof s.top === 'number' && typeof s.atBottom === 'boolean') {
      return { draft, scroll: { conversationId: s.conversationId, top: s.top, atBottom: s.atBottom } };
    }
  }
  return { draft };
}

export function createHostApi(vscode: VsCodeApiLike): HostApi {
  // Cached because getState() deserialises on every call in VS Code.
  let state = readPersistedState(vscode.getState());
  return {
    post: (message) => vscode.postMessage(message),
    getState: () => state,
    patchState: (patch) => {
      state = { ...state, ...patch };
      vscode.setState(state);
    },
  };
}

/** `acquireVsCodeApi` may only be called once per page, so main.ts calls this exactly once. */
export function acquireHostApi(): HostApi {
  return createHostApi(acquireVsCodeApi());
}
