/**
 * The scrolling list of turns. Owns the turn elements (by id), follows streaming output only
 * while the reader is at the bottom, persists the scroll position, and handles clicks on links
 * and code block buttons by delegation (rendered markdown carries no listeners of its own).
 */
import type { ChatSnapshot, FromWebview, ToWebview, TurnView, UserTurnView } from '../../shared/protocol';
import type { HostApi } from '../api';
import { closestElement, el, flashLabel, type FrameScheduler } from '../dom';
import { icon } from '../icons';
import { CODE_ACTION, codeForButton } from '../render/codeBlocks';
import { isAllowedHref, type MarkdownRenderer } from '../render/markdown';
import { strings } from '../strings';
import { AssistantTurnElement } from './assistantTurn';

export interface TranscriptDeps {
  readonly api: HostApi;
  readonly markdown: MarkdownRenderer;
  readonly schedule: FrameScheduler;
  readonly now: () => number;
}

/** Within this many pixels of the end counts as "at the bottom" (sub-pixel and rounding slack). */
const BOTTOM_SLACK_PX = 24;

function renderUserTurn(doc: Document, turn: UserTurnView): HTMLElement {
  return el(doc, 'article', {
    className: 'turn turn-user',
    attrs: { 'data-role': 'user', 'data-turn-id': turn.id, 'data-status': 'sent', 'aria-label': strings.youLabel },
  }, [
    el(doc, 'div', { className: 'turn-header' }, [el(doc, 'span', { className: 'turn-author', text: strings.youLabel })]),
    // textContent, never markdown: what the user typed is shown exactly as typed.
    el(doc, 'div', { className: 'turn-text', text: turn.text }),
  ]);
}

export class TranscriptView {
  private readonly turns = new Map<string, AssistantTurnElement>();
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
    this.models = new Map(snapshot.models.map((m) => [m.id, m.label]));
    this.conversationId = snapshot.conversationId;
    this.root.replaceChildren();
    for (const turn of snapshot.turns) this.root.append(this.renderTurn(turn));
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
    this.root.append(this.renderTurn(turn));
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
    if (existing) existing.update(turn);
    else this.appendTurn(turn);
  }

  private renderTurn(turn: TurnView): HTMLElement {
    const doc = this.root.ownerDocument;
    if (turn.role === 'user') return renderUserTurn(doc, turn);
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

  private post(message: FromWebview.Message): void {
    this.deps.api.post(message);
  }
}
