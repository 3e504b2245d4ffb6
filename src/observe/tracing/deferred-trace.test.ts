import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../../app/test-support/harness.js';
import { startUpstreamSimulator } from '../../upstream-sim/index.js';
import { startOtlpReceiver, type ReceivedSpan } from './test-support/otlp-receiver.js';

const SERVER = 2;
const CLIENT_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CLIENT_SPAN = 'b7ad6b7169203331';

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

describe('a deferred job', () => {
  it("is traced as a child of the turn that queued it, inside the client's trace", async () => {
    const upstream = await startUpstreamSimulator({ answerTokens: 8 });
    opened.push(upstream);
    const receiver = await startOtlpReceiver();
    opened.push(receiver);
    const timeouts = { connectMs: 500, firstByteMs: 500, idleMs: 500 };
    const server = await startTestServer({
      config: {
        providers: {
          only: { type: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: 'sk-test', timeouts },
        },
        models: { assistant: { provider: 'only', model: 'rampart-sim-1' } },
        resilience: {
          retry: { maxAttempts: 1 },
          breaker: { enabled: false },
          degraded: { deferred: { pollMs: 50, retryDelayMs: 100 } },
        },
        observe: {
          tracing: { enabled: true, endpoint: receiver.url, batch: { scheduledDelayMs: 20 } },
        },
      },
    });
    opened.push(server);
    const key = await server.key('jade');

    upstream.setFaults([{ kind: 'status', status: 503 }]);
    const accepted = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        prefer: 'respond-async',
        traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`,
      },
      body: JSON.stringify({ model: 'assistant', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('x-rampart-trace-id')).toBe(CLIENT_TRACE);
    const job = (await accepted.json()) as { id: string };

    upstream.setFaults([]);
    let status = '';
    for (let poll = 0; poll < 200 && status !== 'succeeded'; poll++) {
      await sleep(25);
      const read = await fetch(`${server.url}/v1/jobs/${job.id}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      status = ((await read.json()) as { status: string }).status;
    }
    expect(status).toBe('succeeded');

    let turns: ReceivedSpan[] = [];
    for (let poll = 0; poll < 200 && turns.length < 2; poll++) {
      await sleep(20);
      turns = receiver.spans().filter((span) => span.kind === SERVER);
    }
    const [queued, ran] = turns;
    expect(turns).toHaveLength(2);
    // The turn that found the route down continues the client's span; the job's turn is its
    // child, in the same trace.
    expect(queued).toMatchObject({ traceId: CLIENT_TRACE, parentSpanId: CLIENT_SPAN });
    expect(ran).toMatchObject({ traceId: CLIENT_TRACE, parentSpanId: queued!.spanId });
    expect(ran!.attributes['rampart.request.id']).toBe(job.id);
  });
});
