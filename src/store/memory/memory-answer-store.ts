import type { AnswerStore, StoredAnswer } from '../types.js';

export interface MemoryAnswerStoreOptions {
  /** Most answers kept; the least recently used goes first. */
  maxEntries: number;
  now?: () => number;
}

/** Answers in this process: a bounded LRU with a TTL per entry. Lost on restart. */
export class MemoryAnswerStore implements AnswerStore {
  private readonly entries = new Map<string, { answer: StoredAnswer; expiresAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: MemoryAnswerStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<StoredAnswer | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    // Re-inserted so the map's order stays least recently used first.
    this.entries.set(key, entry);
    return entry.answer;
  }

  async set(key: string, answer: StoredAnswer, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { answer, expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }
}
