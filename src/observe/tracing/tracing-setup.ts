import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { RampartConfig } from '../../config/index.js';
import type { Logger } from '../../core/logger.js';
import type { TurnTracer } from '../../runtime/index.js';
import type { Telemetry } from '../telemetry.js';

/** Traces as the runtime and the shutdown see them. */
export interface TracingSetup {
  /** For `createRuntime({ tracer })`; undefined when tracing is off. */
  readonly tracer: TurnTracer | undefined;
  /**
   * Where spans go, for the log: the OTLP URL in effect with its password masked, or `custom
   * exporter`; undefined when tracing is off.
   */
  readonly endpoint?: string | undefined;
  /**
   * Exports the spans waiting in the batch now. Never rejects; gives up after
   * `observe.tracing.timeoutMs`.
   */
  flush(): Promise<void>;
  /**
   * Exports what is left and stops. Never rejects, and never takes longer than
   * `observe.tracing.timeoutMs`, however slow or down the collector is.
   */
  shutdown(): Promise<void>;
}

export interface TracingSetupOptions {
  /**
   * Where finished spans go instead of the OTLP exporter (an in-memory exporter in tests, a
   * library user's own exporter). Used only when `observe.tracing.enabled` is true.
   */
  exporter?: SpanExporter;
  /** The hub told of spans queued, exported and dropped (`rampart_trace_spans_total`). */
  telemetry?: Telemetry;
}

const OFF: TracingSetup = {
  tracer: undefined,
  flush: async () => undefined,
  shutdown: async () => undefined,
};

/**
 * Sets up tracing from `observe.tracing`. Off (the default), it returns at once and loads
 * nothing of OpenTelemetry: the SDK, the exporter and the API are imported only here, only when
 * tracing is on, so an instance that does not trace pays nothing for the ability to.
 */
export async function tracingSetup(
  config: RampartConfig,
  logger: Logger,
  options: TracingSetupOptions = {},
): Promise<TracingSetup> {
  const settings = config.observe.tracing;
  if (!settings.enabled) return OFF;
  const { startOtelTracing } = await import('./otel-tracing.js');
  const { telemetry } = options;
  const tracing = startOtelTracing(config, logger, {
    exporter: options.exporter,
    onSpans: telemetry
      ? (outcome, count) => telemetry.emit({ type: 'spans', at: telemetry.now(), outcome, count })
      : undefined,
  });
  const fields = {
    endpoint: tracing.endpoint,
    sampleRatio: settings.sampleRatio,
    serviceName: settings.serviceName,
  };
  logger.info(fields, 'tracing on: each turn is exported as a trace');
  return tracing;
}
