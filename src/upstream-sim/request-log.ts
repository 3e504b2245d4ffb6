import type { IncomingHttpHeaders } from 'node:http';
import type { EndedOutcome, RequestOutcome } from './response-outcome.js';

/** One request as the simulator received it, credentials redacted, and how it ended. */
export interface RecordedRequest {
  method: string;
  /** The request target as sent, query included. */
  path: string;
  headers: Record<string, string | string[]>;
  /** The parsed JSON body, the raw text when it was not JSON, or null when none was read. */
  body: unknown;
  /** When the request arrived, in epoch milliseconds. */
  startedAt: number;
  /** When its response ended or its connection closed, in epoch milliseconds; null while open. */
  endedAt: number | null;
  outcome: RequestOutcome;
}

/** The log's hold on one request while it is being served. */
export interface RequestEntry {
  /** Records the body once it has been read. */
  setBody(body: unknown): void;
  /** Records how the request ended; only the first call counts. */
  end(outcome: EndedOutcome): void;
}

/** The most recent requests, oldest first, up to `limit`. */
export interface RequestLog {
  /** Records a request as it arrives, with no body yet and outcome `open`. */
  begin(method: string, path: string, headers: IncomingHttpHeaders): RequestEntry;
  /** Copies of the entries: later changes to a request do not reach an earlier list. */
  list(): RecordedRequest[];
  clear(): void;
  /**
   * Resolves with `list()` once at least `count` of the requests in it have ended. Rejects after
   * `timeoutMs`, or at once when the log cannot hold `count` requests.
   */
  waitForEnded(count: number, timeoutMs: number): Promise<RecordedRequest[]>;
}

export interface RequestLogOptions {
  /** Requests kept. Default 100. */
  limit?: number;
  /** The clock of `startedAt` and `endedAt`. Default `Date.now`. */
  now?: () => number;
}

/** Headers that carry credentials; their values never reach the log. */
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'proxy-authorization', 'api-key']);

export function createRequestLog(options: RequestLogOptions = {}): RequestLog {
  const { limit = 100, now = Date.now } = options;
  let entries: RecordedRequest[] = [];
  const snapshot = () => entries.map((entry) => ({ ...entry }));
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };
  return {
    begin(method, path, headers) {
      const entry: RecordedRequest = {
        method,
        path,
        headers: redactHeaders(headers),
        body: null,
        startedAt: now(),
        endedAt: null,
        outcome: 'open',
      };
      entries.push(entry);
      if (entries.length > limit) entries = entries.slice(-limit);
      return {
        setBody(body) {
          entry.body = body;
        },
        end(outcome) {
          if (entry.outcome !== 'open') return;
          entry.outcome = outcome;
          entry.endedAt = now();
          notify();
        },
      };
    },
    list: snapshot,
    clear() {
      entries = [];
    },
    waitForEnded(count, timeoutMs) {
      if (count > limit) {
        const message = `the request log keeps ${limit} requests, so ${count} can never end in it`;
        return Promise.reject(new RangeError(message));
      }
      const ended = () => entries.filter((entry) => entry.outcome !== 'open').length;
      return new Promise((resolve, reject) => {
        const stop = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        const check = () => {
          if (ended() < count) return;
          stop();
          resolve(snapshot());
        };
        const timer = setTimeout(() => {
          stop();
          const message = `${ended()} of ${count} requests had ended after ${timeoutMs} ms`;
          reject(new Error(message));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

function redactHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const redacted: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    redacted[name] = SECRET_HEADERS.has(name) ? '[redacted]' : value;
  }
  return redacted;
}
