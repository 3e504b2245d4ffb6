import type { ErrorObject, ValidateFunction } from 'ajv';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../core/index.js';
import { MAX_ERROR_MESSAGE_CHARS, truncateText } from './bounded-text.js';

/** Arguments longer than this are refused before parsing; no real tool needs a megabyte. */
export const MAX_ARGUMENT_CHARS = 1_000_000;

/** Schema problems listed in one message; the rest are counted. */
const MAX_LISTED_PROBLEMS = 8;

/** Parsed, schema-valid arguments, or a message telling the model what is wrong. */
export type ArgumentsCheck =
  { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/**
 * Parses a model's raw argument text and validates it.
 *
 * The rule for empty arguments: text that is empty or only whitespace is read as `{}` (models
 * send nothing for tools without parameters), and `{}` must then pass the schema like any other
 * value. So an empty string is accepted exactly when the schema accepts an empty object.
 */
export function checkToolArguments(raw: string, validate: ValidateFunction): ArgumentsCheck {
  const parsed = parseArguments(raw);
  if (!parsed.ok) return parsed;

  if (validate(parsed.value)) return parsed;

  return { ok: false, message: bounded(describeProblems(validate.errors ?? [])) };
}

function parseArguments(raw: string): ArgumentsCheck {
  if (raw.length > MAX_ARGUMENT_CHARS) {
    return { ok: false, message: `arguments are too long (${raw.length} characters)` };
  }
  if (raw.trim() === '') return { ok: true, value: {} };

  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: bounded(`arguments are not valid JSON: ${reason}`) };
  }
  if (!isPlainObject(value)) {
    return { ok: false, message: `arguments must be a JSON object, not ${kindOf(value)}` };
  }
  // Deeper values would overflow the stack wherever they are serialised again (an HTTP tool's
  // request body, the result); no real tool takes them.
  if (jsonDepthExceeds(value, MAX_JSON_DEPTH)) {
    return { ok: false, message: `arguments are nested deeper than ${MAX_JSON_DEPTH} levels` };
  }
  // Refused as request bodies are: a tool or service that merges the arguments into an object
  // of its own could have its prototype rewritten by them. (Walked after the depth check, which
  // bounds the walk.)
  const poisoned = poisonKeyIn(value);
  if (poisoned !== undefined) {
    return { ok: false, message: `arguments may not hold a property named '${poisoned}'` };
  }
  return { ok: true, value };
}

function describeProblems(errors: readonly ErrorObject[]): string {
  const listed = errors.slice(0, MAX_LISTED_PROBLEMS).map(describeProblem);
  const more = errors.length - listed.length;
  const suffix = more > 0 ? `; and ${more} more` : '';
  return `arguments do not match the schema: ${listed.join('; ')}${suffix}`;
}

function describeProblem(error: ErrorObject): string {
  const at = error.instancePath === '' ? '(root)' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    return `${at}: missing required property '${String(params.missingProperty)}'`;
  }
  if (error.keyword === 'additionalProperties') {
    return `${at}: unexpected property '${String(params.additionalProperty)}'`;
  }
  return `${at}: ${error.message ?? `fails '${error.keyword}'`}`;
}

function bounded(message: string): string {
  return truncateText(message, MAX_ERROR_MESSAGE_CHARS);
}

/**
 * The first `__proto__`, or `constructor` holding a `prototype` (the keys of prototype
 * pollution), anywhere in `value`.
 */
function poisonKeyIn(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = poisonKeyIn(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (key === '__proto__') return key;
    if (key === 'constructor' && isPlainObject(item) && Object.hasOwn(item, 'prototype'))
      return key;
    const found = poisonKeyIn(item);
    if (found !== undefined) return found;
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
