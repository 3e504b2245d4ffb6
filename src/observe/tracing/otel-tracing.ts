import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { RampartConfig } from '../../config/index.js';
import type { Logger } from '../../core/logger.js';
import { redactUrl } from '../../core/redact-url.js';
import { rampartVersion } from '../../core/version.js';
import { otlpSpanExporter } from './otlp-span-exporter.js';
import { createTurnTracer } from './otel-turn-tracer.js';
import type { SpansReported } from '../telemetry.js';
import { CountingProcessor } from './counting-processor.js';
import { ReportingExporter } from './reporting-exporter.js';
import type { TracingSetup } from './tracing-setup.js';

/**
 * Longest attribute value kept. Nothing Rampart records is long, but a tool or model name comes
 * from the model's output and could be.
 */
const ATTRIBUTE_VALUE_LIMIT = 1_024;

/** Resolves once `work` settles or `ms` passed, whichever is first; never rejects. */
async function within(work: Promise<void>, ms: number, onLate: (reason: string) => void) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`not done after ${ms} ms`), ms);
    timer.unref();
  });
  const done = work.then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  const reason = await Promise.race([done, late]);
  clearTimeout(timer);
  if (reason !== undefined) onLate(reason);
}

/**
 * The OpenTelemetry SDK set up for Rampart's turns: a tracer provider of its own (the global
 * one is left to the application embedding Rampart), parent-based ratio sampling (done by the
 * turn tracer, before any span), and a batch processor exporting over OTLP/HTTP. Loaded only
 * when tracing is on.
 */
export function startOtelTracing(
  config: RampartConfig,
  logger: Logger,
  options: {
    exporter?: SpanExporter | undefined;
    /** Told of spans queued, exported and failed, for the span metrics. */
    onSpans?: ((outcome: SpansReported['outcome'], count: number) => void) | undefined;
  } = {},
): TracingSetup {
  const { exporter, onSpans } = options;
  const settings = config.observe.tracing;
  const { endpoint, timeoutMs, batch } = settings;
  const version = rampartVersion();
  const chosen =
    exporter === undefined
      ? otlpSpanExporter({
          endpoint,
          headers: settings.headers,
          timeoutMs,
          protocol: settings.protocol,
          userAgent: `rampart/${version ?? 'dev'}`,
        })
      : { exporter, url: undefined };
  // Where the spans go as the log says it: the URL in effect (the config's, the environment's or
  // the default), its password masked.
  const target = chosen.url === undefined ? 'custom exporter' : redactUrl(chosen.url);
  // Spans handed to the batch are counted in process and reported with the next export to end,
  // before its own count: the queued figure never trails the exported one, at no cost per span.
  let ended = 0;
  const reporting = new ReportingExporter(chosen.exporter, {
    logger,
    endpoint: target,
    onExport(spans, ok) {
      if (ended > 0) onSpans?.('queued', ended);
      ended = 0;
      onSpans?.(ok ? 'exported' : 'failed', spans);
    },
  });
  const batching = new BatchSpanProcessor(reporting, {
    maxQueueSize: batch.maxQueueSize,
    maxExportBatchSize: batch.maxExportBatchSize,
    scheduledDelayMillis: batch.scheduledDelayMs,
    exportTimeoutMillis: timeoutMs,
  });
  const processor = new CountingProcessor(batching, () => {
    ended += 1;
  });
  const resource = defaultResource().merge(
    resourceFromAttributes({
      [ATTR_SERVICE_NAME]: settings.serviceName,
      ...(version === undefined ? {} : { [ATTR_SERVICE_VERSION]: version }),
    }),
  );
  const provider = new BasicTracerProvider({
    resource,
    // The turn tracer samples each turn before it starts a span (parent-based, then the ratio).
    sampler: new AlwaysOnSampler(),
    spanProcessors: [processor],
    spanLimits: { attributeValueLengthLimit: ATTRIBUTE_VALUE_LIMIT },
  });
  const tracer = createTurnTracer({
    tracer: provider.getTracer('rampart', version),
    providers: config.providers,
    stageSpanMinMs: settings.stageSpanMinMs,
    sampleRatio: settings.sampleRatio,
  });
  const warnLate = (what: string) => (reason: string) =>
    logger.warn({ reason, timeoutMs }, `trace ${what} did not complete; unsent spans were dropped`);
  return {
    tracer,
    endpoint: target,
    flush: () => within(provider.forceFlush(), timeoutMs, warnLate('flush')),
    shutdown: () => within(provider.shutdown(), timeoutMs, warnLate('shutdown')),
  };
}
