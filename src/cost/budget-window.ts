/**
 * Budget windows: which day or billing period an instant falls in, in a budget's time zone, and
 * when that window ends. Boundaries are local midnights, so a day with a DST change is 23 or 25
 * hours long, as the people the budget is for live it.
 */

/** One window of a budget: an id that names it in counter keys, and its end (epoch ms). */
export interface BudgetWindow {
  id: string;
  endsAt: number | undefined;
}

interface LocalDate {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
}

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
    formatters.set(timeZone, format);
  }
  return format;
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
function offsetAt(instant: number, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(instant / 1_000) * 1_000;
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

export function localDate(instant: number, timeZone: string): LocalDate {
  const { year, month, day } = wallClock(instant, timeZone);
  return { year, month, day };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function addMonths(year: number, month: number, delta: number) {
  const index = year * 12 + (month - 1) + delta;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** The start day of the billing period in a month: the anchor, or the month's last day. */
function periodStart(year: number, month: number, anchorDay: number): LocalDate {
  return { year, month, day: Math.min(anchorDay, daysInMonth(year, month)) };
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');
const dateId = (date: LocalDate) => `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;

export function dayWindow(instant: number, timeZone: string): BudgetWindow {
  const today = localDate(instant, timeZone);
  const tomorrow = new Date(Date.UTC(today.year, today.month - 1, today.day + 1));
  const next = {
    year: tomorrow.getUTCFullYear(),
    month: tomorrow.getUTCMonth() + 1,
    day: tomorrow.getUTCDate(),
  };
  return { id: dateId(today), endsAt: localMidnight(next, timeZone) };
}

/** The billing period holding `instant`, named by the local date it started on. */
export function monthWindow(instant: number, timeZone: string, anchorDay: number): BudgetWindow {
  const today = localDate(instant, timeZone);
  const thisMonth = periodStart(today.year, today.month, anchorDay);
  const startMonth = today.day >= thisMonth.day ? 0 : -1;
  const from = addMonths(today.year, today.month, startMonth);
  const to = addMonths(today.year, today.month, startMonth + 1);
  const start = periodStart(from.year, from.month, anchorDay);
  const end = periodStart(to.year, to.month, anchorDay);
  return { id: dateId(start), endsAt: localMidnight(end, timeZone) };
}
