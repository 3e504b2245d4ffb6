/**
 * The stats scripts. KEYS are one minute's four keys and then its hour's (see `statsKeys`);
 * ARGV[1] is the clock (see `CLOCK_LUA`).
 */

/**
 * Merges one write into its minute and its hour. ARGV: clock, minute, hour, retention ms, write
 * id, instance, then the number of counters and their name/value pairs, the number of maxima and
 * their pairs, and the bucket field/count pairs to the end. A write id the minute has seen, or a
 * minute already past retention, changes nothing; an hour past retention is left alone. Every
 * key expires when its minute or hour leaves retention.
 */
export const STATS_ADD_LUA = `
local now = clock_now()
local retention = tonumber(ARGV[4])
local minute_ttl = tonumber(ARGV[2]) + retention - now
if minute_ttl <= 0 then return 0 end
if redis.call('HSETNX', KEYS[4], ARGV[5], ARGV[6]) == 0 then return 0 end
local hour_ttl = tonumber(ARGV[3]) + retention - now
local bases = {1}
if hour_ttl > 0 then bases = {1, 5} end
local i = 7
local count = tonumber(ARGV[i])
i = i + 1
for _ = 1, count do
  for _, base in ipairs(bases) do redis.call('HINCRBY', KEYS[base], ARGV[i], ARGV[i + 1]) end
  i = i + 2
end
count = tonumber(ARGV[i])
i = i + 1
for _ = 1, count do
  for _, base in ipairs(bases) do
    local current = tonumber(redis.call('HGET', KEYS[base + 1], ARGV[i]))
    if current == nil or tonumber(ARGV[i + 1]) > current then
      redis.call('HSET', KEYS[base + 1], ARGV[i], ARGV[i + 1])
    end
  end
  i = i + 2
end
while i < #ARGV do
  for _, base in ipairs(bases) do redis.call('HINCRBY', KEYS[base + 2], ARGV[i], ARGV[i + 1]) end
  i = i + 2
end
for k = 1, 4 do redis.call('PEXPIRE', KEYS[k], minute_ttl) end
if hour_ttl > 0 then
  redis.call('HSET', KEYS[8], ARGV[6], 1)
  for k = 5, 8 do redis.call('PEXPIRE', KEYS[k], hour_ttl) end
end
return 1
`;

/**
 * Reads rollups whose keys share one hash tag, four keys each in order: the counters, maxima and
 * buckets as field/value lists, and the writers (ARGV[2] `minute`: the values of the writes hash;
 * `hour`: the fields of the instances hash).
 */
export const STATS_READ_LUA = `
local rollups = {}
for i = 1, #KEYS, 4 do
  local writers
  if ARGV[2] == 'hour' then
    writers = redis.call('HKEYS', KEYS[i + 3])
  else
    writers = redis.call('HVALS', KEYS[i + 3])
  end
  rollups[#rollups + 1] = {
    redis.call('HGETALL', KEYS[i]),
    redis.call('HGETALL', KEYS[i + 1]),
    redis.call('HGETALL', KEYS[i + 2]),
    writers,
  }
end
return rollups
`;
