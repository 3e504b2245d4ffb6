import type { ExportResponse, IExporterTransport } from '@opentelemetry/otlp-exporter-base';

/**
 * OTLP's retry schedule: up to five more tries, backing off 1 s × 1.5 each time, at most 5 s.
 * A collector's `Retry-After` is honoured, but never below `leastMs`: `0` (or a date gone by)
 * would have every export tried six times back to back against a collector shedding load.
 */
export const RETRY = {
  attempts: 5,
  firstMs: 1_000,
  factor: 1.5,
  maxMs: 5_000,
  jitter: 0.2,
  leastMs: 250,
};

/**
 * Retries a transport's retryable answers within the export's deadline, waiting what the
 * collector's `Retry-After` asks or the backoff above (with ±20 % jitter, so that instances cut
 * off together do not come back together). The waits do not keep a stopping process alive.
 */
export class RetryingTransport implements IExporterTransport {
  readonly #inner: IExporterTransport;
  readonly #random: () => number;

  constructor(inner: IExporterTransport, random: () => number = Math.random) {
    this.#inner = inner;
    this.#random = random;
  }

  async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    const deadline = Date.now() + timeoutMillis;
    let backoff = RETRY.firstMs;
    let result = await this.#inner.send(data, timeoutMillis);
    let tries = 1;
    for (; result.status === 'retryable' && tries <= RETRY.attempts; tries++) {
      const jitter = 1 + (this.#random() * 2 - 1) * RETRY.jitter;
      const asked = result.retryInMillis;
      const wait =
        asked === undefined
          ? Math.min(backoff * jitter, RETRY.maxMs)
          : Math.max(asked, RETRY.leastMs);
      backoff *= RETRY.factor;
      if (wait > deadline - Date.now()) break;
      await new Promise<void>((resolve) => setTimeout(resolve, wait).unref());
      result = await this.#inner.send(data, deadline - Date.now());
    }
    return result.status === 'retryable' ? gaveUp(result, tries) : result;
  }

  shutdown(): void {
    this.#inner.shutdown();
  }
}

/**
 * A retryable answer given up on, as a failure that says why: the SDK reports a retryable
 * result only as "Export failed with retryable status", which tells a 429 from a 503 or a
 * timeout no better than from each other.
 */
function gaveUp(
  result: Extract<ExportResponse, { status: 'retryable' }>,
  tries: number,
): ExportResponse {
  const reason = result.error?.message ?? 'retryable answer';
  const after = tries === 1 ? 'one try' : `${tries} tries`;
  const asked =
    result.retryInMillis === undefined ? '' : `, asked to wait ${result.retryInMillis} ms`;
  const error = new Error(`${reason}, given up after ${after} within the timeout${asked}`);
  if (result.error !== undefined) error.cause = result.error;
  return { status: 'failure', error };
}
