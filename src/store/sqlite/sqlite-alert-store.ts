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
import { settle, type SqliteDatabase } from './database.js';

interface AlertRow {
  id: string;
  kind: AlertRecord['kind'];
  series: string;
  key: string;
  rule: string;
  severity: AlertRecord['severity'];
  state: AlertRecord['state'];
  opened_at: number;
  resolved_at: number | null;
  value: number;
  baseline_median: number | null;
  baseline_mad: number | null;
  deviations: number | null;
  message: string;
}

interface DeliveryRow {
  id: string;
  alert_id: string;
  event: AlertEvent;
  url: string;
  attempts: number;
}

/** The evaluator lease is one row; the name leaves room for other leases. */
const LEASE_NAME = 'anomaly-evaluator';

function prepare(database: SqliteDatabase) {
  return {
    insert: database.prepare(`
      INSERT INTO alerts (id, subject, kind, series, key, rule, severity, state, opened_at,
        value, baseline_median, baseline_mad, deviations, message)
      VALUES (@id, @subject, @kind, @series, @key, @rule, @severity, 'open', @openedAt,
        @value, @median, @mad, @deviations, @message)`),
    openOf: database.prepare("SELECT * FROM alerts WHERE subject = ? AND state = 'open'"),
    byId: database.prepare('SELECT * FROM alerts WHERE id = ?'),
    resolve: database.prepare(`
      UPDATE alerts SET state = 'resolved', resolved_at = @resolvedAt
      WHERE id = @id AND state = 'open'`),
    list: database.prepare(`
      SELECT * FROM alerts WHERE (@state = 'all' OR state = @state)
      ORDER BY opened_at DESC, id DESC LIMIT @limit`),
    queue: database.prepare(`
      INSERT INTO alert_deliveries (id, alert_id, event, url, due_at)
      VALUES (@id, @alertId, @event, @url, @dueAt)`),
    nextDue: database.prepare(`
      SELECT id, alert_id, event, url, attempts FROM alert_deliveries
      WHERE due_at <= ? ORDER BY due_at, id LIMIT 1`),
    take: database.prepare(
      'UPDATE alert_deliveries SET token = @token, due_at = @expires WHERE id = @id',
    ),
    done: database.prepare('DELETE FROM alert_deliveries WHERE id = @id AND token = @token'),
    retry: database.prepare(`
      UPDATE alert_deliveries SET token = NULL, attempts = attempts + 1, due_at = @dueAt
      WHERE id = @id AND token = @token`),
    purge: database.prepare("DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < ?"),
    lease: database.prepare(`
      INSERT INTO anomaly_leases (name, holder, expires_at) VALUES (@name, @holder, @expires)
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
      WHERE anomaly_leases.holder = excluded.holder OR anomaly_leases.expires_at <= @now`),
    release: database.prepare('DELETE FROM anomaly_leases WHERE name = ? AND holder = ?'),
  };
}

function toRecord(row: AlertRow): AlertRecord {
  const alert: AlertRecord = {
    id: row.id,
    kind: row.kind,
    series: row.series,
    key: row.key,
    rule: row.rule,
    severity: row.severity,
    state: row.state,
    openedAt: row.opened_at,
    value: row.value,
    message: row.message,
  };
  if (row.resolved_at !== null) alert.resolvedAt = row.resolved_at;
  if (row.baseline_median !== null && row.baseline_mad !== null) {
    alert.baseline = { median: row.baseline_median, mad: row.baseline_mad };
  }
  if (row.deviations !== null) alert.deviations = row.deviations;
  return alert;
}

/**
 * Alerts in SQLite. Opening relies on the partial unique index (one open alert per subject)
 * inside an IMMEDIATE transaction, so processes sharing the file cannot both open one; a
 * transition and the deliveries it owes commit together.
 */
export class SqliteAlertStore implements AlertStore {
  private readonly statements;

  constructor(
    private readonly database: SqliteDatabase,
    private readonly clock: () => number,
  ) {
    this.statements = prepare(database);
  }

