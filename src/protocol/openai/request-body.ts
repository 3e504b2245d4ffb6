import type {
  ContentPart,
  Message,
  ModelRequest,
  ResponseFormat,
  ToolChoice,
} from '../../core/index.js';

export interface ChatCompletionBodyOptions {
  stream: boolean;
  /**
   * Ask for the usage chunk when streaming (`stream_options.include_usage`). Default true: our
   * own accounting needs exact usage whatever the client asked for. Turn off only for an
   * upstream that rejects `stream_options`.
   */
  includeUsage?: boolean;
  /**
   * The field that carries the output limit. Default `max_tokens`, which every compatible
   * server reads; OpenAI's reasoning models accept only `max_completion_tokens`.
   */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

/** The body a provider sends to an OpenAI-compatible `/chat/completions` endpoint. */
export function toChatCompletionBody(
  request: ModelRequest,
  options: ChatCompletionBodyOptions,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    messages: request.messages.map(toWireMessage),
  };
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: tool.parameters,
      },
    }));
  }
  if (request.toolChoice !== undefined) body.tool_choice = toWireToolChoice(request.toolChoice);
  if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  if (request.maxTokens !== undefined)
    body[options.maxTokensField ?? 'max_tokens'] = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.responseFormat !== undefined)
    body.response_format = toWireResponseFormat(request.responseFormat);
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.logitBias !== undefined) body.logit_bias = request.logitBias;
  if (request.endUser !== undefined) body.user = request.endUser;
  body.stream = options.stream;
  if (options.stream && options.includeUsage !== false) {
    body.stream_options = { include_usage: true };
  }
  return body;
}

function toWireResponseFormat(format: ResponseFormat): Record<string, unknown> {
  if (format.type === 'json_object') return { type: 'json_object' };
  const { type, ...jsonSchema } = format;
  return { type, json_schema: jsonSchema };
}

function toWireMessage(message: Message): Record<string, unknown> {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: toWireUserContent(message.content) };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: toolResultText(message) };
    case 'assistant':
      return toWireAssistant(message);
  }
}

/** A failed call's result says so in words that already name an error. */
const SAYS_ERROR = /^\s*(?:\{\s*"error"|error\b|failed\b)/i;

/**
 * A tool result's text. The Chat Completions format has no flag for a failed call (Anthropic's
 * `is_error`), so a result marked as failed whose text does not say so itself is sent as
 * `Error: <text>`: without it the model would read a failure as the tool's answer.
 */
function toolResultText(message: Extract<Message, { role: 'tool' }>): string {
  if (message.isError !== true || SAYS_ERROR.test(message.content)) return message.content;
  return `Error: ${message.content}`;
}

/**
 * Text-only content goes as one string: some compatible servers accept nothing else. Content
 * with images goes as parts, with data URLs passed through untouched.
 */
function toWireUserContent(content: readonly ContentPart[]): string | Record<string, unknown>[] {
  if (content.every((part) => part.type === 'text'))
    return content.map((part) => part.text).join('');
  return content.map((part) => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const imageUrl =
      part.detail === undefined ? { url: part.url } : { url: part.url, detail: part.detail };
    return { type: 'image_url', image_url: imageUrl };
  });
}

/**
 * A turn that holds only tool calls is sent with `content: null`, never `""`: strict endpoints
 * reject empty text, and some models start writing calls as text after seeing it (field case P17).
 */
function toWireAssistant(message: Extract<Message, { role: 'assistant' }>) {
  const text = message.content.map((part) => part.text).join('');
  if (message.toolCalls.length === 0) return { role: 'assistant', content: text };
  return {
    role: 'assistant',
    content: text === '' ? null : text,
    tool_calls: message.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    })),
  };
}

function toWireToolChoice(choice: ToolChoice): unknown {
  if (typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}
