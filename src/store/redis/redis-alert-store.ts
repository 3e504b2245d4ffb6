import {
  alertAtEvent,
  alertSubject,
  checkAlertInput,
  checkAlertQuery,
  checkDeliveryOutcome,
  checkHolder,
  checkInstant,
  checkPositiveMs,
  checkWebhookUrls,
  isAlertId,
  isDeliveryId,
  newAlertId,
  newDeliveryId,
} from '../alert-rules.js';
import type {
  AlertDeliveryClaim,
  AlertDeliveryOutcome,
  AlertEvent,
  AlertInput,
  AlertQuery,
  AlertRecord,
  AlertStore,
} from '../alert-types.js';
import { newLeaseToken } from '../random-ids.js';
import {
  ACQUIRE_LEASE_LUA,
  NEXT_DUE_LUA,
  OPEN_ALERT_LUA,
  PURGE_ALERT_LUA,
  RECORD_DELIVERY_LUA,
  RELEASE_LEASE_LUA,
  RESOLVE_ALERT_LUA,
  TAKE_DELIVERY_LUA,
} from './alert-lua.js';
import { alertKeys } from './keys.js';
import type { RedisStoreOptions } from './redis-rate-limit-store.js';
import type { RedisClient } from './redis-connection.js';
import { clockArgument, defineScript, type RunScript, type ScriptArgument } from './scripts.js';

type AlertScript =
  'open' | 'resolve' | 'nextDue' | 'take' | 'record' | 'purge' | 'acquire' | 'release';

const SCRIPTS: Record<AlertScript, [name: string, lua: string]> = {
  open: ['rampartAlertOpen', OPEN_ALERT_LUA],
  resolve: ['rampartAlertResolve', RESOLVE_ALERT_LUA],
  nextDue: ['rampartAlertNextDue', NEXT_DUE_LUA],
  take: ['rampartAlertTake', TAKE_DELIVERY_LUA],
  record: ['rampartAlertRecord', RECORD_DELIVERY_LUA],
  purge: ['rampartAlertPurge', PURGE_ALERT_LUA],
  acquire: ['rampartAlertLease', ACQUIRE_LEASE_LUA],
  release: ['rampartAlertRelease', RELEASE_LEASE_LUA],
};

/** Alerts read per round trip while listing. */
const LIST_BATCH = 200;
/** Claims tried per call when other instances keep taking the delivery first. */
const CLAIM_TRIES = 5;

/**
 * Alerts in Redis, shared by every instance: a transition is one script that checks the state,
 * writes it and queues the deliveries it owes, so two instances cannot open the same alert or
 * queue one transition twice. The open part of an alert is stored once as JSON and never
 * rewritten, so a value keeps every digit.
 */
export class RedisAlertStore implements AlertStore {
  private readonly keys;
  private readonly clock: (() => number) | undefined;
  private readonly scripts: Record<AlertScript, RunScript>;

  constructor(
    private readonly client: RedisClient,
    options: RedisStoreOptions = {},
  ) {
    this.keys = alertKeys(options.keyPrefix ?? 'rampart:');
    this.clock = options.clock;
    const entries = Object.entries(SCRIPTS).map(([script, [name, lua]]) => [
      script,
      defineScript(client, name, { keys: null, lua }),
    ]);
    this.scripts = Object.fromEntries(entries) as Record<AlertScript, RunScript>;
  }

  async open(input: AlertInput, webhookUrls: readonly string[]) {
    checkAlertInput(input);
    checkWebhookUrls(webhookUrls);
    const subject = alertSubject(input);
    const id = newAlertId();
    const record = JSON.stringify({ ...input, id });
    const queued = this.deliveries(webhookUrls);
    const keys = [this.keys.open, this.keys.opened, this.keys.due, this.keys.alert(id)];
    const args = [subject, id, record, String(input.openedAt), ...queued.args];
    const reply = (await this.run('open', [...keys, ...queued.keys], args)) as [number, string];
    const alert = await this.read(reply[1]);
    if (!alert) throw new Error(`alert ${reply[1]} vanished while it was being opened`);
    return { alert, created: reply[0] === 1 };
  }

  async resolve(id: string, resolvedAt: number, webhookUrls: readonly string[]) {
    checkInstant(resolvedAt, 'resolvedAt');
    checkWebhookUrls(webhookUrls);
    if (!isAlertId(id)) return undefined;
    const queued = this.deliveries(webhookUrls);
    const keys = [this.keys.open, this.keys.resolved, this.keys.due, this.keys.alert(id)];
    const args = [id, String(resolvedAt), ...queued.args];
    const done = await this.run('resolve', [...keys, ...queued.keys], args);
    return done === 1 ? this.read(id) : undefined;
  }