  open(input: AlertInput, webhookUrls: readonly string[]) {
    return settle(() => {
      checkAlertInput(input);
      checkWebhookUrls(webhookUrls);
      const subject = alertSubject(input);
      const write = () => {
        const existing = this.statements.openOf.get(subject) as AlertRow | undefined;
        if (existing) return { alert: toRecord(existing), created: false };
        const id = newAlertId();
        this.statements.insert.run({
          ...input,
          id,
          subject,
          median: input.baseline?.median ?? null,
          mad: input.baseline?.mad ?? null,
          deviations: input.deviations ?? null,
        });
        this.queue(id, 'opened', webhookUrls);
        return { alert: this.read(id)!, created: true };
      };
      return this.database.transaction(write).immediate();
    });
  }

  resolve(id: string, resolvedAt: number, webhookUrls: readonly string[]) {
    return settle(() => {
      checkInstant(resolvedAt, 'resolvedAt');
      checkWebhookUrls(webhookUrls);
      if (!isAlertId(id)) return undefined;
      const write = () => {
        if (this.statements.resolve.run({ id, resolvedAt }).changes === 0) return undefined;
        this.queue(id, 'resolved', webhookUrls);
        return this.read(id);
      };
      return this.database.transaction(write).immediate();
    });
  }

  list(query: AlertQuery): Promise<AlertRecord[]> {
    return settle(() => {
      checkAlertQuery(query);
      const rows = this.statements.list.all({ state: query.state, limit: query.limit });
      return (rows as AlertRow[]).map(toRecord);
    });
  }

  claimDelivery(leaseMs: number): Promise<AlertDeliveryClaim | undefined> {
    return settle(() => {
      checkPositiveMs(leaseMs, 'leaseMs');
      return this.database.transaction(() => this.take(leaseMs)).immediate();
    });
  }

  recordDelivery(id: string, token: string, outcome: AlertDeliveryOutcome) {
    return settle(() => {
      checkDeliveryOutcome(outcome);
      if (!isDeliveryId(id) || typeof token !== 'string') return false;
      if (outcome.status !== 'pending') return this.statements.done.run({ id, token }).changes > 0;
      const dueAt = this.clock() + outcome.retryInMs;
      return this.statements.retry.run({ id, token, dueAt }).changes > 0;
    });
  }

  purgeResolved(before: number): Promise<number> {
    return settle(() => {
      checkInstant(before, 'before');
      return this.statements.purge.run(before).changes;
    });
  }

  acquireLease(holder: string, ttlMs: number): Promise<boolean> {
    return settle(() => {
      checkHolder(holder);
      checkPositiveMs(ttlMs, 'ttlMs');
      const now = this.clock();
      const values = { name: LEASE_NAME, holder, now, expires: now + ttlMs };
      return this.statements.lease.run(values).changes > 0;
    });
  }

  releaseLease(holder: string): Promise<void> {
    return settle(() => {
      checkHolder(holder);
      this.statements.release.run(LEASE_NAME, holder);
    });
  }

  private take(leaseMs: number): AlertDeliveryClaim | undefined {
    const now = this.clock();
    const row = this.statements.nextDue.get(now) as DeliveryRow | undefined;
    if (!row) return undefined;
    const token = newLeaseToken();
    this.statements.take.run({ id: row.id, token, expires: now + leaseMs });
    const alert = alertAtEvent(this.read(row.alert_id)!, row.event);
    const { id, event, url, attempts } = row;
    return { token, delivery: { id, event, url, attempts, alert } };
  }

  private queue(alertId: string, event: AlertEvent, urls: readonly string[]): void {
    const dueAt = this.clock();
    for (const url of urls) {
      this.statements.queue.run({ id: newDeliveryId(), alertId, event, url, dueAt });
    }
  }

  private read(id: string): AlertRecord | undefined {
    const row = this.statements.byId.get(id) as AlertRow | undefined;
    return row && toRecord(row);
  }
}
