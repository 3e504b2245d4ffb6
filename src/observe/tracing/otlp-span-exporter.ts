import {
  OTLPExporterBase,
  createOtlpNetworkExportDelegate,
} from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExporterMetrics,
} from '@opentelemetry/otlp-exporter-base/node-http';
import {
  JsonTraceSerializer,
  ProtobufTraceSerializer,
  TraceExporterMetricsHelper,
} from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { RetryingTransport, UndiciTransport } from './otlp-transport.js';

export interface OtlpSpanExporterOptions {
  /** The traces URL; absent: the OTEL_EXPORTER_OTLP_* environment, else localhost:4318. */
  endpoint: string | undefined;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  protocol: 'http/protobuf' | 'http/json';
  userAgent: string;
}

/**
 * The SDK's OTLP/HTTP span exporter, put together from its own parts (configuration with the
 * OTEL_* environment, the serializers, the bounded queue of exports in flight) around Rampart's
 * transport over undici instead of the SDK's over Node's `http` (see `otlp-transport.ts`).
 */
export function otlpSpanExporter(options: OtlpSpanExporterOptions): SpanExporter {
  const json = options.protocol === 'http/json';
  const configuration = convertLegacyHttpOptions(
    {
      ...(options.endpoint === undefined ? {} : { url: options.endpoint }),
      headers: { ...options.headers },
      timeoutMillis: options.timeoutMs,
    },
    'TRACES',
    'v1/traces',
    { 'Content-Type': json ? 'application/json' : 'application/x-protobuf' },
  );
  const transport = new UndiciTransport({
    url: configuration.url,
    headers: configuration.headers,
    compression: configuration.compression,
    userAgent: options.userAgent,
  });
  const delegate = createOtlpNetworkExportDelegate(
    configuration,
    json ? JsonTraceSerializer : ProtobufTraceSerializer,
    createOtlpHttpExporterMetrics(
      'otlp_http_span_exporter',
      TraceExporterMetricsHelper,
      configuration.url,
      undefined,
    ),
    new RetryingTransport(transport),
  );
  return new OTLPExporterBase<ReadableSpan[]>(delegate);
}
