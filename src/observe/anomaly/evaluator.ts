import type {
  AlertsConfig,
  AnomalyConfig,
  SeriesName,
  ThresholdConfig,
} from '../../config/observe-anomaly-schema.js';
import type { Logger } from '../../core/logger.js';
import {
  ALERT_LIST_MAX,
  alertSubject,
  type AlertInput,
  type AlertRecord,
  type AlertStore,
  type BaselineStore,
} from '../../store/index.js';
import { alertView } from '../alerts/alert-view.js';
import type { WindowReader } from '../window-summary.js';
import { BaselineBook, type Baseline } from './baseline.js';
import { judgeAnomaly, judgeThreshold, type Verdict } from './judge.js';
import { KeyRegistry } from './key-registry.js';
import { anomalyMessage, thresholdMessage } from './messages.js';
import { SlotRecorder } from './recorder.js';
import { seriesValues, type SeriesValue } from './series.js';
import { step, type Phase, type Timing } from './tracker.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Series whose value is a share of their volume, so the volume bounds their precision. */
const PROPORTIONS = new Set<SeriesName>(['tool_error_rate', 'fallback_rate']);
/** Old history and old resolved alerts are looked for this often. */
const PURGE_EVERY_MS = 60 * MINUTE_MS;

export interface AnomalyEvaluatorOptions {
  anomaly: AnomalyConfig;
  alerts: AlertsConfig;
  reader: WindowReader;
  alertStore: AlertStore;
  baselines: BaselineStore;
  logger: Logger;
  /** Wall-clock milliseconds. */
  now: () => number;
  /** This instance, as the holder of the evaluator lease. */
  instanceId: string;
  /**
   * How long after a slot ends the reader holds all of it: every instance's stats flush, and a
   * margin. A slot is written to the history only then. Default 60 s.
   */
  settleMs?: number;
}

/** What one evaluation did. */
export interface TickResult {
  /** False when another instance holds the evaluator lease, so nothing was evaluated. */
  evaluated: boolean;
  /** Baseline slots written. */
  recordedSlots: number;
  opened: AlertRecord[];
  resolved: AlertRecord[];
}

/** What an alert is about, and the static rule behind it, if any. */
interface Subject {
  kind: AlertRecord['kind'];
  series: SeriesName;
  key: string;
  rule: string;
  threshold?: ThresholdConfig;
}

/** One subject's verdict this evaluation, with what an alert opened now would say. */
interface Finding {
  subject: Subject;
  verdict: Verdict;
  value?: number;
  baseline?: Baseline;
  deviations?: number;
}

interface Tracked {
  subject: Subject;
  phase: Phase;
}

/** A threshold's id among its series' alerts: a changed limit is another alert. */
function thresholdRule(threshold: ThresholdConfig): string {
  return `${threshold.direction}:${threshold.value}`;
}

/**
 * One evaluation of every key series against its baseline and every static threshold, run by
 * one instance at a time (the one holding the lease in the alert store). Transitions go to the
 * alert store, which queues their webhooks in the same write, and to the log.
 */
export class AnomalyEvaluator {
  readonly #options: AnomalyEvaluatorOptions;
  readonly #keys: KeyRegistry;
  readonly #book: BaselineBook;
  readonly #recorder: SlotRecorder;
  readonly #tracked = new Map<string, Tracked>();
  readonly #windowMs: number;
  readonly #webhookUrls: string[];
  #held = false;
  #purgedAt = Number.NEGATIVE_INFINITY;

