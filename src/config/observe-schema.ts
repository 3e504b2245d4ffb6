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

/** Monitoring: metrics, satisfaction signals, stats, traces, anomaly alerts and the dashboard. */
export const observeSchema = z
  .strictObject({
    metrics: observeMetricsSchema,
    tracing: observeTracingSchema,
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
  })
  .prefault({});
