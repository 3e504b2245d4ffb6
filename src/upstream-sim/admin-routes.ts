import type { IncomingMessage, ServerResponse } from 'node:http';
import { replaceFaults, sendFaults, type FaultsRouteState } from './faults-route.js';
import type { RequestLog } from './request-log.js';
import { sendJson } from './send.js';
import type { StatsTracker } from './simulator-stats.js';

/** What the admin routes need from the simulator. */
export interface AdminState extends FaultsRouteState {
  stats: StatsTracker;
  log: RequestLog;
}

/** The simulator's own routes for tests and benchmarks, under `/__`. */
export function serveAdmin(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  state: AdminState,
): void | Promise<void> {
  const route = `${request.method ?? ''} ${path}`;
  switch (route) {
    case 'GET /__stats':
      return sendJson(response, 200, JSON.stringify(state.stats.snapshot()));
    case 'GET /__requests':
      return sendJson(response, 200, JSON.stringify(state.log.list()));
    case 'GET /__faults':
      return sendFaults(response, state.model);
    case 'PUT /__faults':
      return replaceFaults(request, response, state);
    case 'POST /__reset':
      // Faults stay: a test that set them keeps them across the reset of its counters.
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
