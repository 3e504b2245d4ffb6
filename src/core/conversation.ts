/**
 * The provider-neutral model of a conversation. Wire formats (OpenAI, Anthropic, the session API)
 * are translated to and from these types at the edges; everything in between speaks only these.
 */

/** Plain text content. */
export interface TextPart {
  type: 'text';
  text: string;
}

/** An image given by URL; `data:` URLs carry inline bytes and are passed through untouched. */
export interface ImagePart {
  type: 'image';
  url: string;
  /** OpenAI's `detail` hint, kept so a pass-through request is not altered. */
  detail?: 'auto' | 'low' | 'high';
}

export type ContentPart = TextPart | ImagePart;

/**
 * A tool call as the model produced it. `arguments` is the raw JSON text, never re-serialised:
 * a truncated or malformed argument string must reach the client and the logs exactly as it was.
 */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
  /**
   * Kept only on a call that waits for the user's approval when `arguments` was redacted for
   * display: the arguments as the model wrote them, which an approval runs. Never shown to a
   * client nor sent to a model.
   */
  approvalArguments?: string;
}

export interface SystemMessage {
  role: 'system';
  content: string;
}

export interface UserMessage {
  role: 'user';
  content: ContentPart[];
}

export interface AssistantMessage {
  role: 'assistant';
  /** Text parts only; empty when the turn held only tool calls. */
  content: TextPart[];
  toolCalls: ToolCall[];
}

export interface ToolMessage {
  role: 'tool';
  toolCallId: string;
  content: string;
  /** True when the tool failed; the content then describes the failure for the model. */
  isError?: boolean;
}

export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** A JSON Schema object describing a tool's arguments. */
export type JsonSchema = Record<string, unknown>;

/** A tool as the model sees it: name, description and argument schema. */
export interface ToolSpec {
  name: string;
  description?: string;
  parameters: JsonSchema;
}

/** Which tools the model may or must call. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/**
 * The shape the answer must take: a JSON object, or JSON that fits a schema (OpenAI's
 * `response_format`). Absent: free text.
 */
export type ResponseFormat =
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      name: string;
      description?: string;
      schema?: JsonSchema;
      strict?: boolean;
    };

/** One model call, in provider-neutral terms. */
export interface ModelRequest {
  /** The provider's own model id (after the configured model name has been resolved). */
  model: string;
  messages: Message[];
  tools?: ToolSpec[];
  toolChoice?: ToolChoice;
  /** `false` asks the model for at most one tool call per turn; absent means provider default. */
  parallelToolCalls?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  responseFormat?: ResponseFormat;
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** Token id (as a string) to a bias from -100 to 100: OpenAI's `logit_bias`. */
  logitBias?: Record<string, number>;
  /**
   * The client's id for its end user, passed on for the provider's abuse monitoring: OpenAI's
   * `user`, Anthropic's `metadata.user_id`. It changes no answer.
   */
  endUser?: string;
}

/** The longest end-user id passed on: Anthropic's own limit for `metadata.user_id`. */
export const MAX_END_USER = 256;

/** Joins the text parts of a message's content. */
export function textOf(content: readonly ContentPart[] | string): string {
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of content) if (part.type === 'text') text += part.text;
  return text;
}
