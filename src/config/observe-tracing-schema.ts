import { z } from 'zod';
import { nonNegativeInt, positiveInt } from './numbers.js';

/**
 * Traces of turns, exported over OTLP/HTTP: `observe.tracing`. Off by default, and then nothing
 * of OpenTelemetry is even loaded.
 */
export const observeTracingSchema = z
  .strictObject({
    /** Records a trace per turn and exports it. Default false. */
    enabled: z.boolean().default(false),
    /**
     * The collector's OTLP/HTTP traces URL, e.g. `http://127.0.0.1:4318/v1/traces`. Absent: the
     * exporter's own default (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_OTLP_ENDPOINT`,
     * else `http://localhost:4318/v1/traces`).
     */
    endpoint: z.url({ protocol: /^https?$/ }).optional(),
    /**
     * The OTLP/HTTP encoding: `http/protobuf` (OTLP's default, which every collector accepts) or
     * `http/json`. Protobuf is under half the bytes and cheaper to encode. Default
     * `http/protobuf`.
     */
    protocol: z.enum(['http/protobuf', 'http/json']).default('http/protobuf'),
    /** Headers sent with every export (a hosted backend's API key, say). Default none. */
    headers: z.record(z.string(), z.string()).default({}),
    /** `service.name` of the exported resource. Default `rampart`. */
    serviceName: z.string().min(1).max(200).default('rampart'),
    /**
     * Share of new traces recorded, 0..1. A request that carries a `traceparent` follows its
     * caller's sampling decision instead. Default 1.
     */
    sampleRatio: z.number().min(0).max(1).default(1),
    /**
     * Longest wait for one export, and for the last flush when Rampart closes: a slow or
     * down collector never holds a shutdown longer. Default 10 s.
     */
    timeoutMs: positiveInt.max(120_000).default(10_000),
    /**
     * A stage hook (a `prepare`, a `settle`...) quicker than this gets no span of its own, so a
     * trace shows where time went rather than every step that took none; one that fails or
     * refuses always gets one. `0`: every hook. Default 1 ms.
     */
    stageSpanMinMs: nonNegativeInt.max(60_000).default(1),
    batch: z
      .strictObject({
        /** Ended spans held for export; past it new spans are dropped. Default 2048. */
        maxQueueSize: positiveInt.max(1_000_000).default(2_048),
        /** Most spans in one export request. Default 512. */
        maxExportBatchSize: positiveInt.max(100_000).default(512),
        /** Longest a span waits before its batch is sent. Default 5 s. */
        scheduledDelayMs: positiveInt.max(600_000).default(5_000),
      })
      .prefault({})
      .refine((batch) => batch.maxExportBatchSize <= batch.maxQueueSize, {
        message: 'maxExportBatchSize must not exceed maxQueueSize',
        path: ['maxExportBatchSize'],
      }),
  })
  .prefault({});

export type ObserveTracingConfig = z.output<typeof observeTracingSchema>;
