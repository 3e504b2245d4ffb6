import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import type { AnswerStore, StoredAnswer } from '../../store/index.js';
import { DegradedAnswers } from './degraded-answers.js';

/** An answer store that fails while `down`, else keeps answers in a map. */
class FlakyAnswers implements AnswerStore {
  down = false;
  readonly kept = new Map<string, StoredAnswer>();

  get(key: string): Promise<StoredAnswer | undefined> {
    if (this.down) return Promise.reject(new Error('connection refused'));
    return Promise.resolve(this.kept.get(key));
  }

  set(key: string, answer: StoredAnswer): Promise<void> {
    if (this.down) return Promise.reject(new Error('connection refused'));
    this.kept.set(key, answer);
    return Promise.resolve();
  }
}

const context = (text: string) => ({
  routeName: 'default',
  userId: 'ines',
  request: { messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text }] }] },
});
const answer = {
  text: 'Paris.',
  toolCalls: [],
  usage: undefined,
  finishReason: 'stop' as const,
  error: undefined,
};

describe('degraded-mode answers while their store is down', () => {
  it('log one warning for the outage, not one per turn, and say when it is over', async () => {
    const store = new FlakyAnswers();
    const lines: { level: number; msg: string; failures?: number }[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
    });
    const answers = new DegradedAnswers({
      store,
      ttlMs: 60_000,
      maxAnswerChars: 1_000,
      scope: 'user',
      logger,
    });
    store.down = true;
    for (let turn = 0; turn < 50; turn++) {
      await answers.remember(context('What is the capital of France?'), answer);
      expect(await answers.recall(context('What is the capital of France?'))).toBeUndefined();
    }
    store.down = false;
    await answers.remember(context('What is the capital of France?'), answer);
    expect(await answers.recall(context('What is the capital of France?'))).toMatchObject({
      text: 'Paris.',
    });
    expect(lines.map((line) => [line.level, line.msg, line.failures])).toEqual([
      [40, 'the degraded-mode answer store failing', undefined],
      [30, 'the degraded-mode answer store working again', 100],
    ]);
  });
});
