import { describe, expect, it } from 'vitest';
import { collectResponse, type ModelRequest } from '../../core/index.js';
import { createSimulatedProvider } from './simulated-provider.js';

const request: ModelRequest = {
  model: 'rampart-sim-1',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Is this real?' }] }],
};

describe('createSimulatedProvider', () => {
  it('reports itself as simulated under its configured name', async () => {
    const provider = createSimulatedProvider({ name: 'offline', answerTokens: 6 });
    expect([provider.name, provider.kind, provider.simulated]).toEqual([
      'offline',
      'simulated',
      true,
    ]);
    const response = await collectResponse(provider.stream(request));
    expect(response.text).toBe('Simulated answer to "Is this real?":');
    await provider.close();
  });

  it('ends with client-closed when the signal is already aborted', async () => {
    const provider = createSimulatedProvider();
    const response = await collectResponse(
      provider.stream(request, { signal: AbortSignal.abort() }),
    );
    expect(response.error?.code).toBe('RAMPART_CLIENT_CLOSED');
    expect(response.text).toBe('');
  });

  it('defaults its name to simulated', () => {
    expect(createSimulatedProvider().name).toBe('simulated');
  });
});