  async list(query: AlertQuery): Promise<AlertRecord[]> {
    checkAlertQuery(query);
    if (query.state === 'open') return this.listOpen(query.limit);
    const found: AlertRecord[] = [];
    for (let start = 0; found.length < query.limit; start += LIST_BATCH) {
      const ids = await this.client.zrevrange(this.keys.opened, start, start + LIST_BATCH - 1);
      const alerts = await Promise.all(ids.map((id) => this.read(id)));
      for (const alert of alerts) {
        if (alert && (query.state === 'all' || alert.state === query.state)) found.push(alert);
      }
      if (ids.length < LIST_BATCH) break;
    }
    // Redis orders equal scores by member, descending here, as the other backends do by id.
    return found.slice(0, query.limit);
  }

  async claimDelivery(leaseMs: number): Promise<AlertDeliveryClaim | undefined> {
    checkPositiveMs(leaseMs, 'leaseMs');
    for (let attempt = 0; attempt < CLAIM_TRIES; attempt += 1) {
      const id = (await this.run('nextDue', [this.keys.due], [])) as string | null;
      if (!id) return undefined;
      const token = newLeaseToken();
      const keys = [this.keys.due, this.keys.delivery(id)];
      const taken = await this.run('take', keys, [id, leaseMs, token]);
      if (!Array.isArray(taken)) continue;
      const [alertId, event, url, attempts] = taken as [string, AlertEvent, string, string];
      const alert = await this.read(alertId);
      if (!alert) {
        await this.recordDelivery(id, token, { status: 'failed' });
        continue;
      }
      const delivery = { id, event, url, attempts: Number(attempts) };
      return { token, delivery: { ...delivery, alert: alertAtEvent(alert, event) } };
    }
    return undefined;
  }

  async recordDelivery(id: string, token: string, outcome: AlertDeliveryOutcome) {
    checkDeliveryOutcome(outcome);
    if (!isDeliveryId(id) || typeof token !== 'string') return false;
    const retryInMs = outcome.status === 'pending' ? outcome.retryInMs : 0;
    const keys = [this.keys.due, this.keys.delivery(id)];
    return (await this.run('record', keys, [id, token, outcome.status, retryInMs])) === 1;
  }

  async purgeResolved(before: number): Promise<number> {
    checkInstant(before, 'before');
    const ids = await this.client.zrangebyscore(this.keys.resolved, '-inf', `(${before}`);
    let purged = 0;
    for (const id of ids) {
      const keys = [this.keys.opened, this.keys.resolved, this.keys.alert(id)];
      if ((await this.run('purge', keys, [id])) === 1) purged += 1;
    }
    return purged;
  }

  async acquireLease(holder: string, ttlMs: number): Promise<boolean> {
    checkHolder(holder);
    checkPositiveMs(ttlMs, 'ttlMs');
    return (await this.run('acquire', [this.keys.lease], [holder, ttlMs])) === 1;
  }

  async releaseLease(holder: string): Promise<void> {
    checkHolder(holder);
    await this.run('release', [this.keys.lease], [holder]);
  }

  /** Open alerts straight from the open index: never more than one per subject. */
  private async listOpen(limit: number): Promise<AlertRecord[]> {
    const ids = await this.client.hvals(this.keys.open);
    const alerts = await Promise.all(ids.map((id) => this.read(id)));
    return alerts
      .filter((alert): alert is AlertRecord => alert?.state === 'open')
      .sort((a, b) => b.openedAt - a.openedAt || (a.id < b.id ? 1 : -1))
      .slice(0, limit);
  }

  /** Ids and keys of one delivery per URL, and the (id, URL) argument pairs. */
  private deliveries(urls: readonly string[]) {
    const ids = urls.map(() => newDeliveryId());
    return {
      keys: ids.map((id) => this.keys.delivery(id)),
      args: ids.flatMap((id, index) => [id, urls[index]!]),
    };
  }

  private async read(id: string): Promise<AlertRecord | undefined> {
    const fields = await this.client.hgetall(this.keys.alert(id));
    if (fields.record === undefined) return undefined;
    const alert = { ...(JSON.parse(fields.record) as AlertRecord), state: fields.state };
    if (fields.resolvedAt !== undefined) alert.resolvedAt = Number(fields.resolvedAt);
    return alert as AlertRecord;
  }

  private run(script: AlertScript, keys: string[], args: ScriptArgument[]): Promise<unknown> {
    return this.scripts[script](
      [String(keys.length), ...keys],
      [clockArgument(this.clock), ...args],
    );
  }
}
