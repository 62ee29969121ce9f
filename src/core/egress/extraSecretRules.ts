/**
 * Secret formats that secretlint's recommended preset does not report (checked against its
 * rules and the unit tables): short private keys (EC, Ed25519), a bare AWS access key id, Stripe live keys, Google API keys, JWTs, Azure storage keys,
 * and high-entropy values assigned to names like `secret`, `token` or `password`. Synchronous
 * and cheap: one regex pass finds every rule's starting literal and one finds the keywords, so
 * 1 MB of clean source costs two scans, not a regex run per line.
 */

export interface RawHit {
  /** Offset of the match in the text. */
  readonly index: number;
  readonly rule: string;
}

interface LiteralRule {
  readonly rule: string;
  /** Found (case-sensitive) before the regex runs. */
  readonly literals: readonly string[];
  /** Anchored at the literal's position (sticky). */
  readonly pattern: RegExp;
  /** The match is a documentation example or a placeholder. */
  readonly allow?: (match: string) => boolean;
}

const LITERAL_RULES: readonly LiteralRule[] = [
  {
    rule: 'aws-access-key-id',
    literals: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    pattern: /A(?:KIA|SIA|BIA|CCA)[A-Z2-7]{16}(?![A-Za-z0-9])/y,
    allow: (match) => match.endsWith('EXAMPLE'),
  },
  {
    // secretlint's rule wants a long body; a short EC or Ed25519 key must not slip past.
    rule: 'privatekey',
    literals: ['-----BEGIN '],
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:\\[rn]|\s)+(?:[A-Za-z-]+: [^\n]*(?:\\[rn]|\s)+)*[A-Za-z0-9+/=]{40}/y,
  },
  { rule: 'privatekey', literals: ['PuTTY-User-Key-File-'], pattern: /PuTTY-User-Key-File-\d: /y },
  { rule: 'openai', literals: ['T3BlbkFJ'], pattern: /T3BlbkFJ[A-Za-z0-9_-]{16,}/y },
  { rule: 'sendgrid', literals: ['SG.'], pattern: /SG\.[\w-]{22}\.[\w-]{43}(?![\w-])/y },
  { rule: 'stripe-key', literals: ['sk_live_', 'rk_live_'], pattern: /[sr]k_live_[0-9a-zA-Z]{20,}/y },
  { rule: 'google-api-key', literals: ['AIza'], pattern: /AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/y },
  { rule: 'jwt', literals: ['eyJ'], pattern: /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/y },
  { rule: 'azure-storage-key', literals: ['AccountKey='], pattern: /AccountKey=[A-Za-z0-9+/]{40,}={0,2}/y },
];

/** Each rule once per literal it starts from. */
const BY_LITERAL: readonly (LiteralRule & { literal: string })[] = LITERAL_RULES.flatMap((rule) => rule.literals.map((literal) => ({ ...rule, literal })));

/** Any literal; at each place found, every literal that starts there is tried. */
const LITERALS = new RegExp(
  BY_LITERAL.map(({ literal }) => literal)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|'),
  'g',
);

/**
 * Where the assignment check starts: a keyword that can end a secret's name. One case-insensitive
 * regex pass over the text is cheaper than lower-casing 1 MB.
 */
const KEYWORDS = /secret|token|passw|pwd|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth[_-]?key/gi;

/**
 * Tried at each keyword (sticky): the name ends in the keyword and is assigned a value, as in
 * `name = "value"`, `name: value`, `"name": "value"`, `NAME=value`, `name := value`,
 * `name => value`. The value is a string literal or an unquoted word; calls, templates and
 * references (`process.env.X`, `${X}`, `getToken()`) never are. Nothing here crosses a line
 * (`[^\S\n]` is a space that is not a newline).
 */
const ASSIGNED = /(?:secrets?|token|passwd|passwords?|pwd|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|auth[_-]?key)["']?[^\S\n]*(?::=|=>|[:=])[^\S\n]*(?:(["'`])([^"'`\s]{8,200})\1|([^\s"'`,;()[\]{}<>]{8,200})(?=\s|$|[,;]))/iy;

/** Lines longer than this are minified code: assignment rules would only guess there. */
const LONGEST_LINE = 2000;

const PLACEHOLDER = /^(?:x+|\*+|\.+|-+|_+|changeme|change_me|password\d*|secret\d*|example\w*|placeholder\w*|your[-_]?\w*|dummy\w*|test\w*|sample\w*|redacted|null|none|undefined|true|false|todo|fixme|xxx\w*)$/i;

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A value that reads like a random credential rather than a word, a path or an identifier. */
function looksRandom(value: string): boolean {
  if (PLACEHOLDER.test(value)) return false;
  if (/^[a-z]+(?:[-_.][a-z]+)*$/i.test(value)) return false; // words: "session-token", "Bearer"
  if (/^(?:\/|\.\/|\.\.\/|https?:\/\/[^@]*$)/.test(value)) return false; // paths, URLs without credentials
  if (/^(?:process\.env|os\.environ|env\.|import\.meta|\$|%|@)/.test(value)) return false; // references
  if (/^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*|\[\d+\])+$/.test(value)) return false; // a member expression: options.thinking?.budgetTokens
  if (/^[A-Z][A-Z0-9_]*$/.test(value) && value.includes('_')) return false; // another constant's name
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
  if (classes < 2) return false;
  return entropy(value) >= (value.length >= 20 ? 3.5 : 3.0);
}

/** Runs the extra rules over `text`: provider literals, then keyword assignments line by line. */
export function extraSecretHits(text: string): RawHit[] {
  const hits: RawHit[] = [];
  // One pass finds every literal (several indexOf scans of 1 MB cost four times as much).
  const literals = new RegExp(LITERALS.source, LITERALS.flags);
  for (let found = literals.exec(text); found !== null; found = literals.exec(text)) {
    const at = found.index;
    literals.lastIndex = at + 1;
    for (const { rule, literal, pattern, allow } of BY_LITERAL) {
      if (!text.startsWith(literal, at)) continue;
      pattern.lastIndex = at;
      const match = pattern.exec(text);
      if (match !== null && !(allow?.(match[0]) ?? false)) hits.push({ index: at, rule });
    }
  }
  const keywords = new RegExp(KEYWORDS.source, KEYWORDS.flags);
  const assigned = new RegExp(ASSIGNED.source, ASSIGNED.flags);
  let lastLine = -1;
  for (let found = keywords.exec(text); found !== null; found = keywords.exec(text)) {
    // Keywords may overlap (`secretoken`): the next search starts one character on.
    keywords.lastIndex = found.index + 1;
    assigned.lastIndex = found.index;
    const match = assigned.exec(text);
    if (match === null || !looksRandom(match[2] ?? match[3] ?? '')) continue;
    const start = text.lastIndexOf('\n', found.index) + 1;
    if (start === lastLine) continue; // one hit a line
    const newline = text.indexOf('\n', found.index);
    if ((newline === -1 ? text.length : newline) - start > LONGEST_LINE) continue;
    hits.push({ index: found.index, rule: 'secret-assignment' });
    lastLine = start;
  }
  return hits;
}
