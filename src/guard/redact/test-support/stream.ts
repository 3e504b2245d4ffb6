import { redactText } from '../redact-text.js';
import { StreamRedactor } from '../stream-redactor.js';
import type { RedactionOptions } from '../types.js';

/** What a stream released after each delta, and at the end. */
export interface StreamRun {
  pieces: string[];
  output: string;
  maxHeld: number;
  counts: Readonly<Record<string, number>>;
}

/** Feeds `deltas` through a new redactor. */
export function runStream(deltas: readonly string[], options?: RedactionOptions): StreamRun {
  const redactor = new StreamRedactor(options);
  const pieces: string[] = [];
  let maxHeld = 0;
  for (const delta of deltas) {
    pieces.push(redactor.push(delta));
    maxHeld = Math.max(maxHeld, redactor.held);
  }
  pieces.push(redactor.flush());
  return { pieces, output: pieces.join(''), maxHeld, counts: redactor.counts };
}

/** `text` cut at the given offsets (sorted, duplicates allowed). */
export function splitAt(text: string, offsets: readonly number[]): string[] {
  const cuts = [...offsets].map((offset) => Math.min(offset, text.length)).sort((a, b) => a - b);
  const pieces: string[] = [];
  let at = 0;
  for (const cut of cuts) {
    pieces.push(text.slice(at, cut));
    at = cut;
  }
  pieces.push(text.slice(at));
  return pieces;
}

/**
 * Null when streaming `deltas` matches `redactText` of their join and no release ever ran ahead
 * of it (so nothing later redacted was released); otherwise a description of the first problem.
 */
export function streamProblem(
  deltas: readonly string[],
  options?: RedactionOptions,
): string | null {
  const expected = redactText(deltas.join(''), options).text;
  const run = runStream(deltas, options);
  let released = '';
  for (const [index, piece] of run.pieces.entries()) {
    released += piece;
    if (!expected.startsWith(released))
      return `after delta ${index} released ${JSON.stringify(released)}`;
  }
  return released === expected ? null : `ended with ${JSON.stringify(released)}`;
}
