import { MAX_INPUT } from './normalise.js';
import type { RuleMatch } from './rules.js';

// Printable ASCII mirrored in Unicode tag characters (high surrogate U+DB40).
const HIDDEN_CHARACTER = /\uDB40[\uDC20-\uDC7E]/g;
// Flag emoji for regions use a few tag letters ("gbsct"); a sentence needs more than this.
const MIN_HIDDEN = 12;

/**
 * Text written in Unicode tag characters is invisible to the person reading the message but
 * read by the model: a message that carries a sentence that way is smuggling it.
 */
export function matchHiddenText(text: string): RuleMatch | undefined {
  if (!text.includes('\uDB40')) return undefined;
  const hidden = text.slice(0, MAX_INPUT).match(HIDDEN_CHARACTER)?.length ?? 0;
  if (hidden < MIN_HIDDEN) return undefined;
  return { rule: 'hidden-text', weight: 0.9, excerpt: `${hidden} characters in Unicode tags` };
}
