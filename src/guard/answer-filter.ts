import { RampartError, type Message, type ToolCall } from '../core/index.js';
import type { Turn, TurnEvent } from '../runtime/index.js';
import { redactArguments } from './argument-view.js';
import type { LeakWatch, OutputEngines, RedactorSettings, TextFilter } from './output-parts.js';

type ToolCallEnd = Extract<TurnEvent, { type: 'tool-call-end' }>;

export interface AnswerFilterOptions {
  engines: OutputEngines;
  /** Types redacted from text; empty when redaction is off. */
  types: readonly string[];
  /** Types redacted from streamed tool-call arguments; empty when redaction is off. */
  toolArgumentTypes: readonly string[];
  /** What replaces a leaking answer. */
  leakMessage: string;
}

/** The reason a leaking answer's model call is stopped with. */
export const LEAK_STOP_CODE = 'RAMPART_OUTPUT_WITHHELD';

/** A filter that passes text through unchanged, for when redaction is off. */
const passThrough = (): TextFilter => ({ push: (delta) => delta, flush: () => '', counts: {} });

/** What an upstream error's words are replaced with when they repeat the system prompt. */
const WITHHELD_UPSTREAM_TEXT = '[withheld: it repeated the system prompt]';

/**
 * The output filter of one turn: leak detection first (on the model's own text and on its tool
 * calls' arguments), then redaction, on text and on tool-call arguments. Each releases text as
 * soon as it is safe and holds back only what could still become a match. An upstream error's
 * own words go out only through both, appended to the error's message.
 */
export class AnswerFilter {
  private text: TextFilter;
  private readonly args = new Map<number, TextFilter>();
  /** A leak watch per tool call being streamed, by index. */
  private readonly argLeaks = new Map<number, LeakWatch>();
  /** Tool calls whose arguments came in deltas (the others are watched whole at their end). */
  private readonly argsStreamed = new Set<number>();
  private readonly leak: LeakWatch | undefined;
  private stepText = '';
  /** Where this step's messages begin in `turn.produced`. */
  private stepStart = 0;
  private cut = false;

  constructor(
    private readonly turn: Turn,
    private readonly options: AnswerFilterOptions,
    private readonly leaks: (() => LeakWatch) | undefined,
  ) {
    this.leak = leaks?.();
    this.text = this.newTextFilter();
    // A checkpoint stores what the client was shown so far; no call waits for approval yet.
    turn.storedView = (messages) => this.storedMessages(messages, new Set());
  }

  /** The events to send for one event of the turn. */
  *apply(event: TurnEvent): Generator<TurnEvent, void, undefined> {
    if (event.type === 'text-delta') return yield* this.onText(event.text);
    if (this.cut) return yield* this.afterCut(event);
    yield* this.flushText();
    if (this.cut) return yield* this.afterCut(event);
    switch (event.type) {
      case 'tool-call-start':
        this.args.set(event.index, this.argumentFilter());
        if (this.leaks) this.argLeaks.set(event.index, this.leaks());
        return yield event;
      case 'tool-call-delta':
        return yield* this.onArgumentDelta(event.index, event.argumentsDelta);
      case 'tool-call-end':
        return yield* this.onToolCallEnd(event);
      case 'step-start':
        this.startStep();
        return yield event;
      case 'finish':
        this.finishTurn();
        return yield event;
      case 'error':
        // A failed turn may still have stored steps (tool calls and results): filter them too.
        this.finishTurn();
        return yield { ...event, error: this.shownError(event.error) };
      default:
        return yield event;
    }
  }

  /** The settings for redaction in this turn, with what its tool results taught. */
  private settings(types: readonly string[]): RedactorSettings {
    return { types, exempt: this.turn.sensitive.visible };
  }

  private newTextFilter(): TextFilter {
    if (this.options.types.length === 0) return passThrough();
    return this.options.engines.redactor(this.settings(this.options.types));
  }

  private argumentFilter(): TextFilter {
    if (this.options.toolArgumentTypes.length === 0) return passThrough();
    return this.options.engines.redactor(this.settings(this.options.toolArgumentTypes));
  }

