import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  askAs,
  faulted,
  faultOnA,
  postChat,
  readChatStream,
  settledRequests,
  SIM_MODEL,
  startChaosRig,
  uniqueMatch,
  type ChaosFault,
  type ChaosRig,
  type ClientKind,
} from './test-support/chaos-rig.js';

let rig: ChaosRig;

beforeAll(async () => {
  rig = await startChaosRig();
});
afterAll(async () => {
  await rig?.close();
});

/** Puts `fault` on A for a fresh message and returns it with the clean answer to it. */

async function streamRaw(model: string, content: string, tools?: OpenAI.ChatCompletionTool[]) {
  const response = await postChat(rig, {
    model,
    stream: true,
    content,
    ...(tools ? { tools } : {}),
  });
  expect(response.status).toBe(200);
  return readChatStream(response);
}

describe('P23: the upstream closes mid-answer', () => {
  it('with no content sent yet, falls back invisibly: one clean stream from B', async () => {
    const { match, content, clean } = await faulted(rig, 'p23zero', {
      kind: 'cut-mid-stream',
      after: 3,
    });
    const seen = await streamRaw('chain', content);

    expect(seen).toMatchObject({ text: clean, roleChunks: 1, done: true, error: undefined });
    expect(seen.finishReasons).toEqual(['stop']);
    const { a, b } = await settledRequests(rig, match);
    expect(a.map((request) => request.outcome)).toEqual(['cut', 'cut']);
    expect(b.map((request) => request.outcome)).toEqual(['completed']);
  });

  it('with content sent, ends on a terminal error event: no [DONE], no made-up finish', async () => {
    const { match, content, clean } = await faulted(rig, 'p23some', {
      kind: 'cut-mid-stream',
      after: 6,
    });
    const seen = await streamRaw('chain', content);

    expect(seen.text).not.toBe('');
    expect(clean.startsWith(seen.text) && seen.text !== clean).toBe(true);
    expect(seen.error?.code).toBe('RAMPART_UPSTREAM_STREAM_TRUNCATED');
    expect(seen).toMatchObject({ done: false, framesAfterError: 0, roleChunks: 1 });
    expect(seen.finishReasons).toEqual([]);
    const { a, b } = await settledRequests(rig, match);
    expect(a.map((request) => request.outcome)).toEqual(['cut']);
    expect(b).toHaveLength(0);
  });
});

describe('P24: an in-band error after the lifecycle events, before content', () => {
  it.each([
    ['after message_start and ping, overloaded', { kind: 'in-band-error', after: 2 }],
    ['after content_block_start, overloaded', { kind: 'in-band-error', after: 3 }],
    ['after content_block_start, rate limited', { kind: 'in-band-error', after: 3, status: 429 }],
  ] as const)('retries, then falls back: %s', async (label, fault) => {
    const { match, content, clean } = await faulted(rig, `p24${label}`, fault);
    const seen = await streamRaw('chain', content);

    expect(seen).toMatchObject({ text: clean, roleChunks: 1, done: true, error: undefined });
    expect(seen.finishReasons).toEqual(['stop']);
    const { a, b } = await settledRequests(rig, match);
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(1);
  });

  it('after content, is a terminal error event, not a fallback', async () => {
    const { match, content, clean } = await faulted(rig, 'p24late', {
      kind: 'in-band-error',
      after: 6,
    });
    const seen = await streamRaw('chain', content);

    expect(clean.startsWith(seen.text) && seen.text.length > 0).toBe(true);
    expect(seen.error?.code).toBe('RAMPART_UPSTREAM_UNAVAILABLE');
    expect(seen).toMatchObject({ done: false, finishReasons: [] });
    const { a, b } = await settledRequests(rig, match);
    expect([a.length, b.length]).toEqual([1, 0]);
  });
});

const LOOKUP: OpenAI.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } },
];

describe('P25: a failure after content never replays the answer', () => {
  it('content then a stall, retries on: no retry from the start, one error event', async () => {
    const { match, content, clean } = await faulted(rig, 'p25stall', {
      kind: 'hang-mid-stream',
      after: 5,
    });
    const seen = await streamRaw('chain', content);

    expect(seen.text).toBe(clean.slice(0, seen.text.length));
    expect(seen.text.length).toBeGreaterThan(0);
    expect(seen.roleChunks).toBe(1);
    expect(seen.error?.code).toBe('RAMPART_UPSTREAM_TIMEOUT');
    expect(seen).toMatchObject({ done: false, finishReasons: [] });
    const { a, b } = await settledRequests(rig, match);
    expect(a.map((request) => request.outcome)).toEqual(['cancelled']);
    expect(b).toHaveLength(0);
  });

  // Anthropic events: message_start and ping, then the first tool_use block (events 3 to 6);
  // `after: 6` cuts once that call is complete, before the second one starts.
  it.each(['chain', 'chain-continue'])(
    'a complete tool call streamed before the failure is never sent again (%s)',
    async (model) => {
      const match = uniqueMatch(`p25tool${model}`);
      const content = faultOnA(rig, { kind: 'cut-mid-stream', after: 6 }, match);
      const ask = `${content} call lookup {"id": 1} call lookup {"id": 2}`;
      const seen = await streamRaw(model, ask, LOOKUP);

      expect(seen.toolCalls).toHaveLength(1);
      expect(seen.toolCalls[0]).toMatchObject({ name: 'lookup', arguments: '{"id": 1}' });
      expect(seen.toolCallIds).toEqual([seen.toolCalls[0]!.id]);
      expect(seen.error?.code).toBe('RAMPART_UPSTREAM_STREAM_TRUNCATED');
      expect(seen).toMatchObject({ done: false, finishReasons: [], roleChunks: 1 });
      const { a, b } = await settledRequests(rig, match);
      expect(a).toHaveLength(1);
      expect(b).toHaveLength(0);
    },
  );
});

