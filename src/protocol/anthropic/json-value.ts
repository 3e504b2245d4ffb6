import { jsonDepthExceeds, MAX_JSON_DEPTH, RampartError } from '../../core/index.js';

/** A parsed JSON object, read field by field without trusting its shape. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a string, otherwise the empty string. */
export function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Argument text parsed as a JSON object, or undefined when it is not JSON, not an object, or
 * nested deeper than {@link MAX_JSON_DEPTH}: such an object could not be serialised again safely.
 */
export function parseJsonObject(text: string): JsonObject | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(value) || jsonDepthExceeds(value, MAX_JSON_DEPTH)) return undefined;
  return value;
}

/** The error for an upstream `tool_use` input too deep to turn into argument text. */
export function tooDeepInput(): RampartError {
  const message = `The upstream sent a tool input nested deeper than ${MAX_JSON_DEPTH} levels`;
  return new RampartError('RAMPART_UPSTREAM_BAD_RESPONSE', message);
}
