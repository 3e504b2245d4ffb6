import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  askAs,
  cleanAnswer,
  messageFor,
  settledRequests,
  SIM_MODEL,
  startChaosRig,
  uniqueMatch,
  type ChaosFault,
  type ChaosRig,
  type ClientKind,
  type ClientSeen,
} from './test-support/chaos-rig.js';

/** The answer is whole, from one provider, after this many requests to A and to B. */
interface Served {
  kind: 'served';
  by: 'a' | 'b';
  a: number;
  b: number;
}

/**
 * Text reached a streaming client, then A failed: the answer must end as failed, never as
 * whole. A non-streaming client has seen nothing yet, so for it the partial answer is dropped
 * and the call goes on as after a failure before content.
 */
interface FailedAfterContent {
  kind: 'failed-after-content';
  code: string;
}

interface FaultCase {
  name: string;
  fault: ChaosFault;
  model?: 'chain' | 'refused-first';
  expected: Served | FailedAfterContent;
  minMs?: number;
  maxMs?: number;
}

const TO_B_AFTER_RETRY: Served = { kind: 'served', by: 'b', a: 2, b: 1 };
/** A timeout moves on at once: a target that hung tends to hang again. */
const TO_B_AT_ONCE: Served = { kind: 'served', by: 'b', a: 1, b: 1 };

/**
 * Every fault mode on A of route `chain` (A, then B). Anthropic's stream opens with three
 * lifecycle events (`message_start`, `ping`, `content_block_start`), so `after: 3` fails before
 * any content and `after: 5` after two words of it.
 */
const CASES: FaultCase[] = [
  {
    name: '429 without Retry-After',
    fault: { kind: 'status', status: 429 },
    expected: TO_B_AFTER_RETRY,
    maxMs: 900,
  },
  {
    name: '429 with Retry-After 1 (waited out, then B)',
    fault: { kind: 'status', status: 429, retryAfterSeconds: 1 },
    expected: TO_B_AFTER_RETRY,
    minMs: 1000,
  },
  {
    name: '429 with Retry-After 30 (over maxRetryAfterMs: B at once)',
    fault: { kind: 'status', status: 429, retryAfterSeconds: 30 },
    expected: { kind: 'served', by: 'b', a: 1, b: 1 },
    maxMs: 900,
  },
  { name: '500', fault: { kind: 'status', status: 500 }, expected: TO_B_AFTER_RETRY, maxMs: 900 },
  { name: '503', fault: { kind: 'status', status: 503 }, expected: TO_B_AFTER_RETRY, maxMs: 900 },
  {
    name: 'connection refused',
    // The fault is never reached: route `refused-first` starts at a closed port, not at A.
    fault: { kind: 'status', status: 500 },
    model: 'refused-first',
    expected: { kind: 'served', by: 'b', a: 0, b: 1 },
    maxMs: 900,
  },
  {
    name: 'hang before the first byte',
    fault: { kind: 'hang-before-first-byte' },
    expected: TO_B_AT_ONCE,
    minMs: 400,
  },
  {
    name: 'hang mid-stream before any content',
    fault: { kind: 'hang-mid-stream', after: 3 },
    expected: TO_B_AT_ONCE,
    // At least the idle timeout (TIMEOUTS.idleMs) passed before B was asked.
    minMs: 300,
  },
  {
    name: 'hang mid-stream after some content',
    fault: { kind: 'hang-mid-stream', after: 5 },
    expected: { kind: 'failed-after-content', code: 'RAMPART_UPSTREAM_TIMEOUT' },
    minMs: 300,
  },
  {
    name: 'cut mid-stream before any content',
    fault: { kind: 'cut-mid-stream', after: 3 },
    expected: TO_B_AFTER_RETRY,
    maxMs: 900,
  },
  {
    name: 'cut mid-stream after some content',
    fault: { kind: 'cut-mid-stream', after: 5 },
    expected: { kind: 'failed-after-content', code: 'RAMPART_UPSTREAM_STREAM_TRUNCATED' },
    maxMs: 900,
  },
  {
    name: 'malformed chunk after content (skipped, the answer arrives whole from A)',
    fault: { kind: 'malformed-chunk', after: 5 },
    expected: { kind: 'served', by: 'a', a: 1, b: 0 },
    maxMs: 900,
  },
  {
    name: 'in-band error after the lifecycle events, before content (P24)',
    fault: { kind: 'in-band-error', after: 3 },
    expected: TO_B_AFTER_RETRY,
    maxMs: 900,
  },
  {
    name: 'slow drip: healthy but slow, completes from A',
    // 18 events 60 ms apart: about a second in all, past firstByteMs and idleMs together.
    fault: { kind: 'slow-drip', intervalMs: 60 },
    expected: { kind: 'served', by: 'a', a: 1, b: 0 },
    minMs: 900,
  },
];

const CLIENTS: ClientKind[] = ['sdk-stream', 'raw-stream', 'whole'];

/** One match string per client kind and case, so that every rule can be on A at once. */
const MATCHES = new Map(
  CLIENTS.flatMap((kind) =>
    CASES.map((testCase) => [`${kind} ${testCase.name}`, uniqueMatch(kind + testCase.name)]),
  ),
);

