import { Buffer } from 'node:buffer';

/** A span of the input decoded from base64 or hex, with the encoding's name. */
export interface DecodedSpan {
  encoding: 'base64' | 'hex' | 'rot13';
  text: string;
}

// Bytes of ASCII text are 0x20-0x7f, so their hex starts with a digit from 2 to 7; asking for
// that keeps the search from trying every word that starts with a letter from a to f. Bytes
// are written bare (`49676e6f`, `49 67 6e`, `49:67`) or as C literals (`0x49 0x67`, `0x49,0x67`).
const HEX_SPAN = /\b(?:[2-7][0-9a-fA-F][ :]?){8,}|\b(?:0x[2-7][0-9a-fA-F](?:, ?| )?){8,}/g;
const MAX_SPANS = 8;
const TEXT_LIKE = /[\p{L}\p{N}\p{P}\p{S}\p{Zs}\n\r\t]/gu;
const LETTER = /\p{L}/gu;
// Morse code has no letters at all, only dots, dashes and breaks.
const MORSE = /^[.\-\s/]{20,}/;

/**
 * True when decoded bytes read as text: valid UTF-8, almost all letters, digits, punctuation
 * and spacing, and some letters (or Morse code, itself decoded later).
 */
export function looksLikeText(text: string): boolean {
  if (text.length < 4 || text.includes('\uFFFD')) return false;
  if ((text.match(LETTER)?.length ?? 0) < 3 && !MORSE.test(text)) return false;
  const readable = text.match(TEXT_LIKE)?.length ?? 0;
  return readable >= text.length * 0.9;
}

function decodeBase64(span: string, budget: number): string {
  const body = span.replace(/=+$/, '').slice(0, Math.ceil(budget / 3) * 4);
  return Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

function decodeHex(span: string, budget: number): string {
  const digits = span.replace(/0x|[ :,]/g, '');
  const usable = Math.min(digits.length, budget * 2);
  return Buffer.from(digits.slice(0, usable - (usable % 2)), 'hex').toString('utf8');
}

function decodeSpans(
  spans: readonly string[],
  options: { encoding: 'base64' | 'hex'; budget: number; found: DecodedSpan[] },
): number {
  let used = 0;
  for (const span of spans) {
    if (options.found.length >= MAX_SPANS || used >= options.budget) break;
    const remaining = options.budget - used;
    const decode = options.encoding === 'base64' ? decodeBase64 : decodeHex;
    const decoded = decode(span, remaining).slice(0, remaining);
    if (!looksLikeText(decoded)) continue;
    options.found.push({ encoding: options.encoding, text: decoded });
    used += decoded.length;
  }
  return used;
}

function hexSpans(text: string): string[] {
  return Array.from(text.matchAll(HEX_SPAN), (match) => match[0]);
}

function isBase64Character(code: number): boolean {
  return (
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    (code >= 48 && code <= 57) ||
    code === 43 ||
    code === 47 ||
    code === 45 ||
    code === 95
  );
}

// Sixteen characters is 12 bytes decoded: shorter spans are identifiers and hashes, not prose.
const BASE64_RUN_LENGTH = 16;
const PAD = 61; // '='

const BASE64_CHARACTERS = new Uint8Array(128).map((_, code) => (isBase64Character(code) ? 1 : 0));

/**
 * Every whole run of at least BASE64_RUN_LENGTH base64 characters (either alphabet), with up
 * to two `=` of padding after it. A plain loop over the characters: the equivalent pattern,
 * with the look-behind that keeps it from starting inside a run, took twice as long, and it
 * ran on most prose, since hyphenated words are base64 characters too.
 */
function base64Spans(text: string): string[] {
  const spans: string[] = [];
  const length = text.length;
  let start = 0;
  for (let index = 0; index <= length; index++) {
    const code = index < length ? text.charCodeAt(index) : 0;
    if (code < 128 && BASE64_CHARACTERS[code] === 1) continue;
    if (index - start >= BASE64_RUN_LENGTH) {
      let end = index;
      while (end < length && end - index < 2 && text.charCodeAt(end) === PAD) end++;
      spans.push(text.slice(start, end));
    }
    start = index + 1;
  }
  return spans;
}

/**
 * Finds base64 and hex spans that decode to readable text, decoding at most `budget`
 * characters in all so a huge or deeply nested payload costs a bounded amount of work.
 */
export function decodeEncodedSpans(text: string, budget: number): DecodedSpan[] {
  const found: DecodedSpan[] = [];
  const used = decodeSpans(hexSpans(text), { encoding: 'hex', budget, found });
  decodeSpans(base64Spans(text), { encoding: 'base64', budget: budget - used, found });
  return found;
}
