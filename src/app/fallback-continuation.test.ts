import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  askAs,
  faulted,
  postChat,
  requestsFor,
  settledRequests,
  SIM_MODEL,
  startChaosRig,
  TIMEOUTS,
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

describe('P39: timeouts by phase, never one total', () => {
  it('completes from A a stream that outlasts firstByteMs and idleMs together', async () => {
    const { match, content, clean } = await faulted(rig, 'p39long', {
      kind: 'slow-drip',
      intervalMs: 60,
    });
    const started = performance.now();
    const seen = await askAs(rig, 'sdk-stream', { model: 'chain', content });

    expect(performance.now() - started).toBeGreaterThan(TIMEOUTS.firstByteMs + TIMEOUTS.idleMs);
    expect(seen).toMatchObject({ status: 200, text: clean, roleChunks: 1, errorCode: undefined });
    expect(seen.finishReasons).toEqual(['stop']);
    const { a, b } = await settledRequests(rig, match);
    expect(a.map((request) => request.outcome)).toEqual(['completed']);
    expect(b).toHaveLength(0);
  });

  it('moves on to B at once when A sends no first byte in time, cancelling A', async () => {
    const { match, content, clean } = await faulted(rig, 'p39first', {
      kind: 'hang-before-first-byte',
    });
    const seen = await askAs(rig, 'raw-stream', { model: 'chain', content });

    expect(seen).toMatchObject({ status: 200, text: clean, done: true, roleChunks: 1 });
    const { a, b } = await settledRequests(rig, match);
    expect(a.map((request) => request.outcome)).toEqual(['cancelled']);
    expect(b.map((request) => request.outcome)).toEqual(['completed']);
  });

  it('answers 504 on a route with no fallback, before any stream starts', async () => {
    const { match, content } = await faulted(rig, 'p39solo', { kind: 'hang-before-first-byte' });
    const response = await postChat(rig, { model: 'solo', stream: true, content });

    expect(response.status).toBe(504);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await response.json()) as any).error.code).toBe('RAMPART_UPSTREAM_TIMEOUT');
    const { a } = await settledRequests(rig, match);
    // A target that hung is not tried again: it would cost another whole timeout.
    expect(a.map((request) => request.outcome)).toEqual(['cancelled']);
  });

  it('falls back when A sends one event and then nothing, before any content', async () => {
    const { match, content, clean } = await faulted(rig, 'p39idle', {
      kind: 'hang-mid-stream',
      after: 1,
    });
    const seen = await askAs(rig, 'raw-stream', { model: 'chain', content });

    expect(seen).toMatchObject({ status: 200, text: clean, done: true, roleChunks: 1 });
    const { a, b } = await settledRequests(rig, match);
    expect([a.length, b.length]).toEqual([1, 1]);
  });

  it('ends with a timeout error event when A goes quiet after content', async () => {
    const { match, content, clean } = await faulted(rig, 'p39quiet', {
      kind: 'hang-mid-stream',
      after: 5,
    });
    const seen = await askAs(rig, 'raw-stream', { model: 'chain', content });

    expect(seen.status).toBe(200);
    expect(seen.text.length).toBeGreaterThan(0);
    expect(clean.startsWith(seen.text)).toBe(true);
    expect(seen).toMatchObject({ errorCode: 'RAMPART_UPSTREAM_TIMEOUT', done: false });
    expect(seen.finishReasons).toEqual([]);
    const { a, b } = await settledRequests(rig, match);
    expect([a.length, b.length]).toEqual([1, 0]);
  });
});

/** Faults after content that `chain-continue` recovers from by continuing on B. */
const CONTINUED: [string, ChaosFault][] = [
  ['a cut', { kind: 'cut-mid-stream', after: 6 }],
  ['a stall', { kind: 'hang-mid-stream', after: 7 }],
  ['an in-band error', { kind: 'in-band-error', after: 5 }],
];

describe('continueOnFailure: B continues what A started', () => {
  const clients: ClientKind[] = ['sdk-stream', 'raw-stream'];

  describe.each(clients)('%s client', (kind) => {
    it.each(CONTINUED)('content then %s: the clean answer exactly once', async (label, fault) => {
      const { match, content, clean } = await faulted(rig, `cont${kind}${label}`, fault);
      const seen = await askAs(rig, kind, { model: 'chain-continue', content });

      expect(seen).toMatchObject({ status: 200, text: clean, errorCode: undefined });
      expect(seen.finishReasons).toEqual(['stop']);
      expect(seen.roleChunks).toBe(1);
      if (kind === 'raw-stream') expect(seen.done).toBe(true);
      // A stream's headers go out with A's first words, before B is asked for anything.
      expect(seen.servedBy).toBe(`a/${SIM_MODEL}`);
      const { a, b } = await settledRequests(rig, match);
      expect(a).toHaveLength(1);
      expect(b.map((request) => request.outcome)).toEqual(['completed']);
      // B was asked to go on from A's words: they end its conversation as the assistant's.
      const last = (b[0]!.body as any).messages.at(-1);
      expect(last.role).toBe('assistant');
      expect(last.content.length).toBeGreaterThan(0);
      expect(clean.startsWith(last.content) && last.content !== clean.trimEnd()).toBe(true);
    });
  });
});

describe('continueOnFailure with a non-streaming client', () => {
  it.each(CONTINUED)(
    'content then %s: nothing was sent, so the answer starts afresh and comes whole from B',
    async (label, fault) => {
      const { match, content, clean } = await faulted(rig, `whole${label}`, fault);
      const seen = await askAs(rig, 'whole', { model: 'chain-continue', content });

      expect(seen).toMatchObject({ status: 200, text: clean, errorCode: undefined });
      expect(seen.finishReasons).toEqual(['stop']);
      expect(seen.servedBy).toBe(`b/${SIM_MODEL}`);
      const { a, b } = await settledRequests(rig, match);
      // A's partial answers were dropped, and A tried again before B unless it had hung (a
      // timeout moves on at once): no prefill was needed.
      expect(a).toHaveLength(fault.kind === 'hang-mid-stream' ? 1 : 2);
      expect(b.map((request) => request.outcome)).toEqual(['completed']);
      expect((b[0]!.body as any).messages.at(-1).role).toBe('user');
    },
  );
});

describe('a client that goes away', () => {
  it('cancels A within 100 ms and starts no other upstream request', async () => {
    const { match, content } = await faulted(rig, 'gone', { kind: 'slow-drip', intervalMs: 100 });
    const controller = new AbortController();
    const response = await postChat(
      rig,
      { model: 'chain', stream: true, content },
      controller.signal,
    );
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    while (!received.includes('"content"')) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended before any content');
      received += decoder.decode(value, { stream: true });
    }
    const abortedAt = Date.now();
    controller.abort();

    const { a } = await settledRequests(rig, match);
    expect(a).toHaveLength(1);
    expect(a[0]!.outcome).toBe('cancelled');
    expect(a[0]!.endedAt! - abortedAt).toBeLessThan(100);
    // Longer than the suite's whole retry backoff: a retry or fallback would have started.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(requestsFor(rig.a, match)).toHaveLength(1);
    expect(requestsFor(rig.b, match)).toHaveLength(0);
  });
});
