import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RampartError, type ErrorCode, type ModelEvent, type Usage } from '../../core/index.js';
import { formatSseEvent, parseSseStream } from '../sse/index.js';
import { createMessagesEventEncoder } from './messages-event-encoder.js';
import { decodeMessagesStream } from './messages-stream-decoder.js';
import { asyncItems } from './test-support/async-items.js';

/*
 * Neutral events → Anthropic SSE bytes (split into arbitrary reads) → neutral events again.
 * Sequences follow the neutral contract with one block at a time, so the result must be equal.
 */

type Segment = { kind: 'text'; text: string } | { kind: 'tool'; id: string; parts: string[] };

const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });
const segment: fc.Arbitrary<Segment> = fc.oneof(
  text.map((value): Segment => ({ kind: 'text', text: value })),
  fc.record({
    kind: fc.constant('tool' as const),
    id: fc.stringMatching(/^toolu_[A-Za-z0-9]{1,8}$/),
    parts: fc.array(text, { maxLength: 4 }),
  }),
);

const count = fc.integer({ min: 0, max: 100_000 });
const cacheCount = fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined });
const usage: fc.Arbitrary<Usage> = fc
  .record({ inputTokens: count, outputTokens: count, cached: cacheCount, written: cacheCount })
  .map(({ inputTokens, outputTokens, cached, written }) => ({
    inputTokens,
    outputTokens,
    ...(cached === undefined ? {} : { cachedInputTokens: cached }),
    ...(written === undefined ? {} : { cacheWriteInputTokens: written }),
  }));

const errorCode = fc.constantFrom<ErrorCode>(
  'RAMPART_UPSTREAM_UNAVAILABLE',
  'RAMPART_UPSTREAM_RATE_LIMITED',
  'RAMPART_UPSTREAM_ERROR',
);

const ending = fc.oneof(
  fc.record({ kind: fc.constant('finish' as const), usage, pick: fc.nat(2) }),
  fc.record({ kind: fc.constant('error' as const), code: errorCode, message: text }),
);

function contentEvents(segments: Segment[]): ModelEvent[] {
  const events: ModelEvent[] = [];
  let index = 0;
  for (const item of segments) {
    if (item.kind === 'text') {
      events.push({ type: 'text-delta', text: item.text });
      continue;
    }
    const { id, parts } = item;
    events.push({ type: 'tool-call-start', index, id, name: 'lookup' });
    for (const part of parts) events.push({ type: 'tool-call-delta', index, argumentsDelta: part });
    events.push({ type: 'tool-call-end', index, id, name: 'lookup', arguments: parts.join('') });
    index += 1;
  }
  return events;
}

function* reads(bytes: Uint8Array, sizes: number[]): Iterable<Uint8Array> {
  let offset = 0;
  for (let turn = 0; offset < bytes.length; turn += 1) {
    const size = sizes.length === 0 ? bytes.length : (sizes[turn % sizes.length] ?? 1);
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

async function roundTrip(events: ModelEvent[], inputTokens: number, sizes: number[]) {
  const encoder = createMessagesEventEncoder({ id: 'msg_rt', model: 'claude-rt', inputTokens });
  const sse = [...events.flatMap((event) => encoder.encode(event)), ...encoder.finish()];
  const bytes = new TextEncoder().encode(sse.map(formatSseEvent).join(''));
  const decoded: ModelEvent[] = [];
  for await (const event of decodeMessagesStream(parseSseStream(asyncItems(reads(bytes, sizes))))) {
    decoded.push(event);
  }
  return decoded;
}

/**
 * Errors compare by code, placement and message: the wire adds the error type in front, and the
 * decoder keeps the message's words apart, as `upstreamText`.
 */
function comparable(events: ModelEvent[]) {
  return events.map((event) =>
    event.type === 'error'
      ? {
          type: 'error',
          code: event.error.code,
          before: event.beforeContent,
          tail: (event.error.upstreamText ?? event.error.message).split(': ').at(-1),
        }
      : event,
  );
}

describe('Anthropic stream round trip', () => {
  it('decodes what the encoder wrote back to the same neutral events', async () => {
    const sizes = fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { maxLength: 6 }),
        ending,
        count,
        sizes,
        async (segments, end, inputTokens, split) => {
          const content = contentEvents(segments);
          const calledTools = segments.some((item) => item.kind === 'tool');
          const input: ModelEvent[] = [...content];
          const expected: ModelEvent[] = [...content];

          if (end.kind === 'finish') {
            const reasons = calledTools
              ? (['tool-calls', 'length', 'tool-calls'] as const)
              : (['stop', 'length', 'content-filter'] as const);
            const reason = reasons[end.pick] ?? 'stop';
            input.push({ type: 'usage', usage: end.usage }, { type: 'finish', reason });
            expected.push({ type: 'usage', usage: end.usage }, { type: 'finish', reason });
          } else {
            const error = new RampartError(end.code, end.message);
            const beforeContent = content.length === 0;
            input.push({ type: 'error', error, beforeContent });
            // Anthropic's error event has no usage: only message_start's counts survive.
            expected.push({ type: 'usage', usage: { inputTokens, outputTokens: 0 } });
            expected.push({ type: 'error', error, beforeContent });
          }

          const decoded = await roundTrip(input, inputTokens, split);
          expect(comparable(decoded)).toEqual(comparable(expected));
        },
      ),
      { numRuns: 300 },
    );
  });
});
