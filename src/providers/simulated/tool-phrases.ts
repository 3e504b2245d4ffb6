import { scanJsonObject } from './json-scanner.js';

/** A `call NAME {json}` phrase found in a user message. */
export interface ToolPhrase {
  name: string;
  /** The argument text exactly as written, braces included. */
  arguments: string;
}

const PHRASE_START = /\bcall\s+([A-Za-z0-9_.-]+)\s*(?=\{)/gi;

/**
 * Finds every `call NAME {json}` phrase in `text`, in order. The object only has to be balanced;
 * it is not required to be valid JSON, so a test can ask for malformed arguments on purpose.
 */
export function findToolPhrases(text: string): ToolPhrase[] {
  const phrases: ToolPhrase[] = [];
  PHRASE_START.lastIndex = 0;
  for (let match = PHRASE_START.exec(text); match; match = PHRASE_START.exec(text)) {
    const objectStart = match.index + match[0].length;
    const objectEnd = scanJsonObject(text, objectStart);
    if (objectEnd === -1) continue;
    phrases.push({ name: match[1] as string, arguments: text.slice(objectStart, objectEnd) });
    PHRASE_START.lastIndex = objectEnd;
  }
  return phrases;
}
