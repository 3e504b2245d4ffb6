import { HOUR_MS, MINUTE_MS, type StatsRollup, type StatsStore } from '../../store/index.js';
import type { WindowReader, WindowSummary } from '../window-summary.js';
import { Rollup } from './rollup.js';
import { figuresOf, type StatsFigures } from './stats-figures.js';

export interface StatsReaderOptions {
  store: StatsStore;
  /** The retention the store keeps: nothing older is read. */
  retentionMs: number;
  /**
   * Runs before every read: this instance's flush, so what it has observed so far is in the
   * answer. Other instances' last few seconds arrive with their next flush.
   */
  refresh?: () => Promise<void>;
  /** Wall clock. Default `Date.now`. */
  now?: () => number;
}

/** A window's figures, with the span of whole minutes they cover. */
export interface StatsWindow {
  from: number;
  to: number;
  figures: StatsFigures;
}

/** One figure set per step, oldest first; `instances` counts over the whole window. */
export interface StatsTimeline {
  from: number;
  to: number;
  stepMs: number;
  instances: number;
  points: Array<{ at: number; figures: StatsFigures }>;
}

const floorTo = (at: number, unit: number) => at - (((at % unit) + unit) % unit);

/**
 * Reads windows of rollups merged over every instance and minute: `window` for
 * `GET /v1/stats`, `timeline` for the dashboard, `summarize` for the anomaly detector.
 */
export class StatsReader implements WindowReader {
  readonly #store: StatsStore;
  readonly #retentionMs: number;
  readonly #refresh: () => Promise<void>;
  readonly #now: () => number;

  constructor(options: StatsReaderOptions) {
    this.#store = options.store;
    this.#retentionMs = options.retentionMs;
    this.#refresh = options.refresh ?? (() => Promise.resolve());
    this.#now = options.now ?? Date.now;
  }

  /** The last `windowMs` (whole minutes) up to the end of the current minute. */
  async window(windowMs: number): Promise<StatsWindow> {
    const to = floorTo(this.#now(), MINUTE_MS) + MINUTE_MS;
    const from = to - Math.ceil(windowMs / MINUTE_MS) * MINUTE_MS;
    return { from, to, figures: figuresOf(await this.#merged(from, to)) };
  }

  /**
   * Points `stepMs` apart, aligned on multiples of the step since the epoch, the last one
   * holding the current minute; the window is rounded up to whole steps. Steps of whole hours
   * read hourly rollups; shorter ones read every minute of the window.
   */
  async timeline(windowMs: number, stepMs: number): Promise<StatsTimeline> {
    const to = floorTo(this.#now(), stepMs) + stepMs;
    const from = to - Math.ceil(windowMs / stepMs) * stepMs;
    const rollups = await this.#read(from, to, stepMs % HOUR_MS === 0);
    const whole = new Rollup();
    const points: StatsTimeline['points'] = [];
    let index = 0;
    for (let at = from; at < to; at += stepMs) {
      const rollup = new Rollup();
      for (; index < rollups.length && rollups[index]!.start < at + stepMs; index += 1) {
        rollup.merge(rollups[index]!);
        whole.merge(rollups[index]!);
      }
      points.push({ at, figures: figuresOf(rollup) });
    }
    return { from, to, stepMs, instances: whole.instances.size, points };
  }

  /**
   * Every minute that overlaps `[from, to)`, merged. The summary's `from` and `to` are the
   * whole minutes it covers.
   */
  async summarize(from: number, to: number): Promise<WindowSummary> {
    const start = floorTo(from, MINUTE_MS);
    const end = floorTo(to + MINUTE_MS - 1, MINUTE_MS);
    return summaryOf(start, end, figuresOf(await this.#merged(start, end)));
  }

  async #merged(from: number, to: number): Promise<Rollup> {
    const rollup = new Rollup();
    for (const part of await this.#read(from, to, true)) rollup.merge(part);
    return rollup;
  }

  /**
   * The rollups that cover `[from, to)` (whole minutes), oldest first. With `hours`, the whole
   * hours in it come from hourly rollups and only the minutes at either end are read one by
   * one. Nothing before retention is asked for: an hour whose first minutes have expired is
   * gone while its last ones are still kept, so such an hour is read minute by minute.
   */
  async #read(from: number, to: number, hours: boolean): Promise<StatsRollup[]> {
    await this.#refresh();
    const start = Math.max(from, floorTo(this.#now() - this.#retentionMs, MINUTE_MS) + MINUTE_MS);
    const firstHour = Math.ceil(start / HOUR_MS) * HOUR_MS;
    const lastHour = floorTo(to, HOUR_MS);
    if (start >= to) return [];
    if (!hours || firstHour >= lastHour) return this.#store.read(start, to);
    const [head, middle, tail] = await Promise.all([
      this.#store.read(start, firstHour),
      this.#store.read(firstHour, lastHour, 'hour'),
      this.#store.read(lastHour, to),
    ]);
    return [...head, ...middle, ...tail];
  }
}

/**
 * The anomaly detector's inputs. A tool's errors are the failures its owner must look at,
 * execution errors and timeouts; refusals and malformed calls are someone else's.
 */
function summaryOf(from: number, to: number, figures: StatsFigures): WindowSummary {
  const tools = Object.entries(figures.tools).map(([name, tool]) => [
    name,
    { calls: tool.calls, errors: tool.outcomes.error + tool.outcomes.timeout },
  ]);
  const models = Object.entries(figures.models).map(([target, model]) => [
    target,
    {
      calls: model.calls,
      latencyP95Ms: model.duration === undefined ? undefined : model.duration.p95 / 1_000,
    },
  ]);
  const { counters } = figures;
  return {
    from,
    to,
    turns: counters.turns,
    tools: Object.fromEntries(tools) as WindowSummary['tools'],
    models: Object.fromEntries(models) as WindowSummary['models'],
    modelCalls: counters.modelCalls,
    fallbacks: counters.fallbacks,
    conversations: { ended: counters.conversationsEnded, turns: counters.conversationTurns },
    costNanos: counters.costNanos,
  };
}
