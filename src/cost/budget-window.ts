import {
  dateText,
  localDate,
  localMidnight,
  nextDate,
  type LocalDate,
} from '../core/zoned-time.js';

/**
 * Budget windows: which day or billing period an instant falls in, in a budget's time zone, and
 * when that window ends (local midnights: see `core/zoned-time.ts`).
 */

/** One window of a budget: an id that names it in counter keys, and its end (epoch ms). */
export interface BudgetWindow {
  id: string;
  endsAt: number | undefined;
}

export { localMidnight };

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

export function dayWindow(instant: number, timeZone: string): BudgetWindow {
  const today = localDate(instant, timeZone);
  return { id: dateText(today), endsAt: localMidnight(nextDate(today), timeZone) };
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
  return { id: dateText(start), endsAt: localMidnight(end, timeZone) };
}
