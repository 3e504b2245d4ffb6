import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  status,
  startWebhookReceiver,
  type WebhookReceiver,
} from './test-support/webhook-receiver.js';
import { sendWebhook } from './webhook.js';

const SIGNATURE = /^t=(\d+), v1=([0-9a-f]{64})$/;

describe('sendWebhook', () => {
  let receiver: WebhookReceiver | undefined;

  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('posts the JSON body with a signature a receiver can verify', async () => {
    receiver = await startWebhookReceiver((response) => status(204, response));
    const body = { id: 'job_1', result: { text: 'é 🦊 \u0000' } };

    const result = await sendWebhook(receiver.url, body, {
      secret: 'whsec_test',
      timeoutMs: 2000,
      jobId: 'job_1',
    });

    expect(result).toEqual({ ok: true, status: 204 });
    const [request] = receiver.received;
    expect(request?.method).toBe('POST');
    expect(JSON.parse(request!.body)).toEqual(body);
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'rampart-job-id': 'job_1',
      'user-agent': expect.stringMatching(/^rampart-webhook\//) as string,
    });
    const [, t, v1] = SIGNATURE.exec(String(request?.headers['rampart-signature'])) ?? [];
    const expected = createHmac('sha256', 'whsec_test').update(`${t}.${request!.body}`).digest();
    expect(timingSafeEqual(Buffer.from(v1 ?? '', 'hex'), expected)).toBe(true);
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('sends credentials written in the URL as Basic authorization, not in the URL', async () => {
    receiver = await startWebhookReceiver((response) => status(204, response));
    const withCredentials = receiver.url.replace('http://', 'http://hook%20user:p%40ss:w@');
    const result = await sendWebhook(withCredentials, { a: 1 }, { timeoutMs: 2000 });
    expect(result).toEqual({ ok: true, status: 204 });
    const expected = `Basic ${Buffer.from('hook user:p@ss:w').toString('base64')}`;
    expect(receiver.received[0]?.headers.authorization).toBe(expected);
    // The webhook's own authorization header is sent instead, once.
    await sendWebhook(
      withCredentials,
      { a: 2 },
      {
        timeoutMs: 2000,
        headers: { Authorization: 'Bearer own-token' },
      },
    );
    expect(receiver.received[1]?.headers.authorization).toBe('Bearer own-token');
  });

  it('signs with the given time and sends no signature without a secret', async () => {
    receiver = await startWebhookReceiver((response) => status(200, response));

    await sendWebhook(receiver.url, [1], {
      secret: 's',
      timeoutMs: 2000,
      now: () => 1_700_000_000_999,
    });
    await sendWebhook(receiver.url, [1], { timeoutMs: 2000 });

    const [signed, unsigned] = receiver.received;
    const v1 = createHmac('sha256', 's').update('1700000000.[1]').digest('hex');
    expect(signed?.headers['rampart-signature']).toBe(`t=1700000000, v1=${v1}`);
    expect(unsigned?.headers['rampart-signature']).toBeUndefined();
    expect(unsigned?.headers['rampart-job-id']).toBeUndefined();
  });

  it('says which answers are worth retrying', async () => {
    const codes = [200, 299, 400, 401, 404, 408, 410, 422, 429, 500, 502, 503];
    receiver = await startWebhookReceiver((response, index) => status(codes[index]!, response));

    const results = [];
    for (let sent = 0; sent < codes.length; sent += 1)
      results.push(await sendWebhook(receiver.url, {}, { timeoutMs: 2000 }));

    expect(results.map((result) => (result.ok ? 'ok' : result.retryable))).toEqual([
      'ok',
      'ok',
      false,
      false,
      false,
      true,
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
    expect(results[2]).toEqual({ ok: false, status: 400, error: 'HTTP 400', retryable: false });
  });

  it('gives up on a receiver that does not answer in time, as retryable', async () => {
    // Never answers.
    receiver = await startWebhookReceiver(() => undefined);
    const started = Date.now();

    const result = await sendWebhook(receiver.url, {}, { timeoutMs: 150 });

    expect(result).toEqual({ ok: false, error: 'No answer within 150 ms.', retryable: true });
    expect(Date.now() - started).toBeLessThan(1500);
    await vi.waitFor(() => expect(receiver?.openSockets()).toBe(0));
  });

  it('never follows a redirect', async () => {
    receiver = await startWebhookReceiver((response) =>
      response.writeHead(307, { location: '/elsewhere' }).end(),
    );

    const result = await sendWebhook(receiver.url, {}, { timeoutMs: 2000 });

    expect(result).toEqual({
      ok: false,
      status: 307,
      error: 'Redirect (HTTP 307) not followed.',
      retryable: false,
    });
    expect(receiver.received.map((request) => request.path)).toEqual(['/hook']);
  });

  it('reads a long answer only so far, and hangs up', async () => {
    receiver = await startWebhookReceiver((response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(16 * 1024, 'x');
      // Endless: keeps writing until the client goes away.
      const write = () => {
        if (!response.destroyed && !response.writableEnded) response.write(chunk, write);
      };
      write();
    });

    const started = Date.now();
    const result = await sendWebhook(receiver.url, {}, { timeoutMs: 5000 });

    expect(result).toEqual({ ok: true, status: 200 });
    expect(Date.now() - started).toBeLessThan(2000);
    await vi.waitFor(() => expect(receiver?.openSockets()).toBe(0));
  });

  it('reports a refused connection as retryable', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/hook`;

    const result = await sendWebhook(url, {}, { timeoutMs: 2000 });

    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(!result.ok && result.error).toMatch(/ECONNREFUSED/);
  });

  it('stops when the caller cancels', async () => {
    receiver = await startWebhookReceiver(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const result = await sendWebhook(
      receiver.url,
      {},
      { timeoutMs: 5000, signal: controller.signal },
    );

    expect(result).toEqual({ ok: false, error: 'The delivery was cancelled.', retryable: true });
  });

  it('refuses what can never be sent without sending anything', async () => {
    receiver = await startWebhookReceiver((response) => status(200, response));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    const results = [
      await sendWebhook('ftp://127.0.0.1/hook', {}, { timeoutMs: 1000 }),
      await sendWebhook('not a url', {}, { timeoutMs: 1000 }),
      await sendWebhook(receiver.url, cyclic, { timeoutMs: 1000 }),
      await sendWebhook(receiver.url, undefined, { timeoutMs: 1000 }),
    ];

    expect(results.map((result) => !result.ok && result.retryable)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(results.map((result) => !result.ok && result.error)).toEqual([
      'The webhook URL is not an http or https URL.',
      'The webhook URL is not an http or https URL.',
      'The webhook body is not JSON.',
      'The webhook body is not JSON.',
    ]);
    expect(receiver.received).toEqual([]);
  });
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
