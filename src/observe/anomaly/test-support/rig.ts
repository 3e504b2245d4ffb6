import type { z } from 'zod';
import { alertsSchema, anomalySchema } from '../../../config/observe-anomaly-schema.js';
import { createSilentLogger, type Logger } from '../../../core/logger.js';
import {
  MemoryAlertStore,
  MemoryBaselineStore,
  type AlertRecord,
  type AlertStore,
  type BaselineStore,
} from '../../../store/index.js';
import type { WindowReader } from '../../window-summary.js';
import { AnomalyEvaluator } from '../evaluator.js';
import { DAY_MS, MINUTE_MS } from './synthetic-traffic.js';

/** Monday 5 January 2026, 00:00 UTC: the first day of the baseline week. */
export const WEEK_START = Date.UTC(2026, 0, 5);
/** The first day after the baseline week, when the detector has all seven days. */
export const AFTER_BASELINE = WEEK_START + 7 * DAY_MS;

export type ObserveInput = {
  anomaly?: z.input<typeof anomalySchema>;
  alerts?: z.input<typeof alertsSchema>;
};

/** Config as the schema parses it, defaults filled in. */
export function observeConfig(input: ObserveInput = {}) {
  return {
    anomaly: anomalySchema.parse(input.anomaly ?? {}),
    alerts: alertsSchema.parse(input.alerts ?? {}),
  };
}

/** A transition seen by the rig: what, when and to which alert. */
export interface Transition {
  type: 'opened' | 'resolved';
  at: number;
  alert: AlertRecord;
}

export interface RigOptions {
  reader: WindowReader;
  config?: ObserveInput;
  /** Where the clock starts. Default `AFTER_BASELINE`. */
  start?: number;
  alerts?: AlertStore;
  baselines?: BaselineStore;
  logger?: Logger;
  /** A clock shared with another rig (two instances). */
  clock?: ManualClock;
}

export interface ManualClock {
  now: () => number;
  set: (at: number) => void;
}

export function manualClock(start: number): ManualClock {
  let now = start;
  return { now: () => now, set: (at) => (now = at) };
}

/** One evaluator over in-memory (or given) stores, on a clock the test moves. */
export class DetectorRig {
  readonly clock: ManualClock;
  readonly alerts: AlertStore;
  readonly baselines: BaselineStore;
  readonly evaluator: AnomalyEvaluator;
  readonly transitions: Transition[] = [];

  constructor(options: RigOptions) {
    this.clock = options.clock ?? manualClock(options.start ?? AFTER_BASELINE);
    this.alerts = options.alerts ?? new MemoryAlertStore({ now: this.clock.now });
    this.baselines = options.baselines ?? new MemoryBaselineStore();
    const config = observeConfig(options.config);
    this.evaluator = new AnomalyEvaluator({
      ...config,
      reader: options.reader,
      alertStore: this.alerts,
      baselines: this.baselines,
      logger: options.logger ?? createSilentLogger(),
      now: this.clock.now,
      instanceId: `rig-${Math.random()}`,
    });
  }

  /** Ticks at the current instant until the history has caught up with it. */
  async warmUp(): Promise<void> {
    for (;;) {
      const result = await this.tick();
      if (result.recordedSlots <= 1) return;
    }
  }

  /** One evaluation at the current instant, its transitions kept. */
  async tick() {
    const result = await this.evaluator.tick();
    const at = this.clock.now();
    for (const alert of result.opened) this.transitions.push({ type: 'opened', at, alert });
    for (const alert of result.resolved) this.transitions.push({ type: 'resolved', at, alert });
    return result;
  }

  /** Evaluates every `everyMs` from the next step up to and including `to`. */
  async runUntil(to: number, everyMs = MINUTE_MS): Promise<void> {
    for (let at = this.clock.now() + everyMs; at <= to; at += everyMs) {
      this.clock.set(at);
      await this.tick();
    }
  }

  /** `[type, series, key, minutes after origin]` of each transition, for exact assertions. */
  timeline(origin: number): Array<[string, string, string, number]> {
    return this.transitions.map(({ type, at, alert }) => [
      type,
      alert.series,
      alert.key,
      (at - origin) / MINUTE_MS,
    ]);
  }
}
