/**
 * One assistant turn: header (with Copy), collapsible thinking, the streamed markdown body and
 * the footer. Text and thinking each get their own StreamingMessageRenderer so a long thinking
 * phase never forces the answer to re-render (or the other way round).
 *
 * A turn may stream more than once: Continue sends it back from `done` to `streaming` and the
 * host appends deltas to the text it already has, so nothing here assumes streaming ends once.
 */
import type { AssistantTurnView } from '../../shared/protocol';
import { el, type FrameScheduler, type TaskRunner } from '../dom';
import { countWords, formatInteger } from '../format';
import { icon } from '../icons';
import type { MarkdownRenderer } from '../render/markdown';
import { StreamingMessageRenderer } from '../render/streaming';
import { strings } from '../strings';
import { RecipeStepsElement } from './recipeSteps';
import { branchNav, copyButton, regenerateButtons } from './turnActions';
import { footerDependsOnNewest, renderTurnFooter, type Footer, type FooterDeps } from './turnFooter';

export interface TurnDeps extends FooterDeps {
  readonly markdown: MarkdownRenderer;
  readonly schedule: FrameScheduler;
  /** Where full markdown renders run (see StreamingOptions.runTask). */
  readonly runTask?: TaskRunner;
  readonly modelLabel: (id: string) => string;
  /** Called after any visible change, so the transcript can follow the output. */
  readonly onRender: () => void;
}

export class AssistantTurnElement {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly pending: HTMLElement;
  private readonly text: StreamingMessageRenderer;
  private recipe: RecipeStepsElement | undefined;
  private thinking: { details: HTMLDetailsElement; summary: HTMLElement; renderer: StreamingMessageRenderer } | undefined;
  /** Once the user opens or closes the thinking block, we stop toggling it for them. */
  private thinkingToggledByUser = false;
  private footer: Footer;
  private status: AssistantTurnView['status'];
  /** The host's latest view of the turn, to redraw the footer when `newest` changes. */
  private view: AssistantTurnView;
  private newest = false;

  constructor(
    private readonly doc: Document,
    turn: AssistantTurnView,
    private readonly deps: TurnDeps,
  ) {
    this.status = turn.status;
    this.view = turn;
    const header = el(doc, 'div', { className: 'turn-header' }, [
      el(doc, 'span', { className: 'turn-avatar', attrs: { 'aria-hidden': 'true' } }, [icon(doc, 'sparkle')]),
      el(doc, 'span', { className: 'turn-author', text: strings.claudeLabel }),
    ]);
    if (turn.model) header.append(el(doc, 'span', { className: 'turn-model', text: deps.modelLabel(turn.model) }));
    const nav = branchNav(doc, turn.branch);
    header.append(el(doc, 'div', { className: 'turn-toolbar' }, [...(nav ? [nav] : []), copyButton(doc), ...regenerateButtons(doc)]));
    this.pending = el(doc, 'div', { className: 'turn-pending', attrs: { role: 'status' } }, [
      el(doc, 'span', { className: 'dots', attrs: { 'aria-hidden': 'true' } }, [el(doc, 'span'), el(doc, 'span'), el(doc, 'span')]),
      el(doc, 'span', { text: strings.pending }),
    ]);
    this.body = el(doc, 'div', { className: 'turn-body markdown' });
    this.footer = renderTurnFooter(doc, turn, deps, { announce: false, newest: false });
    this.element = el(doc, 'article', {
      className: 'turn turn-assistant',
      attrs: { 'data-role': 'assistant', 'data-turn-id': turn.id, 'aria-label': strings.claudeLabel },
    }, [header, this.pending, this.body, this.footer.element]);

    this.text = new StreamingMessageRenderer(this.body, deps.markdown, deps.schedule, deps.onRender, { runTask: deps.runTask });
    this.updateRecipe(turn);
    if (turn.thinking) this.ensureThinking().renderer.replaceAll(turn.thinking);
    if (turn.text) this.text.replaceAll(turn.text);
    this.applyStatus(turn);
  }

  get id(): string {
    return this.element.getAttribute('data-turn-id') ?? '';
  }

  /** The markdown source received so far: what Copy puts on the clipboard. */
  get source(): string {
    return this.text.text;
  }

