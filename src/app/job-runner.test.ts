import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, RampartError } from '../core/index.js';
import type { Principal } from '../core/principal.js';
import type { PreparedTurn, Runtime, TurnEvent, TurnInput } from '../runtime/index.js';
import { openSqliteStore, type SqliteStore } from '../store/index.js';
import { loadConfig } from '../config/index.js';
import { SessionService } from '../sessions/index.js';
import { jobHandlers } from './deferred-kinds.js';
import { startJobRunner, type JobRunner } from './job-runner.js';

let principal: Principal;

const request = (content: string) => ({
  body: { model: 'm', messages: [{ role: 'user', content }] },
  principal,
});

/** A runtime whose turns take `delayMs`, answer with their prompt, and count how many overlap. */
function fakeRuntime(options: { delayMs: number; down?: () => boolean }) {
  const seen = { running: 0, peak: 0, turns: 0 };
  const runtime: Runtime = {
    async prepareTurn(input: TurnInput): Promise<PreparedTurn> {
      const turn = { routeDown: options.down?.() ?? false } as PreparedTurn['turn'];
      async function* events(): AsyncGenerator<TurnEvent> {
        seen.turns++;
        seen.running++;
        seen.peak = Math.max(seen.peak, seen.running);
        await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        seen.running--;
        if (turn.routeDown) {
          const error = new RampartError('RAMPART_PROVIDERS_UNAVAILABLE', 'down');
          yield { type: 'error', error, beforeContent: true };
          return;
        }
        const message = input.messages.at(-1);
        const text =
          message?.role === 'user' && message.content[0]?.type === 'text'
            ? message.content[0].text
            : '';
        yield { type: 'text-delta', text: `echo ${text}` };
        yield { type: 'finish', reason: 'stop' };
      }
      return { turn, events: events() };
    },
  };
  return { runtime, seen };
}

/** A logger that keeps each line's message. */
function lineLogger(lines: string[]) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push((JSON.parse(chunk.toString()) as { msg: string }).msg);
      done();
    },
  });
  return createLogger({ level: 'info', destination: sink });
}

let store: SqliteStore | undefined;
let runner: JobRunner | undefined;
afterEach(async () => {
  await runner?.stop();
  await store?.close();
  runner = undefined;
  store = undefined;
});

async function start(
  runtime: Runtime,
  concurrency: number,
  options: { leaseMs?: number; lines?: string[] } = {},
) {
  store = openSqliteStore({ path: ':memory:' });
  const jobs = store.jobs;
  const { record } = await store.keys.create({
    userId: 'pia',
    role: 'user',
    tier: 'standard',
    permissions: [],
  });
  principal = { userId: 'pia', role: 'user', tier: 'standard', permissions: [], keyId: record.id };
  runner = startJobRunner({
    jobs,
    keys: store.keys,
    retentionMs: 60_000,
    kinds: jobHandlers({
      runtime,
      sessions: new SessionService(store.sessions),
      config: loadConfig(),
    }),
    logger: options.lines ? lineLogger(options.lines) : createLogger({ level: 'silent' }),
    pollMs: 20,
    leaseMs: options.leaseMs ?? 60_000,
    concurrency,
    retryDelayMs: 30,
    maxAgeMs: 60_000,
  });
  return jobs;
}

