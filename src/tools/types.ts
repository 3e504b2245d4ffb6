import type { ErrorCode, JsonSchema, Logger, Principal } from '../core/index.js';
import type { ToolPolicy } from './policy/index.js';

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
  /**
   * Who may call it and how; a policy under `authorization.tools` in config wins over this one.
   * Without either, the deployment's `authorization.unlisted` decides.
   */
  policy?: ToolPolicy;
  /** What kind of data the results hold, for output filtering. Default: unclassified. */
  dataClasses?: DataClasses;
  /**
   * Whether a call changes something outside Rampart (sends, books, pays, writes). Default
   * true, as nothing says otherwise. A session saves its turn before such a call runs, so that a
   * process dying mid-call never leads to the call being made twice; `false` spares a tool that
   * only reads that store write.
   */
  sideEffects?: boolean;
  handler: ToolHandler;
}

/**
 * Marks what a tool's results hold. A principal without the clearance for a class never sees
 * values of it in an answer, even when no pattern would catch them; values in a result the
 * principal owns are never redacted from them.
 */
export interface DataClasses {
  /** Class of the whole result: every string and number in it. */
  result?: string | undefined;
  /** Classes by field path (`email`, `orders.card`); arrays on the way are walked through. */
  fields?: Readonly<Record<string, string>> | undefined;
  /** Path of the field holding the id of the user the result belongs to. */
  ownerField?: string | undefined;
}

/** The outcome of one tool call, ready to be sent back to the model. */
export interface ToolResult {
  callId: string;
  name: string;
  ok: boolean;
  /** The value as JSON text, or a JSON error object `{"error":{"code","message"}}` when not ok. */
  content: string;
  errorCode?: ErrorCode;
  /** Set when the call waits for the user's approval; it did not run. */
  pending?: boolean;
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
