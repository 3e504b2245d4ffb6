import { headerValue } from '../core/index.js';
import type { Turn } from '../runtime/index.js';

/**
 * Response headers that report budgets: `x-rampart-budget` names the cap that was reached and
 * what it did (`name; action=message`), `x-rampart-budget-warning` the caps at or past their
 * warn line. Known once the turn's first model call was reserved.
 */
export function budgetHeaders(turn: Turn): Record<string, string> {
  const headers: Record<string, string> = {};
  const { exhausted, nearlySpent, crossed } = turn.budget;
  if (exhausted) {
    headers['x-rampart-budget'] = headerValue(`${exhausted.budget}; action=${exhausted.action}`);
  }
  const warned = [...new Set([...nearlySpent, ...crossed])];
  if (warned.length > 0) headers['x-rampart-budget-warning'] = headerValue(warned.join(', '));
  return headers;
}
