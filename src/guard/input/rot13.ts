// Words common in instructions of any kind. ROT13 text is full of them once rotated back and
// has almost none before, which tells it apart from ordinary prose cheaply.
const COMMON = new Set(
  (
    'the and you your all to of is are be in it that this with for what me tell print reveal ' +
    'ignore instructions previous prompt system now from on not do say write show give'
  ).split(' '),
);
const WORDS = /[^a-z]+/;
// The commonest words as they look after ROT13 ("gur" is "the"): a segment without any of
// them is not worth rotating, which spares ordinary prose the work.
const ROTATED_COMMON =
  /\b(?:gur|naq|lbh|lbhe|gb|bs|vf|ner|nyy|vtaber|cevag|flfgrz|cebzcg|abj|jvgu|guvf)\b/i;
const MIN_HITS = 3;
const MIN_SEGMENT = 12;
const SEGMENT_BREAK = /[.:;!?\n]+/;

const ROTATED = new Uint16Array(128).map((_, code) => {
  if (code >= 65 && code <= 90) return ((code - 65 + 13) % 26) + 65;
  if (code >= 97 && code <= 122) return ((code - 97 + 13) % 26) + 97;
  return code;
});

function rotate(text: string): string {
  const codes = new Uint16Array(text.length);
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    codes[index] = code < 128 ? (ROTATED[code] ?? code) : code;
  }
  return new TextDecoder('utf-16le').decode(codes);
}

function commonWords(text: string): number {
  let hits = 0;
  for (const word of text.toLowerCase().split(WORDS)) if (COMMON.has(word)) hits++;
  return hits;
}

function readsBetterRotated(segment: string): string | undefined {
  if (!ROTATED_COMMON.test(segment)) return undefined;
  // Prose already full of common words is not ROT13.
  const plainHits = commonWords(segment);
  if (plainHits >= MIN_HITS) return undefined;
  const rotated = rotate(segment);
  const hits = commonWords(rotated);
  if (hits < MIN_HITS || hits <= 2 * plainHits) return undefined;
  return rotated.trim();
}

/**
 * The ROT13 reading of the sentences of `text` that are clearly more English rotated than as
 * written. Sentences are judged one at a time so an English lead-in ("decode this:") does not
 * hide an encoded instruction after it.
 */
export function decodeRot13(text: string): string | undefined {
  if (!ROTATED_COMMON.test(text)) return undefined;
  const decoded: string[] = [];
  for (const segment of text.split(SEGMENT_BREAK)) {
    if (segment.length < MIN_SEGMENT) continue;
    const rotated = readsBetterRotated(segment);
    if (rotated !== undefined) decoded.push(rotated);
  }
  return decoded.length === 0 ? undefined : decoded.join(' ');
}
