/**
 * Builds the page inside #app and routes host messages to the views. Everything environmental
 * (host API, window, frame scheduler, clock, id factory) is injected so the whole app runs in
 * jsdom in tests exactly as it runs in the webview.
 */
import { assertNever, type Blocker, type ChatSnapshot, type ToWebview } from '../shared/protocol';
import type { WindowLike } from 'dompurify';
import type { HostApi } from './api';
import { el, type FrameScheduler, type TaskRunner } from './dom';
import { createMarkdownRenderer, type MarkdownRenderer } from './render/markdown';
import { strings } from './strings';
import { ComposerView } from './view/composer';
import { ContextBarView } from './view/contextBar';
import { HeaderView } from './view/header';
import { acceptDrops } from './view/mediaInput';
import { renderOnboarding } from './view/onboarding';
import { TranscriptView } from './view/transcript';

export interface AppDeps {
  readonly api: HostApi;
  /** The window the sanitizer parses with (the webview's own, or jsdom's in tests). */
  readonly win: WindowLike;
  readonly schedule: FrameScheduler;
  /** Where full markdown renders run, after the frame that decided them; synchronous if absent. */
  readonly runTask?: TaskRunner;
  readonly now: () => number;
  readonly newId: () => string;
  readonly markdown?: MarkdownRenderer;
}

const MESSAGE_TYPES: ReadonlySet<string> = new Set<ToWebview.Message['type']>([
  'didInit', 'didLoad', 'didAppendTurn', 'didStreamDelta', 'didUpdateTurn', 'didRemoveTurn', 'didChangeBusy', 'didChangeTotals', 'didFocusInput',
  'didChangeContext', 'didSearchFiles',
]);

/**
 * The host is trusted, but `message` events can come from anything that can reach the window,
 * so only well-formed messages of a known type are dispatched.
 */
export function asHostMessage(data: unknown): ToWebview.Message | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const type = (data as { type?: unknown }).type;
  return typeof type === 'string' && MESSAGE_TYPES.has(type) ? (data as ToWebview.Message) : undefined;
}

export class ChatApp {
  private readonly header: HeaderView;
  private readonly transcript: TranscriptView;
  private readonly composer: ComposerView;
  private readonly contextBar: ContextBarView;
  private readonly footer: HTMLElement;
  private onboarding: HTMLElement | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly deps: AppDeps,
  ) {
    const doc = root.ownerDocument;
    root.classList.add('app');
    root.setAttribute('aria-label', strings.appLabel);
    const headerEl = el(doc, 'header', { id: 'header', className: 'header' });
    const transcriptEl = el(doc, 'main', {
      id: 'transcript',
      className: 'transcript',
      // role=log: new turns are announced politely; tabindex lets keyboard users scroll it.
      attrs: { role: 'log', 'aria-label': strings.transcriptLabel, tabindex: '0' },
    });
    const transcriptWrap = el(doc, 'div', { className: 'transcript-wrap' }, [transcriptEl]);
    this.footer = el(doc, 'footer', { className: 'footer' });
    root.replaceChildren(headerEl, transcriptWrap, this.footer);

    this.header = new HeaderView(headerEl, (m) => deps.api.post(m));
    this.transcript = new TranscriptView(transcriptEl, {
      api: deps.api,
      markdown: deps.markdown ?? createMarkdownRenderer(deps.win),
      schedule: deps.schedule,
      runTask: deps.runTask,
      now: deps.now,
      onEditSent: () => this.composer.focus(),
    });
    this.contextBar = new ContextBarView(doc, deps.api);
    this.composer = new ComposerView(doc, {
      api: deps.api,
      newId: deps.newId,
      editLast: () => this.transcript.editLastUserMessage(),
      top: this.contextBar.element,
    });
    this.footer.append(this.composer.element);
    acceptDrops(root, { api: deps.api, refuse: (message) => this.composer.showReason(message) });
  }

  /** Tells the host we are listening; it answers with didLoad. */
  start(): void {
    this.deps.api.post({ type: 'ready' });
  }

  handle(message: ToWebview.Message): void {
    switch (message.type) {
      case 'didInit':
        break; // main.ts applies the language before it builds the app
      case 'didLoad':
        this.load(message.snapshot);
        break;
      case 'didAppendTurn':
        this.transcript.appendTurn(message.turn);
        break;
      case 'didStreamDelta':
        this.transcript.streamDelta(message);
        break;
      case 'didUpdateTurn':
        this.transcript.updateTurn(message);
        break;
      case 'didRemoveTurn':
        this.transcript.removeTurn(message.turnId);
        break;
      case 'didChangeBusy':
        this.composer.setBusy(message.busy);
        this.transcript.setBusy(message.busy);
        break;
      case 'didChangeTotals':
        this.header.setTotals(message.totals);
        break;
      case 'didFocusInput':
        this.composer.focus(message.text);
        break;
      case 'didChangeContext':
        this.contextBar.update(message);
        break;
      case 'didSearchFiles':
        this.composer.picker.showResults(message);
        break;
      default:
        assertNever(message);
    }
  }

  private load(snapshot: ChatSnapshot): void {
    this.root.setAttribute('data-conversation-id', snapshot.conversationId);
    this.header.update(snapshot);
    this.setOnboarding(snapshot.blocker, snapshot.turns.length === 0);
    this.transcript.load(snapshot);
    this.composer.setBusy(snapshot.busy);
    this.composer.setBlocker(snapshot.blocker);
  }

  /**
   * In an empty chat the card takes the welcome's place in the middle of the panel; with a
   * transcript to read, it sits above the composer instead.
   */
  private setOnboarding(blocker: Blocker | undefined, emptyTranscript: boolean): void {
    this.onboarding?.remove();
    this.onboarding = blocker ? renderOnboarding(this.root.ownerDocument, blocker, (m) => this.deps.api.post(m)) : undefined;
    this.transcript.setEmptyContent(emptyTranscript ? this.onboarding : undefined);
    if (this.onboarding && !emptyTranscript) this.footer.prepend(this.onboarding);
  }
}
