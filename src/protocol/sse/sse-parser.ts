import { RampartError } from '../../core/index.js';
import { LineSplitter } from './line-splitter.js';
import type { SseEvent } from './sse-event.js';

/** How a byte stream ended. */
export interface SseEndState {
  /**
   * True when the stream stopped inside an event: `data:` had been read but the blank line that
   * dispatches it never came. The spec discards such an event; callers may treat it as a cut.
   */
  pending: boolean;
}

/** A streaming event-stream parser: feed it reads of any size, take the events they complete. */
export interface SseParser {
  /** Adds one network read and returns the events it completed, in order. */
  push(chunk: Uint8Array): SseEvent[];
  /** Marks the end of input. An event without its terminating blank line is not dispatched. */
  end(): SseEndState;
  /** The characters held between calls: the unfinished line plus the data of the open event. */
  readonly bufferedLength: number;
}

/** The default cap on one line, and on one event's data: 16 Mi characters each. */
export const DEFAULT_SSE_MAX_LENGTH = 16 * 1024 * 1024;

/**
 * Caps that keep one runaway upstream line or event from growing without limit. Lengths are in
 * UTF-16 code units (characters of the decoded text); a UTF-8 body takes at least that many bytes.
 */
export interface SseParserOptions {
  /** The longest line, counting its field name. Default {@link DEFAULT_SSE_MAX_LENGTH}. */
  maxLineLength?: number;
  /** The most `data` one event may carry, lines joined. Default {@link DEFAULT_SSE_MAX_LENGTH}. */
  maxEventDataLength?: number;
}

/**
 * Creates a parser following the WHATWG event-stream rules
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
 * A streaming UTF-8 decoder keeps characters whose bytes straddle two reads intact, and strips a
 * leading byte order mark as the spec asks. A line or an event's data past its cap throws
 * `RAMPART_UPSTREAM_BAD_RESPONSE` naming the limit, before the excess is buffered, so the parser
 * never holds more than the caps plus one read.
 */
export function createSseParser(options: SseParserOptions = {}): SseParser {
  const decoder = new TextDecoder('utf-8');
  const lines = new LineSplitter(options.maxLineLength ?? DEFAULT_SSE_MAX_LENGTH);
  const block = new EventBlock(options.maxEventDataLength ?? DEFAULT_SSE_MAX_LENGTH);

  const feed = (text: string): SseEvent[] => {
    const events: SseEvent[] = [];
    for (const line of lines.push(text)) {
      const event = block.addLine(line);
      if (event) events.push(event);
    }
    return events;
  };

  return {
    push: (chunk) => feed(decoder.decode(chunk, { stream: true })),
    end: () => {
      feed(decoder.decode());
      const unfinished = lines.unfinished;
      if (unfinished !== '') block.addLine(unfinished);
      return { pending: block.hasData };
    },
    get bufferedLength() {
      return lines.unfinished.length + block.dataLength;
    },
  };
}

/** Options for {@link parseSseStream}. */
export interface ParseSseStreamOptions extends SseParserOptions {
  /** Called once when the body ends normally, with whether it stopped inside an event. */
  onEnd?: (state: SseEndState) => void;
}

/**
 * Parses a byte stream (such as an HTTP response body) into server-sent events. A line or event
 * past its cap rejects with `RAMPART_UPSTREAM_BAD_RESPONSE`, which stops reading the body (and so
 * releases an HTTP response's connection).
 */
export async function* parseSseStream(
  body: AsyncIterable<Uint8Array>,
  options: ParseSseStreamOptions = {},
): AsyncGenerator<SseEvent, void, undefined> {
  const parser = createSseParser(options);
  for await (const chunk of body) yield* parser.push(chunk);
  const state = parser.end();
  options.onEnd?.(state);
}

/** The fields of the event being read, between two blank lines. */
class EventBlock {
  private data = '';
  private dataLines = 0;
  private type = '';
  private retry: number | undefined;
  /** The last event id persists across events, as the spec's "last event ID buffer" does. */
  private lastEventId = '';

  constructor(private readonly maxDataLength: number) {}

  get dataLength(): number {
    return this.data.length;
  }

  get hasData(): boolean {
    return this.dataLines > 0;
  }

  /** Handles one line; returns the event a blank line dispatches. */
  addLine(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.charCodeAt(0) === COLON) return undefined;

    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === SPACE) value = value.slice(1);
    this.setField(field, value);
    return undefined;
  }

  private setField(field: string, value: string): void {
    switch (field) {
      case 'data':
        this.checkDataLength(value);
        this.data = this.dataLines === 0 ? value : `${this.data}\n${value}`;
        this.dataLines++;
        return;
      case 'event':
        this.type = value;
        return;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        return;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.retry = Number(value);
        return;
    }
  }

  private checkDataLength(value: string): void {
    const separator = this.dataLines === 0 ? 0 : 1;
    if (this.data.length + separator + value.length <= this.maxDataLength) return;
    throw new RampartError(
      'RAMPART_UPSTREAM_BAD_RESPONSE',
      `An upstream event's data is longer than the limit of ${this.maxDataLength} characters`,
    );
  }

  private dispatch(): SseEvent | undefined {
    const event: SseEvent | undefined = this.hasData ? { data: this.data } : undefined;
    if (event && this.type !== '') event.event = this.type;
    if (event && this.lastEventId !== '') event.id = this.lastEventId;
    if (event && this.retry !== undefined) event.retry = this.retry;
    this.data = '';
    this.dataLines = 0;
    this.type = '';
    this.retry = undefined;
    return event;
  }
}

const COLON = 0x3a;
const SPACE = 0x20;
