import { unescapeUrl } from '../../core/unescape-url.js';

const URL_RUN = /(?:%[0-9a-fA-F]{2})+/g;
const HTML_ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos|nbsp));/g;
const CODE_ESCAPE = /\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})/g;
const NAMED: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};
// Double encoding ("%2569") needs one pass per layer; more than this is not text anyone reads.
const MAX_PASSES = 3;

function fromCodePoint(hex: string | undefined, radix: number): string | undefined {
  if (hex === undefined) return undefined;
  const code = Number.parseInt(hex, radix);
  return code > 0x10ffff ? '' : String.fromCodePoint(code);
}

function decodeHtmlEntity(match: string, decimal?: string, hex?: string, name?: string): string {
  return (
    fromCodePoint(decimal, 10) ??
    fromCodePoint(hex, 16) ??
    NAMED[name?.toLowerCase() ?? ''] ??
    match
  );
}

function decodeCodeEscape(match: string, braced?: string, four?: string, byte?: string): string {
  return fromCodePoint(braced ?? four ?? byte, 16) ?? match;
}

/** One pass of every inline decoder, naming each one that changed the text. */
function decodeOnce(text: string, transforms: Set<string>): string {
  let result = text;
  const steps: [string, (value: string) => string][] = [
    ['url-encoding', (value) => value.replace(URL_RUN, unescapeUrl)],
    ['html-entities', (value) => value.replace(HTML_ENTITY, decodeHtmlEntity)],
    ['unicode-escapes', (value) => value.replace(CODE_ESCAPE, decodeCodeEscape)],
  ];
  for (const [name, step] of steps) {
    const next = step(result);
    if (next !== result) transforms.add(name);
    result = next;
  }
  return result;
}

/**
 * Decodes escapes that stand for single characters in place: URL percent-encoding, HTML
 * character references and `\u` (four hex digits) / `\x` (two) escapes, repeated for double
 * encoding.
 */
export function decodeInlineEscapes(text: string): { text: string; transforms: string[] } {
  const transforms = new Set<string>();
  if (!/[%&\\]/.test(text)) return { text, transforms: [] };
  let result = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = decodeOnce(result, transforms);
    if (next === result) break;
    result = next;
  }
  return { text: result, transforms: [...transforms] };
}
