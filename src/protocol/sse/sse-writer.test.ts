import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createSseParser } from './sse-parser.js';
import { formatSseEvent, SSE_KEEPALIVE, type SseOutgoingEvent } from './sse-writer.js';
import type { SseEvent } from './sse-event.js';

const encoder = new TextEncoder();

function parseReads(reads: readonly Uint8Array[]): SseEvent[] {
  const parser = createSseParser();
  const events = reads.flatMap((read) => parser.push(read));
  expect(parser.end()).toEqual({ pending: false });
  return events;
}

/** What a reader should receive for an outgoing event. */
function expectedOf(event: SseOutgoingEvent): SseEvent {
  return event.event ? { event: event.event, data: event.data } : { data: event.data };
}

/**
 * A deliberately strict decoder, like the client decoders of field case P05: it dispatches at any
 * blank line once anything (a field or a comment) has been seen, and JSON-parses every event.
 */
function strictDecode(text: string): unknown[] {
  const parsed: unknown[] = [];
  let data: string[] = [];
  let seen = false;
  // The piece after the last LF is an unfinished line, not a blank one.
  for (const line of text.split('\n').slice(0, -1)) {
    if (line !== '') {
      seen = true;
      if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      continue;
    }
    if (seen) parsed.push(JSON.parse(data.join('\n')));
    data = [];
    seen = false;
  }
  return parsed;
}

const textPiece = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('😀', '你好', 'ü', ': ', 'data: x', ':', '{"a": "b"}', ' lead', '\n', '\r\n'),
);
const dataArbitrary = fc.array(textPiece, { maxLength: 6 }).map((pieces) => pieces.join(''));
const eventArbitrary: fc.Arbitrary<SseOutgoingEvent> = fc.record(
  { event: fc.constantFrom('message_start', 'delta', 'ping'), data: dataArbitrary },
  { requiredKeys: ['data'] },
);
/** The writer turns CR and CRLF into separate data lines, which a reader joins with LF. */
const normalised = (event: SseOutgoingEvent) => ({
  ...event,
  data: event.data.replace(/\r\n|\r/g, '\n'),
});

describe('formatSseEvent', () => {
  it('writes a named event, one data line per line, and a blank line', () => {
    expect(formatSseEvent({ event: 'delta', data: 'a\nb' })).toBe(
      'event: delta\ndata: a\ndata: b\n\n',
    );
  });

  it('writes an unnamed event as data lines only', () => {
    expect(formatSseEvent({ data: '[DONE]' })).toBe('data: [DONE]\n\n');
  });

  it('writes a data line even for empty data', () => {
    expect(formatSseEvent({ data: '' })).toBe('data: \n\n');
  });

  it('refuses an event name that holds a line break', () => {
    expect(() => formatSseEvent({ event: 'a\nid: 1', data: 'x' })).toThrow(/event name/);
  });

  it('keeps the keep-alive a single comment line with no blank line', () => {
    expect(SSE_KEEPALIVE).toBe(': keep-alive\n');
  });
});

describe('round trip through the parser', () => {
  it('survives a split at every byte offset', () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary, { minLength: 1, maxLength: 4 }), (events) => {
        const expected = events.map(normalised).map(expectedOf);
        const bytes = encoder.encode(events.map(formatSseEvent).join(''));
        for (let offset = 0; offset <= bytes.length; offset++) {
          const reads = [bytes.subarray(0, offset), bytes.subarray(offset)];
          expect(parseReads(reads)).toEqual(expected);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('survives random multi-part splits and 1-byte reads', () => {
    const scenario = fc.array(eventArbitrary, { minLength: 1, maxLength: 6 }).chain((events) => {
      const length = encoder.encode(events.map(formatSseEvent).join('')).length;
      const offsets = fc.uniqueArray(fc.integer({ min: 0, max: length }), { maxLength: 12 });
      return fc.tuple(fc.constant(events), offsets);
    });
    fc.assert(
      fc.property(scenario, ([events, offsets]) => {
        const expected = events.map(normalised).map(expectedOf);
        const bytes = encoder.encode(events.map(formatSseEvent).join(''));
        const bounds = [0, ...offsets.sort((a, b) => a - b), bytes.length];
        const reads = bounds.slice(1).map((end, index) => bytes.subarray(bounds[index], end));
        expect(parseReads(reads)).toEqual(expected);
        expect(parseReads(Array.from(bytes, (byte) => Uint8Array.of(byte)))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('survives splits at every line boundary, with keep-alives between events', () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary, { minLength: 1, maxLength: 5 }), (events) => {
        const expected = events.map(normalised).map(expectedOf);
        const text = events.map((event) => SSE_KEEPALIVE + formatSseEvent(event)).join('');
        const lines = text.split(/(?<=\n)/).map((line) => encoder.encode(line));
        expect(parseReads(lines)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('P05: a strict client decoder never sees an empty event', () => {
  it('parses every dispatched event of our output as JSON', () => {
    const payload = fc.jsonValue().map((value) => JSON.stringify(value, null, 1));
    const stream = fc.array(fc.tuple(payload, fc.nat({ max: 3 })), { minLength: 1 });
    fc.assert(
      fc.property(stream, (items) => {
        const text = items
          .map(([data, keepalives]) => SSE_KEEPALIVE.repeat(keepalives) + formatSseEvent({ data }))
          .join('');
        const trailing = text + SSE_KEEPALIVE;
        expect(strictDecode(trailing)).toEqual(items.map(([data]) => JSON.parse(data) as unknown));
      }),
      { numRuns: 200 },
    );
  });
});
