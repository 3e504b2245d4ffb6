import { randomBytes } from 'node:crypto';
import { RampartError } from '../core/index.js';
import type {
  AlertDeliveryOutcome,
  AlertInput,
  AlertQuery,
  AlertRecord,
  BaselinePoint,
} from './alert-types.js';
import { isStorableText } from './text-rules.js';

/** Alert ids are `alt_`, delivery ids `dlv_`, each with 24 base64url characters (144 bits). */
const ALERT_ID = /^alt_[A-Za-z0-9_-]{24}$/;
const DELIVERY_ID = /^dlv_[A-Za-z0-9_-]{24}$/;

/** Series names, keys and rules are short identifiers from config and the tool registry. */
const MAX_NAME_LENGTH = 256;
const MAX_MESSAGE_LENGTH = 4_096;
const MAX_URL_LENGTH = 2_048;
/** Most alerts one list returns. */
export const ALERT_LIST_MAX = 1_000;

const KINDS = new Set(['anomaly', 'threshold']);
const SEVERITIES = new Set(['info', 'warning', 'critical']);

export function newAlertId(): string {
  return `alt_${randomBytes(18).toString('base64url')}`;
}

export function newDeliveryId(): string {
  return `dlv_${randomBytes(18).toString('base64url')}`;
}

export function isAlertId(id: unknown): id is string {
  return typeof id === 'string' && ALERT_ID.test(id);
}

export function isDeliveryId(id: unknown): id is string {
  return typeof id === 'string' && DELIVERY_ID.test(id);
}

/**
 * What at most one open alert may be about. JSON keeps the parts apart whatever characters a
 * key holds, so two different subjects never give the same text.
 */
export function alertSubject(alert: Pick<AlertInput, 'kind' | 'series' | 'key' | 'rule'>) {
  return JSON.stringify([alert.kind, alert.series, alert.key, alert.rule]);
}

function invalid(message: string): RampartError {
  return new RampartError('RAMPART_INVALID_REQUEST', message);
}

function checkName(value: unknown, field: string, options: { empty: boolean }): void {
  const ok =
    typeof value === 'string' &&
    value.length <= MAX_NAME_LENGTH &&
    (options.empty || value !== '') &&
    isStorableText(value);
  if (!ok) throw invalid(`${field} must be a well-formed string of at most 256 characters.`);
}

function checkFinite(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(`${field} must be a finite number.`);
  }
}

/** Milliseconds since the epoch, as every backend stores them: a safe integer. */
export function checkInstant(value: unknown, field: string): void {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw invalid(`${field} must be a non-negative integer (milliseconds since the epoch).`);
  }
}

/** Refuses an alert no backend could store and return exactly. */
export function checkAlertInput(input: AlertInput): void {
  if (!KINDS.has(input.kind)) throw invalid('kind must be anomaly or threshold.');
  if (!SEVERITIES.has(input.severity)) throw invalid('severity must be info, warning or critical.');
  checkName(input.series, 'series', { empty: false });
  checkName(input.key, 'key', { empty: true });
  checkName(input.rule, 'rule', { empty: true });
  checkInstant(input.openedAt, 'openedAt');
  checkFinite(input.value, 'value');
  if (input.baseline !== undefined) {
    checkFinite(input.baseline.median, 'baseline.median');
    checkFinite(input.baseline.mad, 'baseline.mad');
  }
  if (input.deviations !== undefined) checkFinite(input.deviations, 'deviations');
  const message = input.message as unknown;
  if (typeof message !== 'string' || message.length > MAX_MESSAGE_LENGTH) {
    throw invalid('message must be a string of at most 4096 characters.');
  }
  if (!isStorableText(message)) throw invalid('message is not well-formed Unicode.');
}

export function checkWebhookUrls(urls: readonly string[]): void {
  if (!Array.isArray(urls) || urls.length > 64) throw invalid('webhookUrls must be a short list.');
  for (const url of urls) {
    const ok = typeof url === 'string' && url.length <= MAX_URL_LENGTH && /^https?:\/\//.test(url);
    if (!ok || !isStorableText(url) || /\p{Cc}/u.test(url)) {
      throw invalid('Each webhook URL must be an http or https URL.');
    }
  }
}

export function checkAlertQuery(query: AlertQuery): void {
  if (!['open', 'resolved', 'all'].includes(query.state)) {
    throw invalid('state must be open, resolved or all.');
  }
  const { limit } = query;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > ALERT_LIST_MAX) {
    throw invalid(`limit must be an integer from 1 to ${ALERT_LIST_MAX}.`);
  }
}

export function checkPositiveMs(value: unknown, field: string): void {
  if (!Number.isSafeInteger(value) || (value as number) <= 0) {
    throw invalid(`${field} must be a positive integer of milliseconds.`);
  }
}

export function checkDeliveryOutcome(outcome: AlertDeliveryOutcome): void {
  const status = (outcome as { status?: unknown } | null)?.status;
  if (status === 'delivered' || status === 'failed') return;
  if (status !== 'pending') throw invalid('status must be delivered, failed or pending.');
  const retryInMs = (outcome as { retryInMs?: unknown }).retryInMs;
  if (!Number.isSafeInteger(retryInMs) || (retryInMs as number) < 0) {
    throw invalid('retryInMs must be a non-negative integer.');
  }
}

export function checkHolder(holder: unknown): void {
  checkName(holder, 'holder', { empty: false });
}

/** Refuses points no backend could store and return exactly. */
export function checkBaselinePoints(slot: number, points: readonly BaselinePoint[]): void {
  checkInstant(slot, 'slot');
  for (const point of points) {
    checkName(point.series, 'series', { empty: false });
    checkName(point.key, 'key', { empty: true });
    if (point.slot !== slot) throw invalid('Every point must belong to the slot recorded.');
    checkFinite(point.value, 'value');
    if (!Number.isSafeInteger(point.volume) || point.volume < 0) {
      throw invalid('volume must be a non-negative integer.');
    }
  }
}

/** True when `series` and `key` could name stored points at all. */
export function isBaselineName(series: string, key: string): boolean {
  return (
    typeof series === 'string' &&
    typeof key === 'string' &&
    series !== '' &&
    series.length <= MAX_NAME_LENGTH &&
    key.length <= MAX_NAME_LENGTH &&
    isStorableText(series) &&
    isStorableText(key)
  );
}

/** The alert as stored at a transition, seen as it was for the event's body. */
export function alertAtEvent(alert: AlertRecord, event: 'opened' | 'resolved'): AlertRecord {
  if (event === 'resolved') return alert;
  const open: AlertRecord = { ...alert, state: 'open' };
  delete open.resolvedAt;
  return open;
}
