import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/index.js';
import { serveAdmin } from './admin-routes.js';
import { serveModelCall, type ModelRouteState } from './model-route.js';
import { serveModels } from './models-route.js';
import { sendError } from './send.js';
import type { StatsTracker } from './simulator-stats.js';
import type { WireFormat } from './wire-format.js';

/** The simulator's state shared by every request. */
export interface SimulatorState extends ModelRouteState {
  stats: StatsTracker;
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
      if (response.headersSent) response.destroy();
      else sendError(response, state.openai, { status: 500, message: 'Simulator error' });
    });
  };
}

async function route(request: IncomingMessage, response: ServerResponse, state: SimulatorState) {
  const path = pathOf(request.url);
  if (path.startsWith('/__')) return serveAdmin(request, response, path, state);
  response.once('close', state.stats.begin(path));
  const method = request.method ?? '';
  const format = path.startsWith('/v1/messages') ? state.anthropic : state.openai;
  const expected = EXPECTED_METHODS[path];
  const allowed = expected === method;
  if (allowed && path !== '/v1/models') return serveModelCall(request, response, format, state);
  state.log.record(method, path, request.headers, null);
  if (expected === undefined) {
    return sendError(response, format, { status: 404, message: `No route ${method} ${path}` });
  }
  if (!allowed) {
    const message = `${path} accepts ${expected}, not ${method}`;
    return sendError(response, format, { status: 405, message }, { allow: expected });
  }
  return serveModels(request, response, state.models);
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
