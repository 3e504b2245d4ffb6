// Visible ASCII and the space are safe, but `%`.
const UNSAFE = /[^\x20-\x24\x26-\x7e]/;
const UNSAFE_ALL = /[^\x20-\x24\x26-\x7e]/gu;
const LONE_SURROGATE = /^[\ud800-\udfff]$/;

/**
 * `text` as an HTTP header value: a character a header cannot carry (outside visible ASCII and
 * the space, or a `%`, which would make the value ambiguous) is written as `%` and its UTF-8
 * bytes in hex, as in a URL. Model ids, route and budget names come from config and from
 * providers, and a model id such as `模型-1` in `X-Rampart-Served-By` made Node refuse the whole
 * answer after the turn had run. A value with nothing to encode is returned as it is.
 */
export function headerValue(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, encodeChar) : text;
}

function encodeChar(char: string): string {
  // A lone surrogate has no UTF-8 form: it is written as the replacement character would be.
  return LONE_SURROGATE.test(char) ? '%EF%BF%BD' : encodeURIComponent(char);
}
