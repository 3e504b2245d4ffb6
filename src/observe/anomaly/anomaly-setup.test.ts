import { afterEach, describe, expect, it, vi } from 'vitest';
import { isRampartError } from '../../core/errors.js';
import { createSilentLogger } from '../../core/logger.js';
import { MemoryAlertStore, MemoryBaselineStore } from '../../store/index.js';
import type { WindowReader } from '../window-summary.js';
import { anomalySetup, resolveWebhooks } from './anomaly-setup.js';
import { AFTER_BASELINE, observeConfig, type ObserveInput } from './test-support/rig.js';
import { scriptedReader } from './test-support/scripted-reader.js';

const threshold = { series: 'model_latency_p95', direction: 'above', value: 1_000 } as const;

function counting(reader: WindowReader) {
  const counted = { calls: 0 };
  return {
    counted,
    reader: {
      summarize: (from: number, to: number) => {
        counted.calls += 1;
        return reader.summarize(from, to);
      },
    },
  };
}

function setupWith(input: ObserveInput, reader: WindowReader) {
  return anomalySetup({
    config: observeConfig(input),
    reader,
    stores: { alerts: new MemoryAlertStore(), baselines: new MemoryBaselineStore() },
    logger: createSilentLogger(),
    env: {},
  });
}

describe('anomalySetup', () => {
  afterEach(() => vi.useRealTimers());

  it('evaluates every evaluateEveryMs once started, and not after stop', async () => {
    vi.useFakeTimers({ now: AFTER_BASELINE });
    const { counted, reader } = counting(scriptedReader({ latency: () => ({ 'sim/fast': 500 }) }));
    const setup = setupWith(
      { anomaly: { enabled: false, evaluateEveryMs: 30_000 }, alerts: { thresholds: [threshold] } },
      reader,
    );

    setup.start();
    await vi.advanceTimersByTimeAsync(29_999);
    expect(counted.calls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(counted.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(90_000);
    expect(counted.calls).toBe(4);

    await setup.stop();
    await vi.advanceTimersByTimeAsync(300_000);
    expect(counted.calls).toBe(4);
  });

  it('does not evaluate at all with the detector off and no thresholds', async () => {
    vi.useFakeTimers({ now: AFTER_BASELINE });
    const { counted, reader } = counting(scriptedReader({}));
    const setup = setupWith({ anomaly: { enabled: false } }, reader);

    setup.start();
    await vi.advanceTimersByTimeAsync(600_000);
    await setup.stop();
    expect(counted.calls).toBe(0);
  });

  it('keeps evaluating after a summary fails', async () => {
    vi.useFakeTimers({ now: AFTER_BASELINE });
    let calls = 0;
    const reader: WindowReader = {
      summarize: async (from, to) => {
        calls += 1;
        if (calls === 1) throw new Error('stats store down');
        return scriptedReader({}).summarize(from, to);
      },
    };
    const setup = setupWith(
      { anomaly: { enabled: false }, alerts: { thresholds: [threshold] } },
      reader,
    );

    setup.start();
    await vi.advanceTimersByTimeAsync(180_000);
    await setup.stop();
    expect(calls).toBe(3);
  });

  it('reads webhook secrets from the environment, and names a missing variable', () => {
    const webhooks = observeConfig({
      alerts: {
        webhooks: [
          { url: 'http://127.0.0.1:9/a', secretEnv: 'HOOK_SECRET' },
          { url: 'http://127.0.0.1:9/b', secret: 'an-inline-secret-16' },
          { url: 'http://127.0.0.1:9/c' },
        ],
      },
    }).alerts.webhooks;

    expect(resolveWebhooks(webhooks, { HOOK_SECRET: 's3cret' }, 'rampart.yaml')).toEqual([
      { url: 'http://127.0.0.1:9/a', headers: {}, secret: 's3cret' },
      { url: 'http://127.0.0.1:9/b', headers: {}, secret: 'an-inline-secret-16' },
      { url: 'http://127.0.0.1:9/c', headers: {} },
    ]);
    let message = '';
    try {
      resolveWebhooks(webhooks, {}, 'rampart.yaml');
    } catch (error) {
      if (isRampartError(error, 'RAMPART_CONFIG_INVALID')) message = error.message;
    }
    expect(message).toBe(
      'invalid config in rampart.yaml:\n' +
        '  - observe.alerts.webhooks[0].secretEnv: the environment variable HOOK_SECRET is not set',
    );
  });
});
