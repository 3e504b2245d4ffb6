import { ResponseCollector } from '../core/index.js';
import {
  buildChatCompletion,
  createChatChunkEncoder,
  parseChatCompletionRequest,
} from '../protocol/openai/index.js';
import { formatSseEvent } from '../protocol/sse/index.js';
import {
  reportedModel,
  SIMULATED_CREATED,
  type WireError,
  type WireFormat,
} from './wire-format.js';

/** OpenAI's error `type` and `code` by HTTP status, as its API sends them. */
const ERRORS: Readonly<Record<number, { type: string; code: string | null }>> = {
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

/** The OpenAI Chat Completions format (https://platform.openai.com/docs/api-reference/chat). */
export function createOpenAIFormat(defaultModel: string): WireFormat {
  return {
    parse(body) {
      const parsed = parseChatCompletionRequest(body);
      const model = reportedModel(parsed.model, defaultModel);
      const request = { model, ...parsed.request };
      return { request, stream: parsed.stream, model, includeUsage: parsed.includeUsage };
    },
    encodeStream(call, events, id) {
      const { model, includeUsage } = call;
      const encoder = createChatChunkEncoder({
        id,
        model,
        created: SIMULATED_CREATED,
        includeUsage,
      });
      const toSse = (data: string) => formatSseEvent({ data });
      const groups = events.map((event) => encoder.encode(event).map(toSse));
      return { groups, tail: encoder.finish().map(toSse) };
    },
    buildResponse(call, events, id) {
      const collector = new ResponseCollector();
      for (const event of events) collector.add(event);
      const identity = { id, model: call.model, created: SIMULATED_CREATED };
      return JSON.stringify(buildChatCompletion(identity, collector.result()));
    },
    errorBody: openAIErrorBody,
    inBandError: (error) => formatSseEvent({ data: openAIErrorBody(error) }),
    malformedChunk: 'data: {"choices": [\n\n',
    idPrefix: 'chatcmpl-',
    requestIdHeader: 'x-request-id',
  };
}

function openAIErrorBody(error: WireError): string {
  const known = ERRORS[error.status];
  const type = known?.type ?? (error.status >= 500 ? 'server_error' : 'invalid_request_error');
  const body = {
    message: error.message,
    type,
    param: error.param ?? null,
    code: known?.code ?? null,
  };
  return JSON.stringify({ error: body });
}
