/**
 * Number formatting for usage and cost. Pinned to en-US because the surrounding strings are
 * English; mixing "1.234" thousands separators into English text reads as decimals.
 */
import type { UsageView } from '../shared/protocol';
import { strings } from './strings';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatInteger(n: number): string {
  return integer.format(n);
}

/** 950 -> "950", 1000 -> "1.0k", 12_345 -> "12.3k", 2_500_000 -> "2.5M". */
export function formatCompact(n: number): string {
  if (n < 1000) return integer.format(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** Sub-dollar amounts keep four decimals: a single turn usually costs fractions of a cent. */
export function formatUsd(amount: number): string {
  if (amount === 0) return '$0.00';
  return amount < 1 ? `$${amount.toFixed(4)}` : `$${amount.toFixed(2)}`;
}

/** `in 1,234 · out 567 · cache read 12.3k · write 1.0k · $0.0123 (saved $0.0450)` */
export function formatUsage(usage: UsageView): string {
  const s = strings.usage;
  const parts = [`${s.input} ${formatInteger(usage.inputTokens)}`, `${s.output} ${formatInteger(usage.outputTokens)}`];
  if (usage.cacheReadTokens > 0 || usage.cacheWriteTokens > 0) {
    parts.push(`${s.cacheRead} ${formatCompact(usage.cacheReadTokens)}`, `${s.cacheWrite} ${formatCompact(usage.cacheWriteTokens)}`);
  }
  const cost = formatUsd(usage.costUsd);
  parts.push(usage.savedUsd > 0 ? `${cost} ${s.saved(formatUsd(usage.savedUsd))}` : cost);
  return parts.join(' · ');
}

/** Token totals for the header's tooltip. */
export function formatTokenTotals(usage: UsageView): string {
  const cached = usage.cacheReadTokens + usage.cacheWriteTokens;
  const base = `${formatInteger(usage.inputTokens)} in, ${formatInteger(usage.outputTokens)} out`;
  return cached > 0 ? `${base}, ${formatCompact(cached)} cached` : base;
}

export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}
