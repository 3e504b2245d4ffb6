/**
 * The stats scripts. KEYS of one minute are counters, maxima, buckets and writes (see
 * `statsKeys`); ARGV[1] is the clock (see `CLOCK_LUA`).
 */

/**
 * Merges one write into its minute. ARGV: clock, minute, retention ms, write id, instance, then
 * the number of counters and their name/value pairs, the number of maxima and their pairs, and
 * the bucket field/count pairs to the end. A write id the minute has seen, or a minute already
 * past retention, changes nothing. Every key expires when the minute leaves retention.
 */
export const STATS_ADD_LUA = `
local ttl = tonumber(ARGV[2]) + tonumber(ARGV[3]) - clock_now()
if ttl <= 0 then return 0 end
if redis.call('HSETNX', KEYS[4], ARGV[4], ARGV[5]) == 0 then return 0 end
local i = 6
local count = tonumber(ARGV[i])
i = i + 1
for _ = 1, count do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
count = tonumber(ARGV[i])
i = i + 1
for _ = 1, count do
  local current = tonumber(redis.call('HGET', KEYS[2], ARGV[i]))
  if current == nil or tonumber(ARGV[i + 1]) > current then
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  end
  i = i + 2
end
while i < #ARGV do
  redis.call('HINCRBY', KEYS[3], ARGV[i], ARGV[i + 1])
  i = i + 2
end
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ttl) end
return 1
`;

/**
 * Reads minutes of one hour (their keys share its hash tag), four keys per minute in order:
 * for each, the counters, maxima and buckets as field/value lists and the writers' instances.
 */
export const STATS_READ_LUA = `
local minutes = {}
for i = 1, #KEYS, 4 do
  minutes[#minutes + 1] = {
    redis.call('HGETALL', KEYS[i]),
    redis.call('HGETALL', KEYS[i + 1]),
    redis.call('HGETALL', KEYS[i + 2]),
    redis.call('HVALS', KEYS[i + 3]),
  }
end
return minutes
`;
