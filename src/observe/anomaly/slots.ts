import { localDate, offsetAt, type LocalDate } from '../../core/zoned-time.js';

/**
 * Baseline slots: the day cut into windows of the detector's length, aligned to the epoch
 * (the window length divides the hour, so every zone's hours line up with them too).
 */

const MINUTE_MS = 60_000;
/** Slots this far either side of the same time of day on a past day make its samples. */
const SPAN_MS = 30 * MINUTE_MS;

export interface SlotPlan {
  slotMs: number;
  timeZone: string;
  baselineDays: number;
}

/** The start of the latest slot that has ended by `now`. */
export function lastEndedSlot(now: number, slotMs: number): number {
  return Math.floor(now / slotMs) * slotMs - slotMs;
}

/** The instant a wall-clock time (ms since local midnight) falls at on `date` in `timeZone`. */
function instantOf(date: LocalDate, wallMs: number, timeZone: string): number {
  const naive = Date.UTC(date.year, date.month - 1, date.day) + wallMs;
  // The offset at the guess, then at the instant it gives: right on both sides of a DST change.
  return naive - offsetAt(naive - offsetAt(naive, timeZone), timeZone);
}

/** The date `days` before `date`, on the calendar (no time zone involved). */
function daysBefore(date: LocalDate, days: number): LocalDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day - days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/**
 * The slots of each past day (most recent first) whose start lies within half an hour of the
 * same local wall-clock time as `start`: an hour of that day's windows, so the baseline follows
 * the daily cycle (and its DST shifts) without depending on where in the hour a window falls.
 */
export function baselineSlots(start: number, plan: SlotPlan): number[][] {
  const today = localDate(start, plan.timeZone);
  const wallMs =
    start + offsetAt(start, plan.timeZone) - Date.UTC(today.year, today.month - 1, today.day);
  const days: number[][] = [];
  for (let back = 1; back <= plan.baselineDays; back += 1) {
    const centre = instantOf(daysBefore(today, back), wallMs, plan.timeZone);
    const first = Math.ceil((centre - SPAN_MS) / plan.slotMs) * plan.slotMs;
    const slots: number[] = [];
    for (let slot = first; slot < centre + SPAN_MS; slot += plan.slotMs) slots.push(slot);
    days.push(slots);
  }
  return days;
}
