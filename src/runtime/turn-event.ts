import type { ModelEvent } from '../core/events.js';
import type { ToolEvent } from '../tools/index.js';

/** A tool call began running on the server. */
export type ToolStartEvent = Extract<ToolEvent, { type: 'tool-start' }>;

/** A tool call ended, successfully or not. */
export type ToolEndEvent = Extract<ToolEvent, { type: 'tool-end' }>;

/** A new model call of the turn starts (the first, or the next one after tool results). */
export interface StepStartEvent {
  type: 'step-start';
  step: number;
}

/**
 * What a turn streams to the protocol edge: the model's own events plus the server-side tool
 * loop's. The stream ends with exactly one `finish` or `error`.
 */
export type TurnEvent = ModelEvent | ToolEvent | StepStartEvent;
