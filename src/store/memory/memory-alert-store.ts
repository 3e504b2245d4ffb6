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

export interface MemoryAlertStoreOptions {
  /** Milliseconds since the epoch. Default `Date.now`; tests pass a manual clock. */
  now?: () => number;
}

interface Pending {
  id: string;
  alertId: string;
  event: AlertEvent;
  url: string;
  attempts: number;
  dueAt: number;
  token?: string;
}

/**
 * Alerts in this process, for tests and library use without a database. Each operation runs to
 * its end without awaiting, so concurrent calls see one another as they would in a backend's
 * transaction.
 */
export class MemoryAlertStore implements AlertStore {
  private readonly alerts = new Map<string, AlertRecord>();
  private readonly openBySubject = new Map<string, string>();
  private readonly deliveries = new Map<string, Pending>();
  private lease: { holder: string; expiresAt: number } | undefined;
  private readonly now: () => number;

  constructor(options: MemoryAlertStoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  async open(input: AlertInput, webhookUrls: readonly string[]) {
    checkAlertInput(input);
    checkWebhookUrls(webhookUrls);
    const subject = alertSubject(input);
    const openId = this.openBySubject.get(subject);
    if (openId !== undefined) return { alert: this.copy(openId), created: false };
    const alert: AlertRecord = { ...structuredClone(input), id: newAlertId(), state: 'open' };
    this.alerts.set(alert.id, alert);
    this.openBySubject.set(subject, alert.id);
    this.queue(alert.id, 'opened', webhookUrls);
    return { alert: this.copy(alert.id), created: true };
  }

  async resolve(id: string, resolvedAt: number, webhookUrls: readonly string[]) {
    checkInstant(resolvedAt, 'resolvedAt');
    checkWebhookUrls(webhookUrls);
    const alert = isAlertId(id) ? this.alerts.get(id) : undefined;
    if (alert?.state !== 'open') return undefined;
    alert.state = 'resolved';
    alert.resolvedAt = resolvedAt;
    this.openBySubject.delete(alertSubject(alert));
    this.queue(id, 'resolved', webhookUrls);
    return this.copy(id);
  }

  async list(query: AlertQuery): Promise<AlertRecord[]> {
    checkAlertQuery(query);
    return [...this.alerts.values()]
      .filter((alert) => query.state === 'all' || alert.state === query.state)
      .sort((a, b) => b.openedAt - a.openedAt || (a.id < b.id ? 1 : -1))
      .slice(0, query.limit)
      .map((alert) => this.copy(alert.id));
  }

  async claimDelivery(leaseMs: number): Promise<AlertDeliveryClaim | undefined> {
    checkPositiveMs(leaseMs, 'leaseMs');
    const now = this.now();
    const due = [...this.deliveries.values()]
      .filter((delivery) => delivery.dueAt <= now)
      .sort((a, b) => a.dueAt - b.dueAt)[0];
    if (!due) return undefined;
    const alert = this.alerts.get(due.alertId);
    if (!alert) {
      this.deliveries.delete(due.id);
      return this.claimDelivery(leaseMs);
    }
    due.token = newLeaseToken();
    due.dueAt = now + leaseMs;
    const { id, event, url, attempts } = due;
    const delivery = { id, event, url, attempts, alert: alertAtEvent(this.copy(alert.id), event) };
    return { token: due.token, delivery };
  }

  async recordDelivery(id: string, token: string, outcome: AlertDeliveryOutcome) {
    checkDeliveryOutcome(outcome);
    const delivery = isDeliveryId(id) ? this.deliveries.get(id) : undefined;
    if (delivery?.token === undefined || delivery.token !== token) return false;
    if (outcome.status !== 'pending') {
      this.deliveries.delete(id);
      return true;
    }
    delivery.attempts += 1;
    delivery.dueAt = this.now() + outcome.retryInMs;
    delete delivery.token;
    return true;
  }

  async purgeResolved(before: number): Promise<number> {
    checkInstant(before, 'before');
    let purged = 0;
    for (const alert of [...this.alerts.values()]) {
      if (alert.state !== 'resolved' || (alert.resolvedAt ?? 0) >= before) continue;
      this.alerts.delete(alert.id);
      purged += 1;
    }
    for (const delivery of [...this.deliveries.values()]) {
      if (!this.alerts.has(delivery.alertId)) this.deliveries.delete(delivery.id);
    }
    return purged;
  }

  async acquireLease(holder: string, ttlMs: number): Promise<boolean> {
    checkHolder(holder);
    checkPositiveMs(ttlMs, 'ttlMs');
    const now = this.now();
    if (this.lease && this.lease.holder !== holder && this.lease.expiresAt > now) return false;
    this.lease = { holder, expiresAt: now + ttlMs };
    return true;
  }

  async releaseLease(holder: string): Promise<void> {
    checkHolder(holder);
    if (this.lease?.holder === holder) this.lease = undefined;
  }

  private queue(alertId: string, event: AlertEvent, urls: readonly string[]): void {
    const dueAt = this.now();
    for (const url of urls) {
      const id = newDeliveryId();
      this.deliveries.set(id, { id, alertId, event, url, attempts: 0, dueAt });
    }
  }

  private copy(id: string): AlertRecord {
    return structuredClone(this.alerts.get(id)!);
  }
}
