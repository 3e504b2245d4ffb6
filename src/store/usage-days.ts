/** Calendar days in an IANA time zone, as ranges of instants, for grouping usage by day. */
import { dateText, isTimeZone, localDate, localMidnight, nextDate } from '../core/zoned-time.js';

export { isTimeZone };

/** One local day, clipped to the queried range: `start` inclusive, `end` exclusive (ms). */
export interface DayBucket {
  day: string;
  start: number;
  end: number;
}

/** The first instant of a local date (`2026-03-01`): midnight, or the first after a skipped one. */
export function startOfDay(date: string, timeZone: string): number {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return localMidnight({ year, month, day }, timeZone);
}

/** The local days `[from, to)` touches in `timeZone`, each clipped to the range, in order. */
export function dayBuckets(from: number, to: number, timeZone: string): DayBucket[] {
  const buckets: DayBucket[] = [];
  let day = localDate(from, timeZone);
  let start = from;
  while (start < to) {
    const following = nextDate(day);
    const end = Math.min(to, localMidnight(following, timeZone));
    if (end > start) buckets.push({ day: dateText(day), start, end });
    start = end;
    day = following;
  }
  return buckets;
}
