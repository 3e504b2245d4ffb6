import { textOf, type ModelRequest } from '../../core/index.js';
import { continuationAnswer } from './answer-text.js';
import type { TurnContent } from './decide-turn.js';
import type { Prng } from './prng.js';

/** Tokens at most in a continuation of text the model would not have written itself. */
const CONTINUATION_TOKENS = 12;

/** A request that ends with the start of an answer for the model to continue (a prefill). */
export interface Continuation {
  /** The request without the prefill: the conversation whose answer is being continued. */
  asked: ModelRequest;
  /**
   * The prefill with surrounding whitespace trimmed. Anthropic refuses a prefill that ends in
   * whitespace (https://docs.anthropic.com/en/docs/build-with-claude/prompt-engineering/prefill-claudes-response),
   * so clients that continue a cut answer trim it, and the comparison must too.
   */
  prefill: string;
}

/**
 * Splits off a final assistant message that holds only text. A final assistant message with tool
 * calls is a finished turn, not a prefill: the request has no continuation then.
 */
export function findContinuation(request: ModelRequest): Continuation | undefined {
  const last = request.messages.at(-1);
  if (last?.role !== 'assistant' || last.toolCalls.length > 0) return undefined;
  const asked = { ...request, messages: request.messages.slice(0, -1) };
  return { asked, prefill: textOf(last.content).trim() };
}

/** What continuing needs besides the planned turn. */
export interface ContinueOptions {
  /** Draws the words of a continuation that does not follow the plan. */
  prng: Prng;
  /** The model's plain answer length; a continuation is at most this long. */
  answerTokens: number;
}

/**
 * The turn that continues `prefill`. When the prefill is the start of the planned turn's text,
 * the rest of the planned turn (its tool calls included); otherwise a short continuation of the
 * prefill's own, in plain text.
 */
export function continueTurn(
  planned: TurnContent,
  prefill: string,
  options: ContinueOptions,
): TurnContent {
  const rest = tokensAfter(planned.textTokens, prefill);
  if (rest !== undefined) return { textTokens: rest, toolCalls: planned.toolCalls };
  const length = Math.min(options.answerTokens, CONTINUATION_TOKENS);
  return { textTokens: continuationAnswer(prefill, length, options.prng), toolCalls: [] };
}

/**
 * The tokens that follow `prefix` in the joined text of `tokens`, or undefined when the text does
 * not start with it. A token the prefix ends inside is cut down to its remainder; a token right
 * after the prefix keeps its leading whitespace, so prefix and rest join to the whole text.
 */
function tokensAfter(tokens: readonly string[], prefix: string): string[] | undefined {
  if (!tokens.join('').startsWith(prefix)) return undefined;
  let covered = 0;
  for (const [index, token] of tokens.entries()) {
    if (covered + token.length > prefix.length) {
      return [token.slice(prefix.length - covered), ...tokens.slice(index + 1)];
    }
    covered += token.length;
  }
  return [];
}
