import type { FastifyInstance } from 'fastify';
import { loadConfig, type ConfigInput, type RampartConfig } from '../config/index.js';
import { createLogger, type Logger } from '../core/logger.js';
import { ActiveTurns } from '../http/active-turns.js';
import { buildServer } from '../http/index.js';
import { tracingSetup } from '../observe/tracing/index.js';
import { createProviders } from '../providers/index.js';
import { createRuntime, resolveRoutes, type TurnStage } from '../runtime/index.js';
import { budgetStage } from '../cost/index.js';
import { SessionService } from '../sessions/index.js';
import { admissionStage, providerCapacity, type QueueWaitObserver } from '../limits/index.js';
import { statsSetup, type AnomalySetup, type Telemetry } from '../observe/index.js';
import { alertingSetup } from './alerting-setup.js';
import { pruningStage } from '../cost/index.js';
import type { AlertStore, AuditLog, KeyStore, UsageLedger } from '../store/index.js';
import { accountingSetup } from './accounting-setup.js';
import { openBackends } from './backends.js';
import type { ToolDefinition, ToolRegistry, ToolResolver } from '../tools/index.js';
import { checkPolicies, guardSetup } from './guard-setup.js';
import { resilienceParts, startDeferredWork } from './resilience-setup.js';
import { shutdown } from './shutdown.js';
import { observeSetup } from './observe-setup.js';
import { logStartup } from './startup-log.js';
import { buildToolRegistry } from './tool-setup.js';

export interface CreateRampartOptions {
  /** A YAML config file. */
  configFile?: string;
  /** A config object with the same schema as the file; used when `configFile` is absent. */
  config?: ConfigInput;
  /** Where `RAMPART_*` variables and provider keys are read. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Values from command-line flags; they win over file and environment. */
  overrides?: { host?: string; port?: number; dataDir?: string };
  /** Tools registered in code, available to assistants that list them. */
  tools?: readonly ToolDefinition[];
  /**
   * Resolvers that tool policies name (`resolver` in `authorization.tools`): code that decides
   * what config cannot, such as whether a record belongs to the caller.
   */
  resolvers?: Readonly<Record<string, ToolResolver>>;
  /** Extra turn stages, run after routing. */
  stages?: readonly TurnStage[];
  /** Default: JSON lines on standard output at the configured level. */
  logger?: Logger;
  /**
   * The wall clock of monitoring: when telemetry events happen, and so which minute of the stats
   * and which window of the alerts they fall in. Default `Date.now`; tests move it.
   */
  now?: () => number;
}

/** A running (or ready to run) Rampart instance. */
export interface Rampart {
  readonly config: RampartConfig;
  readonly app: FastifyInstance;
  readonly keys: KeyStore;
  readonly tools: ToolRegistry;
  /** The append-only log of tool authorization decisions. */
  readonly audit: AuditLog;
  /** Every turn's tokens and cost. */
  readonly usage: UsageLedger;
  /** Alerts raised by the anomaly detector and static thresholds. */
  readonly alerts: AlertStore;
  /**
   * The anomaly detector and alert webhooks, running; `evaluator.tick()` evaluates now. Absent
   * when no anomaly detection or threshold is configured, or `observe.stats` is off.
   */
  readonly anomaly: AnomalySetup | undefined;
  readonly logger: Logger;
  /** The hub every turn, rating and conversation is reported to; monitoring reads it. */
  readonly telemetry: Telemetry;
  /** Starts listening; resolves to the base URL. */
  listen(): Promise<string>;
  /** Graceful shutdown: stop accepting, let open streams finish or end them, close the store. */
  close(): Promise<void>;
}

/**
 * How long a budget reservation holds without being settled. A call that streams longer could
 * see its room taken by others, so it is generous; the price is that a crashed instance's
 * reservations keep their room this long.
 */
const BUDGET_LEASE_MS = 30 * 60_000;

