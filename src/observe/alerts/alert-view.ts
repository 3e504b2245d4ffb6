import type { AlertEvent, AlertRecord } from '../../store/index.js';

/** An alert as `GET /v1/alerts`, webhooks and log lines show it. */
export interface AlertView {
  id: string;
  series: string;
  /** The tool or `provider/model`; null for a deployment-wide series. */
  key: string | null;
  kind: AlertRecord['kind'];
  state: AlertRecord['state'];
  severity: AlertRecord['severity'];
  opened_at: string;
  resolved_at: string | null;
  value: number;
  baseline: { median: number; mad: number } | null;
  deviations: number | null;
  message: string;
}

export function alertView(alert: AlertRecord): AlertView {
  return {
    id: alert.id,
    series: alert.series,
    key: alert.key === '' ? null : alert.key,
    kind: alert.kind,
    state: alert.state,
    severity: alert.severity,
    opened_at: new Date(alert.openedAt).toISOString(),
    resolved_at: alert.resolvedAt === undefined ? null : new Date(alert.resolvedAt).toISOString(),
    value: alert.value,
    baseline: alert.baseline ? { ...alert.baseline } : null,
    deviations: alert.deviations ?? null,
    message: alert.message,
  };
}

/** A webhook's body: what happened, and the alert as it stood when it happened. */
export interface AlertEventBody {
  object: 'event';
  type: `alert.${AlertEvent}`;
  alert: AlertView;
}

export function alertEventBody(event: AlertEvent, alert: AlertRecord): AlertEventBody {
  return { object: 'event', type: `alert.${event}`, alert: alertView(alert) };
}
