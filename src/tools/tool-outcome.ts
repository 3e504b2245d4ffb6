import { isRampartError, type ErrorCode } from '../core/index.js';
import { MAX_ERROR_MESSAGE_CHARS, truncateText, truncateUtf8 } from './bounded-text.js';

/** What one call produced, before timing and identity are attached. */
export interface ToolOutcome {
  ok: boolean;
  content: string;
  errorCode?: ErrorCode;
  /** The call waits for the user's approval: it did not run, and no result goes to the model yet. */
  pending?: boolean;
}

/** A failure as the model reads it: a small JSON object with a code and a bounded message. */
export function failure(code: ErrorCode, message: string): ToolOutcome {
  const error = { code, message: truncateText(message, MAX_ERROR_MESSAGE_CHARS) };
  return { ok: false, content: JSON.stringify({ error }), errorCode: code };
}

/**
 * Turns a handler's value into model text: strings as they are, anything else as JSON
 * (`undefined` as `null`), cut to `maxBytes`.
 */
export function success(value: unknown, maxBytes: number): ToolOutcome {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
  } catch {
    return failure(
      'RAMPART_TOOL_FAILED',
      'The tool returned a value that is not JSON-serialisable.',
    );
  }
  return { ok: true, content: truncateUtf8(text, maxBytes) };
}

/**
 * Turns whatever a handler threw into a failure. A tool may choose its code by throwing a
 * `RampartError` with a tool code; anything else counts as `RAMPART_TOOL_FAILED`. Only the
 * message travels; stacks and causes stay out of the model's context.
 */
export function failureFromError(error: unknown): ToolOutcome {
  if (isRampartError(error) && error.code.startsWith('RAMPART_TOOL_')) {
    return failure(error.code, error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  return failure('RAMPART_TOOL_FAILED', message === '' ? 'The tool failed.' : message);
}
