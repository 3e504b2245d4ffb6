import type { FastifyReply } from 'fastify';
import type { AssistantConfig } from '../../config/index.js';
import { budgetHeaders } from '../../cost/index.js';
import type { Message, ToolCall, UserMessage } from '../../core/conversation.js';
import { RampartError } from '../../core/errors.js';
import {
  encodeSessionEvent,
  turnEndBody,
  type BudgetView,
  type TurnEndFacts,
} from '../../protocol/session/index.js';
import type { Principal } from '../../core/principal.js';
import type { PreparedTurn, ResumedCalls, TurnEvent, TurnInput } from '../../runtime/index.js';
import type { SessionRecord } from '../../store/index.js';
import type { HttpContext } from '../context.js';
import { sendError } from '../error-handler.js';
import { routeHeaders } from '../route-header.js';
import { openEventStream, type SseWriter } from '../sse-writer.js';
import type { TurnAbort } from '../turn-abort.js';
import { replay, type HeldTurn } from '../turn-stream.js';

type TerminalEvent = Extract<TurnEvent, { type: 'finish' | 'error' }>;

/** The turn result's `budget` field, present when a budget ended or warned on the turn. */
function budgetView(turn: PreparedTurn['turn']): { budget?: BudgetView } {
  const { exhausted, nearlySpent, crossed } = turn.budget;
  const warnings = [...new Set([...nearlySpent, ...crossed])];
  if (!exhausted && warnings.length === 0) return {};
  return { budget: { exhausted: exhausted ?? null, warnings } };
}

export interface SessionTurnOptions {
  sessionId: string;
  stream: boolean;
  abort: TurnAbort;
}

/**
 * One session turn on its way to the client. Everything but the final event goes out while the
 * turn runs; the final event waits until the turn's messages are committed, so a client that
 * reads the session right after `turn-end` always finds them there.
 */
export class SessionTurnResponse {
  private writer: SseWriter | undefined;
  private terminal: TerminalEvent | undefined;
  private facts: TurnEndFacts | undefined;

  constructor(
    private readonly context: HttpContext,
    private readonly reply: FastifyReply,
    private readonly options: SessionTurnOptions,
  ) {}

  /** Runs the turn up to its final event, streaming what comes before it. */
  async run(held: HeldTurn, prepared: PreparedTurn): Promise<void> {
    const { turn } = prepared;
    const facts = () => ({
      sessionId: this.options.sessionId,
      usage: turn.usage,
      produced: turn.produced,
      pending: turn.pendingToolCalls,
      ...budgetView(turn),
      ...(turn.routing ? { routing: turn.routing } : {}),
    });
    if (this.options.stream) this.writer = this.openStream();
    for await (const event of replay(held)) {
      if (event.type === 'finish' || event.type === 'error') this.terminal = event;
      else if (this.writer) {
        const encoded = encodeSessionEvent(event, facts);
        if (encoded) await this.writer.send(encoded.data, encoded.event);
      }
    }
    this.facts = facts();
    // A collected answer's headers go out with it, so they can say what the whole turn did: a
    // turn resumed after a decision runs its tools first, and reserves for the model only after
    // the event the headers were first set at.
    if (!this.writer) this.reply.headers({ ...budgetHeaders(turn), ...routeHeaders(turn) });
  }

  /** Sends the final event; `failure` replaces it when the turn could not be committed. */
  async finish(failure?: RampartError): Promise<void> {
    const error = failure ?? this.terminalError();
    const facts = this.facts ?? {
      sessionId: this.options.sessionId,
      usage: { inputTokens: 0, outputTokens: 0 },
      produced: [],
    };
    const reason = this.terminal?.type === 'finish' ? this.terminal.reason : 'stop';
    if (!this.writer) {
      if (error) return sendError(this.reply, this.keptStepsNote(error, facts.produced.length));
      return this.reply.send(turnEndBody(reason, facts));
    }
    try {
      const event: TurnEvent = error
        ? { type: 'error', error, beforeContent: false }
        : { type: 'finish', reason };
      const encoded = encodeSessionEvent(event, () => facts);
      if (encoded) await this.writer.send(encoded.data, encoded.event);
    } finally {
      this.writer.end();
    }
  }

  /** True once the response has gone over to a stream that the error handler can no longer answer. */
  get streaming(): boolean {
    return this.writer !== undefined;
  }

  /** A failed turn whose completed steps were stored says so: the client must not resend it. */
  private keptStepsNote(error: RampartError, steps: number): RampartError {
    if (steps === 0) return error;
    const note = `${error.message} (the turn's ${steps} completed messages were saved to the session; do not resend it)`;
    return new RampartError(error.code, note, {
      cause: error,
      status: error.status,
      retryable: false,
    });
  }

  private terminalError(): RampartError | undefined {
    if (this.terminal?.type !== 'error') return undefined;
    return this.terminal.error;
  }

  private openStream(): SseWriter {
    return openEventStream(this.reply, this.context.config.server);
  }
}

/**
 * The turn a session message asks for: the assistant's model, tools and prompt over the history,
 * then `before` (results of calls the user moved on from) and the new message. A resumed turn
 * has no new message: it runs the calls the user decided on, then asks the model again.
 */
export function sessionTurnInput(options: {
  assistant: AssistantConfig;
  session: SessionRecord;
  user?: UserMessage;
  before?: readonly Message[];
  /** Calls that waited for approval and that `before` declines (see `declinePending`). */
  declined?: readonly ToolCall[];
  resume?: ResumedCalls;
  principal: Principal;
  requestId: string;
  buffered: boolean;
  signal: AbortSignal;
}): TurnInput {
  const { assistant, session } = options;
  return {
    requestId: options.requestId,
    principal: options.principal,
    modelName: assistant.model,
    messages: turnMessages(
      assistant,
      [...session.messages, ...(options.before ?? [])],
      options.user,
    ),
    options: {},
    ...(options.resume ? { resume: options.resume } : {}),
    ...(options.declined?.length ? { declinedCalls: options.declined } : {}),
    serverTools: {
      names: assistant.tools,
      concurrency: assistant.toolConcurrency,
      timeoutMs: assistant.toolTimeoutMs,
      maxSteps: assistant.maxToolSteps,
    },
    sessionId: session.id,
    assistant: session.assistant,
    sessionState: session.state,
    buffered: options.buffered,
    signal: options.signal,
  };
}

/**
 * What a turn adds to the history: what came before the model (the user's message) and every
 * step that completed. A turn that completed no step leaves the history as it was, so the client
 * can send the message again without it appearing twice.
 */
export function storedMessages(
  before: readonly Message[],
  produced: readonly Message[],
): Message[] {
  return produced.length === 0 ? [] : [...before, ...produced];
}

/** The conversation the model sees for a session turn: system prompt, history, the new message. */
export function turnMessages(
  assistant: AssistantConfig,
  history: readonly Message[],
  user: UserMessage | undefined,
): Message[] {
  const system: Message = { role: 'system', content: assistant.systemPrompt };
  return user ? [system, ...history, user] : [system, ...history];
}