let rig: ChaosRig;

beforeAll(async () => {
  rig = await startChaosRig();
  rig.a.setFaults(
    CLIENTS.flatMap((kind) =>
      CASES.map((testCase) => ({
        ...testCase.fault,
        match: MATCHES.get(`${kind} ${testCase.name}`)!,
      })),
    ),
  );
});
afterAll(async () => {
  await rig?.close();
});

function expectWhole(seen: ClientSeen, clean: string) {
  expect(seen.status).toBe(200);
  expect(seen.errorCode).toBeUndefined();
  expect(seen.text).toBe(clean);
  expect(seen.finishReasons).toEqual(['stop']);
  if (seen.roleChunks !== undefined) expect(seen.roleChunks).toBe(1);
  if (seen.done !== undefined) expect(seen.done).toBe(true);
}

function expectFailed(
  seen: ClientSeen,
  kind: ClientKind,
  clean: string,
  expected: FailedAfterContent,
) {
  expect(seen.errorCode).toBe(expected.code);
  expect(seen.finishReasons).toEqual([]);
  // The start of the answer went out, once; then the error, and nothing that marks it whole.
  expect(seen.status).toBe(200);
  expect(seen.text).not.toBe('');
  expect(seen.text.length).toBeLessThan(clean.length);
  expect(clean.startsWith(seen.text)).toBe(true);
  expect(seen.roleChunks).toBe(1);
  if (kind === 'raw-stream') {
    expect(seen.done).toBe(false);
    expect(seen.framesAfterError).toBe(0);
  }
}

// The cases run side by side: each has its own fault rule and its own requests.
describe.concurrent.each(CLIENTS)('route chain, %s client', (kind) => {
  it.each(CASES)('$name', async (testCase) => {
    const match = MATCHES.get(`${kind} ${testCase.name}`)!;
    const content = messageFor(match);
    const clean = await cleanAnswer(rig, { content });
    const started = performance.now();
    const seen = await askAs(rig, kind, { model: testCase.model ?? 'chain', content });
    const elapsed = performance.now() - started;
    const { a, b } = await settledRequests(rig, match);
    const afterContent = testCase.expected;
    const expected =
      kind === 'whole' && afterContent.kind === 'failed-after-content'
        ? afterContent.code === 'RAMPART_UPSTREAM_TIMEOUT'
          ? TO_B_AT_ONCE
          : TO_B_AFTER_RETRY
        : afterContent;

    if (expected.kind === 'served') {
      expectWhole(seen, clean);
      expect(seen.servedBy).toBe(`${expected.by}/${SIM_MODEL}`);
      expect(a).toHaveLength(expected.a);
      expect(b).toHaveLength(expected.b);
      const server = expected.by === 'a' ? a : b;
      expect(server.at(-1)?.outcome).toBe('completed');
      // B is asked the conversation as the client sent it: no leftover of A's attempt.
      if (expected.by === 'b') expect((b[0]?.body as any).messages).toHaveLength(1);
    } else {
      expectFailed(seen, kind, clean, expected);
      // The headers went out with A's first words, so they name A.
      expect(seen.servedBy).toBe(`a/${SIM_MODEL}`);
      // Text went out: no retry from the start, and no fallback that would repeat it.
      expect(a).toHaveLength(1);
      expect(b).toHaveLength(0);
    }
    if (testCase.minMs !== undefined) expect(elapsed).toBeGreaterThanOrEqual(testCase.minMs);
    // A non-streaming client also waits out A's retry of a failure after content.
    const attempts = expected === TO_B_AFTER_RETRY && expected !== testCase.expected ? 2 : 1;
    if (testCase.maxMs !== undefined) expect(elapsed).toBeLessThan(testCase.maxMs * attempts);
  });
});

describe('with the circuit breaker on', () => {
  let guarded: ChaosRig;
  const openMs = 300;

  beforeAll(async () => {
    guarded = await startChaosRig({
      breaker: { enabled: true, minRequests: 2, failureRate: 0.5, windowMs: 10_000, openMs },
    });
  });
  afterAll(async () => {
    await guarded?.close();
  });

  it('skips A while its breaker is open, then lets one probe through once A recovers', async () => {
    const match = uniqueMatch('breaker');
    const ask = async (turn: number) => {
      const content = `Tell me about ${match} turn ${turn}`;
      const seen = await askAs(guarded, 'raw-stream', { model: 'chain', content });
      expectWhole(seen, await cleanAnswer(guarded, { content }));
      const { a, b } = await settledRequests(guarded, `${match} turn ${turn}`);
      return [a.length, b.length];
    };
    guarded.a.setFaults([{ kind: 'status', status: 503, match }]);

    // Two failed attempts on A: enough outcomes, all failures, so the breaker opens.
    expect(await ask(1)).toEqual([2, 1]);
    expect(await ask(2)).toEqual([0, 1]);

    guarded.a.setFaults([]);
    expect(await ask(3)).toEqual([0, 1]);
    await new Promise((resolve) => setTimeout(resolve, openMs));
    expect(await ask(4)).toEqual([1, 0]);
    expect(await ask(5)).toEqual([1, 0]);
  });
});
