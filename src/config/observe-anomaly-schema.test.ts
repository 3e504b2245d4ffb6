import { describe, expect, it } from 'vitest';
import { isRampartError } from '../core/errors.js';
import { loadConfig } from './load.js';

function refusal(observe: unknown): string {
  try {
    loadConfig({ object: { observe } });
  } catch (error) {
    if (isRampartError(error, 'RAMPART_CONFIG_INVALID')) return error.message;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

/** The one problem line of a refusal, without the header. */
function problem(observe: unknown): string {
  return refusal(observe).split('\n').slice(1).join('\n');
}

describe('observe.anomaly and observe.alerts', () => {
  it('default to a detector that alerts after 20 minutes at 4 deviations, with no webhooks', () => {
    const { anomaly, alerts } = loadConfig().observe;
    expect(anomaly).toMatchObject({
      enabled: true,
      evaluateEveryMs: 60_000,
      windowMinutes: 15,
      baselineDays: 7,
      minBaselineDays: 3,
      deviations: 4,
      clearDeviations: 2,
      sustainMinutes: 20,
      clearMinutes: 15,
      timeZone: 'UTC',
      backfillHours: 24,
    });
    expect(anomaly.series.tool_error_rate).toEqual({
      enabled: true,
      direction: 'above',
      minVolume: 20,
      minMad: 0.01,
      minRelativeChange: 0,
    });
    expect(alerts).toMatchObject({ thresholds: [], webhooks: [], retentionDays: 30 });
    expect(alerts.delivery).toEqual({
      maxAttempts: 8,
      baseDelayMs: 1_000,
      maxDelayMs: 300_000,
      timeoutMs: 10_000,
      pollMs: 5_000,
    });
  });

  it.each([
    [{ anomaly: { windowMinutes: 7 } }, 'observe.anomaly.windowMinutes: must divide 60'],
    [{ anomaly: { deviations: 0 } }, 'observe.anomaly.deviations: Too small'],
    [{ anomaly: { deviations: -4 } }, 'observe.anomaly.deviations: Too small'],
    [
      { anomaly: { deviations: '4' } },
      'observe.anomaly.deviations: Invalid input: expected number',
    ],
    [{ anomaly: { deviations: Number.NaN } }, 'observe.anomaly.deviations: Invalid input'],
    [{ anomaly: { deviations: Number.POSITIVE_INFINITY } }, 'observe.anomaly.deviations:'],
    [{ anomaly: { deviations: 1e308 } }, 'observe.anomaly.deviations: Too big'],
    [
      { anomaly: { clearDeviations: 4 } },
      'observe.anomaly.clearDeviations: must be below deviations',
    ],
    [{ anomaly: { minBaselineDays: 8 } }, 'observe.anomaly.minBaselineDays: must not exceed'],
    [{ anomaly: { baselineDays: 0 } }, 'observe.anomaly.baselineDays: Too small'],
    [{ anomaly: { evaluateEveryMs: 10 } }, 'observe.anomaly.evaluateEveryMs: Too small'],
    [
      { anomaly: { evaluateEveryMs: 1.5e3 + 0.5 } },
      'observe.anomaly.evaluateEveryMs: Invalid input',
    ],
    [{ anomaly: { sustainMinutes: 0 } }, 'observe.anomaly.sustainMinutes: Too small'],
    [{ anomaly: { sustainMinutes: 1e9 } }, 'observe.anomaly.sustainMinutes: Too big'],
    [{ anomaly: { timeZone: 'Mars/Olympus_Mons' } }, 'observe.anomaly.timeZone: unknown IANA'],
    [{ anomaly: { backfillHours: -1 } }, 'observe.anomaly.backfillHours: Too small'],
    [
      { anomaly: { series: { queue_depth: {} } } },
      'observe.anomaly.series.queue_depth: unknown key',
    ],
    [
      { anomaly: { series: { tool_error_rate: { direction: 'sideways' } } } },
      'observe.anomaly.series.tool_error_rate.direction: Invalid option',
    ],
    [
      { anomaly: { series: { cost_per_hour: { minMad: -1 } } } },
      'observe.anomaly.series.cost_per_hour.minMad: Too small',
    ],
    [{ anomaly: { window: 15 } }, 'observe.anomaly.window: unknown key'],
    [
      { alerts: { thresholds: [{ series: 'vibes', direction: 'above', value: 1 }] } },
      'observe.alerts.thresholds[0].series: Invalid option',
    ],
    [
      {
        alerts: {
          thresholds: [{ series: 'cost_per_hour', direction: 'above', value: 5, clearValue: 6 }],
        },
      },
      'observe.alerts.thresholds[0].clearValue: must be on the normal side of value',
    ],
    [
      { alerts: { thresholds: [{ series: 'cost_per_hour', direction: 'above' }] } },
      'observe.alerts.thresholds[0].value: required',
    ],
    [
      {
        alerts: {
          thresholds: [{ series: 'cost_per_hour', key: 'search', direction: 'above', value: 5 }],
        },
      },
      'observe.alerts.thresholds[0].key: only tool_error_rate (a tool) and model_latency_p95',
    ],
    [
      {
        alerts: {
          thresholds: [
            { series: 'model_latency_p95', key: 'gpt-4o', direction: 'above', value: 900 },
          ],
        },
      },
      'observe.alerts.thresholds[0].key: must be provider/model, as in /v1/stats',
    ],
    [
      {
        alerts: {
          thresholds: Array.from({ length: 101 }, () => ({
            series: 'cost_per_hour',
            direction: 'above',
            value: 1,
          })),
        },
      },
      'observe.alerts.thresholds: Too big',
    ],
    [
      { alerts: { webhooks: [{ url: 'file:///etc/passwd' }] } },
      'observe.alerts.webhooks[0].url: Invalid URL',
    ],
    [
      { alerts: { webhooks: [{ url: 'javascript:alert(1)' }] } },
      'observe.alerts.webhooks[0].url: Invalid URL',
    ],
    [
      { alerts: { webhooks: [{ url: 'not a url' }] } },
      'observe.alerts.webhooks[0].url: Invalid URL',
    ],
    [
      { alerts: { webhooks: [{ url: 'http://h/', headers: { 'x-token': 'a\r\nx-evil: 1' } }] } },
      'observe.alerts.webhooks[0].headers.x-token: must be printable ASCII',
    ],
    [
      { alerts: { webhooks: [{ url: 'http://h/', headers: { 'bad name': 'x' } }] } },
      'observe.alerts.webhooks[0].headers.bad name: must be an HTTP header name',
    ],
    [
      { alerts: { webhooks: [{ url: 'http://h/', headers: { 'Content-Type': 'text/plain' } }] } },
      'observe.alerts.webhooks[0].headers.Content-Type: is set by Rampart itself',
    ],
    [
      { alerts: { webhooks: [{ url: 'http://h/', headers: { 'Rampart-Signature': 'forged' } }] } },
      'observe.alerts.webhooks[0].headers.Rampart-Signature: is set by Rampart itself',
    ],
    [
      { alerts: { webhooks: [{ url: 'http://h/', secret: 'short' }] } },
      'observe.alerts.webhooks[0].secret: Too small',
    ],
    [
      {
        alerts: { webhooks: [{ url: 'http://h/', secret: 'sixteen-chars-long', secretEnv: 'X' }] },
      },
      'observe.alerts.webhooks[0]: set secret or secretEnv, not both',
    ],
    [
      { alerts: { webhooks: [{ url: 'http://h/', secretEnv: 'BAD-NAME' }] } },
      'observe.alerts.webhooks[0].secretEnv: Invalid string',
    ],
    [
      { alerts: { webhooks: [{ url: 'http://h/a' }, { url: 'http://h/a' }] } },
      'observe.alerts.webhooks: each webhook URL may appear once',
    ],
    [
      {
        alerts: {
          webhooks: Array.from({ length: 17 }, (_, index) => ({ url: `http://h/${index}` })),
        },
      },
      'observe.alerts.webhooks: Too big',
    ],
    [
      { alerts: { delivery: { baseDelayMs: 10_000, maxDelayMs: 1_000 } } },
      'observe.alerts.delivery.baseDelayMs: baseDelayMs must not exceed maxDelayMs',
    ],
    [
      { alerts: { delivery: { maxAttempts: 0 } } },
      'observe.alerts.delivery.maxAttempts: Too small',
    ],
    [{ alerts: { retentionDays: 0 } }, 'observe.alerts.retentionDays: Too small'],
    [{ dashboards: {} }, 'observe.dashboards: unknown key'],
  ])('refuses %j naming the key', (observe, expected) => {
    expect(problem(observe)).toContain(expected);
  });

  it('accepts a full configuration', () => {
    const { observe } = loadConfig({
      object: {
        observe: {
          anomaly: {
            windowMinutes: 10,
            sustainMinutes: 15,
            timeZone: 'Europe/Paris',
            series: { conversation_length: { enabled: false } },
          },
          alerts: {
            thresholds: [
              { series: 'tool_error_rate', key: 'search', direction: 'above', value: 0.2 },
              { series: 'cost_per_hour', direction: 'above', value: 50, clearValue: 40 },
            ],
            webhooks: [
              {
                url: 'https://hooks.example.com/rampart',
                headers: { Authorization: 'Bearer token' },
                secretEnv: 'RAMPART_ALERT_SECRET',
              },
            ],
          },
        },
      },
    });
    expect(observe.anomaly.series.conversation_length.enabled).toBe(false);
    expect(observe.alerts.thresholds[0]).toEqual({
      series: 'tool_error_rate',
      key: 'search',
      direction: 'above',
      value: 0.2,
      sustainMinutes: 5,
      clearMinutes: 5,
      severity: 'critical',
    });
    expect(Object.isFrozen(observe.alerts.webhooks[0]!.headers)).toBe(true);
  });
});
