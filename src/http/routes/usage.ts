import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isAdminOr, type Principal } from '../../core/index.js';
import { RampartError } from '../../core/errors.js';
import { invalidRequestFromIssues } from '../../core/invalid-request.js';
import {
  isTimeZone,
  startOfDay,
  USAGE_MAX_LIMIT,
  USAGE_MAX_RANGE_MS,
  type UsageFigures,
  type UsageLedger,
  type UsageQuery,
} from '../../store/index.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 3_600_000;
/** The range when `from` is not given: the 30 days before `to`. */
const DEFAULT_RANGE_MS = 30 * DAY_MS;
const NANOS_PER_DOLLAR = 1_000_000_000;

const time = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'expected a date (2026-03-01) or a time with its offset (2026-03-01T09:00:00Z)',
});
const identity = z.string().min(1).max(1024);

const querySchema = z.strictObject({
  user: identity.optional(),
  from: time.optional(),
  to: time.optional(),
  model: identity.optional(),
  session: identity.optional(),
  group_by: z.enum(['day', 'model', 'user', 'session']).optional(),
  tz: z
    .string()
    .max(64)
    .refine(isTimeZone, { message: 'Invalid input: expected an IANA time zone' })
    .optional(),
  limit: z.coerce.number().int().min(1).max(USAGE_MAX_LIMIT).optional(),
});

type UsageParams = z.infer<typeof querySchema>;

/** Who may read every user's usage: admins, or a key with the `usage:read` permission. */
function mayReadAll(principal: Principal): boolean {
  return isAdminOr(principal, 'usage:read');
}

function invalid(message: string, param: string): RampartError {
  return new RampartError('RAMPART_INVALID_REQUEST', message, { param });
}

/** A date is the start of that day in the zone; `to` as a date includes the whole day. */
function instant(value: string, timeZone: string, end: boolean): number {
  if (!DATE.test(value)) return Date.parse(value);
  const next = end ? new Date(Date.parse(`${value}T00:00:00Z`) + DAY_MS).toISOString() : value;
  return startOfDay(next.slice(0, 10), timeZone);
}

function range(params: UsageParams, timeZone: string, now: number) {
  const to = params.to === undefined ? now : instant(params.to, timeZone, true);
  const from =
    params.from === undefined ? to - DEFAULT_RANGE_MS : instant(params.from, timeZone, false);
  if (from < 0) throw invalid("Invalid 'from': before 1970.", 'from');
  if (to <= from) throw invalid("Invalid 'to': must be after 'from'.", 'to');
  if (to - from > USAGE_MAX_RANGE_MS) {
    throw invalid("Invalid 'from': the range may cover at most 366 days.", 'from');
  }
  return { from, to };
}

/** Whose usage to read: the caller's own, or for a reader of all, anyone's (or everyone's). */
function userFilter(principal: Principal, user: string | undefined): string | undefined {
  if (mayReadAll(principal)) return user;
  if (user !== undefined && user !== principal.userId) {
    throw new RampartError(
      'RAMPART_FORBIDDEN',
      "Reading another user's usage needs the admin role or the usage:read permission.",
    );
  }
  return principal.userId;
}

const dollars = (nanos: number) => nanos / NANOS_PER_DOLLAR;

function figuresView(figures: UsageFigures) {
  return {
    turns: figures.turns,
    input_tokens: figures.inputTokens,
    output_tokens: figures.outputTokens,
    cached_input_tokens: figures.cachedInputTokens,
    cache_write_input_tokens: figures.cacheWriteInputTokens,
    estimated: figures.estimated,
    tool_calls: figures.toolCalls,
    memory_operations: figures.memoryOperations,
    cost_usd: dollars(figures.totalCostNanos),
    cost_nanodollars: figures.totalCostNanos,
    model_cost_usd: dollars(figures.modelCostNanos),
    model_cost_nanodollars: figures.modelCostNanos,
    tool_cost_usd: dollars(figures.toolCostNanos),
    tool_cost_nanodollars: figures.toolCostNanos,
    memory_cost_usd: dollars(figures.memoryCostNanos),
    memory_cost_nanodollars: figures.memoryCostNanos,
  };
}

/**
 * `GET /v1/usage`: tokens and cost from the usage ledger, totalled and optionally grouped by
 * day, model, user or session. A caller sees their own usage; an admin (or a key with
 * `usage:read`) anyone's, or everyone's without `user`.
 */
export function registerUsage(app: FastifyInstance, ledger: UsageLedger) {
  app.get('/v1/usage', async (request) => {
    const parsed = querySchema.safeParse(request.query);
    if (!parsed.success) throw invalidRequestFromIssues(parsed.error.issues, 'query string');
    const params = parsed.data;
    const userId = userFilter(request.principal, params.user);
    const timeZone = params.tz ?? 'UTC';
    const { from, to } = range(params, timeZone, Date.now());
    const query: UsageQuery = { from, to, timeZone };
    if (userId !== undefined) query.userId = userId;
    if (params.model !== undefined) query.model = params.model;
    if (params.session !== undefined) query.sessionId = params.session;
    if (params.group_by !== undefined) query.groupBy = params.group_by;
    if (params.limit !== undefined) query.limit = params.limit;
    const summary = await ledger.summarize(query);
    return {
      object: 'usage',
      user: userId ?? null,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      time_zone: timeZone,
      group_by: params.group_by ?? null,
      totals: figuresView(summary.totals),
      data: summary.groups.map((group) => ({ key: group.key, ...figuresView(group) })),
      has_more: summary.truncated,
    };
  });
}
