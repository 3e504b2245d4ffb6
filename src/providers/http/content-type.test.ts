import { describe, expect, it } from 'vitest';

import { RampartError } from '../../core/index.js';
import { answerBodyKind } from './content-type.js';
import type { HttpResponse } from './http-transport.js';

/** A response with the given headers that records whether its body was cancelled. */
function response(headers: Record<string, string>) {
  const state = { cancelled: false };
  const value: HttpResponse = {
    status: 200,
    headers,
    body: (async function* () {})(),
    cancel: () => {
      state.cancelled = true;
    },
  };
  return { value, state };
}

const wrongType =
  'Upstream response has the wrong content type: expected text/event-stream or application/json';

describe('answerBodyKind', () => {
  it.each([
    ['text/event-stream', 'event-stream'],
    ['text/event-stream; charset=utf-8', 'event-stream'],
    ['Text/Event-Stream', 'event-stream'],
    ['application/json', 'json'],
    ['application/json; charset=UTF-8', 'json'],
  ])('reads %s as %s', (type, kind) => {
    const { value, state } = response({ 'content-type': type });
    expect(answerBodyKind(value)).toBe(kind);
    expect(state.cancelled).toBe(false);
  });

  it('reads a response without a content type as the stream that was asked for', () => {
    expect(answerBodyKind(response({}).value)).toBe('event-stream');
  });

  it.each(['text/html; charset=utf-8', 'text/plain', 'application/jsonp', 'text/event-streams'])(
    'refuses %s as a bad response and cancels the body',
    (type) => {
      const { value, state } = response({ 'content-type': type });
      let caught: unknown;
      try {
        answerBodyKind(value);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(RampartError);
      expect((caught as RampartError).code).toBe('RAMPART_UPSTREAM_BAD_RESPONSE');
      expect((caught as RampartError).message).toBe(`${wrongType}, got ${type.split(';')[0]}`);
      expect(state.cancelled).toBe(true);
    },
  );
});
