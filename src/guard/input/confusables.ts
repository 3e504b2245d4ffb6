// Letters from other scripts that look like Latin ones. NFKC already folds fullwidth forms,
// mathematical alphanumerics and circled letters; these survive it because they are distinct
// letters, not compatibility variants. The table is deliberately small: the Cyrillic, Greek and
// Latin-extension look-alikes that attack corpora and homoglyph generators actually use.
export const CONFUSABLES: readonly (readonly [string, string])[] = [
  // Cyrillic lower and upper case.
  ['а', 'a'],
  ['в', 'b'],
  ['е', 'e'],
  ['ё', 'e'],
  ['к', 'k'],
  ['м', 'm'],
  ['н', 'h'],
  ['о', 'o'],
  ['р', 'p'],
  ['с', 'c'],
  ['т', 't'],
  ['у', 'y'],
  ['х', 'x'],
  ['і', 'i'],
  ['ї', 'i'],
  ['ј', 'j'],
  ['ѕ', 's'],
  ['ԁ', 'd'],
  ['ԛ', 'q'],
  ['ԝ', 'w'],
  ['ү', 'y'],
  ['һ', 'h'],
  ['ӏ', 'l'],
  ['ɡ', 'g'],
  ['А', 'a'],
  ['В', 'b'],
  ['Е', 'e'],
  ['К', 'k'],
  ['М', 'm'],
  ['Н', 'h'],
  ['О', 'o'],
  ['Р', 'p'],
  ['С', 'c'],
  ['Т', 't'],
  ['Х', 'x'],
  ['У', 'y'],
  ['І', 'i'],
  ['Ј', 'j'],
  ['Ѕ', 's'],
  ['Ԁ', 'd'],
  ['Ԝ', 'w'],
  ['Һ', 'h'],
  ['Ӏ', 'l'],
  // Greek lower and upper case.
  ['α', 'a'],
  ['β', 'b'],
  ['ε', 'e'],
  ['η', 'n'],
  ['ι', 'i'],
  ['κ', 'k'],
  ['ν', 'v'],
  ['ο', 'o'],
  ['ρ', 'p'],
  ['τ', 't'],
  ['υ', 'u'],
  ['χ', 'x'],
  ['ϲ', 'c'],
  ['ϳ', 'j'],
  ['Α', 'a'],
  ['Β', 'b'],
  ['Ε', 'e'],
  ['Ζ', 'z'],
  ['Η', 'h'],
  ['Ι', 'i'],
  ['Κ', 'k'],
  ['Μ', 'm'],
  ['Ν', 'n'],
  ['Ο', 'o'],
  ['Ρ', 'p'],
  ['Τ', 't'],
  ['Υ', 'y'],
  ['Χ', 'x'],
  // Latin extensions and IPA letters that pass for plain ones.
  ['ı', 'i'],
  ['ɑ', 'a'],
  ['ɩ', 'i'],
  ['ʟ', 'l'],
  ['ɪ', 'i'],
  ['ʀ', 'r'],
  ['ᴀ', 'a'],
  ['ᴄ', 'c'],
  ['ᴅ', 'd'],
  ['ᴇ', 'e'],
  ['ᴏ', 'o'],
  ['ᴜ', 'u'],
  // The rest of the small capitals (the Latin letters text generators use for "ꜱᴍᴀʟʟ ᴄᴀᴘꜱ").
  ['ʙ', 'b'],
  ['ꜰ', 'f'],
  ['ɢ', 'g'],
  ['ʜ', 'h'],
  ['ɪ', 'i'],
  ['ᴊ', 'j'],
  ['ᴋ', 'k'],
  ['ʟ', 'l'],
  ['ᴍ', 'm'],
  ['ɴ', 'n'],
  ['ᴘ', 'p'],
  ['ꜱ', 's'],
  ['ᴛ', 't'],
  ['ᴠ', 'v'],
  ['ᴡ', 'w'],
  ['ʏ', 'y'],
  ['ᴢ', 'z'],
  ['ℓ', 'l'],
  // Armenian.
  ['օ', 'o'],
  ['ս', 'u'],
  ['ց', 'g'],
];

// Every look-alike is one UTF-16 unit and becomes one ASCII letter, so the fold keeps every
// position and is a table indexed by code (0: left as it is). Why not a replace with a callback,
// or the text cut at each look-alike and joined: in Cyrillic text nearly every other letter is
// one, and either made the fold most of a Russian message's check.
const FOLD = new Uint16Array(0x10000);
for (const [from, to] of CONFUSABLES) {
  if (from.length !== 1 || to.length !== 1) throw new Error(`confusable ${from} is not one unit`);
  FOLD[from.charCodeAt(0)] = to.charCodeAt(0);
}
/** Codes turned back into a string this many at a time (a call's arguments are bounded). */
const CHUNK = 8_192;

/** Replaces look-alike letters from Cyrillic, Greek and Latin extensions with plain Latin. */
export function mapConfusables(text: string): string {
  const codes = new Uint16Array(text.length);
  let changed = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const fold = FOLD[code] ?? 0;
    if (fold === 0) codes[index] = code;
    else {
      codes[index] = fold;
      changed = true;
    }
  }
  if (!changed) return text;
  // fromCharCode rather than a UTF-16 decoder: a lone surrogate (decoded from a `\ud800`
  // escape) stays as it is instead of becoming U+FFFD.
  let folded = '';
  for (let start = 0; start < codes.length; start += CHUNK) {
    folded += String.fromCharCode.apply(
      null,
      codes.subarray(start, start + CHUNK) as unknown as number[],
    );
  }
  return folded;
}

const QUOTE_MARKS =
  /[\u2018\u2019\u201A\u201B\u02BC\u0060\u00B4\u2032]|[\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033]/g;

/** Folds typographic quotes and apostrophes to `'` and `"` so patterns need only the plain ones. */
export function foldQuotes(text: string): string {
  return text.replace(QUOTE_MARKS, (mark) =>
    '\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033'.includes(mark) ? '"' : "'",
  );
}
