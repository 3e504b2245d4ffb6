/**
 * GCRA on one key, the same sums as `memory/gcra.ts`: distances in 1/limit ms, so every value
 * is an integer below 2^53 and exact in Lua's doubles. The key holds `ms:part:denominator` (the
 * TAT) and expires when the TAT passes, so an idle budget takes no memory.
 *
 * ARGV: [1] clock, [2] limit, [3] windowMs, [4] cost or delta, [5] the drawdown cap.
 */
const GCRA_LUA = `
local key = KEYS[1]
local now = clock_now()
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local amount = tonumber(ARGV[4])
local cap = tonumber(ARGV[5])

local function ceil_divide(dividend, divisor)
  local quotient = math.floor(dividend / divisor)
  if quotient * divisor < dividend then return quotient + 1 end
  return quotient
end

local function drawdown()
  local stored = redis.call('GET', key)
  if not stored then return 0 end
  local ms, part, denominator = string.match(stored, '^(-?%d+):(%d+):(%d+)$')
  if not ms then return 0 end
  local scaled = (tonumber(ms) - now) * limit
    + math.floor(tonumber(part) * limit / tonumber(denominator))
  return math.min(math.max(scaled, 0), cap)
end

local function store(scaled)
  if scaled <= 0 then
    redis.call('DEL', key)
    return
  end
  local ms = math.floor(scaled / limit)
  local value = string.format('%d:%d:%d', now + ms, scaled - ms * limit, limit)
  redis.call('SET', key, value, 'PX', ceil_divide(scaled, limit))
end
`;

/** A take: returns {allowed, remaining, retryAfterMs, resetAfterMs}; a refusal writes nothing. */
export const TAKE_LUA = `${GCRA_LUA}
local current = drawdown()
local capacity = window * limit
local after = current + amount * window
if amount > limit then
  return {0, 0, window, ceil_divide(current, limit)}
end
if after > capacity then
  return {0, 0, ceil_divide(after - capacity, limit), ceil_divide(current, limit)}
end
store(after)
local remaining = math.min(math.floor((capacity - after) / window), limit)
return {1, remaining, 0, ceil_divide(after, limit)}
`;

/** A correction by a signed number of units: never before now, debt capped. */
export const ADJUST_LUA = `${GCRA_LUA}
store(math.min(math.max(drawdown() + amount * window, 0), cap))
return 1
`;
