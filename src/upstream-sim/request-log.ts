import type { IncomingHttpHeaders } from 'node:http';

/** One request as the simulator received it, credentials redacted. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
}

/** Headers that carry credentials; their values never reach the log. */
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'proxy-authorization', 'api-key']);

/** The most recent requests, oldest first, up to `limit`. */
export interface RequestLog {
  record(method: string, path: string, headers: IncomingHttpHeaders, body: unknown): void;
  list(): RecordedRequest[];
  clear(): void;
}

export function createRequestLog(limit = 100): RequestLog {
  let entries: RecordedRequest[] = [];
  return {
    record(method, path, headers, body) {
      entries.push({ method, path, headers: redactHeaders(headers), body });
      if (entries.length > limit) entries = entries.slice(-limit);
    },
    list: () => [...entries],
    clear() {
      entries = [];
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
