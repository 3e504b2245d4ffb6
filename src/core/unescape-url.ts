/**
 * `text` with its `%` escapes read, or as it is when they do not decode (a stray `%`, a lone
 * half of a UTF-8 sequence): what is shown or compared must not fail on what a URL may hold.
 */
export function unescapeUrl(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
