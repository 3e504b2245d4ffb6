import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import type { Message } from '../../core/conversation.js';
import { createLogger } from '../../core/logger.js';
import { estimateInputTokens, type TokenCounts } from '../../core/token-estimate.js';
import { createProviders } from '../../providers/index.js';
import { resolveRoutes } from '../../runtime/index.js';
import { createTurn } from '../../runtime/turn.js';
import { pruningStage } from './pruning-stage.js';

function startWarnings(models: Record<string, unknown>): unknown[] {
  const lines: unknown[] = [];
  const destination = { write: (line: string) => lines.push(JSON.parse(line)) };
  const logger = createLogger({ level: 'warn', destination });
  const config = loadConfig({ object: { models } });
  pruningStage({ config, providers: createProviders(config.providers, {}, logger), logger });
  return lines;
}

describe('pruningStage at start', () => {
  it('names the models whose window it does not know', () => {
    const lines = startWarnings({
      known: { provider: 'simulated', model: 'gpt-4o' },
      set: { provider: 'simulated', model: 'my-llama', contextWindow: 8_192 },
      guessed: {
        provider: 'simulated',
        model: 'gpt-4o',
        fallbacks: [{ provider: 'simulated', model: 'my-llama' }],
      },
    });
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'context window unknown; pruning assumes the default',
        models: ['guessed'],
        contextWindow: 32_768,
      }),
    ]);
  });

  it('says nothing when every window is known', () => {
    expect(startWarnings({ known: { provider: 'simulated', model: 'claude-haiku-4-5' } })).toEqual(
      [],
    );
  });
});

describe('pruningStage against the model’s own count', () => {
  /** Counts four times what the character estimate does, as CJK text does in real encodings. */
  function dense(): TokenCounts {
    return {
      prepare: () => Promise.resolve(),
      observe: () => undefined,
      counting: () => ({
        prompt: (request) => 4 * estimateInputTokens(request) + 3 * request.messages.length,
        text: (text) => text.length,
      }),
    };
  }

  async function shaped(tokens: TokenCounts | undefined) {
    const logger = createLogger({ level: 'silent' });
    const config = loadConfig({
      object: {
        models: { tiny: { provider: 'simulated', model: 'tiny', contextWindow: 9_000 } },
        pruning: { outputReserveTokens: 1_000 },
      },
    });
    const providers = createProviders(config.providers, {}, logger);
    const stage = pruningStage({ config, providers, logger, ...(tokens ? { tokens } : {}) });
    const turn = createTurn(
      {
        requestId: 'r1',
        principal: { userId: 'u', role: 'user', tier: 'standard', permissions: [], keyId: 'k' },
        modelName: 'tiny',
        messages: [],
        options: {},
        signal: new AbortController().signal,
      },
      logger,
    );
    turn.route = resolveRoutes(config, providers).get('tiny');
    const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });
    const reply = (text: string): Message => ({
      role: 'assistant',
      content: [{ type: 'text', text }],
      toolCalls: [],
    });
    const messages: Message[] = [{ role: 'system', content: 'Be brief.' }];
    for (let index = 0; index < 40; index++) {
      messages.push(user(`第${index}个问题：${'漢字'.repeat(150)}`), reply('好。'.repeat(100)));
    }
    messages.push(user('最后一个问题'));
    const shaping = { callAside: () => Promise.reject(new Error('no aside calls here')) };
    const request = await stage.shapeRequest!(turn, { messages }, shaping);
    return { request, counted: dense().counting({ provider: '', model: '', kind: '' }) };
  }

  it('refits until the request fits the window by the model’s count', async () => {
    const { request, counted } = await shaped(dense());

    expect(counted.prompt(request)).toBeLessThanOrEqual(8_000);
    expect(request.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(request.messages.at(-1)).toEqual({
      role: 'user',
      content: [{ type: 'text', text: '最后一个问题' }],
    });
  });

  it('would overrun the window on the estimate alone', async () => {
    const { request, counted } = await shaped(undefined);

    expect(counted.prompt(request)).toBeGreaterThan(8_000);
  });
});
