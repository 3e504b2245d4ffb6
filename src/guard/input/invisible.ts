// Characters that render as nothing (or as a join/direction hint) and so let an attacker split
// a trigger word without the reader seeing it. The ranges follow Unicode's Default_Ignorable
// list, minus the tag block, which is decoded rather than dropped.
// Marks among them stand alone in their own alternatives, so none reads as joined to a letter.
const INVISIBLE =
  /[\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]|\u034F|\u17B4|\u17B5|[\u180B-\u180F]|[\uFE00-\uFE0F]|\uDB40[\uDD00-\uDDEF]/g;

// Letters and symbols that render as an empty cell, as wide as a letter: the Hangul fillers and
// the blank braille pattern. Put where spaces go, they keep words apart on screen while the
// text has none; read as spaces, the words come back.
const BLANK = /[\u115F\u1160\u3164\uFFA0\u2800]/g;

/** Reads the blank-looking letters of BLANK as spaces. */
export function blanksAsSpaces(text: string): string {
  return text.replace(BLANK, ' ');
}

// Unicode tag characters U+E0000-U+E007F are UTF-16 surrogate pairs with high half U+DB40.
// U+E0020-U+E007E mirror printable ASCII, which makes them a hidden text channel.
const TAG_RUN = /(?:\uDB40[\uDC00-\uDC7F])+/g;

/** Decodes Unicode tag characters to the ASCII they mirror; the others in the block are dropped. */
export function decodeTagCharacters(text: string): string {
  if (!text.includes('\uDB40')) return text;
  return text.replace(TAG_RUN, (run) => {
    let ascii = '';
    for (let index = 1; index < run.length; index += 2) {
      const code = run.charCodeAt(index) - 0xdc00;
      if (code >= 0x20 && code <= 0x7e) ascii += String.fromCharCode(code);
    }
    return ascii;
  });
}

// Half of a surrogate pair with no other half: not a character at all, only a way to split a
// word that some renderers show as nothing.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes zero-width, bidirectional-control and other default-ignorable characters. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** Removes unpaired surrogates. */
export function stripLoneSurrogates(text: string): string {
  return text.replace(LONE_SURROGATE, '');
}

// Four or more marks on one letter is decoration ("zalgo"), not writing: no script stacks
// that many. Dropping such runs before NFKC also keeps NFKC's mark reordering cheap.
const STACKED_MARKS = /\p{M}{4,}/gu;

/** Drops runs of four or more combining marks. */
export function stripStackedMarks(text: string): string {
  return text.replace(STACKED_MARKS, '');
}

const COMBINING_MARK = /\p{Mn}+/gu;

/**
 * Drops non-spacing marks left after NFKC. Precomposed letters (German umlauts) survive NFKC
 * composition; what goes is stacked "zalgo" decoration used to break up trigger words.
 */
export function stripCombiningMarks(text: string): string {
  return text.replace(COMBINING_MARK, '');
}
