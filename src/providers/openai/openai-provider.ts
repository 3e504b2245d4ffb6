import {
  RampartError,
  toRampartError,
  type Logger,
  type ModelEvent,
  type ModelRequest,
} from '../../core/index.js';
import {
  decodeChatCompletion,
  decodeChatCompletionStream,
  toChatCompletionBody,
  type ChatCompletionBodyOptions,
} from '../../protocol/openai/index.js';
import {
  answerBodyKind,
  createHttpTransport,
  errorFromResponse,
  readJsonBody,
  readSseEvents,
  type HttpTimeouts,
  type HttpTransport,
} from '../http/index.js';
import type { Provider, ProviderCallOptions } from '../provider.js';

export interface OpenAIProviderOptions {
  /** The configured provider name, e.g. `openai` or `local-vllm`. */
  name: string;
  /** The API base, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer`; no such header when absent, for servers that need none. */
  apiKey?: string;
  /** Extra headers on every request, e.g. an organisation id or Azure's `api-key`. */
  headers?: Readonly<Record<string, string>>;
  /** Timeouts by phase; see {@link HttpTimeouts} for the defaults. */
  timeouts?: Partial<HttpTimeouts>;
  /** Ask for the usage chunk (`stream_options`). Default true; off only for servers that reject it. */
  streamUsage?: boolean;
  /** The field for the output limit. Default `max_tokens`. */
  maxTokensField?: ChatCompletionBodyOptions['maxTokensField'];
  /** Receives warnings about malformed upstream payloads; their content is never logged. */
  logger?: Logger;
}

/**
 * A provider for OpenAI and every server that speaks the Chat Completions format. It always
 * streams upstream, asking for usage, so that streaming and non-streaming client requests take
 * one path (a non-streaming answer is the same stream, collected). Every failure, including a
 * cancelled signal, arrives as a final `error` event; `stream` never throws.
 */
export function createOpenAIProvider(options: OpenAIProviderOptions): Provider {
  const transport = createHttpTransport({
    baseUrl: options.baseUrl,
    timeouts: options.timeouts,
    headers: {
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      ...options.headers,
    },
  });

  return {
    name: options.name,
    kind: 'openai',
    simulated: false,
    stream: (request, callOptions = {}) =>
      guarded(callUpstream(transport, request, options, callOptions), callOptions.signal),
    close: () => transport.close(),
  };
}

async function* callUpstream(
  transport: HttpTransport,
  request: ModelRequest,
  options: OpenAIProviderOptions,
  { signal }: ProviderCallOptions,
): AsyncGenerator<ModelEvent, void, undefined> {
  const body = toChatCompletionBody(request, {
    stream: true,
    includeUsage: options.streamUsage ?? true,
    maxTokensField: options.maxTokensField,
  });
  const response = await transport.post('/chat/completions', body, {
    signal,
    headers: { accept: 'text/event-stream' },
  });
  if (response.status < 200 || response.status > 299) {
    throw await errorFromResponse(response);
  }
  if (answerBodyKind(response) === 'json') {
    // A server that ignores `stream: true` answers with one whole completion.
    yield* decodeChatCompletion(await readJsonBody(response.body));
    return;
  }
  const onSkippedPayload = (data: string) =>
    options.logger?.warn(
      { provider: options.name, payloadLength: data.length },
      'skipped an upstream payload that is not JSON',
    );
  yield* decodeChatCompletionStream(readSseEvents(response.body), { onSkippedPayload });
}

/**
 * Keeps the provider contract: anything thrown becomes a final `error` event, nothing follows
 * the first `finish` or `error`, and once the caller's signal has fired the error says so.
 */
async function* guarded(
  events: AsyncIterable<ModelEvent>,
  signal: AbortSignal | undefined,
): AsyncGenerator<ModelEvent, void, undefined> {
  let contentSent = false;
  try {
    for await (const event of events) {
      if (event.type === 'error') {
        yield { ...event, error: cancelledOr(event.error, signal) };
        return;
      }
      if (event.type === 'text-delta' || event.type === 'tool-call-start') contentSent = true;
      yield event;
      if (event.type === 'finish') return;
    }
  } catch (error) {
    const failure = cancelledOr(toRampartError(error, 'RAMPART_UPSTREAM_ERROR'), signal);
    yield { type: 'error', error: failure, beforeContent: !contentSent };
  }
}

function cancelledOr(error: RampartError, signal: AbortSignal | undefined): RampartError {
  if (signal?.aborted !== true || error.code === 'RAMPART_CLIENT_CLOSED') return error;
  return new RampartError('RAMPART_CLIENT_CLOSED', 'The upstream call was cancelled', {
    cause: error,
  });
}
