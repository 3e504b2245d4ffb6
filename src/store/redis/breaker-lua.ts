/**
 * The circuit breaker of `memory/breaker-rules.ts`, as scripts over one hash per breaker:
 * `bucket_ms`, `window` (`slot:total:failures` buckets, oldest first, comma-separated),
 * `open_until` and `probe_until` while not closed, and `expires`. The hash expires when the
 * record stops mattering; `expires` is also checked on every read, so a test clock that runs
 * ahead of the server's sees the same breaker the in-process store would.
 *
 * ARGV: [1] clock, [2] windowMs, [3] minRequests, [4] failureRate, [5] openMs,
 * [6] probeLeaseMs, [7] bucketMs, [8] buckets; the record script adds [9] outcome, [10] probe, [11] the probe's token.
 */
const BREAKER_LUA = `
local key = KEYS[1]
local now = clock_now()
local window_ms, min_requests = tonumber(ARGV[2]), tonumber(ARGV[3])
local failure_rate, open_ms, lease_ms = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local bucket_ms, buckets = tonumber(ARGV[7]), tonumber(ARGV[8])

local function load()
  local fields = redis.call('HGETALL', key)
  if #fields == 0 then return nil end
  local stored = {}
  for index = 1, #fields, 2 do stored[fields[index]] = fields[index + 1] end
  if (tonumber(stored.expires) or 0) <= now then return nil end
  local record = {
    bucket_ms = tonumber(stored.bucket_ms),
    open_until = tonumber(stored.open_until),
    probe_until = tonumber(stored.probe_until),
    window = {},
  }
  for slot, total, failures in string.gmatch(stored.window or '', '(%d+):(%d+):(%d+)') do
    table.insert(record.window, {tonumber(slot), tonumber(total), tonumber(failures)})
  end
  return record
end

local function state_of(record)
  if record == nil or record.open_until == nil then return 'closed' end
  if now < record.open_until then return 'open' end
  return 'half-open'
end

local function live_window(record)
  local live = {}
  if record == nil or record.bucket_ms ~= bucket_ms then return live end
  local oldest = math.floor(now / bucket_ms) - buckets + 1
  for _, bucket in ipairs(record.window) do
    if bucket[1] >= oldest then table.insert(live, bucket) end
  end
  return live
end

local function expiry(record)
  if record.open_until == nil then
    return (record.window[#record.window][1] + buckets) * record.bucket_ms
  end
  return math.max(record.open_until, record.probe_until or 0) + window_ms
end

local function save(record)
  local parts = {}
  for _, bucket in ipairs(record.window) do
    table.insert(parts, string.format('%d:%d:%d', bucket[1], bucket[2], bucket[3]))
  end
  local expires = expiry(record)
  local fields = {
    'bucket_ms', string.format('%d', record.bucket_ms), 'window', table.concat(parts, ','),
    'expires', string.format('%d', expires),
  }
  if record.open_until then
    table.insert(fields, 'open_until')
    table.insert(fields, string.format('%d', record.open_until))
  end
  if record.probe_until then
    table.insert(fields, 'probe_until')
    table.insert(fields, string.format('%d', record.probe_until))
  end
  redis.call('DEL', key)
  redis.call('HSET', key, unpack(fields))
  redis.call('PEXPIRE', key, expires - now)
end

local function opened()
  return {bucket_ms = bucket_ms, window = {}, open_until = now + open_ms}
end
`;

/** Returns {allowed, state, probe, retryAfterMs}; only a granted probe writes. */
export const ADMIT_LUA = `${BREAKER_LUA}
local record = load()
local state = state_of(record)
if state == 'closed' then return {1, 'closed', 0, 0, 0} end
if state == 'open' then return {0, 'open', 0, record.open_until - now, 0} end
if record.probe_until and now < record.probe_until then
  return {0, 'half-open', 0, record.probe_until - now, 0}
end
record.probe_until = now + lease_ms
save(record)
return {1, 'half-open', 1, 0, record.probe_until}
`;

/** Returns the state after the report; ignored reports write nothing. */
export const RECORD_LUA = `${BREAKER_LUA}
local outcome, probe, token = ARGV[9], ARGV[10] == '1', tonumber(ARGV[11])
local record = load()
local state = state_of(record)
if outcome == 'abandoned' then
  if state == 'half-open' and probe and record.probe_until and record.probe_until == token then
    record.probe_until = nil
    save(record)
  end
  return state
end
if state == 'open' or (state == 'half-open' and not probe) then return state end
if state == 'half-open' then
  if outcome == 'success' then
    redis.call('DEL', key)
    return 'closed'
  end
  save(opened())
  return 'open'
end

local window = live_window(record)
local slot = math.floor(now / bucket_ms)
local failure = 0
if outcome == 'failure' then failure = 1 end
local last = window[#window]
if last and last[1] == slot then
  window[#window] = {slot, last[2] + 1, last[3] + failure}
else
  table.insert(window, {slot, 1, failure})
end

local total, failures = 0, 0
for _, bucket in ipairs(window) do
  total = total + bucket[2]
  failures = failures + bucket[3]
end
if total >= min_requests and failures / total >= failure_rate then
  save(opened())
  return 'open'
end
save({bucket_ms = bucket_ms, window = window})
return 'closed'
`;

/** Returns the state; writes nothing. */
export const STATE_LUA = `${BREAKER_LUA}
return state_of(load())
`;