  constructor(options: AnomalyEvaluatorOptions) {
    this.#options = options;
    const { anomaly, logger } = options;
    this.#windowMs = anomaly.windowMinutes * MINUTE_MS;
    this.#webhookUrls = options.alerts.webhooks.map((webhook) => webhook.url);
    this.#keys = new KeyRegistry(anomaly.maxKeysPerSeries, logger);
    this.#book = new BaselineBook({
      store: options.baselines,
      slotMs: this.#windowMs,
      timeZone: anomaly.timeZone,
      baselineDays: anomaly.baselineDays,
      minDays: anomaly.minBaselineDays,
    });
    this.#recorder = new SlotRecorder({
      reader: options.reader,
      store: options.baselines,
      keys: this.#keys,
      slotMs: this.#windowMs,
      backfillMs: anomaly.backfillHours * 60 * MINUTE_MS,
      settleMs: options.settleMs ?? MINUTE_MS,
    });
  }

  /** How long the lease lasts: three evaluations, so one slow tick does not hand it over. */
  get leaseMs(): number {
    return 3 * this.#options.anomaly.evaluateEveryMs;
  }

  /** Evaluates the current window once (if this instance holds the lease). */
  async tick(): Promise<TickResult> {
    const result: TickResult = { evaluated: false, recordedSlots: 0, opened: [], resolved: [] };
    const now = this.#options.now();
    if (!(await this.#lease(now))) return result;
    result.evaluated = true;
    if (this.#options.anomaly.enabled) {
      result.recordedSlots = await this.#recorder.catchUp(now);
      if (result.recordedSlots > 1) this.#book.forget();
    }
    // Whole minutes, as the stats store keeps them: the current one is still being written.
    const end = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    const start = end - this.#windowMs;
    const summary = await this.#options.reader.summarize(start, end);
    const values = seriesValues(summary).filter((value) =>
      this.#keys.admit(value.series, value.key),
    );
    const findings = [...(await this.#anomalies(values, start)), ...this.#thresholds(values)];
    await this.#apply(findings, now, result);
    await this.#purge(now);
    return result;
  }

  /** Gives the lease up, so another instance can take over at once. */
  async release(): Promise<void> {
    if (!this.#held) return;
    this.#held = false;
    await this.#options.alertStore.releaseLease(this.#options.instanceId);
  }

  async #lease(now: number): Promise<boolean> {
    const { alertStore, instanceId } = this.#options;
    const held = await alertStore.acquireLease(instanceId, this.leaseMs);
    if (held && !this.#held) await this.#adopt(now);
    this.#held = held;
    return held;
  }

  /**
   * On taking the lease (at start, or from an instance that went away): open alerts are picked
   * up from the store so they can clear; streaks of breaches start again.
   */
  async #adopt(now: number): Promise<void> {
    this.#tracked.clear();
    this.#recorder.reload();
    const open = await this.#options.alertStore.list({ state: 'open', limit: ALERT_LIST_MAX });
    const rules = new Map(
      this.#options.alerts.thresholds.map((threshold) => [thresholdRule(threshold), threshold]),
    );
    for (const alert of open) {
      const subject: Subject = {
        kind: alert.kind,
        series: alert.series as SeriesName,
        key: alert.key,
        rule: alert.rule,
      };
      const threshold = rules.get(alert.rule);
      if (alert.kind === 'threshold' && threshold) subject.threshold = threshold;
      const phase: Phase = { name: 'open', alertId: alert.id, seenAt: now };
      this.#tracked.set(alertSubject(subject), { subject, phase });
    }
  }

  async #anomalies(values: SeriesValue[], start: number): Promise<Finding[]> {
    const { anomaly } = this.#options;
    if (!anomaly.enabled) return [];
    const findings: Finding[] = [];
    for (const value of values) {
      const config = anomaly.series[value.series];
      if (!config.enabled) continue;
      const subject: Subject = { kind: 'anomaly', series: value.series, key: value.key, rule: '' };
      if (value.volume < config.minVolume) {
        findings.push({ subject, verdict: 'unknown' });
        continue;
      }
      const baseline = await this.#book.baseline(value.series, value.key, start, config.minVolume);
      if (!baseline) {
        findings.push({ subject, verdict: 'unknown' });
        continue;
      }
      const sample = { volume: value.volume, proportion: PROPORTIONS.has(value.series) };
      const judged = judgeAnomaly(value.value, baseline, { ...anomaly, series: config }, sample);
      findings.push({ subject, value: value.value, baseline, ...judged });
    }
    return findings;
  }

  #thresholds(values: SeriesValue[]): Finding[] {
    const { anomaly, alerts } = this.#options;
    const findings: Finding[] = [];
    for (const threshold of alerts.thresholds) {
      for (const value of values) {
        if (value.series !== threshold.series) continue;
        if (threshold.key !== undefined && threshold.key !== value.key) continue;
        const subject: Subject = {
          kind: 'threshold',
          series: value.series,
          key: value.key,
          rule: thresholdRule(threshold),
          threshold,
        };
        const enough = value.volume >= anomaly.series[value.series].minVolume;
        const verdict = enough ? judgeThreshold(value.value, threshold) : 'unknown';
        findings.push({ subject, verdict, value: value.value });
      }
    }
    return findings;
  }

  /** Steps every subject seen now or still tracked; a tracked one not seen has no data. */
  async #apply(findings: Finding[], now: number, result: TickResult): Promise<void> {
    const seen = new Map(findings.map((finding) => [alertSubject(finding.subject), finding]));
    for (const [name, tracked] of this.#tracked) {
      if (!seen.has(name)) seen.set(name, { subject: tracked.subject, verdict: 'unknown' });
    }
    for (const [name, finding] of seen) {
      try {
        await this.#stepOne(name, finding, now, result);
      } catch (error) {
        const { series, key } = finding.subject;
        this.#options.logger.error({ err: error, series, key }, 'alert transition failed');
      }
    }
  }

  async #stepOne(name: string, finding: Finding, now: number, result: TickResult) {
    const before = this.#tracked.get(name)?.phase ?? { name: 'normal' };
    const { phase, action } = step(before, finding.verdict, now, this.#timing(finding.subject));
    if (action === 'open') {
      const { alert, created } = await this.#options.alertStore.open(
        this.#alertInput(finding, now),
        this.#webhookUrls,
      );
      this.#track(name, finding.subject, { name: 'open', alertId: alert.id, seenAt: now });
      if (!created) return;
      result.opened.push(alert);
      this.#options.logger.warn({ alert: alertView(alert) }, 'alert opened');
      return;
    }
    if (action !== undefined && (before.name === 'open' || before.name === 'clearing')) {
      const resolved = await this.#options.alertStore.resolve(
        before.alertId,
        now,
        this.#webhookUrls,
      );
      this.#track(name, finding.subject, phase);
      if (!resolved) return;
      result.resolved.push(resolved);
      const reason = action === 'resolve' ? 'back to normal' : 'no data';
      this.#options.logger.info({ alert: alertView(resolved), reason }, 'alert resolved');
      return;
    }
    this.#track(name, finding.subject, phase);
  }

  #track(name: string, subject: Subject, phase: Phase): void {
    if (phase.name === 'normal') this.#tracked.delete(name);
    else this.#tracked.set(name, { subject, phase });
  }

  #timing(subject: Subject): Timing {
    const { anomaly } = this.#options;
    const noDataMs = anomaly.noDataResolveMinutes * MINUTE_MS;
    const minutes = subject.threshold ?? anomaly;
    return {
      sustainMs: minutes.sustainMinutes * MINUTE_MS,
      clearMs: minutes.clearMinutes * MINUTE_MS,
      noDataMs,
    };
  }

  #alertInput(finding: Finding, now: number): AlertInput {
    const { subject, value = 0 } = finding;
    const { kind, series, key, rule, threshold } = subject;
    const common = { kind, series, key, rule, openedAt: now, value };
    if (threshold) {
      const message = thresholdMessage(series, key, value, threshold);
      return { ...common, severity: threshold.severity, message };
    }
    const baseline = finding.baseline!;
    const deviations = finding.deviations ?? 0;
    const { sustainMinutes } = this.#options.anomaly;
    const message = anomalyMessage({ series, key, value, baseline, deviations, sustainMinutes });
    return {
      ...common,
      severity: 'warning',
      baseline: { median: baseline.median, mad: baseline.mad },
      deviations,
      message,
    };
  }

  async #purge(now: number): Promise<void> {
    if (now - this.#purgedAt < PURGE_EVERY_MS) return;
    this.#purgedAt = now;
    const { anomaly, alerts, baselines, alertStore, logger } = this.#options;
    try {
      await baselines.purge(now - (anomaly.baselineDays + 1) * DAY_MS);
      await alertStore.purgeResolved(now - alerts.retentionDays * DAY_MS);
    } catch (error) {
      logger.warn({ err: error }, 'purging old anomaly history or alerts failed');
    }
  }
}
