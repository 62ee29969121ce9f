/**
 * The scrolling list of turns. Owns the turn elements (by id), keeps the scroll position (see
 * scrollFollower.ts), and handles clicks on links, code block buttons and turn toolbars (Copy,
 * Edit, versions) by delegation: rendered markdown carries no listeners of its own. At most one
 * user message is open for editing at a time.
 *
 * A snapshot may hold a thousand turns: only the newest are rendered at once, older ones in
 * chunks as the reader scrolls up to them (see turnWindow.ts).
 */
import type { ChatSnapshot, FromWebview, ToWebview, TurnView } from '../../shared/protocol';
import type { HostApi } from '../api';
import { closestElement, el, flashLabel, type FrameScheduler, type TaskRunner } from '../dom';
import { icon } from '../icons';
import { CODE_ACTION, codeForButton } from '../render/codeBlocks';
import { isAllowedHref, type MarkdownRenderer } from '../render/markdown';
import { strings } from '../strings';
import { AssistantTurnElement } from './assistantTurn';
import { ScrollFollower } from './scrollFollower';
import { applyLocks, TURN_ACTION } from './turnActions';
import { TurnWindow } from './turnWindow';
import { EditingSession, renderUserTurn } from './userTurn';

export interface TranscriptDeps {
  readonly api: HostApi;
  readonly markdown: MarkdownRenderer;
  readonly schedule: FrameScheduler;
  readonly runTask?: TaskRunner;
  readonly now: () => number;
  /** After an edit is sent the editor closes; the composer is where the keyboard user carries on. */
  readonly onEditSent?: () => void;
}

export class TranscriptView {
  private readonly turns = new Map<string, AssistantTurnElement>();
  /** User messages by id: what Copy copies and what the editor starts from. */
  private readonly userTexts = new Map<string, string>();
  /** The assistant turn that ends the transcript (the only one that may offer Continue). */
  private newestId: string | undefined;
  private readonly editing: EditingSession;
  private busy = false;
  /** Onboarding is showing (no key, Restricted Mode): the host would refuse edits and Continue. */
  private blocked = false;
  private models = new Map<string, string>();
  /** Shown instead of the welcome while there are no turns (e.g. the onboarding card). */
  private emptyContent: HTMLElement | undefined;
  private conversationId = '';
  /** A turn is being built (see renderTurn). */
  private building = false;
  private readonly turnWindow: TurnWindow;
  private readonly scroll: ScrollFollower;

  constructor(
    private readonly root: HTMLElement,
    private readonly deps: TranscriptDeps,
  ) {
    this.editing = new EditingSession({ post: (m) => this.post(m), onSent: deps.onEditSent });
    this.scroll = new ScrollFollower(root, { api: deps.api, schedule: deps.schedule, conversationId: () => this.conversationId, now: deps.now });
    this.turnWindow = new TurnWindow(root, {
      render: (turn) => this.renderTurn(turn),
      prepare: (turns) => this.applyLocks(turns),
      release: (turnId) => this.release(turnId),
      pinned: (element) => this.editing.isWithin(element),
      now: deps.now,
    });
    root.addEventListener('click', (event) => this.onClick(event));
    // Middle-click would otherwise try to open the link in a new window.
    root.addEventListener('auxclick', (event) => {
      if (closestElement(event.target, 'a')) {
        event.preventDefault();
        event.stopPropagation();
      }
    });
  }

  load(snapshot: ChatSnapshot): void {
    // A redraw of the chat being read (another version, a settings change) keeps the reader's place.
    const anchor = snapshot.conversationId === this.conversationId && !this.scroll.following ? this.turnWindow.anchor(snapshot.turns) : undefined;
    for (const turn of this.turns.values()) turn.dispose();
    this.turns.clear();
    this.userTexts.clear();
    this.newestId = undefined;
    this.editing.forget();
    this.busy = snapshot.busy;
    this.blocked = snapshot.blocker !== undefined;
    this.models = new Map(snapshot.models.map((m) => [m.id, m.label]));
    this.conversationId = snapshot.conversationId;
    this.root.replaceChildren();
    // Until the first frame is painted the turns are laid out in full (see transcript.css), so
    // that the scroll position is set against real heights and later scrolling has them too.
    this.root.classList.add('settling');
    this.deps.schedule(() => this.deps.schedule(() => this.root.classList.remove('settling')));
    this.turnWindow.show(snapshot.turns);
    this.refreshNewest();
    this.applyLocks(this.root);
    this.updateEmptyState();
    this.scroll.restore(this.turnWindow, anchor);
  }

