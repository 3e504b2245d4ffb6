import type { Logger } from 'pino';

/**
 * How often, during one outage, a background loop repeats its warning. Loops poll every second
 * or so; a line per poll buries the rest of the log while a backend is down, and no line at all
 * would hide an outage that lasts.
 */
export const OUTAGE_REMINDER_MS = 60_000;

export interface OutageLogOptions {
  logger: Logger;
  /** What is failing, for the messages: `alert webhook claims`. */
  what: string;
  /** Milliseconds clock. Default `Date.now`. */
  now?: () => number;
  reminderMs?: number;
}

/**
 * One logging policy for whatever keeps calling a backend that may be down (a polling loop, a
 * write made per request): the first failure
 * of an outage is a warning with its error, the failures after it are counted and repeated as a
 * warning at most once per reminder interval (every one at debug level), and the first success
 * afterwards says the outage ended, how long it lasted and how many calls failed in it.
 */
export class OutageLog {
  readonly #options: OutageLogOptions;
  #since: number | undefined;
  #failures = 0;
  #remindedAt = 0;

  constructor(options: OutageLogOptions) {
    this.#options = options;
  }

  /** Whether the last call failed. */
  get failing(): boolean {
    return this.#since !== undefined;
  }

  failed(error: unknown, fields: Record<string, unknown> = {}): void {
    const { logger, what } = this.#options;
    const now = this.#now();
    this.#failures += 1;
    if (this.#since === undefined) {
      this.#since = now;
      this.#remindedAt = now;
      logger.warn({ ...fields, err: error }, `${what} failing`);
      return;
    }
    const outage = { ...fields, err: error, failures: this.#failures, outageMs: now - this.#since };
    if (now - this.#remindedAt >= (this.#options.reminderMs ?? OUTAGE_REMINDER_MS)) {
      this.#remindedAt = now;
      logger.warn(outage, `${what} still failing`);
    } else logger.debug(outage, `${what} still failing`);
  }

  succeeded(): void {
    if (this.#since === undefined) return;
    const fields = { failures: this.#failures, outageMs: this.#now() - this.#since };
    this.#since = undefined;
    this.#failures = 0;
    this.#options.logger.info(fields, `${this.#options.what} working again`);
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}
