/**
 * The upstream simulator: the simulated model served over HTTP in the OpenAI and Anthropic wire
 * formats, with fault injection and request statistics, for end-to-end tests, demos and
 * benchmarks of real provider clients.
 */
export {
  startUpstreamSimulator,
  DEFAULT_MAX_BODY_BYTES,
  type UpstreamSimulator,
  type UpstreamSimulatorOptions,
} from './upstream-simulator.js';
export { FAULT_HEADER } from './model-route.js';
export type { SimulatorStats } from './simulator-stats.js';
export type { RecordedRequest } from './request-log.js';
export type { RequestOutcome } from './response-outcome.js';
