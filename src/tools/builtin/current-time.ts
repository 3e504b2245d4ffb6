import { RampartError } from '../../core/index.js';
import type { ToolDefinition } from '../types.js';

export interface CurrentTimeOptions {
  /** Returns the current instant; tests pass a fixed one. Default `() => new Date()`. */
  clock?: () => Date;
}

interface CurrentTimeArguments {
  timezone?: string;
}

/**
 * The `current_time` tool: the current instant in an IANA time zone (UTC by default), as an ISO
 * 8601 time with the zone's offset, the same instant in UTC, and a readable local form.
 */
export function currentTimeTool(options: CurrentTimeOptions = {}): ToolDefinition {
  const clock = options.clock ?? (() => new Date());
  return {
    name: 'current_time',
    // Reads the clock: nothing to save before it runs.
    sideEffects: false,
    // Pure computation on what the model passes in: safe for every caller.
    policy: { roles: ['*'] },
    description:
      'Returns the current date and time. Pass an IANA time zone such as "Europe/Paris" or ' +
      '"America/New_York"; the default is UTC.',
    parameters: {
      type: 'object',
      properties: {
        timezone: { type: 'string', description: 'IANA time zone name.', maxLength: 100 },
      },
      additionalProperties: false,
    },
    handler: (args) =>
      Promise.resolve(args as CurrentTimeArguments).then((parsed) => describeTime(clock(), parsed)),
  };
}

function describeTime(now: Date, { timezone }: CurrentTimeArguments) {
  const zone = resolveZone(timezone ?? 'UTC');
  const local = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    dateStyle: 'full',
    timeStyle: 'long',
  }).format(now);
  return { timezone: zone, iso: zonedIso(now, zone), utc: now.toISOString(), local };
}

/**
 * The zone's name with its proper capitals, or a clear error for a name Intl does not know. ICU
 * maps some current names to older aliases (Asia/Kolkata to Asia/Calcutta); those keep the name
 * the caller used.
 */
function resolveZone(name: string): string {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions();
    return resolved.timeZone.toLowerCase() === name.toLowerCase() ? resolved.timeZone : name;
  } catch {
    const message = `Unknown time zone '${name}'. Use an IANA name such as 'Europe/Paris' or 'UTC'.`;
    throw new RampartError('RAMPART_TOOL_INVALID_ARGUMENTS', message);
  }
}

/** `2026-03-01T09:30:00.000+01:00`: the wall-clock time in `zone` with its UTC offset. */
function zonedIso(now: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'longOffset',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((entry) => entry.type === type)?.value ?? '';
  const date = `${part('year')}-${part('month')}-${part('day')}`;
  const time = `${part('hour')}:${part('minute')}:${part('second')}`;
  const millis = String(now.getUTCMilliseconds()).padStart(3, '0');
  return `${date}T${time}.${millis}${offsetOf(part('timeZoneName'))}`;
}

/** Intl writes offsets as `GMT+05:30`, or plain `GMT` for zero. */
function offsetOf(name: string): string {
  const offset = name.replace('GMT', '');
  return offset === '' ? '+00:00' : offset;
}
