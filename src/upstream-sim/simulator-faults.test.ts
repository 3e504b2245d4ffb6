import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startUpstreamSimulator, type UpstreamSimulator } from './index.js';
import { postJson } from './test-support/simulator-clients.js';

const ask = (content: string) => ({
  model: 'rampart-sim-1',
  messages: [{ role: 'user', content }],
});

async function putFaults(simulator: UpstreamSimulator, body: unknown) {
  const response = await fetch(`${simulator.url}/__faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function getFaults(simulator: UpstreamSimulator): Promise<unknown> {
  return (await fetch(`${simulator.url}/__faults`)).json();
}

/** The statuses of `count` identical requests, one after another. */
async function statuses(simulator: UpstreamSimulator, count: number): Promise<number[]> {
  const seen: number[] = [];
  for (let round = 0; round < count; round++) {
    seen.push((await postJson(`${simulator.url}/v1/chat/completions`, ask('hi'))).status);
  }
  return seen;
}

describe('faults changed at runtime', () => {
  let simulator: UpstreamSimulator;

  beforeAll(async () => {
    simulator = await startUpstreamSimulator({ answerTokens: 3, maxBodyBytes: 2000 });
  });
  afterEach(() => simulator.setFaults([]));
  afterAll(() => simulator.close());

  it('goes down and recovers over HTTP, and GET shows the rules in force', async () => {
    expect(await getFaults(simulator)).toEqual({ faults: [] });
    const down = { kind: 'status', status: 503, retryAfterSeconds: 1 };
    expect(await putFaults(simulator, { faults: [down] })).toEqual({
      status: 200,
      body: { faults: [down] },
    });
    const failed = await postJson(`${simulator.url}/v1/messages`, { ...ask('hi'), max_tokens: 9 });
    expect([failed.status, failed.headers.get('retry-after')]).toEqual([503, '1']);
    expect(JSON.parse(failed.text)).toMatchObject({ error: { type: 'api_error' } });
    expect(await getFaults(simulator)).toEqual({ faults: [down] });
    expect(await putFaults(simulator, { faults: [] })).toEqual({
      status: 200,
      body: { faults: [] },
    });
    expect(await statuses(simulator, 1)).toEqual([200]);
  });

  it('does the same through setFaults and faults(), keeping rules a caller changes later', async () => {
    const rules = [{ kind: 'status' as const, status: 429, match: 'limited' }];
    simulator.setFaults(rules);
    rules[0]!.status = 500;
    expect(simulator.faults()).toEqual([{ kind: 'status', status: 429, match: 'limited' }]);
    const url = `${simulator.url}/v1/chat/completions`;
    expect((await postJson(url, ask('you are limited'))).status).toBe(429);
    expect((await postJson(url, ask('you are fine'))).status).toBe(200);
    expect(await getFaults(simulator)).toEqual({ faults: simulator.faults() });
  });

  it('keeps the faults across POST /__reset and reset()', async () => {
    simulator.setFaults([{ kind: 'status' }]);
    await fetch(`${simulator.url}/__reset`, { method: 'POST' });
    simulator.reset();
    expect(simulator.faults()).toEqual([{ kind: 'status' }]);
    expect(await statuses(simulator, 1)).toEqual([500]);
  });

  it.each([
    ['{"faults": [', undefined, 'Request body is not valid JSON'],
    [[], undefined, 'expected object'],
    [{}, 'faults', 'expected array'],
    [{ faults: [{ kind: 'status' }], extra: 1 }, 'extra', 'extra'],
    [{ faults: [{ kind: 'status', code: 500 }] }, 'faults[0].code', 'code'],
    [{ faults: [{ kind: 'status', status: '500' }] }, 'faults[0].status', 'expected number'],
    [{ faults: [{ kind: 'status' }, { kind: 'explode' }] }, 'faults[1]', 'unknown fault kind'],
    [{ faults: [{ kind: 'cut', status: 500 }] }, 'faults[0]', 'does not apply to cut'],
    [{ faults: [{ kind: 'status', status: 200 }] }, 'faults[0]', 'from 400 to 599'],
    [{ faults: [{ kind: 'status', probability: 1.5 }] }, 'faults[0]', 'probability'],
  ])('refuses %j with 400 naming the problem, changing nothing', async (body, param, text) => {
    const kept = [{ kind: 'slow-drip' as const, intervalMs: 1 }];
    simulator.setFaults(kept);
    const { status, body: error } = await putFaults(simulator, body);
    expect(status).toBe(400);
    expect(error).toMatchObject({
      error: { type: 'invalid_request_error', param: param ?? null },
    });
    expect((error as { error: { message: string } }).error.message).toContain(text);
    expect(simulator.faults()).toEqual(kept);
  });

  it('refuses a body over the cap with 413, and other methods with 404', async () => {
    const big = { faults: [{ kind: 'status', match: 'x'.repeat(3000) }] };
    expect((await putFaults(simulator, big)).status).toBe(413);
    expect((await fetch(`${simulator.url}/__faults`, { method: 'POST' })).status).toBe(404);
    expect(simulator.faults()).toEqual([]);
  });

  it('throws from setFaults for a bad rule, changing nothing', () => {
    simulator.setFaults([{ kind: 'hang-before-first-byte', match: 'never' }]);
    expect(() => simulator.setFaults([{ kind: 'status' }, { kind: 'status', after: 2 }])).toThrow(
      expect.objectContaining({ code: 'RAMPART_CONFIG_INVALID', param: 'faults[1]' }),
    );
    expect(simulator.faults()).toEqual([{ kind: 'hang-before-first-byte', match: 'never' }]);
  });
});

describe('faults changed while requests are in flight', () => {
  let slow: UpstreamSimulator;

  beforeAll(async () => {
    slow = await startUpstreamSimulator({ answerTokens: 3, firstTokenMs: 150 });
  });
  afterAll(() => slow.close());

  it('leaves a request in flight with the fault it arrived with', async () => {
    const url = `${slow.url}/v1/chat/completions`;
    const inFlight = postJson(url, ask('before'));
    // The fault is chosen as soon as the body is read, which is when the log shows the body.
    await vi.waitFor(() => expect(slow.requests()[0]?.body).toEqual(ask('before')), {
      interval: 5,
    });
    slow.setFaults([{ kind: 'status', status: 502 }]);
    const after = postJson(url, ask('after'));
    expect((await inFlight).status).toBe(200);
    expect((await after).status).toBe(502);
  });
});

describe('probability draws', () => {
  const flaky = [{ kind: 'status' as const, status: 500, probability: 0.5 }];

  it('fail in the same seeded pattern on every run, restarting when the rules are set', async () => {
    const first = await startUpstreamSimulator({ seed: 3, answerTokens: 2 });
    const second = await startUpstreamSimulator({ seed: 3, answerTokens: 2 });
    try {
      first.setFaults(flaky);
      await putFaults(second, { faults: flaky });
      const pattern = await statuses(first, 16);
      expect(pattern).toContain(200);
      expect(pattern).toContain(500);
      expect(await statuses(second, 16)).toEqual(pattern);
      first.setFaults(flaky);
      expect(await statuses(first, 16)).toEqual(pattern);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('follow the seed given at start for the configured rules', async () => {
    const configured = await startUpstreamSimulator({ seed: 3, answerTokens: 2, faults: flaky });
    const set = await startUpstreamSimulator({ seed: 3, answerTokens: 2 });
    try {
      set.setFaults(flaky);
      expect(await statuses(configured, 12)).toEqual(await statuses(set, 12));
    } finally {
      await Promise.all([configured.close(), set.close()]);
    }
  });
});
