/**
 * Number formatting for usage and cost, in VS Code's display language (`didInit` sets it; English
 * until then and in tests), so "1.234" reads as a thousand in German text and "1,234" in English.
 */
import type { UsageView } from '../shared/protocol';
import { strings } from './strings';

let locale = 'en';
let integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
let oneDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
/**
 * Dollar formats by number of decimals, made on first use: making one costs about as much as a
 * few hundred formats with it (ICU data), and every usage footer and the header format dollars.
 */
let usd = new Map<number, Intl.NumberFormat>();

/** Formats for `language` (VS Code's id, e.g. `de`, `zh-cn`); English if `Intl` does not know it. */
export function setFormatLanguage(language: string): void {
  try {
    const [canonical] = Intl.getCanonicalLocales(language);
    locale = canonical !== undefined && Intl.NumberFormat.supportedLocalesOf(canonical).length > 0 ? canonical : 'en';
  } catch {
    locale = 'en';
  }
  integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  oneDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  usd = new Map();
}

export function formatInteger(n: number): string {
  return integer.format(n);
}

/** 950 -> "950", 1000 -> "1.0k", 12_345 -> "12.3k" ("12,3k" in German), 2_500_000 -> "2.5M". */
export function formatCompact(n: number): string {
  if (n < 1000) return integer.format(n);
  if (n < 1_000_000) return `${oneDecimal.format(n / 1000)}k`;
  return `${oneDecimal.format(n / 1_000_000)}M`;
}

/** Sub-dollar amounts keep four decimals: a single turn usually costs fractions of a cent. */
export function formatUsd(amount: number): string {
  const digits = amount === 0 || amount >= 1 ? 2 : 4;
  let format = usd.get(digits);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', minimumFractionDigits: digits, maximumFractionDigits: digits });
    usd.set(digits, format);
  }
  return format.format(amount);
}

/** `in 1,234 · out 567 · cache read 12.3k · write 1.0k · $0.0123 (saved $0.0450)` */
export function formatUsage(usage: UsageView): string {
  const s = strings.usage;
  const parts = [`${s.input} ${formatInteger(usage.inputTokens)}`, `${s.output} ${formatInteger(usage.outputTokens)}`];
  if (usage.cacheReadTokens > 0 || usage.cacheWriteTokens > 0) {
    parts.push(`${s.cacheRead} ${formatCompact(usage.cacheReadTokens)}`, `${s.cacheWrite} ${formatCompact(usage.cacheWriteTokens)}`);
  }
  const cost = formatCost(usage);
  parts.push(usage.savedUsd > 0 ? `${cost} ${s.saved(formatUsd(usage.savedUsd))}` : cost);
  return parts.join(' · ');
}

/**
 * The cost as the host priced it: `$0.0123`, or, when the host says some model had no price,
 * `cost unknown: no price for X` or `at least $0.0123: no price for X`. Never a made-up $0.
 * `short` leaves the model ids out (the header, where they go in the tooltip).
 */
export function formatCost(usage: Pick<UsageView, 'costUsd' | 'unpriced'>, short = false): string {
  const s = strings.usage;
  const { unpriced } = usage;
  if (unpriced === undefined) return formatUsd(usage.costUsd);
  const models = unpriced.models.join(', ');
  if (unpriced.partial) return short ? s.costAtLeast(formatUsd(usage.costUsd)) : s.costPartial(formatUsd(usage.costUsd), models);
  return short ? s.costUnknownShort : s.costUnknown(models);
}

/** Token totals for the header's tooltip. */
export function formatTokenTotals(usage: UsageView): string {
  const cached = usage.cacheReadTokens + usage.cacheWriteTokens;
  const base = strings.usage.totals(formatInteger(usage.inputTokens), formatInteger(usage.outputTokens));
  return cached > 0 ? strings.usage.totalsCached(base, formatCompact(cached)) : base;
}

export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}
