import type {
  AssistantMessage,
  ContentPart,
  Message,
  ModelRequest,
  ToolMessage,
  ToolSpec,
} from '../../core/index.js';
import {
  invalidRequestFromIssues,
  jsonDepthExceeds,
  MAX_JSON_DEPTH,
  RampartError,
  checkToolPairing,
} from '../../core/index.js';
import {
  messagesRequestSchema,
  type ParsedContentBlock,
  type ParsedMessagesBody,
} from './request-schema.js';
import { fromAnthropicToolChoice } from './tool-choice.js';

/** A validated `/v1/messages` request in neutral terms. */
export interface ParsedMessagesRequest {
  /** The model name exactly as the client sent it, before any routing. */
  model: string;
  stream: boolean;
  request: Omit<ModelRequest, 'model'>;
}

type ParsedMessage = ParsedMessagesBody['messages'][number];

function systemMessages(system: ParsedMessagesBody['system']): Message[] {
  if (system === undefined) return [];
  const texts = typeof system === 'string' ? [system] : system.map((block) => block.text);
  return texts.filter((text) => text !== '').map((content) => ({ role: 'system', content }));
}

function blocksOf(content: ParsedMessage['content']): ParsedContentBlock[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

function toolResultText(content: string | Array<{ text: string }> | undefined): string {
  if (content === undefined) return '';
  return typeof content === 'string' ? content : content.map((block) => block.text).join('');
}

/**
 * A user turn may answer tool calls and add text. The neutral form puts one `tool` message per
 * `tool_result` first, in order, then the rest of the turn as a user message.
 */
function userMessages(blocks: ParsedContentBlock[]): Message[] {
  const results: ToolMessage[] = [];
  const parts: ContentPart[] = [];
  for (const block of blocks) {
    if (block.type === 'tool_result') {
      const text = toolResultText(block.content);
      const error = block.is_error === true ? { isError: true } : {};
      results.push({ role: 'tool', toolCallId: block.tool_use_id, content: text, ...error });
    } else if (block.type === 'text' && block.text !== '') {
      parts.push({ type: 'text', text: block.text });
    } else if (block.type === 'image') {
      const { source } = block;
      const url =
        source.type === 'url' ? source.url : `data:${source.media_type};base64,${source.data}`;
      parts.push({ type: 'image', url });
    }
  }
  const rest: Message[] =
    parts.length > 0 || results.length === 0 ? [{ role: 'user', content: parts }] : [];
  return [...results, ...rest];
}

function assistantMessage(blocks: ParsedContentBlock[]): AssistantMessage {
  const message: AssistantMessage = { role: 'assistant', content: [], toolCalls: [] };
  for (const block of blocks) {
    if (block.type === 'text' && block.text !== '') {
      message.content.push({ type: 'text', text: block.text });
    } else if (block.type === 'tool_use') {
      const call = { id: block.id, name: block.name, arguments: JSON.stringify(block.input) };
      message.toolCalls.push(call);
    }
  }
  return message;
}

function toolSpecs(tools: NonNullable<ParsedMessagesBody['tools']>): ToolSpec[] {
  return tools.map((tool) => ({
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    parameters: tool.input_schema,
  }));
}

function toNeutral(body: ParsedMessagesBody): Omit<ModelRequest, 'model'> {
  const messages = [...systemMessages(body.system)];
  for (const message of body.messages) {
    const blocks = blocksOf(message.content);
    if (message.role === 'assistant') messages.push(assistantMessage(blocks));
    else messages.push(...userMessages(blocks));
  }

  const request: Omit<ModelRequest, 'model'> = { messages, maxTokens: body.max_tokens };
  if (body.tools !== undefined) request.tools = toolSpecs(body.tools);
  if (body.tool_choice !== undefined)
    Object.assign(request, fromAnthropicToolChoice(body.tool_choice));
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.topP = body.top_p;
  if (body.stop_sequences !== undefined) request.stop = body.stop_sequences;
  const endUser = body.metadata?.user_id;
  if (endUser != null && endUser !== '') request.endUser = endUser;
  return request;
}

function refuseIfTooDeep(value: unknown, param: string): void {
  if (!jsonDepthExceeds(value, MAX_JSON_DEPTH)) return;
  const message = `Invalid '${param}': nested deeper than ${MAX_JSON_DEPTH} levels`;
  throw new RampartError('RAMPART_INVALID_REQUEST', message, { param });
}

/**
 * Tool schemas and earlier tool inputs nested past {@link MAX_JSON_DEPTH} are refused: turning
 * them back into text, or compiling a schema, recurses once per level and could overflow the stack.
 */
/**
 * What Anthropic itself refuses and a neutral conversation cannot hold: a user turn with nothing
 * to read (no text, image or tool result: an empty list, or only thinking blocks), and a forced
 * tool the request does not declare.
 */
function checkTurns(body: ParsedMessagesBody): void {
  body.messages.forEach((message, index) => {
    if (message.role !== 'user') return;
    const blocks = blocksOf(message.content);
    const readable = blocks.some((block) =>
      block.type === 'text' ? block.text !== '' : block.type !== 'thinking',
    );
    if (readable) return;
    const param = `messages[${index}].content`;
    const text = `Invalid '${param}': a user message needs text, an image or a tool result`;
    throw new RampartError('RAMPART_INVALID_REQUEST', text, { param });
  });
  const forced = body.tool_choice?.type === 'tool' ? body.tool_choice.name : undefined;
  if (forced !== undefined && !body.tools?.some((tool) => tool.name === forced)) {
    const text = `Invalid 'tool_choice.name': no tool named '${forced.slice(0, 64)}' is declared`;
    throw new RampartError('RAMPART_INVALID_REQUEST', text, { param: 'tool_choice.name' });
  }
}

function checkPairing(body: ParsedMessagesBody): void {
  const messages = body.messages.map((message) => {
    const { role } = message;
    const type = role === 'assistant' ? 'tool_use' : 'tool_result';
    const ids = blocksOf(message.content).flatMap((block) => {
      if (block.type !== type) return [];
      return [
        block.type === 'tool_use'
          ? block.id
          : block.type === 'tool_result'
            ? block.tool_use_id
            : '',
      ];
    });
    if (ids.length === 0) return { role, kind: 'other' as const };
    return { role, kind: role === 'assistant' ? ('calls' as const) : ('results' as const), ids };
  });
  checkToolPairing(messages, {
    param: (index) => `messages[${index}].content`,
    mergeTurns: true,
  });
}

function checkDepth(body: ParsedMessagesBody): void {
  body.tools?.forEach((tool, index) =>
    refuseIfTooDeep(tool.input_schema, `tools[${index}].input_schema`),
  );
  body.messages.forEach((message, index) => {
    if (typeof message.content === 'string') return;
    message.content.forEach((block, position) => {
      if (block.type !== 'tool_use') return;
      refuseIfTooDeep(block.input, `messages[${index}].content[${position}].input`);
    });
  });
}

/**
 * Validates a client's `/v1/messages` body and turns it into a neutral request. Unknown fields
 * are ignored; a bad field throws `RAMPART_INVALID_REQUEST` whose `param` names its exact path,
 * e.g. `messages[1].content[0].source.url`.
 */
export function parseMessagesRequest(body: unknown): ParsedMessagesRequest {
  const result = messagesRequestSchema.safeParse(body);
  if (!result.success) throw invalidRequestFromIssues(result.error.issues);
  const parsed = result.data;
  checkDepth(parsed);
  checkTurns(parsed);
  checkPairing(parsed);
  return { model: parsed.model, stream: parsed.stream === true, request: toNeutral(parsed) };
}
