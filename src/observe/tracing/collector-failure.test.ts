import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST_SIMULATED } from '../../app/test-support/harness.js';
import { parsePrometheusText, sampleValue } from '../../app/test-support/prometheus-text.js';
import { createRampart, type Rampart } from '../../app/create-rampart.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceiverMode,
} from './test-support/otlp-receiver.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Rig {
  rampart: Rampart;
  url: string;
  key: string;
  receiver: OtlpReceiver;
  lines: Array<Record<string, unknown>>;
}

/** Rampart exporting to a collector that answers as `mode` says, its log lines captured. */
async function start(mode: ReceiverMode): Promise<Rig> {
  const receiver = await startOtlpReceiver(mode);
  cleanups.push(() => receiver.close());
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'rampart-tracing-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const rampart = await createRampart({
    config: {
      providers: FAST_SIMULATED,
      server: { port: 0 },
      observe: {
        tracing: {
          enabled: true,
          endpoint: receiver.url,
          timeoutMs: 300,
          batch: { scheduledDelayMs: 10 },
        },
      },
    },
    env: {},
    overrides: { dataDir },
    logger: pino({ level: 'info' }, sink),
  });
  const url = await rampart.listen();
  const { key } = await rampart.keys.create({
    userId: 'alice',
    role: 'user',
    tier: 'standard',
    permissions: [],
  });
  return { rampart, url, key, receiver, lines };
}

async function ask(rig: Rig, text: string) {
  const response = await fetch(`${rig.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${rig.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'rampart-sim-1', messages: [{ role: 'user', content: text }] }),
  });
  const traceId = response.headers.get('x-rampart-trace-id');
  return { status: response.status, traceId, body: (await response.json()) as any };
}

async function until(check: () => boolean) {
  for (let tries = 0; tries < 500 && !check(); tries++) await sleep(20);
  expect(check()).toBe(true);
}

/** `rampart_trace_spans_total` by outcome, from the instance's own `/metrics`. */
async function spanCounts(rig: Rig) {
  const samples = parsePrometheusText(await (await fetch(`${rig.url}/metrics`)).text());
  const count = (outcome: string) => sampleValue(samples, 'rampart_trace_spans_total', { outcome });
  return { queued: count('queued'), exported: count('exported'), failed: count('failed') };
}

const exportFailures = (rig: Rig) =>
  rig.lines.filter((line) => line.msg === 'trace export failed; its spans were dropped');

describe('a collector in trouble', () => {
  it('that answers 503: turns are served, the failures are logged once per interval', async () => {
    const rig = await start('unavailable');
    for (const text of ['one', 'two', 'three']) {
      const { status, body, traceId } = await ask(rig, text);
      expect(status).toBe(200);
      // A new trace each time, named to the client even though its spans are lost.
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(body.choices[0].finish_reason).toBe('stop');
      // Each turn's spans go out in their own export, and each export fails.
      const before = rig.receiver.requests;
      await until(() => rig.receiver.requests > before && exportFailures(rig).length > 0);
    }
    await until(() => exportFailures(rig).length > 0);
    expect(rig.receiver.requests).toBeGreaterThanOrEqual(3);
    expect(exportFailures(rig)).toHaveLength(1);
    expect(exportFailures(rig)[0]).toMatchObject({
      level: 40,
      endpoint: rig.receiver.url,
      failedExports: 1,
    });
    // The metrics count every span those exports dropped: at least the turn and its model call
    // of each turn, none exported.
    const spans = await spanCounts(rig);
    expect(spans.exported).toBe(0);
    expect(spans.failed).toBeGreaterThanOrEqual(6);
    expect(spans.queued).toBeGreaterThanOrEqual(spans.failed);
    await rig.rampart.close();
  });

  it('that never answers: turns are served and close() gives up after timeoutMs', async () => {
    const rig = await start('hang');
    for (const text of ['one', 'two']) {
      const { status, body } = await ask(rig, text);
      expect(status).toBe(200);
      expect(body.choices[0].message.content).toMatch(/\S/);
    }
    await until(() => rig.receiver.requests > 0);
    // The hung export is given up after timeoutMs and reported; turns went on meanwhile.
    await until(() => exportFailures(rig).length > 0);
    expect(exportFailures(rig)[0]).toMatchObject({ endpoint: rig.receiver.url });
    expect((await ask(rig, 'three')).status).toBe(200);
    // Spans of the last turn wait while exports hang: the close must not wait for the collector
    // longer than timeoutMs (the test's own timeout is the bound), and fails nothing.
    await rig.rampart.close();
    expect(rig.lines.filter((line) => (line.level as number) >= 50)).toEqual([]);
  });
});
