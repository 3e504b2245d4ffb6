import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/index.js';
import { serveAdmin } from './admin-routes.js';
import { serveModelCall, type ModelRouteState } from './model-route.js';
import { serveModels } from './models-route.js';
import type { RequestEntry, RequestLog } from './request-log.js';
import { abandonResponse, outcomeOf } from './response-outcome.js';
import { sendError } from './send.js';
import type { StatsTracker } from './simulator-stats.js';
import type { WireFormat } from './wire-format.js';

/** The simulator's state shared by every request. */
export interface SimulatorState extends ModelRouteState {
  stats: StatsTracker;
  log: RequestLog;
  openai: WireFormat;
  anthropic: WireFormat;
  models: readonly string[];
  logger: Logger | undefined;
}

/** The `node:http` request listener. Nothing a client sends can make it throw. */
export function createRequestHandler(state: SimulatorState) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    route(request, response, state).catch((error: unknown) => {
      state.logger?.error({ err: error, url: request.url }, 'upstream simulator request failed');
      if (response.headersSent) abandonResponse(response);
      else sendError(response, state.openai, { status: 500, message: 'Simulator error' });
    });
  };
}

async function route(request: IncomingMessage, response: ServerResponse, state: SimulatorState) {
  const path = pathOf(request.url);
  if (path.startsWith('/__')) return serveAdmin(request, response, path, state);
  const entry = track(request, response, path, state);
  const method = request.method ?? '';
  const format = path.startsWith('/v1/messages') ? state.anthropic : state.openai;
  const expected = EXPECTED_METHODS[path];
  const allowed = expected === method;
  if (allowed && path !== '/v1/models') {
    return serveModelCall({ request, response, entry }, format, state);
  }
  if (expected === undefined) {
    return sendError(response, format, { status: 404, message: `No route ${method} ${path}` });
  }
  if (!allowed) {
    const message = `${path} accepts ${expected}, not ${method}`;
    return sendError(response, format, { status: 405, message }, { allow: expected });
  }
  return serveModels(request, response, state.models);
}

/** Logs and counts an API request from its arrival to the close of its response. */
function track(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  state: SimulatorState,
): RequestEntry {
  const entry = state.log.begin(request.method ?? '', request.url ?? '', request.headers);
  const endStats = state.stats.begin(path);
  response.once('close', () => {
    const outcome = outcomeOf(response);
    entry.end(outcome);
    endStats(outcome);
  });
  return entry;
}

const EXPECTED_METHODS: Readonly<Record<string, string>> = {
  '/v1/chat/completions': 'POST',
  '/v1/messages': 'POST',
  '/v1/models': 'GET',
};

function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?', 1)[0] ?? '/';
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
