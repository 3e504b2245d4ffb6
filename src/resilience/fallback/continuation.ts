import { CHARS_PER_TOKEN, type ModelRequest } from '../../core/index.js';

/**
 * The request that asks the next target to go on from text the client already has: the
 * conversation with that text as the start of the assistant's answer (a prefill). Trailing
 * whitespace is left out because Anthropic refuses a prefill that ends with it.
 */
export function continuationRequest(request: ModelRequest, sentText: string): ModelRequest {
  const prefill = sentText.trimEnd();
  // The answer's token budget covers what was already sent: only the rest is left.
  const spent = Math.ceil(sentText.length / CHARS_PER_TOKEN);
  const maxTokens =
    request.maxTokens === undefined ? {} : { maxTokens: Math.max(1, request.maxTokens - spent) };
  return {
    ...request,
    ...maxTokens,
    messages: [
      ...request.messages,
      { role: 'assistant', content: [{ type: 'text', text: prefill }], toolCalls: [] },
    ],
  };
}

/** Overlap shorter than this is taken as chance, not as a repeat, and kept. */
const MIN_OVERLAP = 12;
/** How much of a continuation is held back to look for a repeat of what was sent. */
const LOOKAHEAD = 256;

/**
 * Removes from a continuation what the client already has. A model asked to continue may start
 * over, or repeat the last words before going on; the client must see only what is new. The
 * start of the continuation is held until it is long enough to compare (or the call ends), then
 * released without the repeated part; after that, text passes straight through.
 */
export class ContinuationTrimmer {
  private held = '';
  private released = false;

  constructor(private readonly sent: string) {}

  /** Text to send now for this delta. */
  push(text: string): string {
    if (this.released) return text;
    this.held += text;
    const sent = this.sent.trimEnd();
    // A continuation that so far matches the start of what was sent may be starting over: hold
    // it until it has covered all of that, or parts from it.
    // Held past the end of `sent`, so the whitespace after a restart is judged with the rest.
    const restarting = this.held.length <= sent.length && sent.startsWith(this.held);
    if (restarting) return '';
    if (this.held.length < Math.min(LOOKAHEAD, sent.length + MIN_OVERLAP)) return '';
    return this.release();
  }

  /** What is still held, once the continuation has ended. */
  flush(): string {
    return this.released ? '' : this.release();
  }

  private release(): string {
    this.released = true;
    const fresh = withoutRepeat(this.sent, this.held);
    this.held = '';
    return fresh;
  }
}

function withoutRepeat(sent: string, continuation: string): string {
  const trimmedSent = sent.trimEnd();
  // Started over: the continuation opens with everything already sent.
  if (trimmedSent !== '' && continuation.startsWith(trimmedSent)) {
    return joinWhitespace(sent, continuation.slice(trimmedSent.length));
  }
  // Repeated the tail: the longest end of `sent` that opens the continuation.
  const longest = Math.min(trimmedSent.length, continuation.length);
  for (let length = longest; length >= MIN_OVERLAP; length--) {
    if (trimmedSent.endsWith(continuation.slice(0, length))) {
      return joinWhitespace(sent, continuation.slice(length));
    }
  }
  return joinWhitespace(sent, continuation);
}

/**
 * Whitespace the client already has (the prefill left it out) is not sent twice: when the
 * continuation opens with that same whitespace and more (a paragraph break after a line
 * break), only the rest goes out; other leading whitespace yields to what was sent.
 */
function joinWhitespace(sent: string, next: string): string {
  const trailing = /\s*$/.exec(sent)?.[0] ?? '';
  if (trailing === '') return next;
  const leading = /^\s*/.exec(next)?.[0] ?? '';
  if (leading.startsWith(trailing)) return next.slice(trailing.length);
  return next.slice(leading.length);
}
