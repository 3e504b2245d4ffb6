import { Writable } from 'node:stream';
import { ExportResultCode } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/index.js';
import type { Principal } from '../../core/principal.js';
import { createTurn } from '../../runtime/turn.js';
import { tracingSetup } from './tracing-setup.js';

const principal: Principal = {
  userId: 'u1',
  role: 'user',
  tier: 'standard',
  permissions: [],
  keyId: 'k1',
};

/** An exporter that sends, then never lets go of its connections when asked to stop. */
const stuck: SpanExporter = {
  export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: () => new Promise<void>(() => undefined),
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('tracingSetup', () => {
  it('says where spans go, the environment’s endpoint too, with its password masked', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'https://ops:pw@127.0.0.1:4319/v1/traces');
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const config = loadConfig({ object: { observe: { tracing: { enabled: true } } } });
    const setup = await tracingSetup(config, pino({ level: 'info' }, sink));
    await setup.shutdown();
    expect(setup.endpoint).toBe('https://ops:***@127.0.0.1:4319/v1/traces');
    const started = lines.find(
      (line) => line.msg === 'tracing on: each turn is exported as a trace',
    );
    expect(started?.endpoint).toBe('https://ops:***@127.0.0.1:4319/v1/traces');
    expect(JSON.stringify(lines)).not.toContain('pw@');
  });

  it('never holds a shutdown longer than timeoutMs, however stuck the exporter', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    const config = loadConfig({
      object: { observe: { tracing: { enabled: true, timeoutMs: 100 } } },
    });
    const setup = await tracingSetup(config, logger, { exporter: stuck });
    const input = {
      requestId: 'req_1',
      principal,
      modelName: 'rampart-sim-1',
      messages: [],
      options: {},
      signal: new AbortController().signal,
    };
    const trace = setup.tracer!.startTurn(input)!;
    trace.end(createTurn(input, logger));

    await setup.shutdown();
    expect(lines.map((line) => line.msg)).toEqual([
      'tracing on: each turn is exported as a trace',
      'trace shutdown did not complete; unsent spans were dropped',
    ]);
    expect(lines[0]).toMatchObject({ endpoint: 'custom exporter', sampleRatio: 1 });
    expect(lines[1]).toMatchObject({ level: 40, timeoutMs: 100, reason: 'not done after 100 ms' });
  });

  it('refuses a batch larger than the queue, naming the key', () => {
    expect(() =>
      loadConfig({
        object: { observe: { tracing: { batch: { maxQueueSize: 10, maxExportBatchSize: 20 } } } },
      }),
    ).toThrow(/observe\.tracing\.batch\.maxExportBatchSize: maxExportBatchSize must not exceed/);
  });
});
