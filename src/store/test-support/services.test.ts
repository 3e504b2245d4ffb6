import { afterEach, describe, expect, it, vi } from 'vitest';
import { isCi, serviceUrl } from './services.js';

describe('test services', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('reads a service URL from its variable, treating empty as unset', () => {
    vi.stubEnv('RAMPART_TEST_SERVICE_URL', 'redis://127.0.0.1:6379');
    expect(serviceUrl('RAMPART_TEST_SERVICE_URL')).toBe('redis://127.0.0.1:6379');

    vi.stubEnv('RAMPART_TEST_SERVICE_URL', '');
    expect(serviceUrl('RAMPART_TEST_SERVICE_URL')).toBeUndefined();
    expect(serviceUrl('RAMPART_TEST_SERVICE_NEVER_SET')).toBeUndefined();
  });

  it('knows when it runs in CI', () => {
    for (const [value, expected] of [
      ['true', true],
      ['1', true],
      ['', false],
      ['false', false],
      ['0', false],
    ] as const) {
      vi.stubEnv('CI', value);
      expect(isCi()).toBe(expected);
    }
  });
});