  private *onText(delta: string): Generator<TurnEvent, void, undefined> {
    if (this.cut) return;
    const watched = this.leak ? this.leak.push(delta) : { release: delta, leak: undefined };
    yield* this.emitText(this.text.push(watched.release));
    if (watched.leak?.leaked) yield* this.cutAnswer(watched.leak.reason ?? 'overlap');
  }

  private *flushText(): Generator<TurnEvent, void, undefined> {
    if (this.cut) return;
    const watched = this.leak ? this.leak.flush() : { release: '', leak: undefined };
    yield* this.emitText(this.text.push(watched.release) + this.text.flush());
    if (watched.leak?.leaked) yield* this.cutAnswer(watched.leak.reason ?? 'overlap');
  }

  private *emitText(text: string): Generator<TurnEvent, void, undefined> {
    if (text === '') return;
    this.stepText += text;
    yield { type: 'text-delta', text };
  }

  /** Ends a leaking answer: the replacement goes out, the model call is stopped. */
  private *cutAnswer(reason: 'canary' | 'overlap'): Generator<TurnEvent, void, undefined> {
    yield* this.emitText(this.text.flush());
    this.cut = true;
    this.turn.guard.leak = reason;
    this.turn.logger.warn({ reason }, 'answer cut: it repeated the system prompt');
    const replacement =
      this.stepText === '' ? this.options.leakMessage : `\n\n${this.options.leakMessage}`;
    this.stepText += replacement;
    yield { type: 'text-delta', text: replacement };
    this.turn.stop(new RampartError(LEAK_STOP_CODE, 'the answer repeated the system prompt'));
  }

  /** After a cut only the end of the turn goes out, as a normal end filtered for content. */
  private *afterCut(event: TurnEvent): Generator<TurnEvent, void, undefined> {
    if (event.type === 'usage') return yield event;
    if (event.type !== 'finish' && event.type !== 'error') return;
    const { turn } = this;
    // The step's own answer may already be recorded in full when the leak showed at its end.
    turn.produced.splice(this.stepStart);
    turn.produced.push({
      role: 'assistant',
      content: [{ type: 'text', text: this.stepText }],
      toolCalls: [],
    });
    turn.errorCode = undefined;
    turn.finishReason = 'content-filter';
    this.finishTurn();
    yield { type: 'finish', reason: 'content-filter' };
  }

  private *onArgumentDelta(index: number, delta: string): Generator<TurnEvent, void, undefined> {
    this.argsStreamed.add(index);
    const watch = this.argLeaks.get(index);
    const watched = watch ? watch.push(delta) : { release: delta, leak: undefined };
    const released = this.args.get(index)?.push(watched.release) ?? watched.release;
    if (released !== '') yield { type: 'tool-call-delta', index, argumentsDelta: released };
    // Arguments go to a tool and to the client: a leak there ends the turn as one in text does.
    if (watched.leak?.leaked) yield* this.cutAnswer(watched.leak.reason ?? 'overlap');
  }

  /** The rest of a tool call's arguments through its leak watch; true when they leaked. */
  private *endArgumentWatch(event: ToolCallEnd): Generator<TurnEvent, boolean, undefined> {
    const watch = this.argLeaks.get(event.index);
    this.argLeaks.delete(event.index);
    if (!watch) return false;
    // Arguments that came whole, not in deltas, are watched whole.
    const streamed = this.argsStreamed.delete(event.index);
    const whole = streamed ? undefined : watch.push(event.arguments);
    const end = watch.flush();
    const rest = streamed ? end.release : '';
    const released = rest === '' ? '' : (this.args.get(event.index)?.push(rest) ?? rest);
    if (released !== '')
      yield { type: 'tool-call-delta', index: event.index, argumentsDelta: released };
    const leak = whole?.leak?.leaked ? whole.leak : end.leak;
    if (!leak?.leaked) return false;
    yield* this.cutAnswer(leak.reason ?? 'overlap');
    return true;
  }

  private *onToolCallEnd(event: ToolCallEnd): Generator<TurnEvent, void, undefined> {
    if (yield* this.endArgumentWatch(event)) return;
    const filter = this.args.get(event.index);
    const rest = filter?.flush() ?? '';
    if (rest !== '') yield { type: 'tool-call-delta', index: event.index, argumentsDelta: rest };
    if (filter) this.count(filter);
    this.args.delete(event.index);
    const settings = this.settings(this.options.toolArgumentTypes);
    const redacted = filter
      ? this.options.engines.redactText(event.arguments, settings).text
      : event.arguments;
    yield { ...event, arguments: redacted };
  }

