import type { ErrorCode, JsonSchema, Logger, Principal } from '../core/index.js';

/** What a tool handler knows about the call it serves. */
export interface ToolContext {
  /** The authenticated caller the tool acts for. */
  principal: Principal;
  /** The conversation the call belongs to, when it runs inside a session. */
  sessionId?: string;
  /** Aborted when the call times out or the turn is cancelled; handlers should stop at once. */
  signal: AbortSignal;
  logger: Logger;
}

/**
 * Runs one call with arguments already parsed and validated against the tool's schema. The value
 * it resolves to reaches the model as JSON text (a string is passed as it is); a throw becomes an
 * error result for the model.
 */
export type ToolHandler = (args: unknown, context: ToolContext) => Promise<unknown>;

/** A tool the model may call. */
export interface ToolDefinition {
  /** Matches `^[A-Za-z0-9_-]{1,64}$`, the rule both OpenAI and Anthropic enforce. */
  name: string;
  description?: string;
  /** JSON Schema for the arguments; its root must be `type: "object"`. */
  parameters: JsonSchema;
  /** Overrides the runner's default timeout for this tool. */
  timeoutMs?: number;
  handler: ToolHandler;
}

/** The outcome of one tool call, ready to be sent back to the model. */
export interface ToolResult {
  callId: string;
  name: string;
  ok: boolean;
  /** The value as JSON text, or a JSON error object `{"error":{"code","message"}}` when not ok. */
  content: string;
  errorCode?: ErrorCode;
  durationMs: number;
}

/** Progress of a batch of tool calls, reported as it happens. */
export type ToolEvent =
  | { type: 'tool-start'; callId: string; name: string }
  | {
      type: 'tool-end';
      callId: string;
      name: string;
      ok: boolean;
      durationMs: number;
      errorCode?: ErrorCode;
    };
