import { createHash } from 'node:crypto';
import type { BudgetConfig, BudgetsConfig } from '../config/index.js';
import type { Principal } from '../core/principal.js';
import { toNanos } from './money.js';
import { dayWindow, monthWindow, type BudgetWindow } from './budget-window.js';

/** What a counter counts: model tokens, or nanodollars of everything the turn spent. */
export type BudgetMeasure = 'tokens' | 'cost';

/** One counter of one budget, for this principal and conversation, in the current window. */
export interface CapCounter {
  budget: string;
  config: BudgetConfig;
  measure: BudgetMeasure;
  key: string;
  /** In tokens or nanodollars. */
  cap: number;
  /** How long the ledger keeps the counter from now. */
  ttlMs: number;
  /** When the window ends and the cap starts again (ms since the epoch); absent: never. */
  reopensAt: number | undefined;
}

/** Who and what a turn's budgets are looked up for. */
export interface CapSubject {
  principal: Principal;
  /** Absent on a stateless request that named no conversation: conversation caps do not apply. */
  conversationId: string | undefined;
  now: number;
}

/** Counters of past windows are kept this long after the window ends, for reading. */
const GRACE_MS = 86_400_000;
/** A conversation's counter lives this long after its last turn. */
const CONVERSATION_TTL_MS = 90 * 86_400_000;
/** Scope keys longer than this are hashed, so counter keys stay short whatever the ids. */
const MAX_SCOPE_KEY = 160;

function matches(config: BudgetConfig, principal: Principal): boolean {
  const selector = config.appliesTo;
  if (!selector) return true;
  if (selector.tiers && !selector.tiers.includes(principal.tier)) return false;
  if (selector.users && !selector.users.includes(principal.userId)) return false;
  if (selector.teams && (!principal.team || !selector.teams.includes(principal.team))) return false;
  return true;
}

function scopeKey(config: BudgetConfig, subject: CapSubject): string | undefined {
  switch (config.scope) {
    case 'conversation':
      // Conversation ids come from clients: counted per user, so one user cannot spend another's.
      return subject.conversationId === undefined
        ? undefined
        : `${subject.principal.userId}/${subject.conversationId}`;
    case 'user':
      return subject.principal.userId;
    case 'team':
      return subject.principal.team;
    case 'deployment':
      return '*';
  }
}

function windowOf(config: BudgetConfig, now: number): BudgetWindow {
  switch (config.window) {
    case 'conversation':
      return { id: 'all', endsAt: undefined };
    case 'day':
      return dayWindow(now, config.timeZone);
    case 'month':
      return monthWindow(now, config.timeZone, config.anchorDay);
  }
}

function encodeScope(value: string): string {
  const encoded = encodeURIComponent(value);
  if (encoded.length <= MAX_SCOPE_KEY) return encoded;
  return `sha256.${createHash('sha256').update(value).digest('hex')}`;
}

/** Every counter of every budget that applies to this principal and conversation now. */
export function capCounters(budgets: BudgetsConfig, subject: CapSubject): CapCounter[] {
  const counters: CapCounter[] = [];
  for (const [budget, config] of Object.entries(budgets)) {
    if (!matches(config, subject.principal)) continue;
    const scope = scopeKey(config, subject);
    if (scope === undefined) continue;
    const window = windowOf(config, subject.now);
    const ttlMs =
      window.endsAt === undefined ? CONVERSATION_TTL_MS : window.endsAt - subject.now + GRACE_MS;
    const base = `${encodeURIComponent(budget)}:${config.scope}:${encodeScope(scope)}:${window.id}`;
    const common = { budget, config, ttlMs, reopensAt: window.endsAt };
    if (config.tokens !== undefined) {
      counters.push({ ...common, measure: 'tokens', key: `${base}:tokens`, cap: config.tokens });
    }
    if (config.cost !== undefined) {
      const cap = toNanos(config.cost);
      counters.push({ ...common, measure: 'cost', key: `${base}:cost`, cap });
    }
  }
  return counters;
}
