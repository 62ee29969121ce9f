/**
 * The display language for text made outside VS Code's API: the core (plain Node) and the pure
 * host helpers. Their messages go through `@vscode/l10n`'s `t` (the English text is the key, `{0}`
 * placeholders), which reads the same bundle the host gets from `vscode.l10n.bundle`, so one
 * `l10n/bundle.l10n.<language>.json` serves both; numbers, amounts and dates are formatted with
 * `Intl` for the same language. The host calls {@link configureL10n} once at activation; until
 * then (and in unit tests) everything is English.
 */
import * as l10n from '@vscode/l10n';

let locale = 'en';
let integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });

/** A BCP 47 tag `Intl` understands for VS Code's language id (`de`, `zh-cn`), else `en`. */
export function intlLocale(language: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(language);
    return canonical !== undefined && Intl.NumberFormat.supportedLocalesOf(canonical).length > 0 ? canonical : 'en';
  } catch {
    return 'en';
  }
}

/** Called once by the host with `vscode.env.language` and `vscode.l10n.bundle` (undefined in English). */
export function configureL10n(language: string, bundle: Readonly<Record<string, string>> | undefined): void {
  l10n.config({ contents: { ...(bundle ?? {}) } });
  locale = intlLocale(language);
  integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
}

/** The `Intl` locale in force (`en` until the host configures it). */
export function displayLocale(): string {
  return locale;
}

/** 12345.6 -> "12,346" (en), "12.346" (de). */
export function formatInteger(count: number): string {
  return integer.format(Math.round(count));
}

/** US dollars with a fixed number of decimals: "$0.0123" (en), "0,0123 $" (de), "US$0.0123" (zh-CN). */
export function formatUsdFixed(amount: number, digits: number): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
}

/** A moment as date and time in the display language. */
export function formatDateTime(epochMs: number): string {
  return new Date(epochMs).toLocaleString(locale);
}
