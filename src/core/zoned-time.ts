/**
 * Calendar dates and local midnights in IANA time zones, for budget windows and usage days.
 * Boundaries are local midnights, so a day with a DST change is 23 or 25 hours long, as the
 * people it is counted for live it.
 */

/** A calendar date. */
export interface LocalDate {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
}

/** Zone names come from config and from clients, in many spellings: the cache is bounded. */
const MAX_FORMATTERS = 1_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size < MAX_FORMATTERS) formatters.set(timeZone, format);
  }
  return format;
}

/** Whether the runtime knows the IANA time zone (`Europe/Paris`, `UTC`, ...). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of `instant` in `timeZone`. */
function wallClock(instant: number, timeZone: string) {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return { year, month, day, hour, minute, second };
}

/** How far `timeZone` is ahead of UTC at `instant`, in ms. */
export function offsetAt(instant: number, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(instant / 1_000) * 1_000;
}

/** The calendar date `instant` falls on in `timeZone`. */
export function localDate(instant: number, timeZone: string): LocalDate {
  const { year, month, day } = wallClock(instant, timeZone);
  return { year, month, day };
}

/**
 * The instant local midnight starts `date` in `timeZone`. Where a DST change skips midnight
 * itself, the day starts at the first instant that exists after it.
 */
export function localMidnight(date: LocalDate, timeZone: string): number {
  const naive = Date.UTC(date.year, date.month - 1, date.day);
  const first = naive - offsetAt(naive, timeZone);
  const second = naive - offsetAt(first, timeZone);
  if (second === first) return first;
  // The offset changed between the guesses: the earlier one that falls on the date itself.
  const onDate = [first, second].filter((guess) => wallClock(guess, timeZone).day === date.day);
  return onDate.length > 0 ? Math.min(...onDate) : Math.max(first, second);
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `2026-03-01`. */
export function dateText(date: LocalDate): string {
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/** The date after `date`. */
export function nextDate(date: LocalDate): LocalDate {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}
