/** Calendar days in an IANA time zone, as ranges of instants, for grouping usage by day. */

/** One local day, clipped to the queried range: `start` inclusive, `end` exclusive (ms). */
export interface DayBucket {
  day: string;
  start: number;
  end: number;
}

const HOUR_MS = 3_600_000;
const MAX_FORMATTERS = 1_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    // Zone names are matched case-insensitively, so a client could name one in many spellings.
    if (formatters.size < MAX_FORMATTERS) formatters.set(timeZone, format);
  }
  return format;
}

/** True when the runtime knows the zone (`Europe/Paris`, `UTC`, ...). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(instant: number, timeZone: string) {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return { year, month, day, wall: Date.UTC(year, month - 1, day, hour, minute, second) };
}

function dateText(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

/** The first instant of a local date: midnight, or the first hour after a skipped one. */
export function startOfDay(date: string, timeZone: string): number {
  const midnight = Date.parse(`${date}T00:00:00Z`);
  let guess = midnight;
  for (let pass = 0; pass < 2; pass++) guess = midnight - (wallClock(guess, timeZone).wall - guess);
  // A zone whose clocks skip midnight on this date starts the day an hour later.
  while (localDate(guess, timeZone) < date) guess += HOUR_MS;
  while (localDate(guess - HOUR_MS, timeZone) === date) guess -= HOUR_MS;
  return guess - (guess % 1000);
}

function localDate(instant: number, timeZone: string): string {
  const { year, month, day } = wallClock(instant, timeZone);
  return dateText(year, month, day);
}

function nextDate(date: string): string {
  const time = Date.parse(`${date}T00:00:00Z`);
  return new Date(time + 24 * HOUR_MS).toISOString().slice(0, 10);
}

/** The local days `[from, to)` touches in `timeZone`, each clipped to the range, in order. */
export function dayBuckets(from: number, to: number, timeZone: string): DayBucket[] {
  const buckets: DayBucket[] = [];
  let day = localDate(from, timeZone);
  let start = from;
  while (start < to) {
    const following = nextDate(day);
    const end = Math.min(to, startOfDay(following, timeZone));
    if (end > start) buckets.push({ day, start, end });
    start = end;
    day = following;
  }
  return buckets;
}
