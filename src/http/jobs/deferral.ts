import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RampartConfig } from '../../config/index.js';
import { RampartError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { TraceContextHeaders } from '../../runtime/index.js';
import { traceContextIn } from '../trace-context.js';
import type { JobStore } from '../../store/index.js';
import { jobView } from './job-view.js';

/** The job kind of a deferred `POST /v1/chat/completions`. */
export const CHAT_COMPLETION_JOB = 'chat.completion';

/** The job kind of a deferred `POST /v1/sessions/{id}/messages`. */
export const SESSION_TURN_JOB = 'session.turn';

/** What every deferred request stores: the body as sent and who sent it. */
export interface DeferredRequest {
  body: unknown;
  principal: Principal;
  /**
   * The trace the job's turn continues: the refused turn's own span when it was traced, else the
   * client's `traceparent`. Absent: the job's turn starts a trace of its own.
   */
  traceContext?: TraceContextHeaders;
}

/** The trace context a deferred job carries on from the request that queued it. */
export function deferredTraceContext(
  own: TraceContextHeaders | undefined,
  client: TraceContextHeaders | undefined,
): TraceContextHeaders | undefined {
  return own ?? client;
}

/** A stored trace context, checked: a job written by an older version, or damaged, has none. */
export function storedTraceContext(value: unknown): TraceContextHeaders | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return traceContextIn(value as Record<string, unknown>);
}

/** A deferred chat completion, with the conversation its `X-Rampart-Conversation` named. */
export interface DeferredChatRequest extends DeferredRequest {
  conversationId?: string;
}

/** A deferred session turn also names its session. */
export interface DeferredSessionTurn extends DeferredRequest {
  sessionId: string;
}

/** How a request asked to be deferred, read before the turn runs so a bad header fails early. */
export interface DeferralAsk {
  webhookUrl: string | undefined;
}

/** The header naming the URL to call when a deferred job finishes. */
export const WEBHOOK_HEADER = 'rampart-webhook';

/**
 * Reads `Prefer: respond-async` (RFC 7240) and `Rampart-Webhook`. Undefined when the client did
 * not ask for deferral or it is off. A webhook outside the configured origins is refused, so
 * clients cannot make the server call arbitrary addresses.
 */
export function readDeferralAsk(
  request: FastifyRequest,
  config: RampartConfig,
): DeferralAsk | undefined {
  const deferred = config.resilience.degraded.deferred;
  const webhook = headerText(request, WEBHOOK_HEADER);
  const asked = preferences(headerText(request, 'prefer')).has('respond-async');
  if (!asked || deferred.mode === 'off') {
    if (webhook !== undefined) {
      const message = `${WEBHOOK_HEADER} needs 'Prefer: respond-async' and deferred jobs on.`;
      throw new RampartError('RAMPART_INVALID_REQUEST', message, { param: WEBHOOK_HEADER });
    }
    return undefined;
  }
  if (webhook === undefined) return { webhookUrl: undefined };
  return { webhookUrl: checkWebhook(webhook, deferred.webhooks.allowedOrigins) };
}

function checkWebhook(value: string, allowedOrigins: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RampartError('RAMPART_INVALID_REQUEST', `${WEBHOOK_HEADER} is not a URL.`, {
      param: WEBHOOK_HEADER,
    });
  }
  const allowed = allowedOrigins.some((origin) => new URL(origin).origin === url.origin);
  if (!allowed || url.username !== '' || url.password !== '') {
    const message =
      `${WEBHOOK_HEADER} must point at an allowed origin ` +
      '(resilience.degraded.deferred.webhooks.allowedOrigins).';
    throw new RampartError('RAMPART_INVALID_REQUEST', message, { param: WEBHOOK_HEADER });
  }
  return url.href;
}

function headerText(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Preference names of a `Prefer` header, lower-cased, parameters ignored. */
function preferences(header: string | undefined): Set<string> {
  const names = new Set<string>();
  for (const item of (header ?? '').split(',')) {
    const name = item.split(/[;=]/, 1)[0]?.trim().toLowerCase();
    if (name) names.add(name);
  }
  return names;
}

/** Queues the request and answers 202: the job, where to poll it, the preference applied. */
export async function sendDeferred(
  reply: FastifyReply,
  jobs: JobStore,
  ask: DeferralAsk,
  kind: string,
  request: DeferredRequest,
): Promise<void> {
  const job = await jobs.create(request.principal.userId, {
    kind,
    request,
    ...(ask.webhookUrl === undefined ? {} : { webhookUrl: ask.webhookUrl }),
  });
  await reply
    .code(202)
    .header('location', `/v1/jobs/${job.id}`)
    .header('preference-applied', 'respond-async')
    .send(jobView(job));
}
