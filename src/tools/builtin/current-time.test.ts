import { describe, expect, it } from 'vitest';
import { createSilentLogger, isRampartError, type Principal } from '../../core/index.js';
import type { ToolContext } from '../types.js';
import { currentTimeTool } from './current-time.js';

const principal: Principal = {
  userId: 'u',
  role: 'user',
  tier: 'free',
  permissions: [],
  keyId: 'k',
};
const context: ToolContext = {
  principal,
  signal: new AbortController().signal,
  logger: createSilentLogger(),
};

// 2026-07-15T12:34:56.789Z: summer time in both hemispheres' northern zones.
const fixed = new Date(Date.UTC(2026, 6, 15, 12, 34, 56, 789));
const tool = currentTimeTool({ clock: () => fixed });

describe('current_time', () => {
  it('defaults to UTC', async () => {
    expect(await tool.handler({}, context)).toEqual({
      timezone: 'UTC',
      iso: '2026-07-15T12:34:56.789+00:00',
      utc: '2026-07-15T12:34:56.789Z',
      local: 'Wednesday, July 15, 2026 at 12:34:56 PM UTC',
    });
  });

  it.each([
    ['Europe/Paris', '2026-07-15T14:34:56.789+02:00'],
    ['America/New_York', '2026-07-15T08:34:56.789-04:00'],
    ['Asia/Kolkata', '2026-07-15T18:04:56.789+05:30'],
    ['Pacific/Kiritimati', '2026-07-16T02:34:56.789+14:00'],
  ])('gives the wall-clock time and offset in %s', async (timezone, iso) => {
    const result = (await tool.handler({ timezone }, context)) as Record<string, string>;

    expect(result.timezone).toBe(timezone);
    expect(result.iso).toBe(iso);
    expect(new Date(result.iso!).getTime()).toBe(fixed.getTime());
    expect(result.utc).toBe('2026-07-15T12:34:56.789Z');
  });

  it('gives a readable local time', async () => {
    const result = (await tool.handler({ timezone: 'Asia/Tokyo' }, context)) as { local: string };
    expect(result.local).toBe('Wednesday, July 15, 2026 at 9:34:56 PM GMT+9');
  });

  it('accepts a zone name in any case and reports the canonical name', async () => {
    const result = (await tool.handler({ timezone: 'europe/paris' }, context)) as {
      timezone: string;
    };
    expect(result.timezone).toBe('Europe/Paris');
  });

  it.each(['Mars/Olympus_Mons', '', 'UTC+25'])(
    'refuses the unknown zone %j clearly',
    async (zone) => {
      const error: unknown = await tool
        .handler({ timezone: zone }, context)
        .catch((e: unknown) => e);

      expect(isRampartError(error, 'RAMPART_TOOL_INVALID_ARGUMENTS')).toBe(true);
      expect((error as Error).message).toBe(
        `Unknown time zone '${zone}'. Use an IANA name such as 'Europe/Paris' or 'UTC'.`,
      );
    },
  );
});
