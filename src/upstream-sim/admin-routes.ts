import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestLog } from './request-log.js';
import { sendJson } from './send.js';
import type { StatsTracker } from './simulator-stats.js';

/** The simulator's own routes for tests and benchmarks, under `/__`. */
export function serveAdmin(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  state: { stats: StatsTracker; log: RequestLog },
): void {
  const route = `${request.method ?? ''} ${path}`;
  switch (route) {
    case 'GET /__stats':
      return sendJson(response, 200, JSON.stringify(state.stats.snapshot()));
    case 'GET /__requests':
      return sendJson(response, 200, JSON.stringify(state.log.list()));
    case 'POST /__reset':
      state.stats.reset();
      state.log.clear();
      return sendJson(response, 200, '{"reset":true}');
    default: {
      const message = `No simulator route ${route}`;
      const body = { error: { message, type: 'invalid_request_error', param: null, code: null } };
      return sendJson(response, 404, JSON.stringify(body));
    }
  }
}
