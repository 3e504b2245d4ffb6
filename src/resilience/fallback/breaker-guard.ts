import type { Logger } from '../../core/index.js';
import type {
  BreakerAdmission,
  BreakerOutcome,
  BreakerPolicy,
  BreakerState,
  BreakerStore,
} from '../../store/index.js';

/** A breaker transition, for logs and metrics. */
export interface BreakerChange {
  target: string;
  state: BreakerState;
}

/**
 * The circuit breakers of every target, over a shared or local store. A store that fails (the
 * fallback wrapper already covers a Redis outage; this covers anything else) never blocks a
 * call: the call goes ahead as if the breaker were closed, and the failure is logged.
 */
export class BreakerGuard {
  private readonly known = new Map<string, BreakerState>();

  constructor(
    private readonly store: BreakerStore,
    private readonly policy: BreakerPolicy,
    private readonly logger: Logger,
    private readonly onChange: (change: BreakerChange) => void = () => undefined,
  ) {}

  async admit(target: string): Promise<BreakerAdmission> {
    try {
      const admission = await this.store.admit(target, this.policy);
      this.note(target, admission.state);
      return admission;
    } catch (error) {
      this.logger.warn({ err: error, target }, 'circuit breaker unavailable: calling anyway');
      return { allowed: true, state: 'closed', probe: false };
    }
  }

  async record(
    target: string,
    outcome: BreakerOutcome,
    probe: boolean,
    probeToken?: number,
  ): Promise<void> {
    try {
      this.note(target, await this.store.record(target, outcome, this.policy, probe, probeToken));
    } catch (error) {
      this.logger.warn({ err: error, target }, 'circuit breaker outcome not recorded');
    }
  }

  /** The last state seen of each target on this instance. */
  states(): ReadonlyMap<string, BreakerState> {
    return this.known;
  }

  private note(target: string, state: BreakerState): void {
    const before = this.known.get(target);
    this.known.set(target, state);
    if (before === state || (before === undefined && state === 'closed')) return;
    const level = state === 'closed' ? 'info' : 'warn';
    this.logger[level]({ target, from: before ?? 'closed', to: state }, 'circuit breaker changed');
    this.onChange({ target, state });
  }
}
