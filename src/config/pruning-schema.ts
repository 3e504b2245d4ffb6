import { z } from 'zod';
import { positiveInt } from './numbers.js';

/**
 * Context pruning: what a model call may carry, part by part, and how older turns are folded
 * into a running summary. Every count is in tokens as Rampart estimates them.
 */

const tokens = positiveInt.max(10_000_000);

export const pruningBudgetsSchema = z
  .strictObject({
    /**
     * Room kept for the system prompt. The prompt is never cut: a longer one takes the excess
     * from the recent turns. Default 2000.
     */
    system: tokens.default(2_000),
    /** The running summary: the model's prose gets half, the kept facts the rest. Default 1000. */
    summary: tokens.default(1_000),
    /**
     * Recent turns sent verbatim (tool results counted at their one-line size). Past it, the
     * oldest turns are folded into the summary until the verbatim part is half this. Default 6000.
     */
    recent: tokens.default(6_000),
    /** Tool results sent whole, newest first; older ones become one-line summaries. Default 4000. */
    toolResults: tokens.default(4_000),
  })
  .prefault({});

export const pruningSchema = z
  .strictObject({
    /**
     * Prunes every model call's context. Default true: a session that outgrows the model's
     * window would otherwise fail on every turn from then on.
     */
    enabled: z.boolean().default(true),
    budgets: pruningBudgetsSchema,
    /**
     * Turns (a user message and what answered it) always kept verbatim. At least 2: the turn
     * before the current one may still gain messages (declined tool calls) when the current one
     * is saved, and a summary must only cover what is stored. Default 4.
     */
    recentTurns: positiveInt.min(2).max(1_000).default(4),
    /**
     * Name of an entry under `models` that writes the running summary: a cheap one. Absent: the
     * summary holds only the names, dates and numbers of the folded turns, with no model call.
     */
    summaryModel: z.string().min(1).optional(),
    /**
     * A summary call still running this long after it began is abandoned: the turn goes on
     * trimmed, and the next turn tries again. Default 15 s.
     */
    summaryTimeoutMs: positiveInt.default(15_000),
    /**
     * Tokens kept free in the model's window besides `max_tokens`: the answer when a request
     * sets no `max_tokens`, and the error of the token estimate. Default 4096.
     */
    outputReserveTokens: z.number().int().min(0).max(1_000_000).default(4_096),
    /**
     * Requests whose client holds the history (`/v1/chat/completions`). `fit`:
     * older tool results are shortened and, only when needed to fit the model's window, the
     * oldest turns are left out; never a summary. `off`: sent as the client wrote them. Default
     * `fit`.
     */
    stateless: z.enum(['fit', 'off']).default('fit'),
  })
  .prefault({});

export type PruningConfig = z.output<typeof pruningSchema>;
export type PruningBudgets = z.output<typeof pruningBudgetsSchema>;
