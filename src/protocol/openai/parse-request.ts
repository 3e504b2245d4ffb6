import {
  jsonDepthExceeds,
  MAX_JSON_DEPTH,
  RampartError,
  type ContentPart,
  type ImagePart,
  type Message,
  type ModelRequest,
  type ResponseFormat,
  type TextPart,
  type ToolChoice,
  type ToolSpec,
} from '../../core/index.js';
import { checkToolPairing, invalidRequestFromIssues } from '../../core/index.js';
import {
  chatCompletionRequestSchema,
  type ChatCompletionRequestBody,
  type WireMessage,
  type WireToolChoice,
} from './request-schema.js';

/** A validated client request, translated to the neutral model. */
export interface ParsedChatRequest {
  /** The model name the client asked for, before routing resolves it. */
  model: string;
  stream: boolean;
  /** Whether the client asked for the usage-only chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
  request: Omit<ModelRequest, 'model'>;
}

/**
 * Validates a Chat Completions request body and translates it to the neutral model. Throws a
 * `RAMPART_INVALID_REQUEST` RampartError whose `param` names the offending field.
 */
export function parseChatCompletionRequest(body: unknown): ParsedChatRequest {
  const result = chatCompletionRequestSchema.safeParse(body);
  if (!result.success) throw invalidRequestFromIssues(result.error.issues);
  const wire = result.data;
  checkSupported(wire);

  const stream = wire.stream === true;
  return {
    model: wire.model,
    stream,
    includeUsage: stream && wire.stream_options?.include_usage === true,
    request: toNeutralRequest(wire),
  };
}

function checkPairing(wire: ChatCompletionRequestBody): void {
  const messages = wire.messages.map((message) => {
    const { role } = message;
    if (role === 'tool') return { role, kind: 'results' as const, ids: [message.tool_call_id] };
    const calls = role === 'assistant' ? (message.tool_calls ?? []) : [];
    if (calls.length > 0)
      return { role, kind: 'calls' as const, ids: calls.map((call) => call.id) };
    return { role, kind: 'other' as const };
  });
  // OpenAI wants the results right after the call's message, so no turns are merged.
  checkToolPairing(messages, { param: (index) => `messages[${index}]`, mergeTurns: false });
}

function checkSupported(wire: ChatCompletionRequestBody): void {
  checkSchemaDepth(wire);
  checkPairing(wire);
  if (wire.n != null && wire.n !== 1) {
    throw new RampartError('RAMPART_INVALID_REQUEST', `Only n=1 is supported; got n=${wire.n}`, {
      param: 'n',
    });
  }
  // Answers come back without log probabilities: a client that asked for them would find
  // `logprobs: null` where it expects them, so it is told now instead.
  const param =
    wire.logprobs === true ? 'logprobs' : (wire.top_logprobs ?? 0) > 0 ? 'top_logprobs' : undefined;
  if (param !== undefined) {
    const message = `Log probabilities are not returned by this server; leave out '${param}'.`;
    throw new RampartError('RAMPART_INVALID_REQUEST', message, { param });
  }
  const choice = wire.tool_choice;
  const names = new Set((wire.tools ?? []).map((tool) => tool.function.name));
  if ((choice === 'required' || typeof choice === 'object') && names.size === 0) {
    throw new RampartError('RAMPART_INVALID_REQUEST', `tool_choice needs 'tools' to be set`, {
      param: 'tool_choice',
    });
  }
  if (typeof choice === 'object' && choice !== null && !names.has(choice.function.name)) {
    throw new RampartError(
      'RAMPART_INVALID_REQUEST',
      `tool_choice names '${choice.function.name}', which is not in 'tools'`,
      { param: 'tool_choice.function.name' },
    );
  }
}

/**
 * A schema nested past {@link MAX_JSON_DEPTH} is refused here: serialising or compiling it later
 * would recurse once per level and could overflow the stack.
 */
function checkSchemaDepth(wire: ChatCompletionRequestBody): void {
  const schemas: [unknown, string][] = (wire.tools ?? []).map((tool, index) => [
    tool.function.parameters,
    `tools[${index}].function.parameters`,
  ]);
  const format = wire.response_format;
  if (format?.type === 'json_schema') {
    schemas.push([format.json_schema.schema, 'response_format.json_schema.schema']);
  }
  for (const [schema, param] of schemas) {
    if (!jsonDepthExceeds(schema, MAX_JSON_DEPTH)) continue;
    const message = `Invalid '${param}': nested deeper than ${MAX_JSON_DEPTH} levels`;
    throw new RampartError('RAMPART_INVALID_REQUEST', message, { param });
  }
}

function toResponseFormat(
  wire: NonNullable<ChatCompletionRequestBody['response_format']>,
): ResponseFormat | undefined {
  if (wire.type === 'text') return undefined;
  if (wire.type === 'json_object') return { type: 'json_object' };
  const { name, description, schema, strict } = wire.json_schema;
  return {
    type: 'json_schema',
    name,
    ...(description == null ? {} : { description }),
    ...(schema == null ? {} : { schema }),
    ...(strict == null ? {} : { strict }),
  };
}

function toNeutralRequest(wire: ChatCompletionRequestBody): Omit<ModelRequest, 'model'> {
  const request: Omit<ModelRequest, 'model'> = { messages: wire.messages.map(toNeutralMessage) };
  if (wire.tools != null) request.tools = wire.tools.map(toToolSpec);
  if (wire.tool_choice != null) request.toolChoice = toToolChoice(wire.tool_choice);
  if (wire.parallel_tool_calls != null) request.parallelToolCalls = wire.parallel_tool_calls;
  // `max_completion_tokens` replaced `max_tokens`; when a client sends both, the newer one wins.
  const maxTokens = wire.max_completion_tokens ?? wire.max_tokens;
  if (maxTokens != null) request.maxTokens = maxTokens;
  if (wire.temperature != null) request.temperature = wire.temperature;
  if (wire.top_p != null) request.topP = wire.top_p;
  if (wire.stop != null) request.stop = typeof wire.stop === 'string' ? [wire.stop] : wire.stop;
  if (wire.seed != null) request.seed = wire.seed;
  const format = wire.response_format == null ? undefined : toResponseFormat(wire.response_format);
  if (format !== undefined) request.responseFormat = format;
  if (wire.presence_penalty != null) request.presencePenalty = wire.presence_penalty;
  if (wire.frequency_penalty != null) request.frequencyPenalty = wire.frequency_penalty;
  if (wire.logit_bias != null) request.logitBias = wire.logit_bias;
  if (wire.user != null && wire.user !== '') request.endUser = wire.user;
  return request;
}

function toNeutralMessage(message: WireMessage): Message {
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: joinText(message.content) };
    case 'user':
      return { role: 'user', content: toUserParts(message.content) };
    case 'assistant':
      return {
        role: 'assistant',
        content: toAssistantParts(message.content),
        toolCalls: (message.tool_calls ?? []).map((call) => ({
          id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
        })),
      };
    case 'tool':
      return { role: 'tool', toolCallId: message.tool_call_id, content: joinText(message.content) };
  }
}

