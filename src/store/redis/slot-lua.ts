/**
 * The fair slot line of `memory/slot-pool.ts`, as scripts over the keys of `slotKeys` (in that
 * order). Held slots and waiters are sorted sets scored by expiry, so expired entries are
 * purged with one range query; the line is a sorted set scored by arrival number. A granted
 * slot's id is its waiter's id. All keys of a pool expire together once every slot and waiter
 * in it has expired and the last-served marks have outlived their retention.
 */
const POOL_LUA = `
local held, holders, waiters, line = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local waiting, served, seen, counter = KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local now = clock_now()
local CHUNK = 500

-- Runs a command over a long list in chunks (unpack is bounded by Lua's stack).
local function each_chunk(list, run)
  for first = 1, #list, CHUNK do
    run(unpack(list, first, math.min(first + CHUNK - 1, #list)))
  end
end

local function purge()
  local gone = redis.call('ZRANGEBYSCORE', held, '-inf', now)
  each_chunk(gone, function(...)
    redis.call('ZREM', held, ...)
    redis.call('HDEL', holders, ...)
  end)
  gone = redis.call('ZRANGEBYSCORE', waiters, '-inf', now)
  each_chunk(gone, function(...)
    redis.call('ZREM', waiters, ...)
    redis.call('ZREM', line, ...)
    redis.call('HDEL', waiting, ...)
  end)
end

local function latest_expiry(key)
  local top = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if top[2] then return tonumber(top[2]) end
  return now
end

-- Every key lives until the last slot or waiter expires, plus the mark retention.
local function keep_alive(retention)
  local last = math.max(latest_expiry(held), latest_expiry(waiters))
  for _, name in ipairs(KEYS) do
    redis.call('PEXPIRE', name, last - now + retention)
  end
end

-- Drops the marks of users with no waiter and no slot unseen for the retention (a few a call).
local function forget(retention)
  local stale = redis.call('ZRANGEBYSCORE', seen, '-inf', now - retention, 'LIMIT', 0, 32)
  if #stale == 0 then return end
  local active = {}
  for _, user in ipairs(redis.call('HVALS', waiting)) do active[user] = true end
  for _, user in ipairs(redis.call('HVALS', holders)) do active[user] = true end
  for _, user in ipairs(stale) do
    if active[user] then
      redis.call('ZADD', seen, now, user)
    else
      redis.call('ZREM', seen, user)
      redis.call('HDEL', served, user)
    end
  end
end
`;

/**
 * The waiter whose turn it is: the lowest (last-served mark, arrival) over the line, where a
 * user never served ranks first. Walking in arrival order, the first lowest mark wins.
 */
const HEAD_LUA = `
local function head()
  local marks = {}
  local best, best_mark = nil, nil
  local total = redis.call('ZCARD', line)
  for first = 0, total - 1, CHUNK do
    local order = redis.call('ZRANGE', line, first, first + CHUNK - 1)
    local users = redis.call('HMGET', waiting, unpack(order))
    for index, waiter in ipairs(order) do
      local user = users[index]
      if user then
        if marks[user] == nil then
          marks[user] = tonumber(redis.call('HGET', served, user) or '') or false
        end
        local mark = marks[user]
        if mark == false then return waiter end
        if best_mark == nil or mark < best_mark then best, best_mark = waiter, mark end
      end
    end
  end
  return best
end
`;

/**
 * ARGV: [1] clock, [2] limit, [3] waiter, [4] user, [5] leaseMs, [6] waiterTtlMs,
 * [7] mark retention. Returns the lease expiry when granted (or already held), else nil.
 */
export const ACQUIRE_LUA = `${POOL_LUA}${HEAD_LUA}
local limit, waiter, user = tonumber(ARGV[2]), ARGV[3], ARGV[4]
local lease, waiter_ttl, retention = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
purge()
local mine = redis.call('ZSCORE', held, waiter)
if mine then return tonumber(mine) end

if not redis.call('ZSCORE', line, waiter) then
  redis.call('ZADD', line, redis.call('INCR', counter), waiter)
  redis.call('HSET', waiting, waiter, user)
end
redis.call('ZADD', waiters, now + waiter_ttl, waiter)
redis.call('ZADD', seen, now, user)

local granted = false
if redis.call('ZCARD', held) < limit and head() == waiter then
  granted = now + lease
  redis.call('ZREM', waiters, waiter)
  redis.call('ZREM', line, waiter)
  redis.call('HDEL', waiting, waiter)
  redis.call('ZADD', held, granted, waiter)
  redis.call('HSET', holders, waiter, user)
  redis.call('HSET', served, user, redis.call('INCR', counter))
end
forget(retention)
keep_alive(retention)
return granted
`;

/** ARGV: [1] clock, [2] slot id, [3] mark retention. Returns 1 when released. */
export const RELEASE_LUA = `${POOL_LUA}
local id, retention = ARGV[2], tonumber(ARGV[3])
purge()
if not redis.call('ZSCORE', held, id) then return 0 end
local user = redis.call('HGET', holders, id)
redis.call('ZREM', held, id)
redis.call('HDEL', holders, id)
if user then redis.call('ZADD', seen, now, user) end
keep_alive(retention)
return 1
`;

/** ARGV: [1] clock, [2] slot id, [3] leaseMs, [4] mark retention. Returns 1 when renewed. */
export const RENEW_LUA = `${POOL_LUA}
local id, lease, retention = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
purge()
if not redis.call('ZSCORE', held, id) then return 0 end
redis.call('ZADD', held, 'XX', now + lease, id)
local user = redis.call('HGET', holders, id)
if user then redis.call('ZADD', seen, now, user) end
keep_alive(retention)
return 1
`;

/** ARGV: [1] clock, [2] waiter. */
export const LEAVE_LUA = `${POOL_LUA}
redis.call('ZREM', waiters, ARGV[2])
redis.call('ZREM', line, ARGV[2])
redis.call('HDEL', waiting, ARGV[2])
-- A slot's id is its waiter's: an acquire that ran late (after a stall) for a waiter that has
-- already gone must not keep its slot until the lease runs out.
redis.call('ZREM', held, ARGV[2])
redis.call('HDEL', holders, ARGV[2])
return 1
`;

/** ARGV: [1] clock. Slots whose lease has not run out. */
export const IN_USE_LUA = `${POOL_LUA}
return redis.call('ZCOUNT', held, '(' .. now, '+inf')
`;
