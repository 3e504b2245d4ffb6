import { describe, expect, it } from 'vitest';
import { dayWindow, localMidnight, monthWindow } from './budget-window.js';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe('dayWindow', () => {
  it('turns at midnight UTC by default', () => {
    expect(dayWindow(at('2026-03-10T23:59:59.999Z'), 'UTC')).toEqual({
      id: '2026-03-10',
      endsAt: at('2026-03-11T00:00:00Z'),
    });
    expect(dayWindow(at('2026-03-11T00:00:00Z'), 'UTC').id).toBe('2026-03-11');
  });

  it('turns at local midnight in the budget time zone', () => {
    // 15:00 UTC is midnight in Tokyo (UTC+9, no DST).
    expect(dayWindow(at('2026-01-01T14:59:59Z'), 'Asia/Tokyo').id).toBe('2026-01-01');
    expect(dayWindow(at('2026-01-01T15:00:00Z'), 'Asia/Tokyo')).toEqual({
      id: '2026-01-02',
      endsAt: at('2026-01-02T15:00:00Z'),
    });
  });

  it('gives the day of a spring-forward change 23 hours (New York)', () => {
    const window = dayWindow(at('2026-03-08T12:00:00Z'), 'America/New_York');
    expect(window).toEqual({ id: '2026-03-08', endsAt: at('2026-03-09T04:00:00Z') });
    const start = localMidnight({ year: 2026, month: 3, day: 8 }, 'America/New_York');
    expect(start).toBe(at('2026-03-08T05:00:00Z'));
    expect(window.endsAt! - start).toBe(23 * HOUR);
  });

  it('gives the day of a fall-back change 25 hours (Berlin)', () => {
    const window = dayWindow(at('2026-10-25T12:00:00Z'), 'Europe/Berlin');
    expect(window).toEqual({ id: '2026-10-25', endsAt: at('2026-10-25T23:00:00Z') });
    const start = localMidnight({ year: 2026, month: 10, day: 25 }, 'Europe/Berlin');
    expect(window.endsAt! - start).toBe(25 * HOUR);
    // 23:30 UTC on the 24th is already the 25th in Berlin (UTC+2 before the change).
    expect(dayWindow(at('2026-10-24T22:30:00Z'), 'Europe/Berlin').id).toBe('2026-10-25');
  });

  it('starts a day whose midnight a DST change skips at the first instant that exists', () => {
    // Chile moves from UTC-4 to UTC-3 at local midnight: 2026-09-06 begins at 01:00 local.
    const start = localMidnight({ year: 2026, month: 9, day: 6 }, 'America/Santiago');
    expect(start).toBe(at('2026-09-06T04:00:00Z'));
    expect(dayWindow(at('2026-09-06T03:59:59Z'), 'America/Santiago').id).toBe('2026-09-05');
    expect(dayWindow(at('2026-09-06T04:00:00Z'), 'America/Santiago').id).toBe('2026-09-06');
  });
});

describe('monthWindow', () => {
  it('runs calendar months with anchor day 1', () => {
    expect(monthWindow(at('2026-02-28T23:59:59Z'), 'UTC', 1)).toEqual({
      id: '2026-02-01',
      endsAt: at('2026-03-01T00:00:00Z'),
    });
    expect(monthWindow(at('2026-12-31T23:00:00Z'), 'UTC', 1).endsAt).toBe(at('2027-01-01T00:00Z'));
  });

  it('starts a period anchored on the 31st on the last day of February', () => {
    expect(monthWindow(at('2026-02-27T12:00:00Z'), 'UTC', 31)).toEqual({
      id: '2026-01-31',
      endsAt: at('2026-02-28T00:00:00Z'),
    });
    expect(monthWindow(at('2026-02-28T00:00:00Z'), 'UTC', 31)).toEqual({
      id: '2026-02-28',
      endsAt: at('2026-03-31T00:00:00Z'),
    });
    expect(monthWindow(at('2026-03-30T23:59:59Z'), 'UTC', 31).id).toBe('2026-02-28');
    expect(monthWindow(at('2026-04-30T12:00:00Z'), 'UTC', 31).id).toBe('2026-04-30');
  });

  it('uses 29 February in a leap year', () => {
    expect(monthWindow(at('2028-02-29T00:00:00Z'), 'UTC', 30)).toEqual({
      id: '2028-02-29',
      endsAt: at('2028-03-30T00:00:00Z'),
    });
  });

  it('turns at local midnight of the anchor day, across a DST change', () => {
    // Los Angeles is UTC-8 until 8 March 2026 and UTC-7 after: the 15 March boundary is 07:00 UTC.
    const zone = 'America/Los_Angeles';
    expect(monthWindow(at('2026-03-15T06:59:59Z'), zone, 15)).toEqual({
      id: '2026-02-15',
      endsAt: at('2026-03-15T07:00:00Z'),
    });
    expect(monthWindow(at('2026-03-15T07:00:00Z'), zone, 15).id).toBe('2026-03-15');
    expect(localMidnight({ year: 2026, month: 2, day: 15 }, zone)).toBe(at('2026-02-15T08:00Z'));
  });

  it('rolls over at a local month boundary that is another day in UTC', () => {
    expect(monthWindow(at('2026-01-31T14:59:59Z'), 'Asia/Tokyo', 1).id).toBe('2026-01-01');
    expect(monthWindow(at('2026-01-31T15:00:00Z'), 'Asia/Tokyo', 1).id).toBe('2026-02-01');
  });
});
