import { describe, expect, it } from 'vitest';

import { RampartError } from '../../core/index.js';
import { createSseParser, DEFAULT_SSE_MAX_LENGTH, parseSseStream } from './sse-parser.js';
import type { SseEvent } from './sse-event.js';

const encoder = new TextEncoder();

/** Parses the given reads (strings or bytes) with one parser and returns every event. */
function parseReads(reads: readonly (string | Uint8Array)[]): SseEvent[] {
  const parser = createSseParser();
  const events: SseEvent[] = [];
  for (const read of reads) {
    events.push(...parser.push(typeof read === 'string' ? encoder.encode(read) : read));
  }
  parser.end();
  return events;
}

function splitBytes(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const bounds = [0, ...offsets, bytes.length];
  return bounds.slice(1).map((end, position) => bytes.subarray(bounds[position], end));
}

function chunk(content: string): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  });
}

describe('P01: events split across reads', () => {
  const big = 'x'.repeat(40 * 1024);
  const payloads = [chunk('Hello'), chunk(big), chunk(' world'), '[DONE]'];

  for (const lineEnd of ['\n', '\r\n', '\r']) {
    const stream = payloads.map((data) => `data: ${data}${lineEnd}${lineEnd}`).join('');
    const bytes = encoder.encode(stream);
    const expected = payloads.map((data) => ({ data }));
    const name = JSON.stringify(lineEnd);

    it(`reads the stream in one piece (${name})`, () => {
      expect(parseReads([bytes])).toEqual(expected);
    });

    it(`splits in the middle of the 40 KB JSON (${name})`, () => {
      const middle = stream.indexOf(big) + 20_000;
      expect(parseReads(splitBytes(bytes, [middle, middle + 7000]))).toEqual(expected);
    });

    it(`splits in 1-byte reads (${name})`, () => {
      const reads = Array.from(bytes, (byte) => Uint8Array.of(byte));
      expect(parseReads(reads)).toEqual(expected);
    });

    it(`splits at every line-end byte (${name})`, () => {
      const offsets: number[] = [];
      bytes.forEach((byte, offset) => {
        if (byte === 0x0a || byte === 0x0d) offsets.push(offset, offset + 1);
      });
      expect(parseReads(splitBytes(bytes, offsets))).toEqual(expected);
    });
  }

  it('treats CR at the end of one read and LF at the start of the next as one line end', () => {
    const events = parseReads(['data: a\r', '\ndata: b\r', '\n\r', '\n']);
    expect(events).toEqual([{ data: 'a\nb' }]);
  });

  it('dispatches when the event terminator is split between its two LFs', () => {
    const parser = createSseParser();
    expect(parser.push(encoder.encode(`data: ${chunk('Hi')}\n`))).toEqual([]);
    expect(parser.push(encoder.encode('\n'))).toEqual([{ data: chunk('Hi') }]);
  });

  it('attempts nothing before the blank line that ends the event', () => {
    const parser = createSseParser();
    expect(parser.push(encoder.encode('data: {"a":\ndata: 1}\n'))).toEqual([]);
    expect(parser.push(encoder.encode('\n'))).toEqual([{ data: '{"a":\n1}' }]);
  });

  it('keeps a multi-byte character split across reads', () => {
    const bytes = encoder.encode('data: 你好😀\n\n');
    const reads = Array.from(bytes, (byte) => Uint8Array.of(byte));
    expect(parseReads(reads)).toEqual([{ data: '你好😀' }]);
  });
});

describe('P03: data without a space after the colon', () => {
  it('reads data:{json} and data:[DONE]', () => {
    const body = 'data:{"choices":[{"delta":{"content":"Hello"},"index":0}]}\n\ndata:[DONE]\n\n';
    expect(parseReads([body])).toEqual([
      { data: '{"choices":[{"delta":{"content":"Hello"},"index":0}]}' },
      { data: '[DONE]' },
    ]);
  });

  it('reads a named event without spaces', () => {
    const events = parseReads(['event:message_start\ndata:{"type":"message_start"}\n\n']);
    expect(events).toEqual([{ event: 'message_start', data: '{"type":"message_start"}' }]);
  });

  it('removes exactly one leading space', () => {
    expect(parseReads(['data:  x\n\n'])).toEqual([{ data: ' x' }]);
  });
});

