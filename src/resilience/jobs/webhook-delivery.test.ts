import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, isRampartError } from '../../core/index.js';
import { openSqliteStore, type JobRecord, type SqliteStore } from '../../store/index.js';
import {
  status,
  startWebhookReceiver,
  type WebhookReceiver,
} from './test-support/webhook-receiver.js';
import {
  startWebhookDelivery,
  type WebhookDelivery,
  type WebhookDeliveryOptions,
} from './webhook-delivery.js';

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

const WARN = 40;

describe('startWebhookDelivery', () => {
  let directory: string;
  let path: string;
  let store: SqliteStore;
  let receiver: WebhookReceiver;
  let lines: LogLine[];
  const loops: WebhookDelivery[] = [];
  // The store's clock runs `offset` ahead of the real one, so a test can jump past a backoff.
  let offset = 0;

  const open = () => openSqliteStore({ path, clock: () => Date.now() + offset });

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'rampart-webhooks-'));
    path = join(directory, 'rampart.db');
    offset = 0;
    store = open();
    lines = [];
  });
  afterEach(async () => {
    await Promise.all(loops.splice(0).map((loop) => loop.stop()));
    await receiver.close();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  function start(options: Partial<WebhookDeliveryOptions> = {}): WebhookDelivery {
    const logger = createLogger({
      level: 'debug',
      destination: { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
    });
    const loop = startWebhookDelivery({
      jobs: store.jobs,
      logger,
      pollMs: 10,
      maxAttempts: 5,
      baseDelayMs: 20,
      maxDelayMs: 1000,
      timeoutMs: 2000,
      secret: 'whsec_test',
      payload: (job) => ({ id: job.id, status: job.status, result: job.result }),
      ...options,
    });
    loops.push(loop);
    return loop;
  }

  /** A job with a webhook to the receiver, run and finished, so its webhook is due. */
  async function finishedJob(result: unknown = { text: 'done' }): Promise<JobRecord> {
    const job = await store.jobs.create('alice', {
      kind: 'chat.completion',
      request: {},
      webhookUrl: receiver.url,
    });
    const claim = await store.jobs.claim(60_000);
    await store.jobs.complete(job.id, claim!.token, result);
    return job;
  }

  const read = async (id: string) => (await store.jobs.get('alice', id))!;

  async function settled(id: string): Promise<JobRecord> {
    await vi.waitFor(async () => expect((await read(id)).webhookStatus).not.toBe('pending'), {
      timeout: 5000,
    });
    return read(id);
  }

  it('delivers the payload, signed, once', async () => {
    receiver = await startWebhookReceiver((response) => status(200, response));
    const job = await finishedJob({ answer: 42 });
    start();

    expect(await settled(job.id)).toMatchObject({ webhookStatus: 'delivered', webhookAttempts: 1 });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(JSON.parse(request!.body)).toEqual({
      id: job.id,
      status: 'succeeded',
      result: { answer: 42 },
    });
    expect(request?.headers['rampart-job-id']).toBe(job.id);
    expect(request?.headers['rampart-signature']).toMatch(/^t=\d+, v1=[0-9a-f]{64}$/);
  });

  it('retries after a 500, then records the delivery', async () => {
    receiver = await startWebhookReceiver((response, index) =>
      status(index === 0 ? 500 : 200, response),
    );
    const job = await finishedJob();
    start();

    expect(await settled(job.id)).toMatchObject({ webhookStatus: 'delivered', webhookAttempts: 2 });
    expect(receiver.received).toHaveLength(2);
    expect(lines.filter((line) => line.level === WARN)).toMatchObject([
      { msg: 'Webhook delivery failed', jobId: job.id, attempt: 1, status: 500, retryable: true },
    ]);
  });

  it('does not retry after a 400', async () => {
    receiver = await startWebhookReceiver((response) => status(400, response));
    const job = await finishedJob();
    start();

    expect(await settled(job.id)).toMatchObject({ webhookStatus: 'failed', webhookAttempts: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received).toHaveLength(1);
    expect(lines.filter((line) => line.level === WARN)).toMatchObject([
      { msg: 'Webhook delivery given up', attempt: 1, status: 400, retryable: false },
    ]);
  });

  it('backs off exponentially up to the ceiling and gives up after maxAttempts', async () => {
    receiver = await startWebhookReceiver((response) => status(503, response));
    const job = await finishedJob();
    start({ maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 60, random: () => 0.5 });

    expect(await settled(job.id)).toMatchObject({ webhookStatus: 'failed', webhookAttempts: 4 });
    expect(receiver.received).toHaveLength(4);
    const warnings = lines.filter((line) => line.level === WARN);
    // Half the delay fixed and half jitter: 20 → 15, 40 → 30, 80 capped at 60 → 45.
    expect(warnings.map((line) => line.retryInMs)).toEqual([15, 30, 45, undefined]);
    expect(warnings.at(-1)?.msg).toBe('Webhook delivery given up');
  });

  it('retries a receiver that timed out', async () => {
    // The first request is never answered.
    receiver = await startWebhookReceiver((response, index) => {
      if (index > 0) status(200, response);
    });
    const job = await finishedJob();
    start({ timeoutMs: 100 });

    expect(await settled(job.id)).toMatchObject({ webhookStatus: 'delivered', webhookAttempts: 2 });
    expect(lines.find((line) => line.level === WARN)).toMatchObject({
      reason: 'No answer within 100 ms.',
      retryable: true,
    });
  });

  it('never follows a redirect', async () => {
    receiver = await startWebhookReceiver((response) =>
      response.writeHead(302, { location: '/elsewhere' }).end(),
    );
    const job = await finishedJob();
    start();

    expect(await settled(job.id)).toMatchObject({ webhookStatus: 'failed', webhookAttempts: 1 });
    expect(receiver.received.map((request) => request.path)).toEqual(['/hook']);
  });

  it('picks up a pending webhook after a restart', async () => {
    let answer = 500;
    receiver = await startWebhookReceiver((response) => status(answer, response));
    const job = await finishedJob();
    // A long backoff: the retry is due only long after this process "dies".
    const first = start({ baseDelayMs: 600_000, maxDelayMs: 600_000 });
    await vi.waitFor(async () => expect((await read(job.id)).webhookAttempts).toBe(1));
    await first.stop();
    await store.close();
    expect(receiver.received).toHaveLength(1);

    answer = 200;
    offset = 600_000;
    store = open();
    start();

    expect(await settled(job.id)).toMatchObject({ webhookStatus: 'delivered', webhookAttempts: 2 });
    expect(receiver.received).toHaveLength(2);
  });

  it('waits for the send in flight when stopped', async () => {
    receiver = await startWebhookReceiver((response) => {
      setTimeout(() => status(200, response), 200);
    });
    const job = await finishedJob();
    const loop = start();
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1));

    await loop.stop();

    expect(await read(job.id)).toMatchObject({ webhookStatus: 'delivered', webhookAttempts: 1 });
  });

  it('looks at once when kicked instead of waiting for the next poll', async () => {
    receiver = await startWebhookReceiver((response) => status(200, response));
    const loop = start({ pollMs: 60_000 });
    // Let the first poll find nothing and go to sleep.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const job = await finishedJob();

    loop.kick();

    expect(await settled(job.id)).toMatchObject({ webhookStatus: 'delivered' });
  });

  it('logs a failing store and keeps going', async () => {
    receiver = await startWebhookReceiver((response) => status(200, response));
    await store.close();
    const loop = start();
    await vi.waitFor(() => expect(lines.length).toBeGreaterThan(1));

    await loop.stop();

    // One warning for the outage; each poll after it is a debug line, not another warning.
    expect(lines[0]).toMatchObject({ level: 40, msg: 'webhook claims failing' });
    expect(lines[0]?.err).toMatchObject({ message: 'The database connection is not open' });
    expect(lines.slice(1).map((line) => [line.level, line.msg])).toEqual(
      lines.slice(1).map(() => [20, 'webhook claims still failing']),
    );
    store = open();
  });

  it('refuses options that would spin or never retry', () => {
    receiver = { url: '', received: [], openSockets: () => 0, close: () => Promise.resolve() };
    for (const field of ['pollMs', 'maxAttempts', 'baseDelayMs', 'maxDelayMs', 'timeoutMs']) {
      let error: unknown;
      try {
        start({ [field]: 0 });
      } catch (caught) {
        error = caught;
      }
      expect(isRampartError(error, 'RAMPART_CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toBe(
        `Webhook delivery ${field} must be a positive integer, not 0.`,
      );
    }
  });
});
