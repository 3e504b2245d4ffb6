/** Longest message a tool failure may carry to the model. */
export const MAX_ERROR_MESSAGE_CHARS = 1000;

/** Cuts `text` to at most `maxChars` characters, marking the cut and never splitting a pair. */
export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const marker = '…';
  let end = Math.max(0, maxChars - marker.length);
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(0, end) + marker;
}

/**
 * Cuts `text` so its UTF-8 encoding, marker included, fits in `maxBytes`. The cut falls on a
 * character boundary, and the marker says how much was dropped so the model knows it saw a part.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  const note = `\n[output truncated: ${bytes.length} bytes, the first part is shown]`;
  const marker = Buffer.byteLength(note) < maxBytes ? note : '';
  let end = maxBytes - Buffer.byteLength(marker);
  // Step back over UTF-8 continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8') + marker;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
