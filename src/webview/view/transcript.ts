/**
 * The scrolling list of turns. Owns the turn elements (by id), follows streaming output only
 * while the reader is at the bottom, persists the scroll position, and handles clicks on links,
 * code block buttons and turn toolbars (Copy, Edit, versions) by delegation: rendered markdown
 * carries no listeners of its own. At most one user message is open for editing at a time.
 */
import type { ChatSnapshot, FromWebview, ToWebview, TurnView } from '../../shared/protocol';
import type { HostApi } from '../api';
import { closestElement, el, flashLabel, type FrameScheduler } from '../dom';
import { icon } from '../icons';
import { CODE_ACTION, codeForButton } from '../render/codeBlocks';
import { isAllowedHref, type MarkdownRenderer } from '../render/markdown';
import { strings } from '../strings';
import { AssistantTurnElement } from './assistantTurn';
import { applyLocks, TURN_ACTION } from './turnActions';
import { EditingSession, renderUserTurn } from './userTurn';

export interface TranscriptDeps {
  readonly api: HostApi;
  readonly markdown: MarkdownRenderer;
  readonly schedule: FrameScheduler;
  readonly now: () => number;
  /** After an edit is sent the editor closes; the composer is where the keyboard user carries on. */
  readonly onEditSent?: () => void;
}

/** Within this many pixels of the end counts as "at the bottom" (sub-pixel and rounding slack). */
const BOTTOM_SLACK_PX = 24;

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
  private readonly jumpButton: HTMLButtonElement;
  private models = new Map<string, string>();
  /** Shown instead of the welcome while there are no turns (e.g. the onboarding card). */
  private emptyContent: HTMLElement | undefined;
  private conversationId = '';
  private stick = true;
  private persistQueued = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly deps: TranscriptDeps,
  ) {
    const doc = root.ownerDocument;
    this.editing = new EditingSession({ post: (m) => this.post(m), onSent: deps.onEditSent });
    this.jumpButton = el(doc, 'button', {
      id: 'scroll-to-bottom',
      className: 'icon-button jump-button',
      attrs: { type: 'button', 'aria-label': strings.jumpToLatest, title: strings.jumpToLatest },
    }, [icon(doc, 'arrowDown')]);
    this.jumpButton.hidden = true;
    this.jumpButton.addEventListener('click', () => {
      this.stick = true;
      this.scrollToBottom();
    });
    root.after(this.jumpButton);
    root.addEventListener('scroll', () => this.onScroll(), { passive: true });
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
    for (const turn of snapshot.turns) this.root.append(this.renderTurn(turn));
    this.refreshNewest();
    this.applyLocks(this.root);
    this.updateEmptyState();

    const saved = this.deps.api.getState().scroll;
    if (saved && saved.conversationId === snapshot.conversationId && !saved.atBottom) {
      this.stick = false;
      this.root.scrollTop = saved.top;
    } else {
      this.stick = true;
      this.scrollToBottom();
    }
  }

  appendTurn(turn: TurnView): void {
    const element = this.renderTurn(turn);
    this.root.append(element);
    this.applyLocks(element);
    this.refreshNewest();
    this.updateEmptyState();
    // The user just sent something: show it and what follows, wherever they had scrolled.
    if (turn.role === 'user') this.stick = true;
    this.followOutput();
  }

  streamDelta(message: ToWebview.DidStreamDelta): void {
    this.turns.get(message.turnId)?.appendDelta(message.text, message.thinking);
  }

  updateTurn(turn: ToWebview.DidUpdateTurn['turn']): void {
    const existing = this.turns.get(turn.id);
    if (!existing) {
      this.appendTurn(turn);
      return;
    }
    existing.update(turn);
    // The footer was redrawn and may hold a fresh Continue button.
    this.applyLocks(existing.element);
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.applyLocks(this.root);
  }

  /** ArrowUp in an empty composer: edit the last thing the user said. False if there is none. */
  editLastUserMessage(): boolean {
    const users = this.root.querySelectorAll<HTMLElement>(':scope > .turn-user');
    const article = users[users.length - 1];
    const turnId = article?.getAttribute('data-turn-id');
    const text = turnId ? this.userTexts.get(turnId) : undefined;
    return article !== undefined && turnId && text !== undefined ? this.editing.open(article, turnId, text) : false;
  }

  private renderTurn(turn: TurnView): HTMLElement {
    const doc = this.root.ownerDocument;
    if (turn.role === 'user') {
      this.userTexts.set(turn.id, turn.text);
      return renderUserTurn(doc, turn);
    }
    const view = new AssistantTurnElement(doc, turn, {
      markdown: this.deps.markdown,
      schedule: this.deps.schedule,
      now: this.deps.now,
      post: (message) => this.deps.api.post(message),
      modelLabel: (id) => this.models.get(id) ?? id,
      onRender: () => this.followOutput(),
    });
    this.turns.get(turn.id)?.dispose();
    this.turns.set(turn.id, view);
    return view.element;
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

  private isAtBottom(): boolean {
    const r = this.root;
    return r.scrollHeight - r.scrollTop - r.clientHeight <= BOTTOM_SLACK_PX;
  }

  private scrollToBottom(): void {
    this.root.scrollTop = this.root.scrollHeight;
    this.jumpButton.hidden = true;
  }

  /** Keeps the newest output in view, but only for a reader who has not scrolled away. */
  private followOutput(): void {
    if (this.stick) this.scrollToBottom();
    else this.jumpButton.hidden = false;
  }

  private onScroll(): void {
    this.stick = this.isAtBottom();
    if (this.stick) this.jumpButton.hidden = true;
    if (this.persistQueued) return;
    this.persistQueued = true;
    this.deps.schedule(() => {
      this.persistQueued = false;
      const scroll = { conversationId: this.conversationId, top: this.root.scrollTop, atBottom: this.stick };
      const saved = this.deps.api.getState().scroll;
      // Auto-follow scrolls every frame while streaming; only write when something changed.
      if (saved && saved.conversationId === scroll.conversationId && saved.atBottom === scroll.atBottom && (scroll.atBottom || saved.top === scroll.top)) return;
      this.deps.api.patchState({ scroll });
    });
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
    const code = codeForButton(button);
    if (code === undefined) return;
    const action = button.getAttribute('data-action');
    if (action === CODE_ACTION.copy) {
      this.post({ type: 'copyText', text: code });
      flashLabel(button as HTMLElement, strings.copied);
    } else if (action === CODE_ACTION.insert) {
      this.post({ type: 'insertCode', code });
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
    }
  }

  private get locked(): boolean {
    return this.busy || this.blocked;
  }

  private applyLocks(scope: ParentNode): void {
    applyLocks(scope, this.busy, this.locked);
    this.editing.setLocked(this.locked);
  }

  /** Moves Continue to the assistant turn that now ends the transcript, if any. */
  private refreshNewest(): void {
    const last = this.root.lastElementChild;
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
