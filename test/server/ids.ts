import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** Same prefixes and rough shape as the API's ids, so code that sniffs prefixes behaves. */
export function newId(kind: 'msg' | 'req' | 'msgbatch' | 'toolu'): string {
  const prefix = kind === 'req' ? 'req_011C' : `${kind}_01`;
  return prefix + base62(kind === 'req' ? 20 : 22);
}

export function signatureFor(thinking: string): string {
  // Opaque like the real one; derived from the text so repeated runs compare equal.
  return Buffer.from(`sig:${thinking.length}:${thinking.slice(0, 32)}`, 'utf8').toString('base64');
}