/** Builds a Rampart instance from config, with everything it needs on embedded defaults. */
export async function createRampart(options: CreateRampartOptions = {}): Promise<Rampart> {
  const env = options.env ?? process.env;
  const config = loadConfig({
    ...(options.configFile === undefined ? {} : { file: options.configFile }),
    ...(options.config === undefined ? {} : { object: options.config }),
    env,
    overrides: options.overrides ?? {},
  });
  const logger = options.logger ?? createLogger({ level: config.log.level });
  const tools = buildToolRegistry(config, options.tools ?? []);
  const resolvers = new Map(Object.entries(options.resolvers ?? {}));
  checkPolicies(config, tools, resolvers);
  const providers = createProviders(config.providers, env, logger);
  const backends = await openBackends(config, env, logger);
  const accounting = await accountingSetup(config, backends.usage, logger);
  const observe = observeSetup(config, logger, options.now ? { now: options.now } : {});
  const { telemetry } = observe;
  const stats = statsSetup({
    config: config.observe.stats,
    store: backends.stats,
    telemetry,
    logger,
  });
  const anomaly = alertingSetup({ config, stats, backends, logger, env, now: telemetry.now });
  const onWaited: QueueWaitObserver = (waitedMs, outcome) =>
    telemetry.emit({ type: 'queue', at: telemetry.now(), waitedMs, outcome });
  const admission = admissionStage({
    config: config.limits,
    rateLimits: backends.rateLimits,
    slots: backends.slots,
    tokens: accounting.tokens,
    onWaited,
  });
  const guard = guardSetup({
    config,
    tools,
    resolvers,
    stores: backends,
    logger,
  });
  const budgets = budgetStage({
    budgets: config.budgets,
    store: backends.budgets,
    prices: accounting.prices,
    tokens: accounting.tokens,
    routes: resolveRoutes(config, providers),
    leaseMs: Math.max(config.sessions.turnLeaseMs, BUDGET_LEASE_MS),
    wait: config.limits.queue,
    defaultOutputTokens: config.pruning.enabled
      ? Math.max(config.pruning.outputReserveTokens, 256)
      : 4_096,
  });
  // Pruning shapes each request last among the built-in stages, so what it fits is what is sent
  // (budgets reserve after every stage has shaped it). Accounting settles before admission,
  // budgets and the guard (stages settle last first), so a stage placed before it reads the
  // turn's cost: telemetry, first, reports each turn once every other stage has settled.
  const pruning = config.pruning.enabled
    ? [pruningStage({ config, providers, logger, tokens: accounting.tokens })]
    : [];
  const stages = [
    observe.stage,
    admission,
    budgets,
    ...guard.stages,
    ...pruning,
    accounting.stage,
    ...(options.stages ?? []),
  ];
  const { breakers, answers } = resilienceParts(config, backends, logger, (change) =>
    telemetry.emit({ type: 'breaker', at: telemetry.now(), ...change }),
  );
  const tracing = await tracingSetup(config, logger, { telemetry });
  const capacity = providerCapacity({
    providers: config.providers,
    limits: config.limits,
    slots: backends.slots,
    onWaited,
  });
  const runtime = createRuntime({
    config,
    providers,
    tools,
    logger,
    stages,
    breakers,
    answers,
    ...(capacity ? { capacity } : {}),
    authorizer: guard.authorizer,
    screenToolResult: guard.screenToolResult,
    tokens: accounting.tokens,
    ...(tracing.tracer ? { tracer: tracing.tracer } : {}),
  });
  const activeTurns = new ActiveTurns();
  const lifecycle = { draining: false };
  const sessions = new SessionService(backends.sessions);
  const { authorizer } = guard;
  const deferred = startDeferredWork(
    config,
    backends,
    { runtime, sessions, authorizer },
    env,
    logger,
  );
  const context = {
    config,
    runtime,
    keys: backends.keys,
    jobs: backends.jobs,
    breakers,
    sessions,
    health: backends.health,
    providers,
    activeTurns,
    logger,
    lifecycle,
    authorizer,
    audit: backends.audit,
    usage: backends.usage,
    tokens: accounting.tokens,
    rateLimits: backends.rateLimits,
    telemetry,
    ...(observe.metrics ? { metrics: observe.metrics } : {}),
    ...(stats ? { stats } : {}),
    alerts: backends.alerts,
  };
  const app = buildServer(context);

  let closed: Promise<void> | undefined;
  async function stop(): Promise<void> {
    try {
      const { drainDelayMs, shutdownGraceMs: graceMs } = config.server;
      await shutdown({ app, activeTurns, lifecycle, drainDelayMs, graceMs });
    } finally {
      observe.stop();
      await deferred.stop();
      await tracing.shutdown();
      await anomaly?.stop();
      await stats?.close();
      await Promise.all([...providers.values()].map((provider) => provider.close()));
      await backends.close();
    }
  }

  // Every caller of close() waits for the same shutdown to finish.
  const close = () => (closed ??= stop());

  async function listen(): Promise<string> {
    const url = await app.listen({ host: config.server.host, port: config.server.port });
    await logStartup(logger, config, url, backends.keys);
    return url;
  }

  const { keys, audit, usage, alerts } = backends;
  const parts = { config, app, keys, tools, audit, usage, alerts, anomaly, logger, telemetry };
  return { ...parts, listen, close };
}
