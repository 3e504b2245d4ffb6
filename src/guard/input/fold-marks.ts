import type { InjectionRule } from './rule-types.js';

// Marks that sit on a letter: accents, the breve of `й`, the dakuten of `が`. With them taken
// off, `Ígnóré àll prévíóús` reads `Ignore all previous`, and the rules (read the same way)
// meet an accented disguise and plain text in one reading instead of two.
const MARK = /\p{Mn}/u;
// No character below this decomposes into a letter and a mark, so text without one is left as
// it is, unread: most text is plain ASCII.
const MAY_CARRY_MARKS = /[\u00C0-\uFFFF]/;
// Per UTF-16 code, once read: 0 not yet, 1 a mark, 2 not. Searching 4 KB for `\p{Mn}` took
// fifteen times as long as decomposing it. Marks outside the Basic Multilingual Plane (musical
// notation, variation selectors, which normalise.ts strips as invisible) are not read as marks.
const MARK_CODES = new Uint8Array(0x10000);
const UTF16 = new TextDecoder('utf-16le');

function isMark(code: number): boolean {
  let known = MARK_CODES[code] ?? 2;
  if (known === 0) {
    known = MARK.test(String.fromCharCode(code)) ? 1 : 2;
    MARK_CODES[code] = known;
  }
  return known === 1;
}

/** The text with the marks taken off its letters; the text itself when it has none. */
export function foldMarks(text: string): string {
  if (!MAY_CARRY_MARKS.test(text)) return text;
  const decomposed = text.normalize('NFD');
  const codes = new Uint16Array(decomposed.length);
  let length = 0;
  for (let index = 0; index < decomposed.length; index++) {
    const code = decomposed.charCodeAt(index);
    if (code < 0x300 || !isMark(code)) codes[length++] = code;
  }
  // Russian or Chinese text without a mark is read as it is, without composing it again.
  if (length === decomposed.length) return text;
  return UTF16.decode(codes.subarray(0, length)).normalize('NFC');
}

// Each folded rule's pattern as written, sticky, made when first asked for.
const WRITTEN = new WeakMap<InjectionRule, { pattern: RegExp; sticky?: RegExp }>();

/**
 * Whether `rule` as written matches the text as written at `at`: when it does, a match of the
 * folded rule there did not need the marks taken off (German `für` is read as written, not
 * disguised).
 */
export function matchesAsWritten(rule: InjectionRule, written: string, at: number): boolean {
  const entry = WRITTEN.get(rule) ?? { pattern: rule.pattern };
  entry.sticky ??= new RegExp(entry.pattern.source, `${entry.pattern.flags}y`);
  WRITTEN.set(rule, entry);
  entry.sticky.lastIndex = at;
  return entry.sticky.test(written);
}

/**
 * The rule as it reads folded text: its pattern and anchors with their marks taken off too
 * (`règles` becomes `regles`). A pattern whose source holds a mark on its own (in a class, say)
 * would change meaning: rules-fold.test.ts keeps the shipped ones free of them.
 */
export function foldRule(rule: InjectionRule): InjectionRule {
  const source = foldMarks(rule.pattern.source);
  const anchors = rule.anchors?.map(foldMarks);
  const sameAnchors = anchors?.every((anchor, at) => anchor === rule.anchors?.[at]) ?? true;
  if (source === rule.pattern.source && sameAnchors) return rule;
  const folded = {
    ...rule,
    pattern: source === rule.pattern.source ? rule.pattern : new RegExp(source, rule.pattern.flags),
    ...(anchors === undefined ? {} : { anchors: [...new Set(anchors)] }),
  };
  WRITTEN.set(folded, { pattern: rule.pattern });
  return folded;
}
