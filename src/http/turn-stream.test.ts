import { describe, expect, it } from 'vitest';
import type { TurnEvent } from '../runtime/index.js';
import { CHAT_VISIBLE_EVENTS, holdUntilContent, replay } from './turn-stream.js';

/** A turn's events as the runtime yields them, with a `finally` like its settling. */
function turnEvents(log: string[]) {
  return (async function* (): AsyncGenerator<TurnEvent> {
    try {
      for (const text of ['one', 'two', 'three']) {
        log.push(`yield ${text}`);
        yield { type: 'text-delta', text };
      }
      yield { type: 'finish', reason: 'stop' };
    } finally {
      log.push('settled');
    }
  })();
}

describe('replay', () => {
  it('passes every event on, the held ones first, and lets the turn settle once', async () => {
    const log: string[] = [];
    const held = await holdUntilContent(turnEvents(log), CHAT_VISIBLE_EVENTS);
    const seen: string[] = [];
    for await (const event of replay(held)) seen.push(event.type);
    expect(seen).toEqual(['text-delta', 'text-delta', 'text-delta', 'finish']);
    expect(log.filter((line) => line === 'settled')).toHaveLength(1);
  });

  it('settles the turn when its reader stops early, without reading the rest', async () => {
    const log: string[] = [];
    const held = await holdUntilContent(turnEvents(log), CHAT_VISIBLE_EVENTS);
    const write = async () => {
      for await (const event of replay(held)) {
        if (event.type === 'text-delta' && event.text === 'two') throw new Error('write failed');
      }
    };
    await expect(write()).rejects.toThrow('write failed');
    expect(log).toEqual(['yield one', 'yield two', 'settled']);
  });
});
