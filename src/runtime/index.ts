export { createRuntime } from './runtime.js';
export type { Runtime, RuntimeOptions, PreparedTurn, PrepareOptions } from './runtime.js';
export type {
  Turn,
  TurnInput,
  ModelOptions,
  ServerTools,
  ResolvedModel,
  ModelCallFact,
  ModelUsageFact,
  TurnCostFact,
  ToolCallFact,
  LimitReading,
  GuardFacts,
  ResumedCalls,
  SensitiveValues,
  BudgetFacts,
  TraceContextHeaders,
} from './turn.js';
export type { TurnTracer, TurnTrace, ModelCallTrace } from './turn-trace.js';
export { resolveRoutes, unknownModel } from './route-stage.js';
export type { ToolResultScreen } from './tool-step.js';
export type { TurnStage, ModelCallRelease, ModelCallRequest, RequestShaping } from './stage.js';
export type { TurnEvent, ToolStartEvent, ToolEndEvent, StepStartEvent } from './turn-event.js';
export type { ProviderCapacity } from './model-call.js';