async function until(check: () => Promise<boolean>, timeoutMs = 3_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the deferred job runner', () => {
  it('runs up to its concurrency at once and answers every job exactly once', async () => {
    const { runtime, seen } = fakeRuntime({ delayMs: 60 });
    const jobs = await start(runtime, 3);
    const created = await Promise.all(
      Array.from({ length: 7 }, (_, index) =>
        jobs.create('pia', { kind: 'chat.completion', request: request(`job ${index}`) }),
      ),
    );
    await until(async () => {
      const states = await Promise.all(created.map((job) => jobs.get('pia', job.id)));
      return states.every((job) => job?.status === 'succeeded');
    });
    expect(seen.peak).toBe(3);
    expect(seen.turns).toBe(7);
    for (const [index, job] of created.entries()) {
      const done = await jobs.get('pia', job.id);
      expect(done?.attempts).toBe(1);
      expect((done?.result as any).choices[0].message.content).toBe(`echo job ${index}`);
    }
  });

  it('puts a job back in line while the route is down, and answers it once it is up', async () => {
    let down = true;
    const { runtime, seen } = fakeRuntime({ delayMs: 1, down: () => down });
    const jobs = await start(runtime, 2);
    const job = await jobs.create('pia', { kind: 'chat.completion', request: request('later') });
    await until(async () => seen.turns >= 2);
    expect((await jobs.get('pia', job.id))?.status).not.toBe('succeeded');
    down = false;
    await until(async () => (await jobs.get('pia', job.id))?.status === 'succeeded');
    const done = await jobs.get('pia', job.id);
    expect(done?.attempts).toBeGreaterThanOrEqual(3);
    expect((done?.result as any).choices[0].message.content).toBe('echo later');
  });

  it('logs a store that cannot be claimed from once, not at every poll, and runs the job after', async () => {
    const { runtime } = fakeRuntime({ delayMs: 1 });
    const lines: string[] = [];
    const jobs = await start(runtime, 2, { lines });
    const claim = jobs.claim.bind(jobs);
    let failures = 0;
    jobs.claim = (leaseMs) => {
      if (failures >= 10) return claim(leaseMs);
      failures++;
      return Promise.reject(new Error('connection refused'));
    };
    const job = await jobs.create('pia', { kind: 'chat.completion', request: request('then') });
    await until(async () => (await jobs.get('pia', job.id))?.status === 'succeeded');
    expect(failures).toBe(10);
    expect(lines.filter((line) => line.startsWith('deferred job claims'))).toEqual([
      'deferred job claims failing',
      'deferred job claims working again',
    ]);
  });

  it('fails a job of a kind it does not know, for good', async () => {
    const { runtime, seen } = fakeRuntime({ delayMs: 1 });
    const jobs = await start(runtime, 1);
    const job = await jobs.create('pia', { kind: 'mystery', request: {} });
    await until(async () => (await jobs.get('pia', job.id))?.status === 'failed');
    expect((await jobs.get('pia', job.id))?.error?.code).toBe('RAMPART_INTERNAL');
    expect(seen.turns).toBe(0);
  });

  it('fails a job whose stored request is no longer valid, without running it', async () => {
    const { runtime, seen } = fakeRuntime({ delayMs: 1 });
    const jobs = await start(runtime, 1);
    const job = await jobs.create('pia', {
      kind: 'chat.completion',
      request: { body: { model: 'm', messages: 'not a list' }, principal },
    });
    await until(async () => (await jobs.get('pia', job.id))?.status === 'failed');
    expect((await jobs.get('pia', job.id))?.error?.code).toBe('RAMPART_INVALID_REQUEST');
    expect(seen.turns).toBe(0);
  });

  it('does not run a job whose key was revoked after it was queued', async () => {
    const { runtime, seen } = fakeRuntime({ delayMs: 1, down: () => true });
    const jobs = await start(runtime, 1);
    const job = await jobs.create('pia', { kind: 'chat.completion', request: request('x') });
    await until(async () => seen.turns >= 1);
    expect(await store!.keys.revoke(principal.keyId)).toBe(true);
    await until(async () => (await jobs.get('pia', job.id))?.status === 'failed');
    expect((await jobs.get('pia', job.id))?.error?.code).toBe('RAMPART_UNAUTHORIZED');
    const turns = seen.turns;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.turns).toBe(turns);
  });

  it("keeps a long run's claim, so two runners never run one job twice", async () => {
    const { runtime, seen } = fakeRuntime({ delayMs: 250 });
    const lines: string[] = [];
    const jobs = await start(runtime, 1, { leaseMs: 100, lines });
    // A second instance polling the same store takes the job over when the lease runs out.
    const other = startJobRunner({
      jobs,
      keys: store!.keys,
      kinds: jobHandlers({
        runtime,
        sessions: new SessionService(store!.sessions),
        config: loadConfig(),
      }),
      logger: lineLogger(lines),
      pollMs: 20,
      leaseMs: 100,
      concurrency: 1,
      retryDelayMs: 30,
      maxAgeMs: 60_000,
      retentionMs: 60_000,
    });
    try {
      const job = await jobs.create('pia', { kind: 'chat.completion', request: request('slow') });
      await until(async () => (await jobs.get('pia', job.id))?.status === 'succeeded');
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(seen.turns).toBe(1);
      expect(lines.filter((line) => line === 'deferred job answered')).toHaveLength(1);
      expect(lines).not.toContain('deferred job answered after its claim was lost');
      expect((await jobs.get('pia', job.id))?.attempts).toBe(1);
    } finally {
      await other.stop();
    }
  });
});
