export {
  loadConfig,
  DEFAULT_MODEL_NAME,
  DEFAULT_ASSISTANT_NAME,
  DEFAULTS_SOURCE,
  DEMO_TOOLS,
  OBJECT_SOURCE,
} from './load.js';
export type { RampartConfig, LoadConfigOptions } from './load.js';
export { configSchema, DEFAULT_DATA_DIR } from './schema.js';
export type { ResilienceConfig } from './resilience-schema.js';
export type { ObserveTracingConfig } from './observe-tracing-schema.js';
export type { PruningBudgets, PruningConfig } from './pruning-schema.js';
export type { AuthorizationConfig, GuardConfig, ToolPolicyConfig } from './guard-schema.js';
export { SENSITIVE_TYPES } from './guard-schema.js';
export type {
  ConfigInput,
  ProviderConfig,
  ModelConfig,
  AssistantConfig,
  ToolConfig,
  FaultConfig,
  StateConfig,
  RecordsConfig,
  LimitsConfig,
} from './schema.js';
export { configError } from './config-error.js';
export type { BudgetConfig, BudgetsConfig } from './budget-schema.js';
export type {
  EscalationConfig,
  EscalationSignal,
  RoutingConfig,
  RoutingOverrideConfig,
  RoutingRouteConfig,
} from './routing-schema.js';
export { ESCALATION_SIGNALS } from './routing-schema.js';
export {
  routingPolicy,
  type RoutingPolicy,
  type RoutingProblem,
  type RoutingTier,
} from './routing-policy.js';
export { isRoutingRoute } from './routing-check.js';
export type { ObserveConfig, StatsConfig } from './observe-schema.js';