  /** The turn as it stands, deltas since the host's last view included: what to render it from again. */
  snapshot(): AssistantTurnView {
    return { ...this.view, text: this.text.text, thinking: this.thinking?.renderer.text ?? this.view.thinking };
  }

  /** Whether this turn ends the transcript; only then may its footer offer Continue. */
  setNewest(newest: boolean): void {
    if (newest === this.newest) return;
    this.newest = newest;
    // Redraw only when Continue or an error's buttons appear or go, not to reset a countdown for nothing.
    if (footerDependsOnNewest(this.view)) this.renderFooter(false);
  }

  appendDelta(text: string | undefined, thinking: string | undefined): void {
    if (thinking) this.ensureThinking().renderer.append(thinking);
    if (text) this.text.append(text);
    this.updatePending();
  }

  /** The host's final word on the turn: authoritative text, status, usage and error. */
  update(turn: AssistantTurnView): void {
    const wasStreaming = this.status === 'streaming';
    this.status = turn.status;
    this.view = turn;
    if (turn.status === 'streaming') {
      if (turn.text !== this.text.text) this.text.replaceAll(turn.text);
    } else {
      this.text.finish(turn.text);
    }
    if (turn.thinking || this.thinking) {
      const thinking = this.ensureThinking();
      if (turn.status === 'streaming') {
        if (turn.thinking !== thinking.renderer.text) thinking.renderer.replaceAll(turn.thinking);
      } else {
        thinking.renderer.finish(turn.thinking);
      }
    }
    this.updateRecipe(turn);
    this.renderFooter(wasStreaming);
    this.applyStatus(turn);
    this.deps.onRender();
  }

  /** A recipe turn shows its steps, collapsed, above the answer. */
  private updateRecipe(turn: AssistantTurnView): void {
    if (turn.recipe === undefined) return;
    if (this.recipe === undefined) {
      this.recipe = new RecipeStepsElement(this.doc, this.deps.markdown);
      this.element.insertBefore(this.recipe.element, this.pending);
    }
    this.recipe.update(turn.recipe, turn.status !== 'streaming' ? turn.usage : undefined);
  }

  dispose(): void {
    this.footer.dispose();
  }

  private renderFooter(announce: boolean): void {
    this.footer.dispose();
    const footer = renderTurnFooter(this.doc, this.view, this.deps, { announce, newest: this.newest });
    this.footer.element.replaceWith(footer.element);
    this.footer = footer;
  }

  private applyStatus(turn: AssistantTurnView): void {
    const streaming = turn.status === 'streaming';
    this.element.setAttribute('data-status', turn.status);
    // aria-busy holds back screen reader announcements of a half-written answer.
    this.element.setAttribute('aria-busy', String(streaming));
    this.updatePending();
    if (this.thinking) {
      const { details, summary } = this.thinking;
      details.classList.toggle('streaming', streaming);
      if (streaming) {
        summary.textContent = strings.thinkingStreaming;
      } else {
        const words = countWords(turn.thinking);
        summary.textContent = words > 0 ? strings.thoughtFor(words, formatInteger(words)) : strings.thinkingDone;
        if (!this.thinkingToggledByUser) details.open = false;
      }
    }
  }

  private updatePending(): void {
    // Runs on every delta: lengths, not the joined texts, and no write when nothing changes.
    const empty = this.text.length === 0 && (this.thinking?.renderer.length ?? 0) === 0;
    const hidden = !(this.status === 'streaming' && empty);
    if (this.pending.hidden !== hidden) this.pending.hidden = hidden;
  }

  private ensureThinking(): NonNullable<AssistantTurnElement['thinking']> {
    if (this.thinking) return this.thinking;
    const doc = this.doc;
    const summary = el(doc, 'summary', { className: 'thinking-summary', text: strings.thinkingStreaming });
    const content = el(doc, 'div', { className: 'thinking-body markdown' });
    const details = el(doc, 'details', { className: 'thinking' }, [summary, content]);
    // Open while Claude is thinking so the reasoning is visible live; collapsed once done.
    details.open = this.status === 'streaming';
    summary.addEventListener('click', () => {
      this.thinkingToggledByUser = true;
    });
    this.element.insertBefore(details, this.pending);
    const renderer = new StreamingMessageRenderer(content, this.deps.markdown, this.deps.schedule, this.deps.onRender, { runTask: this.deps.runTask });
    this.thinking = { details, summary, renderer };
    return this.thinking;
  }
}
