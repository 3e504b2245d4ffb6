/**
 * A call's raw argument text as the object the audit digest is taken of. Text that is not a JSON
 * object (a call declined before its arguments were checked) digests as `{}`.
 */
export function auditArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    return isObject ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
