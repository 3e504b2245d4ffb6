/**
 * Detection and redaction of personal data and secrets in model output, whole or streamed.
 * Pure functions and one stateful class; no I/O.
 */
export type { Finding, LiteralValue, RedactionOptions, SensitiveType } from './types.js';
/** Sensitive values in a text: non-overlapping, sorted by start. */
export { findSensitive } from './redact-text.js';
/** A text with every sensitive value replaced, and counts by label. */
export { redactText } from './redact-text.js';
/** The default replacement text, `[REDACTED:<type>]` or `[REDACTED:<label>]` for literals. */
export { defaultReplacement } from './redact-text.js';
/** Streaming redaction with minimal hold-back; the joined output equals `redactText`. */
export { StreamRedactor, HOLD_LIMIT } from './stream-redactor.js';
/** The pattern types detected by default. */
export { PATTERN_TYPES } from './scan.js';
