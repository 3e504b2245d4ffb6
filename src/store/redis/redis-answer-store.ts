import type { AnswerStore, StoredAnswer } from '../types.js';
import type { RedisClient } from './redis-connection.js';

/**
 * Answers in Redis, one string key each with its TTL, so every instance can serve an answer
 * any instance stored. Redis evicts under memory pressure like any cache.
 */
export class RedisAnswerStore implements AnswerStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keyPrefix: string,
  ) {}

  async get(key: string): Promise<StoredAnswer | undefined> {
    const value = await this.client.get(this.redisKey(key));
    if (value === null) return undefined;
    const parsed = JSON.parse(value) as Partial<StoredAnswer>;
    if (typeof parsed.text !== 'string' || typeof parsed.storedAt !== 'string') return undefined;
    return { text: parsed.text, storedAt: parsed.storedAt };
  }

  async set(key: string, answer: StoredAnswer, ttlMs: number): Promise<void> {
    await this.client.set(this.redisKey(key), JSON.stringify(answer), 'PX', ttlMs);
  }

  private redisKey(key: string): string {
    return `${this.keyPrefix}answer:${key}`;
  }
}
