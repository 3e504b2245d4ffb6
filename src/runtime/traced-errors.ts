/**
 * The trace of a turn that a stage refused before it began, by the error that refused it, so the
 * HTTP error answer can name the trace as a successful answer does. Weak: an error forgotten
 * takes its entry with it.
 */
const traceIds = new WeakMap<object, string>();

export function markTracedError(error: unknown, traceId: string): void {
  if (typeof error === 'object' && error !== null) traceIds.set(error, traceId);
}

export function tracedErrorId(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? traceIds.get(error) : undefined;
}
