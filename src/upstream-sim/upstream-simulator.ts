import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/index.js';
import {
  createSimulatedModel,
  SIMULATED_MODEL_ID,
  type SimulatedFaultRule,
  type SimulatedModelOptions,
} from '../providers/simulated/index.js';
import { createAnthropicFormat } from './anthropic-format.js';
import { createOpenAIFormat } from './openai-format.js';
import { createRequestHandler } from './request-handler.js';
import { createRequestLog, type RecordedRequest } from './request-log.js';
import { createStatsTracker, type SimulatorStats } from './simulator-stats.js';

/** Options of the upstream simulator: where it listens, plus the simulated model's options. */
export interface UpstreamSimulatorOptions extends SimulatedModelOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port; 0 picks a free one. Default 0. */
  port?: number;
  /**
   * Model ids listed by `/v1/models`; the first is reported when a request names a model that
   * is not simulated. Default `['rampart-sim-1']`.
   */
  models?: string[];
  /** Largest request body accepted; larger ones get 413. Default 16 MiB. */
  maxBodyBytes?: number;
  /** Where failures inside the simulator are logged. Default: nowhere. */
  logger?: Logger;
}

/** A running upstream simulator. */
export interface UpstreamSimulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`; OpenAI clients add `/v1`, Anthropic ones do not. */
  url: string;
  port: number;
  /** Request counters, as `GET /__stats` returns them. */
  stats(): SimulatorStats;
  /**
   * The last 100 API requests, credentials redacted, with when and how each ended, as
   * `GET /__requests` returns them.
   */
  requests(): RecordedRequest[];
  /**
   * Waits until at least `count` of the recorded requests have ended (completed, cancelled or
   * cut) and resolves with `requests()`. Rejects after `timeoutMs` (default 2000), or at once for
   * a count over 100. Call `reset()` first so that earlier requests do not count.
   */
  waitForRequests(count: number, options?: { timeoutMs?: number }): Promise<RecordedRequest[]>;
  /** The fault rules in force, as `GET /__faults` returns them. */
  faults(): SimulatedFaultRule[];
  /**
   * Replaces the fault rules for the requests that arrive from now on, as `PUT /__faults` does.
   * Throws `RAMPART_CONFIG_INVALID` naming a bad rule, and then changes nothing. The probability
   * draws restart from the seed.
   */
  setFaults(rules: readonly SimulatedFaultRule[]): void;
  /**
   * Zeroes the counters and forgets the recorded requests, as `POST /__reset` does. The fault
   * rules stay as they are.
   */
  reset(): void;
  /** Stops listening and closes every connection, hanging ones included. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** How long `waitForRequests` waits by default: well inside a test's own timeout. */
const DEFAULT_WAIT_MS = 2_000;

/**
 * Starts the simulated model as an HTTP server speaking OpenAI Chat Completions
 * (`POST /v1/chat/completions`), Anthropic Messages (`POST /v1/messages`) and `GET /v1/models`,
 * with faults injected by rule, by an in-message directive or by the `x-sim-fault` header.
 */
export async function startUpstreamSimulator(
  options: UpstreamSimulatorOptions = {},
): Promise<UpstreamSimulator> {
  const { host = '127.0.0.1', port = 0, logger, ...rest } = options;
  const {
    models = [SIMULATED_MODEL_ID],
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    ...modelOptions
  } = rest;
  const model = createSimulatedModel(modelOptions);
  const defaultModel = models[0] ?? SIMULATED_MODEL_ID;
  const stats = createStatsTracker();
  const log = createRequestLog();
  const state = {
    model,
    stats,
    log,
    maxBodyBytes,
    models,
    logger,
    openai: createOpenAIFormat(defaultModel),
    anthropic: createAnthropicFormat(defaultModel),
  };
  const server = createServer(createRequestHandler(state));
  const address = await listen(server, port, host);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    stats: () => stats.snapshot(),
    requests: () => log.list(),
    waitForRequests: (count, { timeoutMs = DEFAULT_WAIT_MS } = {}) =>
      log.waitForEnded(count, timeoutMs),
    faults: () => model.settings.faults.map((rule) => ({ ...rule })),
    setFaults: (rules) => model.setFaults(rules),
    reset() {
      stats.reset();
      log.clear();
    },
    close: () => closeServer(server),
  };
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
