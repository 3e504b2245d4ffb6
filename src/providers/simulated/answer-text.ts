import type { Prng } from './prng.js';
import { WORDS } from './words.js';

/** Words of the user's message quoted at the start of a plain answer. */
const QUOTED_WORDS = 5;

/** A tool result as the answer reports it. */
export interface ToolOutcome {
  name: string;
  content: string;
  isError: boolean;
}

/** Splits text into tokens: each word carries its leading whitespace, as model tokens do. */
export function splitTokens(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

/**
 * A plain answer of exactly `length` tokens. It opens by saying it is simulated and quoting the
 * start of the user's message, then continues with seeded filler words.
 */
export function plainAnswer(userText: string, length: number, prng: Prng): string[] {
  const opening = splitTokens(`Simulated answer to ${quoteStart(userText)}:`);
  return withFiller(opening, { length, prng, vocabulary: WORDS });
}

/**
 * A short answer that carries on from someone else's partial text (`prefill`): it says it is a
 * simulated continuation, then adds seeded filler words. No word of the prefill is used, so the
 * continuation can never restate it. The first token has a leading space, as the prefill is
 * trimmed.
 */
export function continuationAnswer(prefill: string, length: number, prng: Prng): string[] {
  const used = new Set(prefill.toLowerCase().split(/[^a-z]+/));
  const unused = WORDS.filter((word) => !used.has(word));
  const vocabulary = unused.length > 0 ? unused : WORDS;
  return withFiller(splitTokens(' (simulated continuation)'), { length, prng, vocabulary });
}

interface FillerOptions {
  length: number;
  prng: Prng;
  vocabulary: readonly string[];
}

/** `opening` padded with seeded words to exactly `length` tokens (at least 1), with a full stop. */
function withFiller(opening: readonly string[], options: FillerOptions): string[] {
  const { length, prng, vocabulary } = options;
  const tokens = [...opening];
  while (tokens.length < length) tokens.push(` ${prng.pick(vocabulary)}`);
  const answer = tokens.slice(0, Math.max(length, 1));
  if (answer.length > opening.length) answer[answer.length - 1] += '.';
  return answer;
}

function quoteStart(userText: string): string {
  const words = userText.split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return 'an empty message';
  const quoted = words.slice(0, QUOTED_WORDS).join(' ');
  return `"${quoted}${words.length > QUOTED_WORDS ? '…' : ''}"`;
}

/** Says which requested tools were not called because the request did not declare them. */
export function undeclaredToolsNote(names: readonly string[]): string[] {
  if (names.length === 0) return [];
  const list = names.join(', ');
  const verb = names.length === 1 ? 'is' : 'are';
  return splitTokens(
    `Simulated note: ${list} ${verb} not among the declared tools, so not called.`,
  );
}

/** The answer after tool results: every result verbatim, failures marked as such. */
export function toolResultsAnswer(outcomes: readonly ToolOutcome[]): string[] {
  const parts = outcomes.map((outcome) =>
    outcome.isError
      ? `${outcome.name} failed with error: ${outcome.content}`
      : `${outcome.name} returned ${outcome.content}`,
  );
  return splitTokens(`Simulated answer from tool results: ${parts.join('; ')}.`);
}