  appendTurn(turn: TurnView): void {
    const element = this.renderTurn(turn);
    this.root.append(element);
    this.applyLocks(element);
    this.refreshNewest();
    this.updateEmptyState();
    // The user just sent something: show it and what follows, wherever they had scrolled.
    if (turn.role === 'user') this.scroll.followFromNowOn();
    this.scroll.follow();
  }

  streamDelta(message: ToWebview.DidStreamDelta): void {
    const turn = this.turns.get(message.turnId);
    if (turn) turn.appendDelta(message.text, message.thinking);
    else this.turnWindow.appendDelta(message);
  }

  updateTurn(message: ToWebview.DidUpdateTurn): void {
    const turn = this.withKeptText(message);
    if (turn === undefined) {
      // What this webview holds is not what the host thinks it holds: start again from a snapshot.
      this.post({ type: 'resync' });
      return;
    }
    const existing = this.turns.get(turn.id);
    if (!existing) {
      // A turn not rendered yet is updated where it waits, not appended a second time.
      if (!this.turnWindow.update(turn)) this.appendTurn(turn);
      return;
    }
    existing.update(turn);
    // The footer was redrawn and may hold a fresh Continue button.
    this.applyLocks(existing.element);
  }

  /**
   * The turn an update describes, with the text and thinking the host left out because this
   * webview already has them (see ToWebview.DidUpdateTurn) put back; undefined if what this
   * webview has is not of the length the host says.
   */
  private withKeptText(message: ToWebview.DidUpdateTurn): ToWebview.DidUpdateTurn['turn'] | undefined {
    const { turn, keptText, keptThinking } = message;
    if (keptText === undefined && keptThinking === undefined) return turn;
    const held = this.turns.get(turn.id)?.snapshot() ?? this.turnWindow.view(turn.id);
    if (held?.role !== 'assistant') return undefined;
    if (keptText !== undefined && held.text.length !== keptText) return undefined;
    if (keptThinking !== undefined && held.thinking.length !== keptThinking) return undefined;
    return { ...turn, text: keptText !== undefined ? held.text : turn.text, thinking: keptThinking !== undefined ? held.thinking : turn.thinking };
  }

  /** Takes a turn out of the transcript, rendered or not (Retry replaces a failed answer). */
  removeTurn(turnId: string): void {
    this.turnWindow.forget(turnId);
    for (const element of this.root.querySelectorAll<HTMLElement>('.turn')) {
      if (element.getAttribute('data-turn-id') === turnId) element.remove();
    }
    this.release(turnId);
    this.refreshNewest();
    this.updateEmptyState();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.applyLocks(this.root);
  }

  /** ArrowUp in an empty composer: edit the last thing the user said. False if there is none. */
  editLastUserMessage(): boolean {
    const article = this.turnWindow.lastUserTurn();
    const turnId = article?.getAttribute('data-turn-id');
    const text = turnId ? this.userTexts.get(turnId) : undefined;
    return article !== undefined && turnId && text !== undefined ? this.editing.open(article, turnId, text) : false;
  }

  private renderTurn(turn: TurnView): HTMLElement {
    const doc = this.root.ownerDocument;
    if (turn.role === 'user') {
      this.userTexts.set(turn.id, turn.text);
      return renderUserTurn(doc, turn, this.deps.markdown);
    }
    // A turn renders its markdown while it is built, before it is in the transcript: following
    // the output then would only force a layout per turn. Whoever inserts it sets the scroll.
    this.building = true;
    const view = new AssistantTurnElement(doc, turn, {
      markdown: this.deps.markdown,
      schedule: this.deps.schedule,
      runTask: this.deps.runTask,
      now: this.deps.now,
      post: (message) => this.deps.api.post(message),
      modelLabel: (id) => this.models.get(id) ?? id,
      onRender: () => {
        if (!this.building) this.scroll.follow();
      },
    });
    this.building = false;
    this.turns.get(turn.id)?.dispose();
    this.turns.set(turn.id, view);
    return view.element;
  }

  /** Forgets a turn whose DOM the window drops; returns an answer's latest view to render it from later. */
  private release(turnId: string): TurnView | undefined {
    this.userTexts.delete(turnId);
    const turn = this.turns.get(turnId);
    this.turns.delete(turnId);
    turn?.dispose();
    return turn?.snapshot();
  }

  /** Replaces the welcome of an empty transcript with `content` (undefined restores it). */
  setEmptyContent(content: HTMLElement | undefined): void {
    this.emptyContent = content;
    this.root.querySelector(':scope > .empty-state')?.remove();
    this.updateEmptyState();
  }

