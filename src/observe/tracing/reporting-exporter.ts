import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Logger } from '../../core/logger.js';

/** Export failures are logged at most this often: a collector that is down is one fact. */
export const FAILURE_LOG_INTERVAL_MS = 60_000;

export interface ReportingExporterOptions {
  logger: Logger;
  /** Where spans go, for the log line (a URL with its password masked). */
  endpoint: string;
  intervalMs?: number;
  /** Milliseconds clock. Default `Date.now`. */
  now?: () => number;
  /** Told how each export ended, with its span count (for the span metrics). */
  onExport?: (spans: number, ok: boolean) => void;
}

/**
 * Passes spans to the real exporter and reports its failures without flooding the log: the
 * first failure is logged at once, then at most one line per interval, counting what failed in
 * between. The spans of a failed export are dropped; turns never wait for a collector.
 */
export class ReportingExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #options: ReportingExporterOptions;
  #lastLogAt: number | undefined;
  #failedExports = 0;
  #droppedSpans = 0;
  /** A warning was logged and no export has succeeded since. */
  #warned = false;

  constructor(inner: SpanExporter, options: ReportingExporterOptions) {
    this.#inner = inner;
    this.#options = options;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.#inner.export(spans, (result) => {
      const ok = result.code === ExportResultCode.SUCCESS;
      if (!ok) this.#failed(spans.length, result.error);
      else if (this.#warned) this.#recovered();
      this.#options.onExport?.(spans.length, ok);
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }

  /**
   * The first export to succeed after a warning says so, with what failed since it: otherwise
   * failures after the warning went untold when the collector came back before the interval
   * ran out. Once per warning, so a flapping collector still costs at most two lines an interval.
   */
  #recovered(): void {
    const fields = {
      endpoint: this.#options.endpoint,
      failedExports: this.#failedExports,
      droppedSpans: this.#droppedSpans,
    };
    this.#options.logger.info(fields, 'trace export recovered');
    this.#warned = false;
    this.#failedExports = 0;
    this.#droppedSpans = 0;
  }

  #failed(spans: number, error: Error | undefined): void {
    this.#failedExports += 1;
    this.#droppedSpans += spans;
    const now = (this.#options.now ?? Date.now)();
    const interval = this.#options.intervalMs ?? FAILURE_LOG_INTERVAL_MS;
    if (this.#lastLogAt !== undefined && now - this.#lastLogAt < interval) return;
    this.#lastLogAt = now;
    const fields = {
      endpoint: this.#options.endpoint,
      failedExports: this.#failedExports,
      droppedSpans: this.#droppedSpans,
      reason: error?.message,
    };
    this.#options.logger.warn(fields, 'trace export failed; its spans were dropped');
    this.#warned = true;
    this.#failedExports = 0;
    this.#droppedSpans = 0;
  }
}
