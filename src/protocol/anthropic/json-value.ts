/** A parsed JSON object, read field by field without trusting its shape. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a string, otherwise the empty string. */
export function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
