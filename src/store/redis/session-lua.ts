/**
 * Session scripts over KEYS[1] (the session hash) and KEYS[2] (its message list, one JSON
 * document per entry). The hash holds assistant, metadata, created, updated, one `st:<name>`
 * field of JSON per state entry and, during a turn, lease_token and lease_until. With an idle limit it also holds idle_until and both keys
 * carry the same PEXPIRE; the scripts check idle_until too, so a session is gone at the same
 * moment whichever clock the scripts read.
 */
const SESSION_LUA = `
local meta, messages = KEYS[1], KEYS[2]
local now = clock_now()

local function is_live()
  local fields = redis.call('HMGET', meta, 'created', 'idle_until')
  if not fields[1] then return false end
  return not fields[2] or tonumber(fields[2]) > now
end

-- Starts the idle time again; an empty limit means the session never expires.
local function touch(idle_ttl)
  if idle_ttl == '' then
    redis.call('HDEL', meta, 'idle_until')
    redis.call('PERSIST', meta)
    redis.call('PERSIST', messages)
    return
  end
  local ttl = tonumber(idle_ttl)
  redis.call('HSET', meta, 'idle_until', now + ttl)
  redis.call('PEXPIRE', meta, ttl)
  redis.call('PEXPIRE', messages, ttl)
end

-- The state entries as a flat list of name, JSON pairs.
local function read_state()
  local all = redis.call('HGETALL', meta)
  local state = {}
  for index = 1, #all, 2 do
    if string.sub(all[index], 1, 3) == 'st:' then
      state[#state + 1] = string.sub(all[index], 4)
      state[#state + 1] = all[index + 1]
    end
  end
  return state
end

local function read()
  local fields = redis.call('HMGET', meta, 'assistant', 'metadata', 'created', 'updated')
  local list = redis.call('LRANGE', messages, 0, -1)
  return {fields[1], fields[2], fields[3], fields[4], list, read_state()}
end
`;

/** ARGV: [1] clock, [2] assistant, [3] metadata JSON, [4] idle limit or ''. */
export const CREATE_LUA = `${SESSION_LUA}
redis.call('HSET', meta, 'assistant', ARGV[2], 'metadata', ARGV[3], 'created', now, 'updated', now)
touch(ARGV[4])
return read()
`;

/** ARGV: [1] clock. The record, or nil. */
export const GET_LUA = `${SESSION_LUA}
if not is_live() then return false end
return read()
`;

/** ARGV: [1] clock. 1 when a live session was deleted (an idle leftover goes too). */
export const DELETE_LUA = `${SESSION_LUA}
local live = is_live()
redis.call('DEL', meta, messages)
if live then return 1 end
return 0
`;

// Gives the lease to token until now + lease_ms. A turn in progress keeps its session alive
// until its lease runs out, idle limit or not.
const HOLD_LUA = `
local function hold(token, lease_ms)
  local lease_until = now + tonumber(lease_ms)
  redis.call('HSET', meta, 'lease_token', token, 'lease_until', lease_until)
  local idle_until = tonumber(redis.call('HGET', meta, 'idle_until'))
  if idle_until and idle_until < lease_until then
    redis.call('HSET', meta, 'idle_until', lease_until)
    redis.call('PEXPIRE', meta, lease_until - now)
    redis.call('PEXPIRE', messages, lease_until - now)
  end
end
`;

/** ARGV: [1] clock, [2] new token, [3] leaseMs. The record, 'busy' or 'not-found'. */
export const BEGIN_LUA = `${SESSION_LUA}${HOLD_LUA}
if not is_live() then return 'not-found' end
local lease = redis.call('HMGET', meta, 'lease_token', 'lease_until')
if lease[1] and tonumber(lease[2]) > now then return 'busy' end
hold(ARGV[2], ARGV[3])
return read()
`;

/** ARGV: [1] clock, [2] token, [3] leaseMs. 1 when the token held the lease, now renewed. */
export const RENEW_TURN_LUA = `${SESSION_LUA}${HOLD_LUA}
if not is_live() then return 0 end
if redis.call('HGET', meta, 'lease_token') ~= ARGV[2] then return 0 end
hold(ARGV[2], ARGV[3])
return 1
`;

/**
 * ARGV: [1] clock, [2] token, [3] idle limit or '', [4] '1' to keep the lease (a checkpoint),
 * [5] how many messages to remove from the end first, [6] n, then n state changes as name, JSON
 * pairs ('' removes the entry: no JSON document is empty), then the messages. Appends, applies
 * the state, frees the lease unless kept and starts the idle time again; returns the record,
 * 'lease-lost' or 'not-found'.
 */
export const COMMIT_LUA = `${SESSION_LUA}
if not is_live() then return 'not-found' end
local lease = redis.call('HMGET', meta, 'lease_token', 'lease_until')
if lease[1] ~= ARGV[2] then return 'lease-lost' end
local replace = tonumber(ARGV[5])
if replace > 0 then redis.call('LTRIM', messages, 0, -replace - 1) end
local changes = tonumber(ARGV[6])
for index = 7, 6 + 2 * changes, 2 do
  if ARGV[index + 1] == '' then
    redis.call('HDEL', meta, 'st:' .. ARGV[index])
  else
    redis.call('HSET', meta, 'st:' .. ARGV[index], ARGV[index + 1])
  end
end
local first_message = 7 + 2 * changes
for first = first_message, #ARGV, 500 do
  redis.call('RPUSH', messages, unpack(ARGV, first, math.min(first + 499, #ARGV)))
end
redis.call('HSET', meta, 'updated', now)
if ARGV[4] == '1' then
  -- A checkpoint keeps the turn's lease, and with it the session, alive as begin set them.
  return read()
end
redis.call('HDEL', meta, 'lease_token', 'lease_until')
touch(ARGV[3])
return read()
`;

/** ARGV: [1] clock, [2] token. 1 when the token held the lease. */
export const RELEASE_TURN_LUA = `${SESSION_LUA}
if not is_live() then return 0 end
if redis.call('HGET', meta, 'lease_token') ~= ARGV[2] then return 0 end
redis.call('HDEL', meta, 'lease_token', 'lease_until')
return 1
`;
