import { randomId } from '../core/random-id.js';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { authenticateRequest } from '../auth/index.js';
import type { Principal } from '../core/principal.js';
import { RampartError } from '../core/errors.js';
import { registerDashboard } from '../observe/index.js';
import type { HttpContext } from './context.js';
import { useJsonBodies } from './body-parser.js';
import { answerClientError } from './client-error.js';
import { errorShapeOf, handleError, type ErrorResponse } from './error-handler.js';
import { RouteTable } from './method-check.js';
import { registerAlerts } from './routes/alerts.js';
import { registerAudit } from './routes/audit.js';
import { registerUsage } from './routes/usage.js';
import { registerChatCompletions } from './routes/chat-completions.js';
import { registerHealth } from './routes/health.js';
import { registerMetrics } from '../observe/index.js';
import { registerJobs } from './routes/jobs.js';
import { registerCountTokens } from './routes/count-tokens.js';
import { registerMessages } from './routes/messages.js';
import { registerModels } from './routes/models.js';
import { registerSessions } from './routes/sessions.js';
import { registerStats } from './routes/stats.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set on every `/v1` route before its handler runs. */
    principal: Principal;
  }
}

function requestId(): string {
  return `req_${randomId(9)}`;
}

/** Every `/v1` route needs a valid key; the principal it names is attached to the request. */
function registerApi(app: FastifyInstance, context: HttpContext) {
  void app.register((api, _options, done) => {
    api.addHook('onRequest', async (request) => {
      const result = await authenticateRequest(request.headers, context.keys);
      if (result instanceof RampartError) throw result;
      request.principal = result;
    });
    registerModels(api, context);
    registerChatCompletions(api, context);
    registerMessages(api, context);
    registerCountTokens(api, context);
    registerSessions(api, context);
    registerJobs(api, context);
    if (context.audit) registerAudit(api, context.audit);
    if (context.usage) registerUsage(api, context.usage);
    if (context.stats) registerStats(api, context.stats);
    if (context.alerts) registerAlerts(api, context.alerts);
    done();
  });
}

/** Builds the HTTP server: routes, auth, body limits and the single error handler. */
export function buildServer(context: HttpContext): FastifyInstance {
  const app = Fastify({
    // Widened to Fastify's logger type so the instance is the plain `FastifyInstance` routes take.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: context.logger as FastifyBaseLogger,
    // One completion line per turn is written by the runtime; per-request lines would double it.
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: 'requestId',
    }),
    bodyLimit: context.config.server.bodyLimitBytes,
    genReqId: requestId,
    requestIdHeader: false,
    return503OnClosing: true,
    // Streams end through the turn's abort at shutdown; idle keep-alive sockets close at once.
    forceCloseConnections: 'idle',
    // Requests Node's parser refused answer in the same shape as the rest.
    clientErrorHandler: answerClientError,
    // Failures before routing (a malformed or overlong URL) get the same error shape as the rest.
    frameworkErrors: (error, request, reply) => {
      const message =
        error.code === 'FST_ERR_BAD_URL'
          ? 'The request URL is not valid.'
          : 'A path segment is longer than this server accepts.';
      void handleError(new RampartError('RAMPART_INVALID_REQUEST', message), request, reply);
    },
  });
  const routes = new RouteTable();
  routes.watch(app);
  app.decorateRequest('principal', undefined as unknown as Principal);
  useJsonBodies(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Anthropic's SDKs read the id from `request-id` (their `requestID` on errors and answers). Set
  // when the request arrives, so it is among the headers an event stream copies too.
  app.addHook('onRequest', async (request, reply) => {
    if (errorShapeOf(request) === 'anthropic') reply.header('request-id', request.id);
  });
  app.setErrorHandler(handleError);
  const { telemetry } = context;
  app.decorate('onErrorResponse', ({ route, code }: ErrorResponse) => {
    if (!telemetry.listened) return;
    const httpRoute = route ?? 'unmatched';
    telemetry.emit({ type: 'request-failed', at: telemetry.now(), httpRoute, code });
  });
  app.setNotFoundHandler(async (request, reply) => {
    const path = (request.url.split('?')[0] ?? '').slice(0, 200);
    const allowed = routes.allowed(path);
    if (allowed) {
      const { methods, template } = allowed;
      reply.header('allow', methods.join(', '));
      const message = `${request.method} is not allowed on ${path}; use ${methods.join(' or ')}.`;
      const error = new RampartError('RAMPART_METHOD_NOT_ALLOWED', message);
      return handleError(error, request, reply, template);
    }
    const message = `Unknown route: ${request.method} ${path}`;
    await handleError(new RampartError('RAMPART_NOT_FOUND', message), request, reply);
  });
  registerHealth(app, context);
  if (context.metrics) {
    const { auth } = context.config.observe.metrics;
    registerMetrics(app, { metrics: context.metrics, auth, keys: context.keys });
  }
  if (context.config.observe.dashboard.enabled) registerDashboard(app);
  registerApi(app, context);
  return app;
}
