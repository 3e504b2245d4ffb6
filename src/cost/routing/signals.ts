import { textOf, type Message } from '../../core/conversation.js';
import type { EscalationConfig, EscalationSignal } from '../../config/index.js';
import { SCAN_LIMIT_CHARS } from './complexity.js';
import { newDownRatings, readFeedback, readRoutingState } from './routing-state.js';

/** One escalation signal seen in a request, with what it was. */
export interface SignalFact {
  signal: EscalationSignal;
  detail: string;
}

export interface SignalInput {
  messages: readonly Message[];
  /** The session's state when the turn began; absent for stateless requests. */
  state: Readonly<Record<string, unknown>> | undefined;
  escalation: EscalationConfig;
}

/**
 * The escalation signals of a request, among those the policy counts:
 * - `tool-error`: failed tool results since the user's previous message (the last exchange, so
 *   one failure does not escalate every later turn; stickiness does that, for a bounded time);
 * - `retry`: the user's message repeats the previous one (same text, case and spacing aside);
 * - `down-rating`: an answer of the session was rated down since the router last looked, and
 *   that is still its latest rating.
 */
export function detectSignals(input: SignalInput): SignalFact[] {
  const wanted = new Set(input.escalation.signals);
  const facts: SignalFact[] = [];
  const users = userIndexes(input.messages);
  if (wanted.has('tool-error')) {
    const since = users.length >= 2 ? (users.at(-2) as number) + 1 : 0;
    const failed = input.messages
      .slice(since)
      .filter((message) => message.role === 'tool' && message.isError === true).length;
    if (failed >= input.escalation.toolErrors) {
      facts.push({ signal: 'tool-error', detail: `${failed} failed tool results` });
    }
  }
  if (wanted.has('retry') && users.length >= 2) {
    const last = normalised(input.messages[users.at(-1) as number]);
    const previous = normalised(input.messages[users.at(-2) as number]);
    if (last.length > 0 && last === previous) {
      facts.push({ signal: 'retry', detail: 'the same message as the previous one' });
    }
  }
  if (wanted.has('down-rating') && input.state) {
    const seen = readRoutingState(input.state)?.ratingsSeen ?? 0;
    const downs = newDownRatings(readFeedback(input.state), seen);
    if (downs > 0) facts.push({ signal: 'down-rating', detail: `${downs} new down-ratings` });
  }
  return facts;
}

function userIndexes(messages: readonly Message[]): number[] {
  const indexes: number[] = [];
  messages.forEach((message, index) => {
    if (message.role === 'user') indexes.push(index);
  });
  return indexes;
}

/**
 * A user message as the retry check compares it: case and runs of spaces aside, and only its
 * first `SCAN_LIMIT_CHARS` characters plus its length, so two long pastes cost microseconds too.
 */
function normalised(message: Message | undefined): string {
  if (message?.role !== 'user') return '';
  const text = textOf(message.content).trim();
  const head = text.slice(0, SCAN_LIMIT_CHARS).replace(/\s+/g, ' ').toLowerCase();
  return text.length > SCAN_LIMIT_CHARS ? `${head}\u0000${text.length}` : head;
}
