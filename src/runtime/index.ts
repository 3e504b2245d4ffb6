export { createRuntime } from './runtime.js';
export type { Runtime, RuntimeOptions, PreparedTurn } from './runtime.js';
export type {
  Turn,
  TurnInput,
  ModelOptions,
  ServerTools,
  ResolvedModel,
  ModelCallFact,
  ToolCallFact,
} from './turn.js';
export type { TurnStage } from './stage.js';
export type { TurnEvent, ToolStartEvent, ToolEndEvent, StepStartEvent } from './turn-event.js';
