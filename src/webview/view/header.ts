/**
 * The compact bar above the transcript: model picker, session totals, offline badge. New Chat is
 * the view's own title-bar action, so it is not repeated here.
 */
import type { ChatSnapshot, FromWebview, UsageView } from '../../shared/protocol';
import { el } from '../dom';
import { formatCost, formatTokenTotals, formatUsd } from '../format';
import { strings } from '../strings';

export class HeaderView {
  private readonly select: HTMLSelectElement;
  private readonly totals: HTMLElement;
  private readonly badge: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly post: (message: FromWebview.Message) => void,
  ) {
    const doc = root.ownerDocument;
    this.select = el(doc, 'select', { id: 'model-select', className: 'model-select', attrs: { 'aria-label': strings.modelLabel, title: strings.modelLabel } });
    this.select.addEventListener('change', () => {
      if (this.select.value) this.post({ type: 'pickModel', modelId: this.select.value });
    });
    this.totals = el(doc, 'span', { id: 'session-totals', className: 'session-totals' });
    this.badge = el(doc, 'span', { id: 'offline-badge', className: 'offline-badge', attrs: { title: strings.offlineTitle } });
    this.badge.hidden = true;
    root.append(
      el(doc, 'div', { className: 'header-start' }, [this.select]),
      el(doc, 'div', { className: 'header-end' }, [this.badge, this.totals]),
    );
  }

  update(snapshot: ChatSnapshot): void {
    const doc = this.select.ownerDocument;
    const options = snapshot.models.map((m) =>
      el(doc, 'option', { text: m.deprecated ? m.label + strings.deprecatedSuffix : m.label, attrs: { value: m.id } }),
    );
    // Keep a conversation's model selectable even if the host no longer lists it.
    if (snapshot.model && !snapshot.models.some((m) => m.id === snapshot.model)) {
      options.unshift(el(doc, 'option', { text: snapshot.model, attrs: { value: snapshot.model } }));
    }
    this.select.replaceChildren(...options);
    this.select.value = snapshot.model;
    this.select.disabled = options.length === 0;

    this.badge.textContent = snapshot.offlineLabel ?? '';
    this.badge.hidden = !snapshot.offlineLabel;
    this.setTotals(snapshot.totals);
  }

  setTotals(totals: UsageView): void {
    const cost = formatCost(totals, true);
    const doc = this.totals.ownerDocument;
    // Two spans so a narrow sidebar can drop the savings part (CSS) and keep the cost.
    const parts: Node[] = [el(doc, 'span', { className: 'totals-cost', text: cost })];
    if (totals.savedUsd > 0) {
      parts.push(el(doc, 'span', { className: 'totals-saved', text: strings.totalsSaved(formatUsd(totals.savedUsd)) }));
    }
    this.totals.replaceChildren(...parts);
    this.totals.title = totalsTitle(totals);
  }
}

/** The header's tooltip: what the chat spent, or which models it could not price. */
function totalsTitle(totals: UsageView): string {
  const tokens = formatTokenTotals(totals);
  const { unpriced } = totals;
  if (unpriced === undefined) return strings.totalsTitle(tokens, formatUsd(totals.costUsd), formatUsd(totals.savedUsd));
  const models = unpriced.models.join(', ');
  if (!unpriced.partial) return strings.totalsTitleUnknown(tokens, models);
  return strings.totalsTitlePartial(tokens, formatUsd(totals.costUsd), models, formatUsd(totals.savedUsd));
}
