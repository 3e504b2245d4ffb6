import { z } from 'zod';
import { isTimeZone } from '../core/zoned-time.js';

/**
 * Spend caps: each named budget counts tokens and/or dollars for one scope (a conversation, a
 * user, a team, the whole deployment) over one window, and says what happens when it is spent.
 */

export { isTimeZone };

const DEFAULT_MESSAGE = 'I have reached my response limit for this session.';

/** Names in a selector: key identifiers, not free text. */
const selectorNames = z.array(z.string().min(1).max(128)).min(1).max(1_000);

const appliesToSchema = z.strictObject({
  /** Only principals of these tiers. Default: every tier. */
  tiers: selectorNames.optional(),
  /** Only these user ids. Default: every user. */
  users: selectorNames.optional(),
  /** Only keys of these teams (a key without a team matches none). Default: every team. */
  teams: selectorNames.optional(),
});

export const budgetSchema = z
  .strictObject({
    /** Whose spend one counter holds: `conversation`, `user`, `team` or `deployment`. */
    scope: z.enum(['conversation', 'user', 'team', 'deployment']),
    /**
     * When the counter starts again: `conversation` (never: the whole conversation), `day`
     * (local midnight in `timeZone`) or `month` (the billing period starting on `anchorDay`).
     */
    window: z.enum(['conversation', 'day', 'month']),
    /** Most model tokens (prompt and completion) in one window. Default: no token cap. */
    tokens: z.number().int().positive().max(1e12).optional(),
    /** Most dollars in one window (model calls, tool calls, memory). Default: no money cap. */
    cost: z.number().positive().max(1e6).optional(),
    /** IANA time zone of day and month boundaries. Default `UTC`. */
    timeZone: z.string().min(1).max(64).refine(isTimeZone, 'unknown IANA time zone').default('UTC'),
    /**
     * Day of the month a billing period starts (1-31); a month without that day starts it on its
     * last day. Default 1.
     */
    anchorDay: z.number().int().min(1).max(31).default(1),
    /** Fraction of the cap whose crossing logs a warning, once per window. Default 0.8. */
    warnAt: z.number().gt(0).max(1).default(0.8),
    /**
     * What a turn gets once the cap is reached: `message` (a normal answer with `message`),
     * `downgrade` (the turn goes on `downgradeTo`) or `error` (`RAMPART_BUDGET_EXHAUSTED`).
     * Default `message`.
     */
    onExhausted: z.enum(['message', 'downgrade', 'error']).default('message'),
    /**
     * The assistant's answer when the cap is reached. Default "I have reached my response limit
     * for this session."
     */
    message: z.string().min(1).max(2_000).default(DEFAULT_MESSAGE),
    /** A model name under `models`: the cheaper route for `downgrade`. Required for it. */
    downgradeTo: z.string().min(1).max(64).optional(),
    /** Whom the budget applies to; every listed selector must match. Default: everyone. */
    appliesTo: appliesToSchema.optional(),
  })
  .refine((budget) => budget.tokens !== undefined || budget.cost !== undefined, {
    message: 'set tokens, cost or both',
  })
  .refine((budget) => budget.onExhausted !== 'downgrade' || budget.downgradeTo !== undefined, {
    message: 'downgradeTo is required when onExhausted is downgrade',
    path: ['downgradeTo'],
  })
  .refine((budget) => budget.window !== 'conversation' || budget.scope === 'conversation', {
    message: 'the conversation window needs the conversation scope',
    path: ['window'],
  });

/** Budgets by name (letters, digits, `_ . -`); the name is shown in headers and logs. */
export const budgetsSchema = z
  .record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/), budgetSchema)
  .refine((budgets) => Object.keys(budgets).length <= 100, 'at most 100 budgets')
  .default({});

export type BudgetConfig = z.output<typeof budgetSchema>;
export type BudgetsConfig = z.output<typeof budgetsSchema>;