  /**
   * The error the client is shown: an upstream's own words, when it gave any, appended to the
   * message once they pass the leak check and redaction (they may echo the request).
   */
  private shownError(error: RampartError): RampartError {
    const words = error.upstreamText;
    if (words === undefined) return error;
    let shown: string;
    if (this.leaks && leaks(this.leaks(), words)) {
      shown = WITHHELD_UPSTREAM_TEXT;
      this.turn.logger.warn(
        { code: error.code },
        'upstream error withheld: it repeated the system prompt',
      );
    } else if (this.options.types.length === 0) shown = words;
    else shown = this.options.engines.redactText(words, this.settings(this.options.types)).text;
    return error.withMessage(`${error.message}: ${shown}`);
  }

  /** A new model call: the tools that ran may have taught the filter new values. */
  private startStep(): void {
    this.count(this.text);
    this.text = this.newTextFilter();
    this.stepText = '';
    this.stepStart = this.turn.produced.length;
  }

  private finishTurn(): void {
    this.count(this.text);
    this.text = passThrough();
    this.redactStored();
  }

  private count(filter: TextFilter): void {
    const totals = this.turn.guard.redactions;
    for (const [label, count] of Object.entries(filter.counts)) {
      totals[label] = (totals[label] ?? 0) + count;
    }
  }

  /**
   * What the session stores, and the API shows, is what the client was shown: answers and tool
   * results are redacted the same way (entries are replaced, never changed in place, since the
   * model's own context shares them).
   */
  private redactStored(): void {
    const { produced } = this.turn;
    const pending = new Set(this.turn.pendingToolCalls.map((call) => call.id));
    produced.splice(0, produced.length, ...this.storedMessages(produced, pending));
    const confirm = { ...this.settings(this.options.toolArgumentTypes), showLastFour: true };
    const { pendingToolCalls } = this.turn;
    pendingToolCalls.forEach((call, index) => {
      pendingToolCalls[index] = {
        ...call,
        arguments: this.redactArguments(call.arguments, confirm),
      };
    });
  }

  /** Tool-call arguments redacted with their JSON shape kept (see `argument-view.ts`). */
  private redactArguments(value: string, settings: RedactorSettings): string {
    if (settings.types.length === 0) return value;
    return redactArguments(value, (text) => this.redact(text, settings));
  }

  private redact(value: string, settings: RedactorSettings): string {
    return settings.types.length === 0
      ? value
      : this.options.engines.redactText(value, settings).text;
  }

  /** `messages` as stored: answers, tool calls and tool results redacted as the client saw them. */
  private storedMessages(messages: readonly Message[], pending: ReadonlySet<string>): Message[] {
    const { types, toolArgumentTypes } = this.options;
    const text = this.settings(types);
    const args = this.settings(toolArgumentTypes);
    // A call waiting for the user's yes shows the last four characters of a card or IBAN it
    // names, so the user can tell whose account it is (the handler gets the whole value).
    const confirm = { ...args, showLastFour: true };
    const storedCall = (call: ToolCall): ToolCall => {
      const shown = this.redactArguments(call.arguments, pending.has(call.id) ? confirm : args);
      // An approval must run the call the model asked for, not the redacted view of it.
      const keep = pending.has(call.id) && shown !== call.arguments;
      return { ...call, arguments: shown, ...(keep ? { approvalArguments: call.arguments } : {}) };
    };
    return messages.map((message) => {
      if (message.role === 'tool')
        return { ...message, content: this.redact(message.content, text) };
      if (message.role !== 'assistant') return message;
      return {
        ...message,
        content: message.content.map((part) => ({ ...part, text: this.redact(part.text, text) })),
        toolCalls: message.toolCalls.map(storedCall),
      };
    });
  }
}

/** Whether `text`, read whole by a fresh `watch`, repeats the system prompt. */
function leaks(watch: LeakWatch, text: string): boolean {
  return watch.push(text).leak?.leaked === true || watch.flush().leak?.leaked === true;
}
