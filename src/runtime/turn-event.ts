import type { ErrorCode } from '../core/errors.js';
import type { ModelEvent } from '../core/events.js';

/** A tool call began running on the server. */
export interface ToolStartEvent {
  type: 'tool-start';
  callId: string;
  name: string;
}

/** A tool call ended, successfully or not. */
export interface ToolEndEvent {
  type: 'tool-end';
  callId: string;
  name: string;
  ok: boolean;
  durationMs: number;
  errorCode?: ErrorCode;
}

/** A new model call of the turn starts (the first, or the next one after tool results). */
export interface StepStartEvent {
  type: 'step-start';
  step: number;
}

/**
 * What a turn streams to the protocol edge: the model's own events plus the server-side tool
 * loop's. The stream ends with exactly one `finish` or `error`.
 */
export type TurnEvent = ModelEvent | ToolStartEvent | ToolEndEvent | StepStartEvent;
