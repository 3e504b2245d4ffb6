import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isAdminOr, type Principal } from '../../core/index.js';
import { RampartError } from '../../core/errors.js';
import { invalidRequestFromIssues } from '../../core/invalid-request.js';
import {
  defaultStep,
  formatSpan,
  MAX_TIMELINE_POINTS,
  parseSpan,
  statsView,
  timelineView,
  type Stats,
} from '../../observe/index.js';

const MINUTE_MS = 60_000;
/** Windows when none is asked for (shorter when the retention is). */
const DEFAULT_WINDOW_MS = 15 * MINUTE_MS;
const DEFAULT_TIMELINE_MS = 6 * 60 * MINUTE_MS;
const span = z.string().max(16);
const statsQuery = z.strictObject({ window: span.optional() });
const timelineQuery = z.strictObject({ window: span.optional(), step: span.optional() });

/** Who may read stats: admins, or a key with the `stats:read` permission. */
function mayRead(principal: Principal): boolean {
  return isAdminOr(principal, 'stats:read');
}

function invalid(message: string, param: string): RampartError {
  return new RampartError('RAMPART_INVALID_REQUEST', message, { param });
}

function checkReader(principal: Principal): void {
  if (mayRead(principal)) return;
  throw new RampartError(
    'RAMPART_FORBIDDEN',
    'Reading stats needs the admin role or the stats:read permission.',
  );
}

/** A window of whole minutes from one minute up to the retention. */
function windowOf(text: string | undefined, fallbackMs: number, retentionMs: number): number {
  if (text === undefined) return Math.min(fallbackMs, retentionMs);
  const windowMs = parseSpan(text);
  if (windowMs === undefined) {
    throw invalid(
      "Invalid 'window': expected whole minutes or hours, such as 15m or 6h.",
      'window',
    );
  }
  if (windowMs > retentionMs) {
    throw invalid(
      `Invalid 'window': at most ${formatSpan(retentionMs)}, the stats retention.`,
      'window',
    );
  }
  return windowMs;
}

function stepOf(text: string | undefined, windowMs: number): number {
  if (text === undefined) return defaultStep(windowMs);
  const stepMs = parseSpan(text);
  if (stepMs === undefined) {
    throw invalid("Invalid 'step': expected whole minutes or hours, such as 1m or 5m.", 'step');
  }
  if (stepMs > windowMs) throw invalid("Invalid 'step': longer than the window.", 'step');
  const points = Math.ceil(windowMs / stepMs);
  if (points > MAX_TIMELINE_POINTS) {
    const least = Math.ceil(windowMs / MAX_TIMELINE_POINTS / MINUTE_MS) * MINUTE_MS;
    throw invalid(
      `Invalid 'step': ${formatSpan(windowMs)} in steps of ${formatSpan(stepMs)} is ${points} ` +
        `points; at most ${MAX_TIMELINE_POINTS} are served (use a step of at least ` +
        `${formatSpan(least)}).`,
      'step',
    );
  }
  return stepMs;
}

/**
 * `GET /v1/stats`: latency percentiles per model and per tool over a sliding window, merged
 * over every instance; `GET /v1/stats/timeline`: the same figures and the satisfaction and
 * activity counters step by step, for the dashboard.
 */
export function registerStats(app: FastifyInstance, stats: Stats) {
  app.get('/v1/stats', async (request) => {
    checkReader(request.principal);
    const parsed = statsQuery.safeParse(request.query);
    if (!parsed.success) throw invalidRequestFromIssues(parsed.error.issues, 'query string');
    const windowMs = windowOf(parsed.data.window, DEFAULT_WINDOW_MS, stats.retentionMs);
    return statsView(await stats.reader.window(windowMs));
  });

  app.get('/v1/stats/timeline', async (request) => {
    checkReader(request.principal);
    const parsed = timelineQuery.safeParse(request.query);
    if (!parsed.success) throw invalidRequestFromIssues(parsed.error.issues, 'query string');
    const windowMs = windowOf(parsed.data.window, DEFAULT_TIMELINE_MS, stats.retentionMs);
    const stepMs = stepOf(parsed.data.step, windowMs);
    // The timeline covers whole steps, so a step that does not divide the window reaches further
    // back than asked: never further than what is kept.
    const coveredMs = Math.ceil(windowMs / stepMs) * stepMs;
    if (coveredMs > stats.retentionMs) {
      throw invalid(
        `Invalid 'step': ${formatSpan(windowMs)} in whole steps of ${formatSpan(stepMs)} covers ` +
          `${formatSpan(coveredMs)}, past the stats retention of ${formatSpan(stats.retentionMs)}.`,
        'step',
      );
    }
    return timelineView(await stats.reader.timeline(windowMs, stepMs));
  });
}
