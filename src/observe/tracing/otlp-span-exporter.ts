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
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { RampartError } from '../../core/errors.js';
import { RetryingTransport } from './otlp-retry.js';
import { UndiciTransport, type CollectorTls } from './otlp-transport.js';

export interface OtlpSpanExporterOptions {
  /** The traces URL; absent: the OTEL_EXPORTER_OTLP_* environment, else localhost:4318. */
  endpoint: string | undefined;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  protocol: 'http/protobuf' | 'http/json';
  userAgent: string;
}

/** The file a TLS variable names, the traces-specific one first; absent when neither is set. */
function fileFromEnvironment(
  environment: NodeJS.ProcessEnv,
  what: 'CERTIFICATE' | 'CLIENT_CERTIFICATE' | 'CLIENT_KEY',
): Buffer | undefined {
  for (const name of [`OTEL_EXPORTER_OTLP_TRACES_${what}`, `OTEL_EXPORTER_OTLP_${what}`]) {
    const file = environment[name]?.trim();
    if (file === undefined || file === '') continue;
    try {
      return readFileSync(path.resolve(file));
    } catch (error) {
      // The SDK only warned and went on without it; a collector that then refuses every export
      // (or an unverified one accepted) is worse than a server that does not start.
      const reason = error instanceof Error ? error.message : String(error);
      throw new RampartError('RAMPART_CONFIG_INVALID', `${name}: cannot read ${file}: ${reason}`);
    }
  }
  return undefined;
}

/**
 * The collector's TLS settings from the standard OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE,
 * CLIENT_CERTIFICATE and CLIENT_KEY variables (files, relative to the working directory).
 */
export function collectorTls(environment: NodeJS.ProcessEnv = process.env): CollectorTls {
  return {
    ca: fileFromEnvironment(environment, 'CERTIFICATE'),
    cert: fileFromEnvironment(environment, 'CLIENT_CERTIFICATE'),
    key: fileFromEnvironment(environment, 'CLIENT_KEY'),
  };
}

/**
 * The SDK's OTLP/HTTP span exporter, put together from its own parts (configuration with the
 * OTEL_* environment, the serializers, the bounded queue of exports in flight) around Rampart's
 * transport over undici instead of the SDK's over Node's `http` (see `otlp-transport.ts`), with
 * the collector's TLS settings read from the same environment as the SDK reads them.
 */
export function otlpSpanExporter(options: OtlpSpanExporterOptions): {
  exporter: SpanExporter;
  /** The traces URL the exports go to, from the options, the environment or the default. */
  url: string;
} {
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
    connectTimeoutMs: options.timeoutMs,
    tls: collectorTls(),
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
  return { exporter: new OTLPExporterBase<ReadableSpan[]>(delegate), url: configuration.url };
}
