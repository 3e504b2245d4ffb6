import { MINUTE_MS } from '../../store/index.js';

/** A timeline serves at most this many points, so one request's work stays bounded. */
export const MAX_TIMELINE_POINTS = 500;

const HOUR_MS = 60 * MINUTE_MS;
const SPAN = /^([1-9][0-9]{0,5})([mh])$/;
/** Steps a timeline picks from when none is asked for, in minutes. */
const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];
/** Points a default step aims to stay under: enough for a chart, few enough to read quickly. */
const DEFAULT_POINTS = 120;

/** `15m` or `6h` in milliseconds; undefined for anything else (seconds, days, `0m`, `1.5h`). */
export function parseSpan(text: string): number | undefined {
  const match = SPAN.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === 'h' ? HOUR_MS : MINUTE_MS);
}

/** Milliseconds as the shortest `Nh` or `Nm` form. */
export function formatSpan(ms: number): string {
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  return `${Math.round(ms / MINUTE_MS)}m`;
}

/** Windows longer than this get steps of whole hours, which read hourly rollups. */
const HOURLY_FROM_MS = 12 * HOUR_MS;

/**
 * The smallest common step that draws the window in at most 120 points; at least an hour for
 * windows over 12 hours, so their points come from hourly rollups rather than every minute.
 */
export function defaultStep(windowMs: number): number {
  const least = windowMs > HOURLY_FROM_MS ? 60 : 1;
  const minutes = NICE_STEPS.find(
    (step) => step >= least && windowMs / (step * MINUTE_MS) <= DEFAULT_POINTS,
  );
  return (minutes ?? Math.ceil(windowMs / (DEFAULT_POINTS * MINUTE_MS))) * MINUTE_MS;
}