describe('P04: comments and keep-alives', () => {
  it('never dispatches comment lines', () => {
    const body = [
      ': PROCESSING\n\n',
      ':\n\n',
      ': ping - 2024-01-01\n\n',
      `data: ${chunk('a')}\n\n`,
      `: between\ndata: ${chunk('b')}\n\n`,
      'data: [DONE]\n\n',
    ];
    expect(parseReads(body)).toEqual([
      { data: chunk('a') },
      { data: chunk('b') },
      { data: '[DONE]' },
    ]);
  });

  it('passes a data payload that looks like a comment through as data', () => {
    expect(parseReads(['data: : keepalive\n\n'])).toEqual([{ data: ': keepalive' }]);
  });
});

describe('P06: colons inside values', () => {
  it('splits the field at the first colon only', () => {
    const line = 'data: {"choices":[{"delta":{"content":"key: [\\"a\\"]: done"},"index":0}]}\n\n';
    const [event] = parseReads([line]);
    expect(JSON.parse(event!.data).choices[0].delta.content).toBe('key: ["a"]: done');
  });
});

describe('fields and dispatch rules', () => {
  it('joins several data lines with LF', () => {
    expect(parseReads(['data: one\ndata:\ndata: three\n\n'])).toEqual([{ data: 'one\n\nthree' }]);
  });

  it('dispatches nothing for a blank line with no data', () => {
    expect(parseReads(['event: ping\n\n', 'id: 7\n\n', 'retry: 10\n\n', '\n\n'])).toEqual([]);
  });

  it('reads event, id and retry, and ignores unknown fields', () => {
    const events = parseReads([
      'event: delta\nid: 4\nretry: 250\nfoo: bar\ndata: x\n\ndata: y\n\n',
    ]);
    expect(events).toEqual([
      { event: 'delta', id: '4', retry: 250, data: 'x' },
      { id: '4', data: 'y' },
    ]);
  });

  it('ignores a retry that is not all digits and an id holding NUL', () => {
    expect(parseReads(['retry: 1s\nid: a\0b\ndata: x\n\n'])).toEqual([{ data: 'x' }]);
  });

  it('treats a line without a colon as a field with an empty value', () => {
    expect(parseReads(['data\ndata\n\n'])).toEqual([{ data: '\n' }]);
  });

  it('strips a leading byte order mark', () => {
    expect(parseReads([Uint8Array.of(0xef, 0xbb), Uint8Array.of(0xbf), 'data: x\n\n'])).toEqual([
      { data: 'x' },
    ]);
  });
});

describe('end of input', () => {
  it('does not dispatch an event without its blank line, and reports it pending', () => {
    const parser = createSseParser();
    expect(parser.push(encoder.encode('data: a\n\ndata: b\n'))).toEqual([{ data: 'a' }]);
    expect(parser.end()).toEqual({ pending: true });
  });

  it('reports an unfinished data line as pending', () => {
    const parser = createSseParser();
    parser.push(encoder.encode('data: {"cut'));
    expect(parser.end()).toEqual({ pending: true });
  });

  it('reports a clean end as not pending', () => {
    const parser = createSseParser();
    parser.push(encoder.encode('data: a\n\n: trailing comment'));
    expect(parser.end()).toEqual({ pending: false });
  });

  it('parses an async byte stream and reports how it ended', async () => {
    async function* body() {
      for (const read of ['data: a\n', '\ndata: b'])
        yield await Promise.resolve(encoder.encode(read));
    }
    const states: unknown[] = [];
    const events: SseEvent[] = [];
    for await (const event of parseSseStream(body(), { onEnd: (state) => states.push(state) })) {
      events.push(event);
    }
    expect(events).toEqual([{ data: 'a' }]);
    expect(states).toEqual([{ pending: true }]);
  });
});