function joinText(content: string | readonly { text: string }[]): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}

type WireUserContent = Extract<WireMessage, { role: 'user' }>['content'];
type WireAssistantContent = Extract<WireMessage, { role: 'assistant' }>['content'];

/** Empty text parts are dropped everywhere: strict upstreams reject them (field case P17). */
function toUserParts(content: WireUserContent): ContentPart[] {
  if (typeof content === 'string') return textParts(content);
  return content.flatMap((part): ContentPart[] => {
    if (part.type === 'text') return textParts(part.text);
    const image: ImagePart = { type: 'image', url: part.image_url.url };
    if (part.image_url.detail != null) image.detail = part.image_url.detail;
    return [image];
  });
}

function toAssistantParts(content: WireAssistantContent): TextPart[] {
  if (content == null) return [];
  if (typeof content === 'string') return textParts(content);
  return content.flatMap((part) => textParts(part.type === 'text' ? part.text : part.refusal));
}

function textParts(text: string): TextPart[] {
  return text === '' ? [] : [{ type: 'text', text }];
}

type WireTool = NonNullable<ChatCompletionRequestBody['tools']>[number];

function toToolSpec(tool: WireTool): ToolSpec {
  const spec: ToolSpec = {
    name: tool.function.name,
    // A function without parameters takes none; the empty object schema says exactly that.
    parameters: tool.function.parameters ?? { type: 'object', properties: {} },
  };
  if (tool.function.description != null) spec.description = tool.function.description;
  return spec;
}

function toToolChoice(choice: WireToolChoice): ToolChoice {
  return typeof choice === 'string' ? choice : { name: choice.function.name };
}
