import {
  RampartError,
  toRampartError,
  type ModelEvent,
  type Logger,
  type ModelRequest,
} from '../../core/index.js';
import {
  decodeMessage,
  decodeMessagesStream,
  formatRefusal,
  toMessagesBody,
} from '../../protocol/anthropic/index.js';
import {
  answerBodyKind,
  createHttpTransport,
  errorFromResponse,
  readJsonBody,
  readSseEvents,
  type HttpResponse,
  type HttpTimeouts,
  type HttpTransport,
} from '../http/index.js';
import type { Provider, ProviderCallOptions } from '../provider.js';

/** The API version sent when none is configured. */
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

/** The `max_tokens` sent when a request sets none; Anthropic requires the field. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

export interface AnthropicProviderOptions {
  /** The configured provider name, e.g. `anthropic`. */
  name: string;
  /** The API origin, e.g. `https://api.anthropic.com`; a trailing `/v1` is accepted too. */
  baseUrl: string;
  /** Sent as `x-api-key`; no key header is sent when absent. */
  apiKey?: string;
  /** The `anthropic-version` header. Default `2023-06-01`. */
  version?: string;
  /** Extra headers on every request (e.g. `anthropic-beta`); they override the defaults. */
  headers?: Readonly<Record<string, string>>;
  /** Timeouts by phase; see the shared HTTP transport for the defaults. */
  timeouts?: Partial<HttpTimeouts>;
  /** `max_tokens` when the request sets none. Default 4096. */
  defaultMaxTokens?: number;
  /** Warned when the upstream sends a payload that is not JSON (it is skipped). */
  logger?: Logger;
}

/** The API's path under the origin; a base URL ending in `/v1` is trimmed so it is not doubled. */
const MESSAGES_PATH = '/v1/messages';

function failure(error: RampartError, beforeContent: boolean): ModelEvent {
  return { type: 'error', error, beforeContent };
}

function cancelled(): RampartError {
  return new RampartError('RAMPART_CLIENT_CLOSED', 'The upstream call was cancelled');
}

/** The answer's events: streamed as asked, or decoded whole if the upstream replied with JSON. */
async function* answerEvents(
  response: HttpResponse,
  options: AnthropicProviderOptions,
): AsyncIterable<ModelEvent> {
  if (answerBodyKind(response) === 'event-stream') {
    const onSkippedPayload = (data: string) =>
      options.logger?.warn(
        { provider: options.name, payloadLength: data.length },
        'skipped an upstream payload that is not JSON',
      );
    yield* decodeMessagesStream(readSseEvents(response.body), { onSkippedPayload });
    return;
  }
  try {
    yield* decodeMessage(await readJsonBody(response.body));
  } catch (error) {
    yield failure(toRampartError(error, 'RAMPART_UPSTREAM_BAD_RESPONSE'), true);
  }
}

class AnthropicProvider implements Provider {
  readonly kind = 'anthropic';
  readonly simulated = false;
  readonly name: string;
  private readonly transport: HttpTransport;
  private readonly maxTokens: number;
  private readonly options: AnthropicProviderOptions;

  constructor(options: AnthropicProviderOptions) {
    this.options = options;
    this.name = options.name;
    this.maxTokens = options.defaultMaxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS;
    const key: Record<string, string> =
      options.apiKey === undefined ? {} : { 'x-api-key': options.apiKey };
    const headers: Record<string, string> = {
      accept: 'text/event-stream',
      'anthropic-version': options.version ?? DEFAULT_ANTHROPIC_VERSION,
      ...key,
      ...options.headers,
    };
    const base = options.baseUrl.replace(/\/v1\/*$/, '');
    this.transport = createHttpTransport({ baseUrl: base, headers, timeouts: options.timeouts });
  }

  refuses(request: Omit<ModelRequest, 'model'>): RampartError | undefined {
    return formatRefusal(request);
  }

  /**
   * Streams one call, always with `stream: true` upstream. Never throws: a refused request, an
   * HTTP error status, an answer that is neither an event stream nor JSON, a network failure or an
   * in-band error ends the stream with an `error` event, and an aborted signal ends it with
   * `RAMPART_CLIENT_CLOSED` after closing the socket.
   */
  async *stream(request: ModelRequest, options: ProviderCallOptions = {}) {
    const { signal } = options;
    let produced = false;
    try {
      for await (const event of this.call(request, signal)) {
        if (event.type === 'error' && signal?.aborted === true) {
          yield failure(cancelled(), !produced);
          return;
        }
        produced ||= event.type === 'text-delta' || event.type === 'tool-call-start';
        yield event;
      }
    } catch (error) {
      const reason = signal?.aborted === true ? cancelled() : toRampartError(error);
      yield failure(reason, !produced);
    }
  }

  private async *call(request: ModelRequest, signal: AbortSignal | undefined) {
    if (signal?.aborted === true) throw cancelled();
    const body = toMessagesBody(request, { stream: true, defaultMaxTokens: this.maxTokens });
    const response = await this.transport.post(MESSAGES_PATH, body, signal ? { signal } : {});
    if (response.status < 200 || response.status >= 300) {
      yield failure(await errorFromResponse(response), true);
      return;
    }
    yield* answerEvents(response, this.options);
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

/**
 * A provider speaking Anthropic's Messages API: `POST {baseUrl}/v1/messages` with `x-api-key`
 * and `anthropic-version` headers, streamed over server-sent events.
 * https://docs.anthropic.com/en/api/messages
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): Provider {
  return new AnthropicProvider(options);
}
