/** Text cut to at most `max` UTF-16 units without splitting a surrogate pair, with `…` if cut. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  // A high surrogate at the end would leave half a character, which providers refuse as JSON.
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** The first words of a text, on one line. */
export function firstWords(text: string, options: { words: number; chars: number }): string {
  const words = text.split(/\s+/u).filter((word) => word !== '');
  const head = words.slice(0, options.words).join(' ');
  const cut = cutText(head, options.chars);
  return words.length > options.words && !cut.endsWith('…') ? `${cut}…` : cut;
}
