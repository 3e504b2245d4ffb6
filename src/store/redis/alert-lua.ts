/**
 * The alert store's scripts. Every key carries the hash tag `{alerts}`, so one script can
 * touch an alert, the open index and the delivery queue together on Redis Cluster; alerts are
 * few, so one slot holds them all easily. ARGV[1] is the clock (see `scripts.ts`).
 *
 * Deliveries are queued by pairs of ARGV (delivery id, URL) matched in order with the delivery
 * keys that follow the fixed KEYS.
 */

const QUEUE_LUA = `
local function queue(first_key, first_arg, alert_id, event)
  local now = string.format('%d', clock_now())
  local n = 0
  for i = first_arg, #ARGV, 2 do
    redis.call('HSET', KEYS[first_key + n], 'alert', alert_id, 'event', event,
      'url', ARGV[i + 1], 'attempts', '0')
    redis.call('ZADD', KEYS[3], now, ARGV[i])
    n = n + 1
  end
end
`;

/**
 * KEYS: open index, opened set, due set, the new alert, then delivery keys.
 * ARGV: clock, subject, id, record JSON, opened at, then (delivery id, URL) pairs.
 * Returns {1, id} when opened, {0, id of the alert already open}.
 */
export const OPEN_ALERT_LUA = `${QUEUE_LUA}
local existing = redis.call('HGET', KEYS[1], ARGV[2])
if existing then return {0, existing} end
redis.call('HSET', KEYS[4], 'record', ARGV[4], 'subject', ARGV[2], 'state', 'open')
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[3])
queue(5, 6, ARGV[3], 'opened')
return {1, ARGV[3]}
`;

/**
 * KEYS: open index, resolved set, due set, the alert, then delivery keys.
 * ARGV: clock, id, resolved at, then (delivery id, URL) pairs. Returns 1 when resolved.
 */
export const RESOLVE_ALERT_LUA = `${QUEUE_LUA}
if redis.call('HGET', KEYS[4], 'state') ~= 'open' then return 0 end
local subject = redis.call('HGET', KEYS[4], 'subject')
redis.call('HSET', KEYS[4], 'state', 'resolved', 'resolvedAt', ARGV[3])
if redis.call('HGET', KEYS[1], subject) == ARGV[2] then redis.call('HDEL', KEYS[1], subject) end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
queue(5, 4, ARGV[2], 'resolved')
return 1
`;

/** KEYS: due set. ARGV: clock. The id of the delivery due longest, or false. */
export const NEXT_DUE_LUA = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', clock_now()),
  'LIMIT', 0, 1)
return due[1] or false
`;

/**
 * KEYS: due set, the delivery. ARGV: clock, delivery id, lease ms, token.
 * Takes the delivery if it is still due: {alert id, event, url, attempts}; 0 when another
 * claim took it first; -1 when it no longer exists (its alert was purged).
 */
export const TAKE_DELIVERY_LUA = `
local now = clock_now()
local due = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not due or tonumber(due) > now then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[2])
  return -1
end
redis.call('HSET', KEYS[2], 'token', ARGV[4])
redis.call('ZADD', KEYS[1], string.format('%d', now + tonumber(ARGV[3])), ARGV[2])
return redis.call('HMGET', KEYS[2], 'alert', 'event', 'url', 'attempts')
`;

/**
 * KEYS: due set, the delivery. ARGV: clock, delivery id, token, status, retry ms.
 * Returns 1 when recorded, 0 when the claim was lost.
 */
export const RECORD_DELIVERY_LUA = `
if redis.call('HGET', KEYS[2], 'token') ~= ARGV[3] then return 0 end
if ARGV[4] == 'pending' then
  redis.call('HINCRBY', KEYS[2], 'attempts', 1)
  redis.call('HDEL', KEYS[2], 'token')
  redis.call('ZADD', KEYS[1], string.format('%d', clock_now() + tonumber(ARGV[5])), ARGV[2])
else
  redis.call('DEL', KEYS[2])
  redis.call('ZREM', KEYS[1], ARGV[2])
end
return 1
`;

/** KEYS: opened set, resolved set, the alert. ARGV: clock, id. Deletes one resolved alert. */
export const PURGE_ALERT_LUA = `
if redis.call('HGET', KEYS[3], 'state') ~= 'resolved' then return 0 end
redis.call('DEL', KEYS[3])
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
`;

/**
 * KEYS: the lease. ARGV: clock, holder, ttl ms. The expiry is kept in the hash by the
 * scripts' clock (so tests can step it); PEXPIRE only cleans up a lease nobody renews.
 */
export const ACQUIRE_LEASE_LUA = `
local now = clock_now()
local holder = redis.call('HGET', KEYS[1], 'holder')
local expires = tonumber(redis.call('HGET', KEYS[1], 'expires') or '0')
if holder and holder ~= ARGV[2] and expires > now then return 0 end
redis.call('HSET', KEYS[1], 'holder', ARGV[2], 'expires',
  string.format('%d', now + tonumber(ARGV[3])))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/** KEYS: the lease. ARGV: clock, holder. */
export const RELEASE_LEASE_LUA = `
if redis.call('HGET', KEYS[1], 'holder') == ARGV[2] then redis.call('DEL', KEYS[1]) end
return 1
`;

/** KEYS: the last-slot mark. ARGV: clock, slot. Keeps the larger. */
export const MARK_SLOT_LUA = `
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[2]) > current then redis.call('SET', KEYS[1], ARGV[2]) end
return 1
`;
