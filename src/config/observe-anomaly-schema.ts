import { z } from 'zod';
import { isTimeZone } from '../core/zoned-time.js';
import { positiveInt } from './numbers.js';

/**
 * `observe.anomaly` (the detector over the key series) and `observe.alerts` (static
 * thresholds, webhooks, retention). Merged under `observe` with the other monitoring keys.
 */

/** The key series the detector watches; each is one value per window (per tool, per model). */
export const SERIES_NAMES = [
  'tool_error_rate',
  'model_latency_p95',
  'conversation_length',
  'cost_per_hour',
  'fallback_rate',
] as const;

export type SeriesName = (typeof SERIES_NAMES)[number];

const direction = z.enum(['above', 'below', 'both']);

/** A window length that tiles the hour, so the slots of every past day line up with today's. */
const windowMinutes = z
  .number()
  .int()
  .min(1)
  .max(60)
  .refine(
    (minutes) => 60 % minutes === 0,
    'must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)',
  );

/** Minutes of a day at most: longer waits would hide an alert for more than a day. */
const minutes = z.number().int().min(1).max(1_440);

/** A finite, bounded amount in a series' own unit (a rate, milliseconds, turns, dollars). */
const amount = z.number().min(0).max(1e9);

interface SeriesDefaults {
  direction: z.infer<typeof direction>;
  minVolume: number;
  minMad: number;
  minRelativeChange: number;
}

function seriesSchema(defaults: SeriesDefaults) {
  return z
    .strictObject({
      /** Watch this series. Default true. */
      enabled: z.boolean().default(true),
      /** Which departures count: `above` the baseline, `below` it, or `both`. */
      direction: direction.default(defaults.direction),
      /**
       * Least volume (calls, conversations or turns) a window needs before its value counts, in
       * the current window and in each baseline slot.
       */
      minVolume: z.number().int().min(0).max(1e9).default(defaults.minVolume),
      /** Floor of the MAD, in the series' unit, so a flat baseline is not infinitely sensitive. */
      minMad: amount.default(defaults.minMad),
      /** Least change relative to the baseline median before a departure counts (0.2 = 20 %). */
      minRelativeChange: z.number().min(0).max(1_000).default(defaults.minRelativeChange),
    })
    .prefault({});
}

const seriesConfigSchema = z
  .strictObject({
    /** Failed or timed-out calls over calls, per tool. */
    tool_error_rate: seriesSchema({
      direction: 'above',
      minVolume: 20,
      minMad: 0.01,
      minRelativeChange: 0,
    }),
    /** 95th percentile of model call duration in milliseconds, per `provider/model`. */
    model_latency_p95: seriesSchema({
      direction: 'above',
      minVolume: 20,
      minMad: 25,
      minRelativeChange: 0.2,
    }),
    /** Turns per conversation, over the conversations that ended in the window. */
    conversation_length: seriesSchema({
      direction: 'both',
      minVolume: 10,
      minMad: 0.5,
      minRelativeChange: 0.25,
    }),
    /** Dollars per hour, at the window's rate. */
    cost_per_hour: seriesSchema({
      direction: 'above',
      minVolume: 0,
      minMad: 0.01,
      minRelativeChange: 0.25,
    }),
    /** Fallbacks to another target per turn. */
    fallback_rate: seriesSchema({
      direction: 'above',
      minVolume: 20,
      minMad: 0.01,
      minRelativeChange: 0,
    }),
  })
  .prefault({});

