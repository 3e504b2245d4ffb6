/**
 * The budget ledger's scripts. Each counter is two keys: a hash (`spent`, `reserved`, `cap`,
 * `warned`, and `r:<id>` for the amount each live reservation holds) and a sorted set of those
 * reservations by lease end. KEYS come in pairs, hash then lease set, one pair per counter.
 * Amounts are integers below 2^53, written with %d so Lua never formats one as 1e+15.
 *
 * ARGV[1] is the clock; the rest as each script says.
 */
const COMMON_LUA = `
local now = clock_now()

local function int(value)
  return string.format('%d', value)
end

-- Drops reservations whose lease has ended (their instance went away).
local function sweep(hash, leases)
  local ended = redis.call('ZRANGEBYSCORE', leases, '-inf', now)
  for _, id in ipairs(ended) do
    local held = tonumber(redis.call('HGET', hash, 'r:' .. id) or '0')
    redis.call('HINCRBY', hash, 'reserved', int(-held))
    redis.call('HDEL', hash, 'r:' .. id)
  end
  if #ended > 0 then redis.call('ZREMRANGEBYSCORE', leases, '-inf', now) end
end

-- Drops one reservation's hold, if it still has one.
local function unhold(hash, leases, id)
  if not redis.call('ZSCORE', leases, id) then return end
  local held = tonumber(redis.call('HGET', hash, 'r:' .. id) or '0')
  redis.call('HINCRBY', hash, 'reserved', int(-held))
  redis.call('HDEL', hash, 'r:' .. id)
  redis.call('ZREM', leases, id)
end

-- Keeps both keys at least ttl ms from now.
local function keep(hash, leases, ttl)
  for _, key in ipairs({hash, leases}) do
    if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
  end
end
`;

/**
 * ARGV: [2] id, [3] leaseMs, [4] min units, [5] max units, then per counter: cap, base,
 * perUnit, ttlMs, warnAt. Returns {1, units, indexes of counters this reservation leaves at or past their warn line} or
 * {0, index of the counter that did not fit}; a refusal writes nothing but the sweep of ended
 * leases.
 */
export const BUDGET_RESERVE_LUA = `${COMMON_LUA}
local id = ARGV[2]
local lease = tonumber(ARGV[3])
local min_units = tonumber(ARGV[4])
local units = tonumber(ARGV[5])
local count = #KEYS / 2
local nearly = {}
local useds = {}

local function arg(index, field)
  return tonumber(ARGV[5 + (index - 1) * 5 + field])
end

for i = 1, count do
  local hash, leases = KEYS[2 * i - 1], KEYS[2 * i]
  sweep(hash, leases)
  local stored = redis.call('HMGET', hash, 'spent', 'reserved')
  local used = tonumber(stored[1] or '0') + tonumber(stored[2] or '0')
  useds[i] = used
  local room = arg(i, 1) - used - arg(i, 2)
  local per_unit = arg(i, 3)
  if room < 0 then
    units = -1
  elseif per_unit > 0 then
    units = math.min(units, math.floor(room / per_unit))
  end
  if units < min_units then return {0, i} end
end

for i = 1, count do
  local hash, leases = KEYS[2 * i - 1], KEYS[2 * i]
  local amount = arg(i, 2) + units * arg(i, 3)
  if useds[i] + amount >= arg(i, 5) * arg(i, 1) then table.insert(nearly, i) end
  redis.call('HINCRBY', hash, 'reserved', int(amount))
  redis.call('HSET', hash, 'r:' .. id, int(amount), 'cap', int(arg(i, 1)))
  redis.call('ZADD', leases, now + lease, id)
  keep(hash, leases, math.max(arg(i, 4), lease))
end
return {1, units, nearly}
`;

/**
 * ARGV: [2] id, then per charge: amount, cap, warnAt, ttlMs. Returns the indexes of counters
 * that reached their warn line for the first time in their window.
 */
export const BUDGET_SETTLE_LUA = `${COMMON_LUA}
local id = ARGV[2]
local warned = {}
for i = 1, #KEYS / 2 do
  local hash, leases = KEYS[2 * i - 1], KEYS[2 * i]
  local base = 2 + (i - 1) * 4
  local cap = tonumber(ARGV[base + 2])
  sweep(hash, leases)
  unhold(hash, leases, id)
  local spent = redis.call('HINCRBY', hash, 'spent', ARGV[base + 1])
  redis.call('HSET', hash, 'cap', int(cap))
  if redis.call('HGET', hash, 'warned') ~= '1' and spent >= tonumber(ARGV[base + 3]) * cap then
    redis.call('HSET', hash, 'warned', '1')
    table.insert(warned, i)
  end
  keep(hash, leases, tonumber(ARGV[base + 4]))
end
return warned
`;

/** ARGV: [2] id. Drops the reservation's hold on every counter given. */
export const BUDGET_RELEASE_LUA = `${COMMON_LUA}
for i = 1, #KEYS / 2 do
  unhold(KEYS[2 * i - 1], KEYS[2 * i], ARGV[2])
end
return 1
`;

/** Returns {spent, reserved, cap or -1} after dropping ended leases. */
export const BUDGET_STANDING_LUA = `${COMMON_LUA}
sweep(KEYS[1], KEYS[2])
local stored = redis.call('HMGET', KEYS[1], 'spent', 'reserved', 'cap')
return {tonumber(stored[1] or '0'), tonumber(stored[2] or '0'), tonumber(stored[3] or '-1')}
`;
