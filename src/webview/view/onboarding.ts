/**
 * What replaces or accompanies the composer while the chat cannot send: a friendly "set your API
 * key" card, or an explanation of Restricted Mode. Never a stack trace.
 */
import type { Blocker, FromWebview } from '../../shared/protocol';
import { el } from '../dom';
import { icon } from '../icons';
import { strings } from '../strings';

export function renderOnboarding(
  doc: Document,
  blocker: Blocker,
  post: (message: FromWebview.Message) => void,
): HTMLElement {
  const noKey = blocker.kind === 'noApiKey';
  const title = el(doc, 'h2', { id: 'onboarding-title', className: 'onboarding-title', text: noKey ? strings.onboardingTitle : strings.untrustedTitle });
  const panel = el(doc, 'section', {
    id: 'onboarding',
    className: 'onboarding',
    attrs: { 'data-kind': blocker.kind, 'aria-labelledby': 'onboarding-title' },
  }, [
    el(doc, 'div', { className: 'onboarding-icon', attrs: { 'aria-hidden': 'true' } }, [icon(doc, noKey ? 'key' : 'shield')]),
    title,
    el(doc, 'p', { className: 'onboarding-body', text: noKey ? (blocker.service === 'foundry' ? strings.onboardingBodyFoundry : strings.onboardingBody) : strings.untrustedBody }),
  ]);
  if (noKey) {
    const button = el(doc, 'button', {
      id: 'set-api-key',
      className: 'button-primary',
      attrs: { type: 'button' },
    }, [el(doc, 'span', { className: 'label', text: strings.onboardingButton })]);
    button.addEventListener('click', () => post({ type: 'setApiKey' }));
    panel.append(button);
  }
  return panel;
}