export const anomalySchema = z
  .strictObject({
    /** Run the detector. Default true. */
    enabled: z.boolean().default(true),
    /** How often the current window is evaluated. Default 60 s. */
    evaluateEveryMs: positiveInt.min(1_000).max(3_600_000).default(60_000),
    /** Length of the current window and of each baseline slot, in minutes. Default 15. */
    windowMinutes: windowMinutes.default(15),
    /** Past days whose same time of day makes the baseline. Default 7. */
    baselineDays: z.number().int().min(1).max(28).default(7),
    /** Past days with data the baseline needs before the detector alerts at all. Default 3. */
    minBaselineDays: z.number().int().min(1).max(28).default(3),
    /** Scaled MADs from the baseline median that count as a departure. Default 4. */
    deviations: z.number().gt(0).max(1_000).default(4),
    /** An open alert clears below this many scaled MADs. Default 2. */
    clearDeviations: z.number().min(0).max(1_000).default(2),
    /** A departure must hold in every evaluation for this long before it alerts. Default 20. */
    sustainMinutes: minutes.default(20),
    /** An open alert resolves after this long below `clearDeviations`. Default 15. */
    clearMinutes: minutes.default(15),
    /** Floor of the MAD as a fraction of the baseline median. Default 0.05. */
    minMadRatio: z.number().min(0).max(10).default(0.05),
    /** IANA time zone whose days the baseline follows (its daily cycle). Default `UTC`. */
    timeZone: z.string().min(1).max(64).refine(isTimeZone, 'unknown IANA time zone').default('UTC'),
    /** Hours of history filled from the stats store at start when the baseline lacks them (24). */
    backfillHours: z.number().int().min(0).max(672).default(24),
    /** Keys (tools, models) watched per series at most; further ones are ignored. Default 100. */
    maxKeysPerSeries: z.number().int().min(1).max(10_000).default(100),
    /** An open alert whose series has had no usable data for this long resolves. Default 60. */
    noDataResolveMinutes: minutes.default(60),
    series: seriesConfigSchema,
  })
  .refine((anomaly) => anomaly.clearDeviations < anomaly.deviations, {
    message: 'must be below deviations, or an alert could never clear',
    path: ['clearDeviations'],
  })
  .refine((anomaly) => anomaly.minBaselineDays <= anomaly.baselineDays, {
    message: 'must not exceed baselineDays',
    path: ['minBaselineDays'],
  })
  .prefault({});

/** The series with one value per tool or per model; the others have a single value. */
const KEYED_SERIES: ReadonlySet<SeriesName> = new Set(['tool_error_rate', 'model_latency_p95']);

const thresholdSchema = z
  .strictObject({
    /** The series the limit applies to. */
    series: z.enum(SERIES_NAMES),
    /** One tool or `provider/model`; absent: every key of the series. */
    key: z.string().min(1).max(256).optional(),
    /** `above`: alert while the value is over `value`; `below`: under it. */
    direction: z.enum(['above', 'below']),
    /** The hard limit, in the series' unit. */
    value: z.number().min(-1e12).max(1e12),
    /**
     * An open alert clears only once the value is back past this (below it for `above`), so a
     * value hovering at the limit does not flap. Default: `value`.
     */
    clearValue: z.number().min(-1e12).max(1e12).optional(),
    /** The limit must be crossed in every evaluation for this long. Default 5. */
    sustainMinutes: minutes.default(5),
    /** An open alert resolves after the value is back for this long. Default 5. */
    clearMinutes: minutes.default(5),
    /** Shown in the alert. Default `critical`. */
    severity: z.enum(['info', 'warning', 'critical']).default('critical'),
  })
  .refine(
    (rule) =>
      rule.clearValue === undefined ||
      (rule.direction === 'above' ? rule.clearValue <= rule.value : rule.clearValue >= rule.value),
    { message: 'must be on the normal side of value', path: ['clearValue'] },
  )
  // A key the series never has would be a rule that can never fire, accepted without a word.
  .refine((rule) => rule.key === undefined || KEYED_SERIES.has(rule.series), {
    message: 'only tool_error_rate (a tool) and model_latency_p95 (provider/model) have keys',
    path: ['key'],
  })
  .refine(
    (rule) =>
      rule.key === undefined || rule.series !== 'model_latency_p95' || /^[^/]+\/.+/.test(rule.key),
    { message: 'must be provider/model, as in /v1/stats', path: ['key'] },
  );

