/**
 * Finds where a balanced JSON object ends. Braces inside strings (and escaped quotes inside those
 * strings) do not count, so `{"a": "}"}` is one object. Returns the index just past the closing
 * brace, or -1 when `text[start]` is not `{` or the object never closes.
 */
export function scanJsonObject(text: string, start: number): number {
  if (text[start] !== '{') return -1;
  let depth = 0;
  let inString = false;
  for (let position = start; position < text.length; position++) {
    const char = text[position];
    if (inString) {
      if (char === '\\') position++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return position + 1;
  }
  return -1;
}