  private updateEmptyState(): void {
    const hasTurns = this.root.querySelector('.turn') !== null;
    const existing = this.root.querySelector(':scope > .empty-state');
    if (hasTurns) {
      existing?.remove();
      return;
    }
    if (existing) return;
    const doc = this.root.ownerDocument;
    const welcome = el(doc, 'div', { className: 'welcome' }, [
      el(doc, 'div', { className: 'welcome-icon', attrs: { 'aria-hidden': 'true' } }, [icon(doc, 'sparkle')]),
      el(doc, 'h2', { className: 'welcome-title', text: strings.welcomeTitle }),
      el(doc, 'p', { className: 'welcome-body', text: strings.welcomeBody }),
    ]);
    this.root.append(el(doc, 'div', { className: 'empty-state' }, [this.emptyContent ?? welcome]));
  }

  private onClick(event: MouseEvent): void {
    const link = closestElement(event.target, 'a');
    if (link) {
      // Never let the webview navigate; stopPropagation also keeps VS Code's own link handler
      // (which opens any href) from running, so the host's scheme check is the only path.
      event.preventDefault();
      event.stopPropagation();
      const href = link.getAttribute('href');
      if (href !== null && isAllowedHref(href)) this.post({ type: 'openLink', href });
      return;
    }
    const turnButton = closestElement(event.target, 'button[data-turn-action]');
    if (turnButton) {
      this.onTurnAction(turnButton as HTMLButtonElement);
      return;
    }
    const button = closestElement(event.target, 'button[data-action]');
    if (!button) return;
    if (button.getAttribute('data-action') === CODE_ACTION.wrap) {
      const wrapped = button.closest('.code-block')?.classList.toggle('wrapped') ?? false;
      button.setAttribute('aria-pressed', String(wrapped));
      return;
    }
    const code = codeForButton(button);
    if (code === undefined) return;
    const action = button.getAttribute('data-action');
    if (action === CODE_ACTION.copy) {
      this.post({ type: 'copyText', text: code });
      flashLabel(button as HTMLElement, strings.copied);
    } else if (action === CODE_ACTION.insert) {
      this.post({ type: 'insertCode', code });
    } else if (action === CODE_ACTION.apply) {
      this.post({ type: 'applyCode', code });
    }
  }

  private onTurnAction(button: HTMLButtonElement): void {
    const article = button.closest<HTMLElement>('.turn');
    const turnId = article?.getAttribute('data-turn-id');
    if (!article || !turnId || button.disabled) return;
    switch (button.getAttribute('data-turn-action')) {
      case TURN_ACTION.copy: {
        const text = this.userTexts.get(turnId) ?? this.turns.get(turnId)?.source;
        if (text === undefined) return;
        this.post({ type: 'copyText', text });
        flashLabel(button, strings.copied);
        break;
      }
      case TURN_ACTION.edit: {
        const text = this.userTexts.get(turnId);
        if (text !== undefined) this.editing.open(article, turnId, text);
        break;
      }
      case TURN_ACTION.branchPrev:
        this.post({ type: 'switchBranch', turnId, direction: -1 });
        break;
      case TURN_ACTION.branchNext:
        this.post({ type: 'switchBranch', turnId, direction: 1 });
        break;
      case TURN_ACTION.regenerate:
        this.post({ type: 'regenerate', turnId, chooseModel: false });
        break;
      case TURN_ACTION.regenerateWith:
        this.post({ type: 'regenerate', turnId, chooseModel: true });
        break;
    }
  }

  private get locked(): boolean {
    return this.busy || this.blocked;
  }

  private applyLocks(scope: ParentNode): void {
    applyLocks(scope, this.busy, this.locked);
    this.editing.setLocked(this.locked);
  }

  /**
   * Moves Continue to the assistant turn that now ends the transcript, if any; the scroll follows
   * the size of whatever turn ends it.
   */
  private refreshNewest(): void {
    const last = this.root.lastElementChild;
    this.scroll.watch(last ?? undefined);
    const id = last?.getAttribute('data-role') === 'assistant' ? (last.getAttribute('data-turn-id') ?? undefined) : undefined;
    if (id === this.newestId) return;
    if (this.newestId !== undefined) this.turns.get(this.newestId)?.setNewest(false);
    this.newestId = id;
    const newest = id === undefined ? undefined : this.turns.get(id);
    if (!newest) return;
    newest.setNewest(true);
    this.applyLocks(newest.element);
  }

  private post(message: FromWebview.Message): void {
    this.deps.api.post(message);
  }
}
