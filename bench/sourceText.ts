/**
 * Deterministic, realistic-looking TypeScript source for the benchmarks: the same seed always gives
 * the same bytes, so runs are comparable and the cache figures are reproducible.
 */

import { seededRandom } from './seededRandom';

export { seededRandom };

const NOUNS = ['order', 'invoice', 'customer', 'session', 'payment', 'cart', 'product', 'shipment', 'account', 'report', 'token', 'queue'];
const VERBS = ['load', 'save', 'validate', 'compute', 'resolve', 'merge', 'format', 'schedule', 'refresh', 'publish', 'archive', 'parse'];
const TYPES = ['string', 'number', 'boolean', 'Date', 'readonly string[]', 'Record<string, number>'];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

const cap = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

function interfaceBlock(random: () => number, name: string): string {
  const fields = 3 + Math.floor(random() * 5);
  const lines = [`/** What a ${name} looks like once it has been validated. */`, `export interface ${cap(name)}Record {`];
  for (let i = 0; i < fields; i++) lines.push(`  readonly ${pick(random, NOUNS)}${cap(pick(random, NOUNS))}${i}: ${pick(random, TYPES)};`);
  lines.push('}', '');
  return lines.join('\n');
}

function functionBlock(random: () => number, name: string, index: number): string {
  const verb = pick(random, VERBS);
  const other = pick(random, NOUNS);
  const fn = `${verb}${cap(name)}${cap(other)}${index}`;
  const lines = [
    `/**`,
    ` * ${cap(verb)}s the ${name} against its ${other}; returns undefined when the ${other} is missing`,
    ` * so callers can fall back to the cached copy instead of failing the whole request.`,
    ` */`,
    `export async function ${fn}(input: ${cap(name)}Record, store: Store, limit = ${10 + Math.floor(random() * 90)}): Promise<Result | undefined> {`,
    `  const ${other} = await store.get('${other}', input.id);`,
    `  if (${other} === undefined) return undefined;`,
  ];
  const steps = 2 + Math.floor(random() * 6);
  for (let s = 0; s < steps; s++) {
    const v = `${pick(random, NOUNS)}${s}`;
    if (random() < 0.4) {
      lines.push(`  for (const item of ${other}.items.slice(0, limit)) {`, `    if (item.${pick(random, NOUNS)} > ${Math.floor(random() * 1000)}) total += item.amount * ${(random() * 3).toFixed(2)};`, `  }`);
    } else {
      lines.push(`  const ${v} = ${pick(random, VERBS)}(${other}, { retries: ${1 + Math.floor(random() * 4)}, strict: ${random() < 0.5} });`);
    }
  }
  lines.push(`  return { ok: true, ${other}, total, at: Date.now() };`, `}`, '');
  return lines.join('\n');
}

/** A source file of roughly `targetChars` characters (whole functions, so a little over). */
export function sourceFile(path: string, seed: number, targetChars: number): string {
  const random = seededRandom(seed);
  const name = pick(random, NOUNS);
  const parts = [
    `import type { Result, Store } from '../core/types';`,
    `import { ${pick(random, VERBS)}, ${pick(random, VERBS)}Many } from '../core/helpers';`,
    '',
    `// ${path}: ${name} handling for the ${pick(random, NOUNS)} service.`,
    '',
    interfaceBlock(random, name),
    `let total = 0;`,
    '',
  ];
  let size = parts.join('\n').length;
  for (let i = 0; size < targetChars; i++) {
    const block = i % 5 === 4 ? interfaceBlock(random, pick(random, NOUNS)) : functionBlock(random, name, i);
    parts.push(block);
    size += block.length + 1;
  }
  return parts.join('\n');
}

/** An edit of a file: a few functions changed in place, the rest untouched (as a real edit). */
export function editedFile(original: string, seed: number): string {
  const random = seededRandom(seed);
  return original
    .split('\n')
    .map((line) => (line.includes('retries:') && random() < 0.2 ? line.replace(/retries: \d/, 'retries: 5').replace('strict: false', 'strict: true') : line))
    .join('\n');
}

/** A context block as the extension attaches it: a path header, then the file in a fence. */
export function fileBlockText(path: string, content: string, label = 'File'): string {
  return `${label}: ${path}\n\`\`\`ts\n${content}\n\`\`\``;
}
