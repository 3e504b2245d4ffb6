import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../app/test-support/harness.js';
import { loadConfig } from '../../config/index.js';
import { createSilentLogger } from '../../core/index.js';
import { tracingSetup } from './tracing-setup.js';

/** Which OpenTelemetry packages this test file's code has imported so far. */
const loaded = vi.hoisted(() => new Set<string>());

// Each mock passes the real module through and only notes that it was asked for: the factory
// runs the first time anything imports the package.
vi.mock('@opentelemetry/api', async (original) => {
  loaded.add('api');
  return original();
});
vi.mock('@opentelemetry/core', async (original) => {
  loaded.add('core');
  return original();
});
vi.mock('@opentelemetry/sdk-trace-base', async (original) => {
  loaded.add('sdk-trace-base');
  return original();
});
vi.mock('@opentelemetry/otlp-exporter-base', async (original) => {
  loaded.add('otlp-exporter-base');
  return original();
});

describe('tracing off (the default)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves turns without loading any OpenTelemetry module or creating a tracer', async () => {
    expect(server.rampart.config.observe.tracing.enabled).toBe(false);
    const key = await server.key('alice');
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
      body: JSON.stringify({
        model: 'rampart-sim-1',
        messages: [{ role: 'user', content: 'hello' }],
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-rampart-trace-id')).toBeNull();
    await response.json();
    expect([...loaded]).toEqual([]);

    const setup = await tracingSetup(loadConfig(), createSilentLogger());
    expect(setup.tracer).toBeUndefined();
    expect([...loaded]).toEqual([]);
  });

  it('loads them only once tracing is switched on', async () => {
    const config = loadConfig({ object: { observe: { tracing: { enabled: true } } } });
    const setup = await tracingSetup(config, createSilentLogger());
    try {
      expect(setup.tracer).toBeDefined();
      expect([...loaded].sort()).toEqual(['api', 'core', 'otlp-exporter-base', 'sdk-trace-base']);
    } finally {
      await setup.shutdown();
    }
  });
});
