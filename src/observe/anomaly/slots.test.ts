import { describe, expect, it } from 'vitest';
import { median, medianAbsoluteDeviation } from './robust.js';
import { baselineSlots, lastEndedSlot } from './slots.js';

const QUARTER = 15 * 60_000;
const iso = (slots: number[]) => slots.map((slot) => new Date(slot).toISOString().slice(0, 16));

describe('baseline slots', () => {
  it('take the hour around the same time on each past day', () => {
    const start = Date.parse('2026-01-12T10:07:00Z');
    const days = baselineSlots(start, { slotMs: QUARTER, timeZone: 'UTC', baselineDays: 2 });
    expect(days.map(iso)).toEqual([
      ['2026-01-11T09:45', '2026-01-11T10:00', '2026-01-11T10:15', '2026-01-11T10:30'],
      ['2026-01-10T09:45', '2026-01-10T10:00', '2026-01-10T10:15', '2026-01-10T10:30'],
    ]);
  });

  it('follow the local clock across a change to summer time', () => {
    // Paris moved from UTC+1 to UTC+2 at 02:00 on 29 March 2026; 10:00 local is 08:00Z after.
    const start = Date.parse('2026-03-30T08:00:00Z');
    const days = baselineSlots(start, {
      slotMs: QUARTER,
      timeZone: 'Europe/Paris',
      baselineDays: 3,
    });
    expect(days.map(iso)).toEqual([
      ['2026-03-29T07:30', '2026-03-29T07:45', '2026-03-29T08:00', '2026-03-29T08:15'],
      ['2026-03-28T08:30', '2026-03-28T08:45', '2026-03-28T09:00', '2026-03-28T09:15'],
      ['2026-03-27T08:30', '2026-03-27T08:45', '2026-03-27T09:00', '2026-03-27T09:15'],
    ]);
  });

  it('end with the latest slot that has ended', () => {
    expect(lastEndedSlot(Date.parse('2026-01-12T10:07:00Z'), QUARTER)).toBe(
      Date.parse('2026-01-12T09:45:00Z'),
    );
    expect(lastEndedSlot(Date.parse('2026-01-12T10:15:00Z'), QUARTER)).toBe(
      Date.parse('2026-01-12T10:00:00Z'),
    );
  });
});

describe('median and MAD', () => {
  it('ignore a minority of wild values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([900, 950, 1_000, 1_050, 1_100, 90_000])).toBe(1_025);
    expect(medianAbsoluteDeviation([900, 950, 1_000, 1_050, 1_100])).toBe(50);
    expect(medianAbsoluteDeviation([1, 1, 1, 1, 1_000])).toBe(0);
    expect(() => median([])).toThrow(RangeError);
  });
});
