import { RampartError } from '../core/index.js';
import { isStorableText } from './text-rules.js';
import { dayBuckets, isTimeZone, type DayBucket } from './usage-days.js';
import type {
  UsageFigures,
  UsageGroupBy,
  UsageModelLine,
  UsageQuery,
  UsageRecordInput,
} from './usage-types.js';

export const USAGE_ID_MAX_LENGTH = 128;
/** User, key, team, session, request ids, route and target names. */
export const USAGE_TEXT_MAX_LENGTH = 1024;
export const USAGE_MAX_MODELS = 64;
export const USAGE_MAX_RANGE_MS = 366 * 24 * 3_600_000;
export const USAGE_DEFAULT_LIMIT = 100;
export const USAGE_MAX_LIMIT = 1000;

function invalid(message: string, param: string): RampartError {
  return new RampartError('RAMPART_INVALID_REQUEST', message, { param });
}

function requireBoundedText(value: unknown, field: string, max = USAGE_TEXT_MAX_LENGTH) {
  if (typeof value !== 'string' || value === '' || value.length > max) {
    throw invalid(`${field} must be a string of 1 to ${max} characters.`, field);
  }
  if (!isStorableText(value)) throw invalid(`${field} is not well-formed Unicode.`, field);
}

function requireCount(value: unknown, field: string) {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(`${field} must be a non-negative integer.`, field);
  }
}

const LINE_COUNTS = [
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'cacheWriteInputTokens',
  'costNanos',
] as const;

function checkLine(line: UsageModelLine, index: number): UsageModelLine {
  requireBoundedText(line.target, `models[${index}].target`);
  requireBoundedText(line.model, `models[${index}].model`);
  for (const field of LINE_COUNTS) requireCount(line[field], `models[${index}].${field}`);
  const { target, model, estimated } = line;
  const counts = Object.fromEntries(LINE_COUNTS.map((field) => [field, line[field]]));
  return { target, model, estimated: estimated === true, ...counts } as UsageModelLine;
}

const RECORD_COUNTS = [
  'at',
  'toolCostNanos',
  'toolCalls',
  'memoryCostNanos',
  'memoryOperations',
  'totalCostNanos',
] as const;

/**
 * Refuses a record no backend could store and return exactly, and returns the one to store:
 * the same fields, one line per target, no stray properties.
 */
export function checkUsageRecord(entry: UsageRecordInput): UsageRecordInput {
  if (typeof entry !== 'object' || entry === null)
    throw invalid('A usage record is an object.', 'entry');
  requireBoundedText(entry.id, 'id', USAGE_ID_MAX_LENGTH);
  for (const field of ['requestId', 'userId', 'keyId', 'route', 'outcome'] as const) {
    requireBoundedText(entry[field], field);
  }
  for (const field of ['team', 'sessionId'] as const) {
    if (entry[field] !== undefined) requireBoundedText(entry[field], field);
  }
  for (const field of RECORD_COUNTS) requireCount(entry[field], field);
  if (!Array.isArray(entry.models) || entry.models.length > USAGE_MAX_MODELS) {
    throw invalid(`models must be an array of at most ${USAGE_MAX_MODELS} lines.`, 'models');
  }
  const models = entry.models.map(checkLine);
  if (new Set(models.map((line) => line.target)).size !== models.length) {
    throw invalid('models must hold one line per target.', 'models');
  }
  return { ...pickRecord(entry), models };
}

function pickRecord(entry: UsageRecordInput): Omit<UsageRecordInput, 'models'> {
  const { id, at, requestId, userId, keyId, route, outcome } = entry;
  const { toolCostNanos, toolCalls, memoryCostNanos, memoryOperations, totalCostNanos } = entry;
  return {
    id,
    at,
    requestId,
    userId,
    keyId,
    route,
    outcome,
    toolCostNanos,
    toolCalls,
    memoryCostNanos,
    memoryOperations,
    totalCostNanos,
    ...(entry.team === undefined ? {} : { team: entry.team }),
    ...(entry.sessionId === undefined ? {} : { sessionId: entry.sessionId }),
  };
}

