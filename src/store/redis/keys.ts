/**
 * Key names. Every key a script touches carries the same hash tag (the part in braces), so the
 * keys of one budget, pool or session live in one Redis Cluster slot and one script can use
 * them together. https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/
 *
 * Names are built so that two different inputs never give the same key: the variable part is
 * followed by a fixed suffix, and no suffix ends another.
 */

/** One rate-limit budget. */
export function rateLimitKey(prefix: string, key: string): string {
  return `${prefix}rate:{${key}}`;
}

/** The suffixes of a slot pool's keys, in the order the slot scripts expect them. */
export const SLOT_KEY_SUFFIXES = [
  'held', // ZSET slot id → lease expiry
  'holders', // HASH slot id → user
  'waiters', // ZSET waiter → place expiry
  'line', // ZSET waiter → arrival number
  'waiting', // HASH waiter → user
  'served', // HASH user → serve number when last granted
  'seen', // ZSET user → last activity
  'counter', // STRING the arrival and serve numbers
] as const;

/** Every key of one slot pool. */
export function slotKeys(prefix: string, pool: string): string[] {
  return SLOT_KEY_SUFFIXES.map((suffix) => `${prefix}slots:{${pool}}:${suffix}`);
}

/**
 * A session's hash and message list. The owner is part of the name, so another owner's id is
 * a different key that does not exist. The id (fixed format) is the hash tag.
 */
export function sessionKeys(prefix: string, owner: string, id: string): [string, string] {
  const base = `${prefix}session:{${id}}:${owner}`;
  return [`${base}:meta`, `${base}:messages`];
}

/**
 * One circuit breaker's hash. A breaker is a single key, so even an id holding braces (which
 * moves the hash tag) keeps all of its state in one slot.
 */
export function breakerKey(prefix: string, id: string): string {
  return `${prefix}breaker:{${id}}`;
}

/**
 * One budget counter's hash and lease set. Every budget key carries the one hash tag
 * `{budgets}`: a reservation takes from conversation, user, team and deployment counters in one
 * script, and since the deployment counter joins every reservation, no finer tag could keep the
 * keys of each reservation together. The counter key is URI-encoded so no brace of a user or team
 * name can move the tag.
 */
export function budgetKeys(prefix: string, key: string): [string, string] {
  const base = `${prefix}budget:{budgets}:${encodeURIComponent(key)}`;
  return [`${base}:counter`, `${base}:leases`];
}

/**
 * One minute's stats keys, then its hour's: counters (HASH name → sum), maxima (HASH name →
 * largest), buckets (HASH series#value → count), and for a minute the writes applied (HASH
 * write id → instance), for an hour the instances that wrote (HASH instance → 1). The hash tag
 * is the hour, so a write updates its minute and its hour in one script, and a read of minutes
 * is one script per hour while a cluster still spreads the hours over its nodes.
 */
export function statsKeys(prefix: string, minute: number): { minute: string[]; hour: string[] } {
  const hour = minute - (minute % 3_600_000);
  const base = `${prefix}stats:{${hour}}`;
  return {
    minute: ['counters', 'maxima', 'buckets', 'writes'].map((part) => `${base}:${minute}:${part}`),
    hour: ['counters', 'maxima', 'buckets', 'instances'].map((part) => `${base}:hour:${part}`),
  };
}

/**
 * The alert store's keys. All carry the one hash tag `{alerts}`: a transition writes the alert,
 * the open index and the deliveries it owes in one script. Ids have a fixed format, so no id
 * can move the tag.
 */
export function alertKeys(prefix: string) {
  const base = `${prefix}alerts:{alerts}:`;
  return {
    /** HASH subject → id of the open alert. */
    open: `${base}open`,
    /** ZSET alert id → opened at. */
    opened: `${base}opened`,
    /** ZSET alert id → resolved at. */
    resolved: `${base}resolved`,
    /** ZSET delivery id → due at (or claim expiry). */
    due: `${base}due`,
    /** HASH holder, expires: the evaluator lease. */
    lease: `${base}lease`,
    alert: (id: string) => `${base}alert:${id}`,
    delivery: (id: string) => `${base}delivery:${id}`,
  };
}

/**
 * One series' history (a HASH slot → value and volume), tagged by the series and key, URI
 * encoded so no brace of a tool name can move the tag; and the index of those hashes with the
 * last-slot mark, under their own tag.
 */
export function baselineKey(prefix: string, series: string, key: string): string {
  return `${prefix}baseline:{${encodeURIComponent(series)}|${encodeURIComponent(key)}}`;
}

export function baselineIndexKeys(prefix: string) {
  return {
    /** SET of the history hashes' names. */
    hashes: `${prefix}baseline:{index}:hashes`,
    /** STRING the last slot done. */
    last: `${prefix}baseline:{index}:last`,
  };
}
