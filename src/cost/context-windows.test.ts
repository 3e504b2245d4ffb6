import { describe, expect, it } from 'vitest';
import {
  catalogContextWindow,
  DEFAULT_CONTEXT_WINDOW,
  routeContextWindow,
} from './context-windows.js';

describe('context windows', () => {
  it('takes the window of the longest listed prefix of a model id', () => {
    expect(catalogContextWindow('gpt-4o-2024-08-06')).toBe(128_000);
    expect(catalogContextWindow('gpt-4.1-mini')).toBe(1_047_576);
    expect(catalogContextWindow('gpt-3.5-turbo-0125')).toBe(16_385);
    expect(catalogContextWindow('claude-sonnet-4-5-20250929')).toBe(200_000);
    expect(catalogContextWindow('llama-3.1-70b')).toBeUndefined();
  });

  it('bounds a route by its smallest target, and by the default when one is unknown', () => {
    expect(
      routeContextWindow({ configured: undefined, modelIds: ['gpt-4o', 'gpt-3.5-turbo'] }),
    ).toBe(16_385);
    expect(routeContextWindow({ configured: undefined, modelIds: ['gpt-4o', 'my-llama'] })).toBe(
      DEFAULT_CONTEXT_WINDOW,
    );
    expect(routeContextWindow({ configured: 8_192, modelIds: ['gpt-4o'] })).toBe(8_192);
  });
});
