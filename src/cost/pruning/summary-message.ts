import type { Message, SystemMessage } from '../../core/conversation.js';
import { messageTokens } from './count-tokens.js';
import { keepFacts, renderFacts, type Fact } from './facts.js';
import { cutText } from './text-cut.js';

/** What the request carries in place of the turns it no longer sends. */
export interface SummaryParts {
  text: string;
  facts: readonly Fact[];
}

const HEADING =
  'Summary of the earlier part of this conversation, whose messages are no longer sent:';
const FACTS_HEADING = 'Names, dates and numbers from those messages:';

/**
 * The summary as a system message of at most `maxTokens`: the prose takes up to half, the facts
 * the rest (the most mentioned first when not all fit). Undefined when nothing fits or there is
 * nothing to say.
 */
export function summaryMessage(
  summary: SummaryParts | undefined,
  maxTokens: number,
): SystemMessage | undefined {
  if (!summary || (summary.text === '' && summary.facts.length === 0)) return undefined;
  const prose = summary.text === '' ? '' : fitProse(summary.text, Math.floor(maxTokens / 2));
  const build = (facts: readonly Fact[]): SystemMessage => ({
    role: 'system',
    content: compose(prose, facts),
  });
  const facts = keepFacts(summary.facts, (kept) => messageTokens(build(kept)) <= maxTokens);
  const message = build(facts);
  if (prose === '' && facts.length === 0) return undefined;
  return messageTokens(message) <= maxTokens ? message : undefined;
}

function compose(prose: string, facts: readonly Fact[]): string {
  const parts = [HEADING];
  if (prose !== '') parts.push(prose);
  if (facts.length > 0) parts.push(FACTS_HEADING, renderFacts(facts));
  return parts.join('\n');
}

/** The longest start of `text` that counts at most `maxTokens` as a message of its own. */
export function fitProse(text: string, maxTokens: number): string {
  const fits = (length: number) => tokensOf(cutText(text, length)) <= maxTokens;
  if (fits(text.length)) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low === 0 ? '' : cutText(text, low);
}

function tokensOf(content: string): number {
  const message: Message = { role: 'system', content };
  return messageTokens(message);
}
