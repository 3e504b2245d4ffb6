import { describe, expect, it } from 'vitest';
import { dayBuckets, isTimeZone } from './usage-days.js';

const at = (iso: string) => Date.parse(iso);

describe('dayBuckets', () => {
  it('cuts UTC days at midnight and clips the ends to the range', () => {
    const buckets = dayBuckets(at('2026-03-01T12:00:00Z'), at('2026-03-03T06:00:00Z'), 'UTC');
    expect(buckets).toEqual([
      { day: '2026-03-01', start: at('2026-03-01T12:00:00Z'), end: at('2026-03-02T00:00:00Z') },
      { day: '2026-03-02', start: at('2026-03-02T00:00:00Z'), end: at('2026-03-03T00:00:00Z') },
      { day: '2026-03-03', start: at('2026-03-03T00:00:00Z'), end: at('2026-03-03T06:00:00Z') },
    ]);
  });

  it('cuts local days in a zone, across a daylight-saving change', () => {
    // New York moved its clocks forward at 02:00 on 2026-03-08: that day has 23 hours.
    const buckets = dayBuckets(
      at('2026-03-07T05:00:00Z'),
      at('2026-03-09T04:00:00Z'),
      'America/New_York',
    );
    expect(buckets.map((bucket) => bucket.day)).toEqual(['2026-03-07', '2026-03-08']);
    expect(buckets[1]).toEqual({
      day: '2026-03-08',
      start: at('2026-03-08T05:00:00Z'),
      end: at('2026-03-09T04:00:00Z'),
    });
  });

  it('starts a day whose midnight the clocks skip at its first hour', () => {
    // Santiago moved its clocks from 00:00 to 01:00 on 2026-09-06.
    const buckets = dayBuckets(
      at('2026-09-05T12:00:00Z'),
      at('2026-09-07T12:00:00Z'),
      'America/Santiago',
    );
    const sixth = buckets.find((bucket) => bucket.day === '2026-09-06');
    expect(sixth?.start).toBe(at('2026-09-06T04:00:00Z'));
    expect(sixth?.end).toBe(at('2026-09-07T03:00:00Z'));
  });

  it('knows real zones and refuses made-up ones', () => {
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