/** A query with its defaults applied and its days worked out. */
export interface UsageFilter {
  userId: string | undefined;
  sessionId: string | undefined;
  model: string | undefined;
  from: number;
  to: number;
  groupBy: UsageGroupBy | undefined;
  limit: number;
  /** The local days of the range, when grouping by day. */
  days: DayBucket[];
  /** True when only model lines count (a model filter, or grouping by model). */
  byModel: boolean;
}

const GROUPS: readonly UsageGroupBy[] = ['day', 'model', 'user', 'session'];

/** Refuses a query that is malformed or too large; applies defaults. */
export function checkUsageQuery(query: UsageQuery): UsageFilter {
  const { from, to } = query;
  if (!Number.isSafeInteger(from) || from < 0) throw invalid('from must be a time.', 'from');
  if (!Number.isSafeInteger(to) || to <= from) throw invalid('to must be after from.', 'to');
  if (to - from > USAGE_MAX_RANGE_MS) throw invalid('The range is longer than 366 days.', 'from');
  for (const field of ['userId', 'sessionId', 'model'] as const) {
    if (query[field] !== undefined) requireBoundedText(query[field], field);
  }
  if (query.groupBy !== undefined && !GROUPS.includes(query.groupBy)) {
    throw invalid(`groupBy must be one of ${GROUPS.join(', ')}.`, 'groupBy');
  }
  const timeZone = query.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) throw invalid('timeZone is not a known IANA time zone.', 'timeZone');
  const limit = query.limit ?? USAGE_DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw invalid('limit must be at least 1.', 'limit');
  return {
    userId: query.userId,
    sessionId: query.sessionId,
    model: query.model,
    from,
    to,
    groupBy: query.groupBy,
    limit: Math.min(limit, USAGE_MAX_LIMIT),
    days: query.groupBy === 'day' ? dayBuckets(from, to, timeZone) : [],
    byModel: query.model !== undefined || query.groupBy === 'model',
  };
}

/** Sums as a backend returns them: numbers, numeric strings (PostgreSQL) or null (no rows). */
export type FigureRow = Record<keyof UsageFigures, unknown>;

/** Figures from a summed row; with `byModel`, tool and memory spend is not part of it. */
export function toFigures(row: FigureRow, byModel: boolean): UsageFigures {
  const number = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));
  const model = number(row.modelCostNanos);
  return {
    turns: number(row.turns),
    inputTokens: number(row.inputTokens),
    outputTokens: number(row.outputTokens),
    cachedInputTokens: number(row.cachedInputTokens),
    cacheWriteInputTokens: number(row.cacheWriteInputTokens),
    estimated: number(row.estimated) > 0 || row.estimated === true,
    modelCostNanos: model,
    toolCostNanos: byModel ? 0 : number(row.toolCostNanos),
    toolCalls: byModel ? 0 : number(row.toolCalls),
    memoryCostNanos: byModel ? 0 : number(row.memoryCostNanos),
    memoryOperations: byModel ? 0 : number(row.memoryOperations),
    totalCostNanos: byModel ? model : number(row.totalCostNanos),
  };
}

/** A turn's token and model-cost totals: the sum of its lines. */
export function lineTotals(lines: UsageModelLine[]) {
  const sum = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0 };
  let cost = 0;
  let estimated = 0;
  for (const line of lines) {
    sum.inputTokens += line.inputTokens;
    sum.outputTokens += line.outputTokens;
    sum.cachedInputTokens += line.cachedInputTokens;
    sum.cacheWriteInputTokens += line.cacheWriteInputTokens;
    cost += line.costNanos;
    if (line.estimated) estimated = 1;
  }
  return { ...sum, modelCost: cost, estimated };
}