describe('limits', () => {
  function refusal(action: () => unknown): RampartError {
    try {
      action();
    } catch (error) {
      if (error instanceof RampartError) return error;
      throw error;
    }
    throw new Error('expected the parser to refuse the input');
  }

  it('refuses a line over the cap fed in small reads without buffering past it', () => {
    const cap = 10_000;
    const read = 'x'.repeat(1000);
    const parser = createSseParser({ maxLineLength: cap });
    parser.push(encoder.encode('data: '));
    let fed = 6;
    const error = refusal(() => {
      for (;;) {
        parser.push(encoder.encode(read));
        fed += read.length;
        expect(parser.bufferedLength).toBeLessThanOrEqual(cap);
      }
    });
    expect(error.code).toBe('RAMPART_UPSTREAM_BAD_RESPONSE');
    expect(error.message).toBe(
      'An upstream event-stream line is longer than the limit of 10000 characters',
    );
    // The read that crossed the cap was refused whole: no more than the cap plus one read.
    expect(fed).toBeLessThanOrEqual(cap);
    expect(fed + read.length).toBeGreaterThan(cap);
    expect(parser.bufferedLength).toBeLessThanOrEqual(cap + read.length);
  });

  it('refuses a complete line over the cap that arrives in one read', () => {
    const parser = createSseParser({ maxLineLength: 20 });
    expect(parser.push(encoder.encode(`data: ${'y'.repeat(14)}\n\n`))).toEqual([
      { data: 'y'.repeat(14) },
    ]);
    const error = refusal(() => parser.push(encoder.encode(`data: ${'y'.repeat(15)}\n\n`)));
    expect(error.code).toBe('RAMPART_UPSTREAM_BAD_RESPONSE');
  });

  it('refuses a long line that the next read ends', () => {
    const parser = createSseParser({ maxLineLength: 20 });
    parser.push(encoder.encode(`data: ${'y'.repeat(14)}`));
    const error = refusal(() => parser.push(encoder.encode('z\n\n')));
    expect(error.code).toBe('RAMPART_UPSTREAM_BAD_RESPONSE');
  });

  it('refuses an event whose data lines add up past the data cap', () => {
    const parser = createSseParser({ maxLineLength: 100, maxEventDataLength: 25 });
    const line = `data: ${'d'.repeat(10)}\n`;
    expect(parser.push(encoder.encode(line + line + '\n'))).toEqual([
      { data: `${'d'.repeat(10)}\n${'d'.repeat(10)}` },
    ]);
    parser.push(encoder.encode(line + line));
    expect(parser.bufferedLength).toBe(21);
    const error = refusal(() => parser.push(encoder.encode(line)));
    expect(error.code).toBe('RAMPART_UPSTREAM_BAD_RESPONSE');
    expect(error.message).toBe(
      "An upstream event's data is longer than the limit of 25 characters",
    );
  });

  it('caps lines and data at 16 Mi characters by default', () => {
    expect(DEFAULT_SSE_MAX_LENGTH).toBe(16 * 1024 * 1024);
    const parser = createSseParser();
    const piece = encoder.encode('z'.repeat(1024 * 1024));
    parser.push(encoder.encode('data: '));
    for (let count = 1; count < 16; count++) parser.push(piece);
    expect(parser.bufferedLength).toBe(6 + 15 * 1024 * 1024);
    expect(refusal(() => parser.push(piece)).code).toBe('RAMPART_UPSTREAM_BAD_RESPONSE');
  });

  it('stops pulling a stream at the cap and rejects with the limit', async () => {
    let reads = 0;
    let returned = false;
    async function* body() {
      try {
        yield await Promise.resolve(encoder.encode('data: '));
        for (;;) {
          reads++;
          yield await Promise.resolve(encoder.encode('x'.repeat(100)));
        }
      } finally {
        returned = true;
      }
    }
    const events: SseEvent[] = [];
    const consume = async () => {
      for await (const event of parseSseStream(body(), { maxLineLength: 1000 })) events.push(event);
    };
    await expect(consume()).rejects.toMatchObject({ code: 'RAMPART_UPSTREAM_BAD_RESPONSE' });
    expect(events).toEqual([]);
    expect(reads).toBe(10);
    expect(returned).toBe(true);
  });
});
