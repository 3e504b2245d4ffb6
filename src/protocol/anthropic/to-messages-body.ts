import {
  RampartError,
  type AssistantMessage,
  type ContentPart,
  type Message,
  type ModelRequest,
  type ToolCall,
  type ToolMessage,
} from '../../core/index.js';
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

/**
 * Tool call arguments become `input`, which Anthropic requires to be a JSON object. The rule:
 * argument text that parses to an object is sent as that object; empty (or blank) text means a
 * call without arguments and is sent as `{}`; anything else (truncated or malformed JSON, or a
 * JSON value that is not an object) cannot be represented, so the request fails with
 * `RAMPART_INVALID_REQUEST` naming the call, rather than sending arguments the model never wrote.
 */
export function toolInput(call: ToolCall, param: string): Record<string, unknown> {
  if (call.arguments.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(call.arguments);
  } catch {
    value = undefined;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  const message = `Tool call ${call.id} has arguments that are not a JSON object`;
  throw new RampartError('RAMPART_INVALID_REQUEST', message, { param });
}

/** A tool-only turn gets only `tool_use` blocks: empty text blocks are dropped (P17). */
function assistantBlocks(message: AssistantMessage, param: string): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  for (const part of message.content) {
    if (part.text !== '') blocks.push({ type: 'text', text: part.text });
  }
  message.toolCalls.forEach((call, index) => {
    const input = toolInput(call, `${param}.toolCalls[${index}].arguments`);
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input });
  });
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
    return { role: 'assistant', content: assistantBlocks(message, param) };
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
 * `system` (a string, or text blocks when there are several); `seed` is dropped because the
 * Messages API has no such field. Throws `RAMPART_INVALID_REQUEST` for content Anthropic cannot
 * represent (see `toolInput` and non-base64 data URLs).
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