const RESERVED_HEADERS = new Set([
  'content-type',
  'content-length',
  'host',
  'connection',
  'transfer-encoding',
  'user-agent',
]);

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;

/** Header names must be HTTP tokens; Rampart sets the body's and the signature's itself. */
function checkHeaderNames(headers: Record<string, string>, context: z.RefinementCtx): void {
  const names = Object.keys(headers);
  if (names.length > 32) context.addIssue({ code: 'custom', message: 'at most 32 headers' });
  for (const name of names) {
    let message: string | undefined;
    if (!HEADER_NAME.test(name)) message = 'must be an HTTP header name';
    else if (RESERVED_HEADERS.has(name.toLowerCase()) || /^rampart-/i.test(name)) {
      message = 'is set by Rampart itself';
    }
    if (message) context.addIssue({ code: 'custom', message, path: [name] });
  }
}

/** Visible ASCII and spaces only: a line break would end the header early. */
const headerValue = z.string().regex(/^[\t\x20-\x7e]{0,4096}$/, 'must be printable ASCII');

const webhookSchema = z
  .strictObject({
    /** Where alert events are POSTed (`http` or `https`). */
    url: z.url({ protocol: /^https?$/ }).max(2_048),
    /** Extra headers sent with each delivery (an authorization token). Default none. */
    headers: z.record(z.string(), headerValue).superRefine(checkHeaderNames).default({}),
    /** HMAC secret that signs each body (`rampart-signature`); prefer `secretEnv`. */
    secret: z.string().min(16).max(1_024).optional(),
    /** Environment variable holding the HMAC secret. */
    secretEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/)
      .optional(),
  })
  .refine((webhook) => webhook.secret === undefined || webhook.secretEnv === undefined, {
    message: 'set secret or secretEnv, not both',
  });

export const alertsSchema = z
  .strictObject({
    /** Hard limits that alert whatever the baseline says. Default none. */
    thresholds: z.array(thresholdSchema).max(100).default([]),
    /** Receivers of `alert.opened` and `alert.resolved`. Default none. */
    webhooks: z
      .array(webhookSchema)
      .max(16)
      .refine(
        (webhooks) => new Set(webhooks.map((webhook) => webhook.url)).size === webhooks.length,
        'each webhook URL may appear once',
      )
      .default([]),
    delivery: z
      .strictObject({
        /** Attempts per webhook delivery, the first included. Default 8. */
        maxAttempts: positiveInt.max(100).default(8),
        /** Wait after the first failure; it doubles with each further one. Default 1 s. */
        baseDelayMs: positiveInt.default(1_000),
        /** Longest wait between two attempts. Default 5 min. */
        maxDelayMs: positiveInt.default(300_000),
        /** Time allowed for one attempt. Default 10 s. */
        timeoutMs: positiveInt.max(300_000).default(10_000),
        /** How often each instance looks for due deliveries. Default 5 s. */
        pollMs: positiveInt.default(5_000),
      })
      .refine((delivery) => delivery.baseDelayMs <= delivery.maxDelayMs, {
        message: 'baseDelayMs must not exceed maxDelayMs',
        path: ['baseDelayMs'],
      })
      .prefault({}),
    /** Resolved alerts are deleted this many days after they resolved. Default 30. */
    retentionDays: z.number().int().min(1).max(3_650).default(30),
  })
  .prefault({});

/** The anomaly helper's part of `observe`, to be merged with the other monitoring keys. */
export const observeAnomalyShape = { anomaly: anomalySchema, alerts: alertsSchema };

export type AnomalyConfig = z.output<typeof anomalySchema>;
export type AlertsConfig = z.output<typeof alertsSchema>;
export type SeriesConfig = AnomalyConfig['series'][SeriesName];
export type ThresholdConfig = AlertsConfig['thresholds'][number];
export type WebhookConfig = AlertsConfig['webhooks'][number];
