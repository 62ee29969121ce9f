/**
 * Reading structure out of model text. Model output is untrusted and often a little off
 * (a missing closing tag, an answer in bold), so every parser degrades to something usable.
 */
import * as l10n from '@vscode/l10n';
import type { Section, Vote } from './types';

/** The content of the first `<tag>...</tag>`; an unclosed tag runs to the end of the text. */
export function extractTag(text: string, tag: string): string | undefined {
  const open = new RegExp(`<${tag}(?:\\s[^>]*)?>`, 'i').exec(text);
  if (open === null) return undefined;
  const rest = text.slice(open.index + open[0].length);
  const close = new RegExp(`</${tag}\\s*>`, 'i').exec(rest);
  return (close === null ? rest : rest.slice(0, close.index)).trim();
}

/** Every `<tag>...</tag>`, in order. */
export function extractAll(text: string, tag: string): string[] {
  return [...text.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}\\s*>`, 'gi'))].map((m) => (m[1] ?? '').trim());
}

/** The sections' headings are read when shown, so they are in the display language. */
export const COT_SECTIONS: readonly { readonly tag: string; readonly label: () => string }[] = [
  { tag: 'analysis', label: () => l10n.t('Analysis') },
  { tag: 'steps', label: () => l10n.t('Steps') },
  { tag: 'answer', label: () => l10n.t('Answer') },
  { tag: 'confidence', label: () => l10n.t('Confidence') },
];

/**
 * Structured chain of thought: the labelled sections present, in the documented order. When
 * the model ignored the structure there are no sections and the caller shows the whole text.
 */
export function parseCotSections(text: string): Section[] {
  const sections: Section[] = [];
  for (const { tag, label } of COT_SECTIONS) {
    const body = extractTag(text, tag);
    if (body !== undefined && body !== '') sections.push({ label: label(), text: body });
  }
  return sections;
}

const DONE_VERDICT = /<verdict>\s*(?:nothing to improve|nothing|done|none|no changes?)\s*\.?\s*<\/verdict>/i;
const IMPROVE_VERDICT = /<verdict>\s*improve/i;
const DONE_PHRASE = /\b(?:nothing (?:left |more |else )?(?:worth |to )?improv(?:e|ing)|no (?:further |more )?(?:improvements?|changes?) (?:are )?(?:needed|necessary|required)|(?:it|this) (?:is|looks) (?:good|fine|correct) as (?:it is|is))\b/i;

/**
 * Whether a critique says there is nothing left to improve. The critique prompt asks for a
 * `<verdict>`; without one, a short critique that says so in words also counts (a long one
 * that mentions it in passing does not: it is listing problems).
 */
export function critiqueSaysDone(critique: string): boolean {
  if (DONE_VERDICT.test(critique)) return true;
  if (IMPROVE_VERDICT.test(critique)) return false;
  return critique.length <= 300 && DONE_PHRASE.test(critique);
}

/** An answer reduced to what should compare equal: no tags, markup, case, or trailing dot. */
export function normalizeAnswer(answer: string): string {
  return answer
    .replace(/<\/?[a-z]+>/gi, '')
    .replace(/[*_`"'“”‘’]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!;:,]+$/, '')
    .toLowerCase();
}

/** The answer a self-consistency sample gave: its `<answer>`, else its last non-empty line. */
export function sampleAnswer(text: string): string | undefined {
  const tagged = extractTag(text, 'answer');
  if (tagged !== undefined) return tagged === '' ? undefined : tagged;
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return lines.at(-1);
}

/** Samples that gave the same answer once normalized: the first wording, how many, and where first seen. */
export interface AnswerGroup {
  readonly first: string;
  count: number;
  readonly order: number;
}

/** Groups answers by their normalized text, in order of first appearance; failed or empty ones are left out. */
export function groupAnswers(answers: readonly (string | undefined)[]): AnswerGroup[] {
  const groups = new Map<string, AnswerGroup>();
  answers.forEach((answer, order) => {
    if (answer === undefined) return;
    const key = normalizeAnswer(answer);
    if (key === '') return;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { first: answer, count: 1, order });
  });
  return [...groups.values()];
}

/**
 * Majority vote over normalized answers. Failed samples (undefined) are not counted. A tie
 * for the most votes has no winner: every tied answer is reported, with its share.
 */
export function majorityVote(answers: readonly (string | undefined)[]): Vote {
  const groups = groupAnswers(answers);
  const counted = groups.reduce((sum, group) => sum + group.count, 0);
  const ranked = [...groups].sort((a, b) => b.count - a.count || a.order - b.order);
  const top = ranked[0];
  if (top === undefined) return { agreement: 0, votes: 0, counted: 0, tied: [], answers };
  const tied = ranked.filter((group) => group.count === top.count);
  const agreement = top.count / counted;
  if (tied.length > 1) return { agreement, votes: top.count, counted, tied: tied.map((group) => group.first), answers };
  return { winner: top.first, agreement, votes: top.count, counted, tied: [], answers };
}

/** Decompose: the subtasks from `<subtask>` tags, else from a numbered or bulleted list. */
export function parseSubtasks(text: string, max: number): string[] {
  let items = extractAll(text, 'subtask');
  if (items.length === 0) {
    items = text
      .split('\n')
      .map((line) => /^\s*(?:\d+[.)]|[-*•])\s+(.+)$/.exec(line)?.[1]?.trim())
      .filter((line): line is string => line !== undefined && line !== '');
  }
  return items.filter((item) => item !== '').slice(0, Math.max(1, max));
}

/** Fills `{{name}}` placeholders; unknown ones are left as written (definitions are validated earlier). */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name] : undefined) ?? whole);
}
