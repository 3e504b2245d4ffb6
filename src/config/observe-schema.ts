import { z } from 'zod';
import { positiveInt } from './numbers.js';
import { observeAnomalyShape } from './observe-anomaly-schema.js';
import { observeTracingSchema } from './observe-tracing-schema.js';

/** `GET /metrics`: Prometheus text, scraped by Prometheus or any compatible agent. */
export const observeMetricsSchema = z
  .strictObject({
    /** Default true. Off: no series are kept and `/metrics` answers 404. */
    enabled: z.boolean().default(true),
    /**
     * Who may scrape. `none` (default): anyone who reaches the port, as for `/healthz`; keep the
     * port private. `admin`: an admin API key as a bearer token, which Prometheus can send.
     */
    auth: z.enum(['none', 'admin']).default('none'),
    /** Node.js process series (CPU, memory, event-loop lag, GC) beside Rampart's. Default true. */
    process: z.boolean().default(true),
  })
  .prefault({});

/** Per-minute rollups behind `GET /v1/stats`, the dashboard and the anomaly detector. */
export const observeStatsSchema = z
  .strictObject({
    /** Keeps rollups and serves `/v1/stats`. Default true. */
    enabled: z.boolean().default(true),
    /**
     * How often an instance writes what it has observed to the state backend. Reads flush this
     * instance first; other instances' figures are at most this late. Default 10 s.
     */
    flushMs: positiveInt.min(100).max(300_000).default(10_000),
    /**
     * How long a minute (and an hour) is kept: the longest window `/v1/stats` serves. The
     * anomaly detector keeps its own hourly baseline, so this need not cover days, and a busy
     * deployment's rollups take real room in Redis. Default 24 h, at most 7 days.
     */
    retentionHours: z.number().int().min(1).max(168).default(24),
    /**
     * Minutes of figures held in memory while the state backend cannot be written; past it the
     * oldest are dropped. Default 60.
     */
    maxPendingMinutes: positiveInt.max(10_080).default(60),
  })
  .prefault({});

/** `GET /dashboard`: the monitoring page. */
export const observeDashboardSchema = z
  .strictObject({
    /**
     * Serves the dashboard page at `/dashboard`. The page itself holds no data: it asks for an
     * admin key and reads the admin-only stats and alerts routes. Default true.
     */
    enabled: z.boolean().default(true),
  })
  .prefault({});

/** Monitoring: metrics, satisfaction signals, stats, traces, anomaly alerts and the dashboard. */
export const observeSchema = z
  .strictObject({
    metrics: observeMetricsSchema,
    tracing: observeTracingSchema,
    stats: observeStatsSchema,
    /**
     * A conversation quiet this long has ended: its turns, tokens and cost are observed, and a
     * last turn that failed counts as abandonment. Default 30 minutes.
     */
    conversationIdleMs: positiveInt.default(30 * 60_000),
    /**
     * Most conversations followed at once per instance, with a digest each (no text); past it
     * the least recently active ends early. Default 100000.
     */
    maxConversations: z.number().int().positive().max(10_000_000).default(100_000),
    /** `anomaly`: the detector over the key series; `alerts`: thresholds, webhooks, retention. */
    ...observeAnomalyShape,
    dashboard: observeDashboardSchema,
  })
  .prefault({});

export type StatsConfig = z.output<typeof observeStatsSchema>;
export type ObserveConfig = z.output<typeof observeSchema>;
