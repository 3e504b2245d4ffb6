/**
 * The simulated model: a deterministic, seeded stand-in for a model provider, for offline use,
 * demos, tests and load tests. It always reports itself as simulated.
 */
export {
  createSimulatedModel,
  SIMULATED_MODEL_ID,
  type SimulatedModel,
  type SimulatedModelOptions,
  type SimulatedModelSettings,
  type SimulatedStreamOptions,
} from './simulated-model.js';
export { createSimulatedProvider, type SimulatedProviderOptions } from './simulated-provider.js';
export type {
  SimulatedFault,
  SimulatedFaultKind,
  SimulatedFaultRule,
  FaultCheck,
} from './fault.js';
export { parseFaultSpec, findFaultDirective, FAULT_DIRECTIVE_PREFIX } from './fault-grammar.js';
export { statusFaultError, statusFaultMessage } from './fault-errors.js';
export { sleep, waitForAbort, eventDelays, type PaceSettings } from './pace.js';
