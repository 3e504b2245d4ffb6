import { describe, expect, it } from 'vitest';
import { checkAuditQuery } from './audit-query.js';

const at = (iso: string) => Date.parse(iso);

describe('checkAuditQuery', () => {
  it('fills in the default limit and lowers a larger one to 1000', () => {
    expect(checkAuditQuery()).toEqual({ limit: 100 });
    expect(checkAuditQuery({ limit: 1001 })).toEqual({ limit: 1000 });
    expect(checkAuditQuery({ limit: 7, before: 12 })).toEqual({ limit: 7, before: 12 });
  });

  it('reads since to the millisecond, rounding finer digits up', () => {
    const since = (value: string) => checkAuditQuery({ since: value })?.since;

    expect(since('2026-03-01')).toBe(at('2026-03-01T00:00:00.000Z'));
    expect(since('2026-03-01T10:00Z')).toBe(at('2026-03-01T10:00:00.000Z'));
    expect(since('2026-03-01T10:00:00.123000Z')).toBe(at('2026-03-01T10:00:00.123Z'));
    expect(since('2026-03-01T10:00:00.123001Z')).toBe(at('2026-03-01T10:00:00.124Z'));
    expect(since('2026-03-01T12:00:00+02:00')).toBe(at('2026-03-01T10:00:00.000Z'));
  });

  it('answers undefined for filter text no entry can hold', () => {
    expect(checkAuditQuery({ userId: 'a\uD800' })).toBeUndefined();
    expect(checkAuditQuery({ sessionId: '\uDC00' })).toBeUndefined();
    expect(checkAuditQuery({ userId: 'a\u0000', tool: 't' })).toEqual({
      userId: 'a\u0000',
      tool: 't',
      limit: 100,
    });
  });
});
