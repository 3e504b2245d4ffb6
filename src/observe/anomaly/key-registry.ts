import type { Logger } from '../../core/logger.js';

const MAX_KEY_LENGTH = 256;
/** A lone UTF-16 surrogate has no UTF-8 form: no backend can store such a key exactly. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The keys (tools, models) each series watches, capped: tool and model names come from config
 * and the registry, but a cap keeps a bug or an odd summary from growing the history without
 * bound. Keys are admitted first come, first served, and kept for the life of the process.
 */
export class KeyRegistry {
  readonly #keys = new Map<string, Set<string>>();
  readonly #refused = new Set<string>();

  constructor(
    private readonly maxPerSeries: number,
    private readonly logger: Logger,
  ) {}

  /** True when the series watches `key` (admitting it if there is room). */
  admit(series: string, key: string): boolean {
    let keys = this.#keys.get(series);
    if (!keys) this.#keys.set(series, (keys = new Set()));
    if (keys.has(key)) return true;
    const storable = key.length <= MAX_KEY_LENGTH && !LONE_SURROGATE.test(key);
    if (storable && keys.size < this.maxPerSeries) {
      keys.add(key);
      return true;
    }
    if (!this.#refused.has(series)) {
      this.#refused.add(series);
      const context = { series, maxKeysPerSeries: this.maxPerSeries };
      this.logger.warn(context, 'anomaly detector ignores further keys of a series');
    }
    return false;
  }
}
