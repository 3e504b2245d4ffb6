import type { RedisClient } from './redis-connection.js';
import { unavailable } from './redis-connection.js';

export type ScriptArgument = string | number;

/** Runs one loaded script with its keys and arguments. */
export type RunScript = (
  keys: readonly string[],
  args: readonly ScriptArgument[],
) => Promise<unknown>;

type ScriptCommand = (...args: ScriptArgument[]) => Promise<unknown>;

/**
 * Every script takes the time from ARGV[1] when a test clock supplies one, and otherwise from
 * the server's TIME, so instances whose clocks disagree still agree on every expiry. (Since
 * Redis 5 scripts replicate their effects, not their source, so TIME before a write is allowed.)
 */
export const CLOCK_LUA = `
local function clock_now()
  if ARGV[1] ~= '' then return tonumber(ARGV[1]) end
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
`;

/** The value of ARGV[1]: the test clock's reading, or empty for the server's TIME. */
export function clockArgument(clock: (() => number) | undefined): string {
  return clock === undefined ? '' : String(clock());
}

/**
 * Defines a script as a client command: ioredis sends it with EVALSHA and loads it with EVAL
 * the first time a connection (or cluster node) lacks it, so each script is sent once per
 * connection. `keys: null` takes the key count as the first argument of each call, for scripts
 * over a varying number of keys. A failure comes back as a retryable `RAMPART_STATE_UNAVAILABLE`.
 */
export function defineScript(
  client: RedisClient,
  name: string,
  definition: { keys: number | null; lua: string; readOnly?: boolean },
): RunScript {
  client.defineCommand(name, {
    ...(definition.keys === null ? {} : { numberOfKeys: definition.keys }),
    lua: CLOCK_LUA + definition.lua,
    readOnly: definition.readOnly ?? false,
  });
  const command = (client as unknown as Record<string, ScriptCommand>)[name]!;
  return async (keys, args) => {
    try {
      return await command.call(client, ...keys, ...args);
    } catch (error) {
      throw unavailable(`Redis ${name} failed`, error);
    }
  };
}
