import {
  RampartError,
  type AssistantMessage,
  type ContentPart,
  type Message,
  type ModelRequest,
  type ToolCall,
  type ToolMessage,
} from '../../core/index.js';
import { parseJsonObject } from './json-value.js';
import { toAnthropicToolChoice } from './tool-choice.js';
import type {
  AnthropicContentBlock,
  AnthropicImageSource,
  AnthropicMessage,
  AnthropicMessagesBody,
  AnthropicTextBlock,
} from './wire-types.js';

export interface ToMessagesBodyOptions {
  stream: boolean;
  /** Sent as `max_tokens` when the request has none; Anthropic requires the field. */
  defaultMaxTokens: number;
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function imageSource(url: string, param: string): AnthropicImageSource {
  if (!url.startsWith('data:')) return { type: 'url', url };
  const match = DATA_URL.exec(url);
  if (match === null) {
    const message = 'Inline images must be base64 data URLs (data:<media type>;base64,<data>)';
    throw new RampartError('RAMPART_INVALID_REQUEST', message, { param });
  }
  return { type: 'base64', media_type: match[1] ?? '', data: match[2] ?? '' };
}

function userBlocks(content: ContentPart[], param: string): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  content.forEach((part, index) => {
    if (part.type === 'text') {
      if (part.text !== '') blocks.push({ type: 'text', text: part.text });
    } else {
      blocks.push({ type: 'image', source: imageSource(part.url, `${param}.content[${index}]`) });
    }
  });
  return blocks;
}

/** The longest argument text an invalid-arguments marker keeps, in UTF-16 code units. */
export const MAX_INVALID_ARGUMENTS_LENGTH = 4096;

/**
 * The `input` sent for argument text that is not a usable JSON object: the raw text (cut to
 * {@link MAX_INVALID_ARGUMENTS_LENGTH}) under `_invalid_arguments`, plus `_original_length` when
 * it was cut. The model sees what it wrote and the error result that answered it, instead of a
 * conversation that can no longer be sent.
 */
export type InvalidArgumentsInput = {
  _invalid_arguments: string;
  _original_length?: number;
};

/**
 * Tool call arguments become `input`, which Anthropic requires to be a JSON object. The rule:
 * argument text that parses to an object nested at most `MAX_JSON_DEPTH` levels is sent as that
 * object; empty (or blank) text means a call without arguments and is sent as `{}`; anything else
 * (truncated or malformed JSON, a JSON value that is not an object, or nesting deeper than the
 * limit) is sent as an {@link InvalidArgumentsInput} marker. Such history is normal in a
 * server-held session: the model wrote the call and the tool runner already answered it with an
 * error, so refusing it would break every later turn of that session.
 */
export function toolInput(call: ToolCall): Record<string, unknown> {
  if (call.arguments.trim() === '') return {};
  return parseJsonObject(call.arguments) ?? invalidArgumentsInput(call.arguments);
}

function invalidArgumentsInput(text: string): InvalidArgumentsInput {
  if (text.length <= MAX_INVALID_ARGUMENTS_LENGTH) return { _invalid_arguments: text };
  let end = MAX_INVALID_ARGUMENTS_LENGTH;
  // Never keep half of a surrogate pair.
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return { _invalid_arguments: text.slice(0, end), _original_length: text.length };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** A tool-only turn gets only `tool_use` blocks: empty text blocks are dropped (P17). */
function assistantBlocks(message: AssistantMessage): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  for (const part of message.content) {
    if (part.text !== '') blocks.push({ type: 'text', text: part.text });
  }
  for (const call of message.toolCalls) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: toolInput(call) });
  }
  return blocks;
}

function toolResultBlock(message: ToolMessage): AnthropicContentBlock {
  return {
    type: 'tool_result',
    tool_use_id: message.toolCallId,
    // An empty result is sent without `content`, which the API allows, not as an empty string.
    ...(message.content === '' ? {} : { content: message.content }),
    ...(message.isError === true ? { is_error: true } : {}),
  };
}

