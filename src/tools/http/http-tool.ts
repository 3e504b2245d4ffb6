import { request } from 'undici';
import { isRampartError, RampartError, type JsonSchema } from '../../core/index.js';
import type { ToolContext, ToolDefinition } from '../types.js';
import { readLimited } from './read-body.js';

export interface HttpToolOptions {
  name: string;
  description?: string;
  parameters: JsonSchema;
  /** The endpoint that receives each call's arguments as a JSON POST body. */
  url: string;
  /** Time allowed for the whole exchange, response body included. */
  timeoutMs: number;
  /** Extra request headers, e.g. the backend's own credentials. Never logged. */
  headers?: Record<string, string>;
  /** Largest response body accepted. Default 1 MiB. */
  maxResponseBytes?: number;
}

/** How much of a failing response's body is quoted in the error. */
const ERROR_EXCERPT_BYTES = 500;
const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * A tool backed by an HTTP endpoint: the arguments are POSTed as JSON, a 2xx JSON response
 * becomes the tool's value (any other 2xx body is returned as text), and a non-2xx status is a
 * tool failure quoting the status and the start of the body. Redirects are not followed.
 */
export function createHttpTool(options: HttpToolOptions): ToolDefinition {
  checkUrl(options);
  const definition: ToolDefinition = {
    name: options.name,
    parameters: options.parameters,
    timeoutMs: options.timeoutMs,
    handler: (args, context) => callEndpoint(options, args, context),
  };
  if (options.description !== undefined) definition.description = options.description;
  return definition;
}

async function callEndpoint(options: HttpToolOptions, args: unknown, context: ToolContext) {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  const signal = AbortSignal.any([context.signal, deadline.signal]);
  try {
    const response = await request(options.url, {
      method: 'POST',
      headers: { ...options.headers, 'content-type': 'application/json' },
      body: JSON.stringify(args),
      signal,
    });
    return await readResponse(options, response);
  } catch (error) {
    throw explain(options, error, deadline.signal.aborted && !context.signal.aborted);
  } finally {
    clearTimeout(timer);
  }
}

type UndiciResponse = Awaited<ReturnType<typeof request>>;

async function readResponse(options: HttpToolOptions, response: UndiciResponse) {
  const { statusCode, headers, body } = response;
  if (statusCode < 200 || statusCode > 299) {
    const excerpt = await readLimited(body, ERROR_EXCERPT_BYTES);
    const text = excerpt.bytes.toString('utf8') + (excerpt.truncated ? '…' : '');
    const message = `The endpoint answered HTTP ${statusCode}: ${text}`;
    throw new RampartError('RAMPART_TOOL_FAILED', message, { upstreamStatus: statusCode });
  }

  const limit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const content = await readLimited(body, limit);
  if (content.truncated) {
    const message = `The endpoint's response is larger than the limit of ${limit} bytes.`;
    throw new RampartError('RAMPART_TOOL_FAILED', message);
  }
  return decode(content.bytes.toString('utf8'), String(headers['content-type'] ?? ''));
}

/** JSON when the endpoint says so and it parses; the text otherwise; `null` for no body. */
function decode(text: string, contentType: string): unknown {
  if (text === '') return null;
  if (!/\bjson\b/i.test(contentType)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function explain(options: HttpToolOptions, error: unknown, timedOut: boolean): unknown {
  if (timedOut) {
    const message = `The endpoint did not answer within ${options.timeoutMs} ms.`;
    return new RampartError('RAMPART_TOOL_TIMEOUT', message, { cause: error });
  }
  if (isRampartError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new RampartError('RAMPART_TOOL_FAILED', `The endpoint could not be reached: ${reason}`, {
    cause: error,
  });
}

function checkUrl(options: HttpToolOptions): void {
  let protocol = '';
  try {
    protocol = new URL(options.url).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    const message = `HTTP tool '${options.name}' needs an http or https URL.`;
    throw new RampartError('RAMPART_CONFIG_INVALID', message);
  }
}
