/**
 * highlight.js with a curated set of languages. The full build registers ~190 grammars and
 * would triple the webview bundle, and auto-detection across all of them is slow and often wrong,
 * so we register the languages people actually paste into a coding chat.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import makefile from 'highlight.js/lib/languages/makefile';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import plaintext from 'highlight.js/lib/languages/plaintext';
import powershell from 'highlight.js/lib/languages/powershell';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import scss from 'highlight.js/lib/languages/scss';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = {
  bash, c, cpp, csharp, css, diff, dockerfile, go, ini, java, javascript, json, kotlin, makefile,
  markdown, php, plaintext, powershell, python, ruby, rust, scss, shell, sql, swift, typescript,
  xml, yaml,
};

for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

/** Auto-detection candidates: few enough to be fast and to rarely guess something exotic. */
const AUTO_SUBSET = ['typescript', 'javascript', 'python', 'json', 'bash', 'xml', 'css', 'java', 'go', 'rust', 'sql', 'yaml'];

/** Auto-detected results below this relevance are more likely noise than a language. */
const MIN_AUTO_RELEVANCE = 3;

export interface HighlightOptions {
  /**
   * Skip auto-detection. Used for the open tail of a streaming message, which is re-rendered
   * every frame: detection there is costly and its guess flickers as the code grows.
   */
  readonly noAutoDetect?: boolean;
}

/**
 * Returns highlighted HTML (spans with hljs-* classes, text escaped by highlight.js) or '' to let
 * markdown-it escape the code as plain text.
 */
export function highlightCode(code: string, lang: string, options: HighlightOptions = {}): string {
  const name = lang.trim().toLowerCase();
  if (name && hljs.getLanguage(name)) {
    return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
  }
  // Unknown fence languages (mermaid, vue…) fall through to a guess among the common ones.
  if (options.noAutoDetect || code.length > 20_000) return '';
  const auto = hljs.highlightAuto(code, AUTO_SUBSET);
  return auto.relevance >= MIN_AUTO_RELEVANCE ? auto.value : '';
}