describe('P26: which failures move on to the next target', () => {
  it.each<ClientKind>(['raw-stream', 'whole'])(
    'A answers 401, listed in fallbackOnStatus: B answers 200 at once (%s)',
    async (kind) => {
      const { match, content, clean } = await faulted(rig, `p26auth${kind}`, {
        kind: 'status',
        status: 401,
      });
      const seen = await askAs(rig, kind, { model: 'chain-on-status', content });

      expect(seen).toMatchObject({ status: 200, text: clean, errorCode: undefined });
      expect(seen.servedBy).toBe(`b/${SIM_MODEL}`);
      const { a, b } = await settledRequests(rig, match);
      // A listed status is this target's own problem: no retry on it.
      expect([a.length, b.length]).toEqual([1, 1]);
    },
  );

  it.each<ClientKind>(['raw-stream', 'whole'])(
    'A answers 400, not listed: A’s rejection comes back and B is never called (%s)',
    async (kind) => {
      const { match, content } = await faulted(rig, `p26bad${kind}`, {
        kind: 'status',
        status: 400,
      });
      const seen = await askAs(rig, kind, { model: 'chain-on-status', content });

      expect(seen.errorCode).toBe('RAMPART_UPSTREAM_INVALID_REQUEST');
      expect(seen.text).toBe('');
      const { a, b } = await settledRequests(rig, match);
      expect([a.length, b.length]).toEqual([1, 0]);
    },
  );

  /** A request the upstream found wrong is the client's to fix: its status goes through. */
  it.each<ClientKind>(['raw-stream', 'whole'])(
    'A answers 400, not listed: the client gets status 400 (%s)',
    async (kind) => {
      const { content } = await faulted(rig, `p26status${kind}`, { kind: 'status', status: 400 });
      const seen = await askAs(rig, kind, { model: 'chain-on-status', content });
      expect(seen.status).toBe(400);
    },
  );

  const sameEitherWay: [string, 'chain' | 'refused-first' | 'solo', ChaosFault][] = [
    ['a network error (refused), then B', 'refused-first', { kind: 'status', status: 500 }],
    ['a first-byte timeout, then B', 'chain', { kind: 'hang-before-first-byte' }],
    ['a 5xx, then B', 'chain', { kind: 'status', status: 502 }],
    ['a first-byte timeout with no fallback', 'solo', { kind: 'hang-before-first-byte' }],
    ['a 5xx with no fallback', 'solo', { kind: 'status', status: 500 }],
  ];

  it.each(sameEitherWay)(
    '%s: classified the same for streaming and non-streaming clients',
    async (label, model, fault) => {
      const outcomes = [];
      for (const kind of ['raw-stream', 'whole'] as const) {
        const { match, content, clean } = await faulted(rig, `p26same${kind}${label}`, fault);
        const seen = await askAs(rig, kind, { model, content });
        const { a, b } = await settledRequests(rig, match);
        outcomes.push({
          status: seen.status,
          code: seen.errorCode,
          servedBy: seen.servedBy,
          whole: seen.text === clean,
          a: a.length,
          b: b.length,
        });
      }
      expect(outcomes[0]).toEqual(outcomes[1]);
      // A 5xx is retried on A once; a timeout moves on at once; a refused port records nothing.
      const attemptsOnA = model === 'refused-first' ? 0 : label.includes('timeout') ? 1 : 2;
      const expected =
        model === 'solo'
          ? { whole: false, servedBy: null, a: attemptsOnA, b: 0 }
          : { status: 200, whole: true, servedBy: `b/${SIM_MODEL}`, a: attemptsOnA, b: 1 };
      expect(outcomes[0]).toMatchObject(expected);
    },
  );

  it('with no fallback, a first-byte timeout is a 504 and a 500 a 502, before any header', async () => {
    const timeout = await faulted(rig, 'p26solo504', { kind: 'hang-before-first-byte' });
    const timedOut = await postChat(rig, { model: 'solo', stream: true, content: timeout.content });
    expect(timedOut.status).toBe(504);
    expect(timedOut.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await timedOut.json()) as any).error.code).toBe('RAMPART_UPSTREAM_TIMEOUT');

    const failing = await faulted(rig, 'p26solo502', { kind: 'status', status: 500 });
    const failed = await postChat(rig, { model: 'solo', stream: true, content: failing.content });
    expect(failed.status).toBe(502);
    expect(((await failed.json()) as any).error.code).toBe('RAMPART_UPSTREAM_ERROR');
  });
});
