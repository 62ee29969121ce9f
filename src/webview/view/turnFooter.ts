/**
 * The footer under an assistant turn: status notes (stopped, max tokens…) with Continue for a
 * cut-off answer, the error box with Retry / action / Copy buttons and an auto-retry countdown,
 * and the usage line.
 */
import type { AssistantTurnView, ErrorView, FromWebview } from '../../shared/protocol';
import { el, flashLabel } from '../dom';
import { formatUsage } from '../format';
import { icon } from '../icons';
import { strings } from '../strings';

export interface FooterDeps {
  readonly post: (message: FromWebview.Message) => void;
  readonly now: () => number;
}

export interface FooterOptions {
  /**
   * True when the error arrives live (didUpdateTurn) so screen readers read it; errors in a
   * reloaded transcript are old news and are not announced again.
   */
  readonly announce: boolean;
  /** The turn ends the transcript, so continuing it would not splice text into the past. */
  readonly newest: boolean;
}

export interface Footer {
  readonly element: HTMLElement;
  dispose(): void;
}

/** Status notes for a finished turn, in the order they matter to the reader. */
export function statusNotes(turn: AssistantTurnView): string[] {
  const notes: string[] = [];
  if (turn.status === 'stopped') notes.push(strings.statusStopped);
  if (turn.status === 'interrupted') notes.push(strings.statusInterrupted);
  if (turn.status !== 'streaming') {
    if (turn.stopReason === 'max_tokens') notes.push(strings.stopMaxTokens);
    else if (turn.stopReason === 'stop_sequence') notes.push(strings.stopSequence(turn.stopSequence));
    else if (turn.stopReason === 'refusal') notes.push(strings.stopRefusal);
  }
  return notes;
}

function textButton(doc: Document, className: string, label: string, ariaLabel: string, iconName?: 'retry' | 'copy' | 'key'): HTMLButtonElement {
  const children: Node[] = [];
  if (iconName) children.push(icon(doc, iconName));
  children.push(el(doc, 'span', { className: 'label', text: label }));
  return el(doc, 'button', { className, attrs: { type: 'button', 'aria-label': ariaLabel } }, children);
}

function renderError(doc: Document, turnId: string, error: ErrorView, deps: FooterDeps, announce: boolean, newest: boolean): Footer {
  const box = el(doc, 'div', { className: 'turn-error', attrs: announce ? { role: 'alert' } : {} });
  box.append(
    el(doc, 'div', { className: 'turn-error-title' }, [icon(doc, 'warning'), el(doc, 'span', { text: strings.errorTitle })]),
    el(doc, 'div', { className: 'turn-error-message', text: error.message }),
  );

  let timer: number | undefined;
  const win = doc.defaultView;
  if (error.retryAt !== undefined && win) {
    const countdown = el(doc, 'div', { className: 'turn-error-countdown', attrs: { 'aria-live': 'off' } });
    const retryAt = error.retryAt;
    const tick = (): void => {
      const seconds = Math.ceil((retryAt - deps.now()) / 1000);
      countdown.textContent = seconds > 0 ? strings.retryingIn(seconds) : strings.retryingNow;
      if (seconds <= 0 && timer !== undefined) {
        win.clearInterval(timer);
        timer = undefined;
      }
    };
    timer = win.setInterval(tick, 1000);
    tick();
    box.append(countdown);
  }

  // A later message superseded this answer: its buttons would act on the past, so there are none.
  if (!newest && error.retryAt === undefined) {
    return { element: box, dispose: () => undefined };
  }
  const actions = el(doc, 'div', { className: 'turn-error-actions' });
  if (error.continuable) {
    const resume = textButton(doc, 'continue button-primary', strings.continueAnswer, strings.continueErrorLabel);
    resume.title = strings.continueErrorTitle;
    resume.addEventListener('click', () => deps.post({ type: 'continueAnswer', turnId }));
    actions.append(resume);
  }
  const retry = textButton(doc, `retry ${error.continuable ? 'button-secondary' : 'button-primary'}`, strings.retry, error.continuable ? strings.retryOverLabel : strings.retryLabel, 'retry');
  retry.addEventListener('click', () => deps.post({ type: 'retry', turnId }));
  actions.append(retry);
  // A 'retry' action is what the Retry button already does; a second button would be noise.
  if (error.action && error.action !== 'retry') {
    const action = error.action;
    const label = strings.actions[action];
    const button = textButton(doc, 'error-action button-secondary', label, label, action === 'setApiKey' ? 'key' : undefined);
    button.addEventListener('click', () => deps.post({ type: 'runAction', action }));
    actions.append(button);
  }
  const copy = textButton(doc, 'error-copy button-secondary', strings.copy, strings.copyErrorLabel, 'copy');
  copy.addEventListener('click', () => {
    deps.post({ type: 'copyText', text: error.message });
    flashLabel(copy, strings.copied);
  });
  actions.append(copy);
  box.append(actions);

  return {
    element: box,
    dispose: () => {
      if (timer !== undefined) win?.clearInterval(timer);
    },
  };
}

/** Only a finished answer cut off by the token limit can be resumed, and only the latest one. */
export function canContinue(turn: AssistantTurnView, newest: boolean): boolean {
  return newest && turn.status === 'done' && turn.stopReason === 'max_tokens';
}

/** Whether the footer looks different at the tip of the transcript than further up. */
export function footerDependsOnNewest(turn: AssistantTurnView): boolean {
  return turn.status === 'done' ? turn.stopReason === 'max_tokens' : turn.error !== undefined;
}

export function renderTurnFooter(doc: Document, turn: AssistantTurnView, deps: FooterDeps, options: FooterOptions): Footer {
  const footer = el(doc, 'div', { className: 'turn-footer' });
  const disposers: (() => void)[] = [];

  const notes = statusNotes(turn);
  if (notes.length > 0) {
    const row = el(doc, 'div', { className: 'turn-status-row' }, [
      el(doc, 'div', { className: 'turn-status', attrs: { 'data-kind': turn.status }, text: notes.join(' · ') }),
    ]);
    if (canContinue(turn, options.newest)) {
      const resume = el(doc, 'button', {
        className: 'button-secondary continue',
        attrs: { type: 'button', 'aria-label': strings.continueLabel, title: strings.continueTitle },
      }, [el(doc, 'span', { className: 'label', text: strings.continueAnswer })]);
      resume.addEventListener('click', () => deps.post({ type: 'continueAnswer', turnId: turn.id }));
      row.append(resume);
    }
    footer.append(row);
  }
  if (turn.error) {
    const error = renderError(doc, turn.id, turn.error, deps, options.announce, options.newest);
    footer.append(error.element);
    disposers.push(error.dispose);
  }
  if (turn.files !== undefined && turn.files.length > 0 && turn.status === 'done') {
    const files = turn.files;
    const apply = textButton(doc, 'apply-files button-secondary', strings.applyFiles(files.length), strings.applyFilesLabel(files));
    apply.title = strings.applyFilesTitle(files);
    apply.addEventListener('click', () => deps.post({ type: 'applyFiles', turnId: turn.id }));
    footer.append(el(doc, 'div', { className: 'turn-apply-row' }, [apply]));
  }
  if (turn.usage) {
    footer.append(el(doc, 'div', { className: 'turn-usage', text: formatUsage(turn.usage) }));
  }
  footer.hidden = footer.childElementCount === 0;
  return { element: footer, dispose: () => disposers.forEach((d) => d()) };
}
