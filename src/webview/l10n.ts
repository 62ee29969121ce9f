/**
 * The webview's language: the host's `didInit` brings VS Code's display language and the
 * extension's bundle (the same `l10n/bundle.l10n.<language>.json` the host reads through
 * `vscode.l10n`). Strings are looked up by their English text through `@vscode/l10n`'s `t`, which
 * falls back to English for anything the bundle lacks; numbers follow the same language.
 */
import * as l10n from '@vscode/l10n';
import { setFormatLanguage } from './format';

/** Applies a `didInit`; a malformed bundle (the message can come from anything) counts as none. */
export function configureL10n(language: unknown, bundle: unknown): void {
  const contents: Record<string, string> = {};
  if (typeof bundle === 'object' && bundle !== null && !Array.isArray(bundle)) {
    for (const [key, value] of Object.entries(bundle)) if (typeof value === 'string') contents[key] = value;
  }
  l10n.config({ contents });
  setFormatLanguage(typeof language === 'string' ? language : 'en');
}