function toWire(message: Exclude<Message, { role: 'system' }>, param: string): AnthropicMessage {
  if (message.role === 'assistant') {
    return { role: 'assistant', content: assistantBlocks(message) };
  }
  if (message.role === 'tool') return { role: 'user', content: [toolResultBlock(message)] };
  return { role: 'user', content: userBlocks(message.content, param) };
}

/**
 * Anthropic requires user and assistant turns to alternate, and the results of one turn's tool
 * calls to open the next user message. So neighbours of the same role are merged into one, with
 * any `tool_result` blocks moved to the front in their original order (P15).
 */
function mergeTurns(messages: AnthropicMessage[]): AnthropicMessage[] {
  const merged: AnthropicMessage[] = [];
  for (const message of messages) {
    if (message.content.length === 0) continue;
    const last = merged.at(-1);
    if (last === undefined || last.role !== message.role) {
      merged.push({ role: message.role, content: [...message.content] });
      continue;
    }
    const blocks = [...last.content, ...message.content];
    const results = blocks.filter((block) => block.type === 'tool_result');
    last.content = [...results, ...blocks.filter((block) => block.type !== 'tool_result')];
  }
  return merged;
}

function systemOf(messages: Message[]): AnthropicMessagesBody['system'] {
  const texts: AnthropicTextBlock[] = [];
  for (const message of messages) {
    if (message.role === 'system' && message.content !== '') {
      texts.push({ type: 'text', text: message.content });
    }
  }
  if (texts.length === 0) return undefined;
  return texts.length === 1 ? texts[0]?.text : texts;
}

/**
 * The body Rampart sends to an Anthropic upstream. System messages, wherever they are, become
 * `system` (a string, or text blocks when there are several); `seed`, the penalties and
 * `logit_bias` are dropped because the Messages API has no such fields (they only shade the
 * sampling). A `response_format` is not sent: see {@link formatRefusal}. Invalid tool call
 * arguments are sent as a marker input (see `toolInput`); throws `RAMPART_INVALID_REQUEST` only
 * for a data URL that is not base64.
 */
export function toMessagesBody(
  request: ModelRequest,
  options: ToMessagesBodyOptions,
): AnthropicMessagesBody {
  const wire: AnthropicMessage[] = [];
  request.messages.forEach((message, index) => {
    if (message.role !== 'system') wire.push(toWire(message, `messages[${index}]`));
  });

  const body: AnthropicMessagesBody = {
    model: request.model,
    max_tokens: request.maxTokens ?? options.defaultMaxTokens,
    messages: mergeTurns(wire),
    stream: options.stream,
  };
  const system = systemOf(request.messages);
  if (system !== undefined) body.system = system;
  addTools(body, request);
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = request.stop;
  if (request.endUser !== undefined) body.metadata = { user_id: request.endUser };
  return body;
}

/** `tool_choice` is only valid next to `tools`, so it is left out when there are none. */
function addTools(body: AnthropicMessagesBody, request: ModelRequest): void {
  if (request.tools === undefined || request.tools.length === 0) return;
  body.tools = request.tools.map((tool) => ({
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    // Anthropic insists on an object schema; an empty neutral schema means "no arguments".
    input_schema: { type: 'object', ...tool.parameters },
  }));
  const choice = toAnthropicToolChoice(request);
  if (choice !== undefined) body.tool_choice = choice;
}

/**
 * The Messages API has no JSON mode: a model told nothing of the format would answer in prose,
 * which a client that asked for JSON could not read. So an Anthropic-format target refuses such
 * a request before it is called, and a route tries its next target.
 */
export function formatRefusal(request: Pick<ModelRequest, 'responseFormat'>) {
  if (request.responseFormat === undefined) return undefined;
  const { type } = request.responseFormat;
  const message = `response_format '${type}' is not supported by an Anthropic-format model`;
  return new RampartError('RAMPART_INVALID_REQUEST', message, { param: 'response_format' });
}
