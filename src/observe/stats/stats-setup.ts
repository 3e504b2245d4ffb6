import type { StatsConfig } from '../../config/index.js';
import type { Logger } from '../../core/logger.js';
import type { StatsStore } from '../../store/index.js';
import type { Telemetry } from '../telemetry.js';
import { StatsReader } from './stats-reader.js';
import { instanceId, StatsSink } from './stats-sink.js';

export interface StatsSetupOptions {
  /** `observe.stats` of the config. */
  config: StatsConfig;
  /** Where rollups go: `Backends.stats` (SQLite, or Redis when state is shared). */
  store: StatsStore;
  /** The hub the sink subscribes to. */
  telemetry: Telemetry;
  logger: Logger;
  /** This instance's id in `instances`. Default: host, pid and random bytes. */
  instance?: string;
}

/** Stats rollups of a running instance. */
export interface Stats {
  sink: StatsSink;
  /** Reads windows (flushing this instance first); the anomaly detector's `WindowReader`. */
  reader: StatsReader;
  /** The longest window served: `observe.stats.retentionHours`. */
  retentionMs: number;
  /** Stops the flush timer and writes what is left (once; later calls wait for the same). */
  close(): Promise<void>;
}

/**
 * Subscribes a stats sink to the telemetry hub, flushes it every `flushMs`, and returns the
 * reader the routes, the dashboard and the anomaly detector use. Undefined when
 * `observe.stats.enabled` is false.
 */
export function statsSetup(options: StatsSetupOptions): Stats | undefined {
  const { config, store, telemetry, logger } = options;
  if (!config.enabled) return undefined;
  const retentionMs = config.retentionHours * 3_600_000;
  const sink = new StatsSink({
    store,
    instance: options.instance ?? instanceId(),
    retentionMs,
    maxPendingMinutes: config.maxPendingMinutes,
    now: telemetry.now,
    logger: logger.child({ component: 'stats' }),
    report: (flushed) => telemetry.emit({ type: 'stats-flush', at: telemetry.now(), ...flushed }),
  });
  telemetry.subscribe(sink);
  // Every write and read first takes the turns the telemetry stage holds back.
  const flush = () => {
    telemetry.flush();
    return sink.flush();
  };
  const timer = setInterval(() => void flush(), config.flushMs);
  // A pending flush must not keep a process alive that is otherwise done.
  timer.unref();
  const reader = new StatsReader({
    store,
    retentionMs,
    refresh: flush,
    now: telemetry.now,
  });
  let closed: Promise<void> | undefined;
  const close = () => {
    clearInterval(timer);
    telemetry.flush();
    return (closed ??= finalFlush(sink, logger));
  };
  return { sink, reader, retentionMs, close };
}

async function finalFlush(sink: StatsSink, logger: Logger): Promise<void> {
  await sink.flush();
  if (sink.heldMinutes > 0) {
    logger.warn({ heldMinutes: sink.heldMinutes }, 'stats not written at shutdown are lost');
  }
}
