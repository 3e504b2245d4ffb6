// Letters from other scripts that look like Latin ones. NFKC already folds fullwidth forms,
// mathematical alphanumerics and circled letters; these survive it because they are distinct
// letters, not compatibility variants. The table is deliberately small: the Cyrillic, Greek and
// Latin-extension look-alikes that attack corpora and homoglyph generators actually use.
const PAIRS: readonly (readonly [string, string])[] = [
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

// Every look-alike is one UTF-16 unit, so the table is indexed by code. Why not a replace with
// a callback: in Cyrillic text nearly every other letter is a look-alike, and a call per letter
// made the fold most of a Russian message's check.
const TABLE = new Map(PAIRS.map(([from, to]) => [from.charCodeAt(0), to]));
const FIRST = Math.min(...TABLE.keys());
const PATTERN = new RegExp(`[${PAIRS.map(([from]) => from).join('')}]`, 'u');

/** Replaces look-alike letters from Cyrillic, Greek and Latin extensions with plain Latin. */
export function mapConfusables(text: string): string {
  const first = text.search(PATTERN);
  if (first === -1) return text;
  const parts: string[] = [text.slice(0, first)];
  let from = first;
  for (let index = first; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < FIRST) continue;
    const to = TABLE.get(code);
    if (to === undefined) continue;
    if (index > from) parts.push(text.slice(from, index));
    parts.push(to);
    from = index + 1;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

const QUOTE_MARKS =
  /[\u2018\u2019\u201A\u201B\u02BC\u0060\u00B4\u2032]|[\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033]/g;

/** Folds typographic quotes and apostrophes to `'` and `"` so patterns need only the plain ones. */
export function foldQuotes(text: string): string {
  return text.replace(QUOTE_MARKS, (mark) =>
    '\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033'.includes(mark) ? '"' : "'",
  );
}
