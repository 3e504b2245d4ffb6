import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startUpstreamSimulator, type UpstreamSimulator } from './index.js';
import { openAIClient, postJson, readUntilEnd } from './test-support/simulator-clients.js';

let simulator: UpstreamSimulator;

beforeAll(async () => {
  simulator = await startUpstreamSimulator({ answerTokens: 20, tokensPerSecond: 50 });
});
beforeEach(() => simulator.reset());
afterAll(() => simulator.close());

const chatUrl = () => `${simulator.url}/v1/chat/completions`;
const streamBody = (content: string) => ({
  model: 'rampart-sim-1',
  messages: [{ role: 'user', content }],
  stream: true,
});

/** Starts a streamed request and reads its first chunk, so it is surely being answered. */
async function startStream(headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(chatUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(streamBody('a long story')),
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  await reader.read();
  return { controller, reader };
}

describe('cancellation tracking', () => {
  it('records a client that goes away mid-stream as cancelled within 100 ms', async () => {
    const { controller } = await startStream();
    expect(simulator.requests()).toMatchObject([{ outcome: 'open', endedAt: null }]);
    expect(simulator.stats()).toMatchObject({ inFlight: 1, cancelled: 0 });
    const abortedAt = Date.now();
    controller.abort();
    const [request] = await simulator.waitForRequests(1);
    expect(request?.outcome).toBe('cancelled');
    expect(request!.endedAt! - abortedAt).toBeLessThan(100);
    expect(request!.startedAt).toBeLessThanOrEqual(abortedAt);
    expect(simulator.stats()).toMatchObject({ inFlight: 0, cancelled: 1 });
  });

  it('sees the official OpenAI client abort a hang before the first byte', async () => {
    const controller = new AbortController();
    const call = openAIClient(simulator).chat.completions.create(
      { model: 'rampart-sim-1', messages: [{ role: 'user', content: 'hi' }], stream: true },
      { signal: controller.signal, headers: { 'x-sim-fault': 'kind=hang-before-first-byte' } },
    );
    const rejected = expect(call).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const abortedAt = Date.now();
    controller.abort();
    await rejected;
    const [request] = await simulator.waitForRequests(1);
    expect(request).toMatchObject({ outcome: 'cancelled', path: '/v1/chat/completions' });
    expect(request!.endedAt! - abortedAt).toBeLessThan(100);
  });

  it('tells a completed answer and a cut by the simulator from a cancellation', async () => {
    await postJson(chatUrl(), { ...streamBody('whole'), stream: false });
    const cut = await fetch(chatUrl(), {
      method: 'POST',
      headers: { 'x-sim-fault': 'kind=cut after=2' },
      body: JSON.stringify(streamBody('cut short')),
    });
    expect((await readUntilEnd(cut)).failed).toBe(true);
    const requests = await simulator.waitForRequests(2);
    expect(requests.map((request) => request.outcome)).toEqual(['completed', 'cut']);
    for (const request of requests) {
      expect(request.endedAt).toBeGreaterThanOrEqual(request.startedAt);
    }
    expect(simulator.stats().cancelled).toBe(0);
  });

  it('counts each of several concurrent cancellations once', async () => {
    const hang = { 'x-sim-fault': 'kind=hang-mid-stream after=2' };
    const streams = await Promise.all([startStream(hang), startStream(hang), startStream(hang)]);
    expect((await fetch(`${simulator.url}/v1/models`)).status).toBe(200);
    for (const stream of streams) stream.controller.abort();
    const requests = await simulator.waitForRequests(4);
    const outcomes = requests.map((request) => request.outcome).sort();
    expect(outcomes).toEqual(['cancelled', 'cancelled', 'cancelled', 'completed']);
    expect(simulator.stats()).toMatchObject({ requests: 4, inFlight: 0, cancelled: 3 });
  });

  it('shows outcomes and the cancelled counter over HTTP', async () => {
    const { controller } = await startStream({ 'x-sim-fault': 'kind=hang-mid-stream after=1' });
    controller.abort();
    await simulator.waitForRequests(1);
    const requests = (await (await fetch(`${simulator.url}/__requests`)).json()) as unknown[];
    expect(requests).toMatchObject([{ outcome: 'cancelled', endedAt: expect.any(Number) }]);
    const stats = await (await fetch(`${simulator.url}/__stats`)).json();
    expect(stats).toMatchObject({ requests: 1, cancelled: 1 });
    await fetch(`${simulator.url}/__reset`, { method: 'POST' });
    expect(simulator.stats().cancelled).toBe(0);
  });

  it('rejects a wait for requests that do not end in time', async () => {
    const { controller } = await startStream({ 'x-sim-fault': 'kind=hang-mid-stream' });
    await expect(simulator.waitForRequests(1, { timeoutMs: 30 })).rejects.toThrow(
      '0 of 1 requests had ended after 30 ms',
    );
    controller.abort();
    await simulator.waitForRequests(1);
  });
});
