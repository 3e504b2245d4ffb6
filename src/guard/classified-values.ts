import type { DataClasses } from '../tools/index.js';

/** A value from a tool result with the data class it was marked with. */
export interface ClassifiedValue {
  value: string;
  label: string;
}

/** What a classified tool result holds for one principal. */
export interface ClassifiedResult {
  /** Values marked with a class, outside the principal's own records. */
  values: ClassifiedValue[];
  /** Every value of the records that belong to the principal (`ownerField`). */
  own: string[];
  /** More values than are tracked one by one: the caller must withhold the classes instead. */
  overflow: boolean;
}

/** Values shorter than this are left alone: redacting every "1" or "no" would shred answers. */
const MIN_VALUE_CHARS = 3;
/** Values tracked one by one; past this the classes are withheld from the model instead. */
export const MAX_TRACKED_VALUES = 1_000;

/** Every value at a dotted path, walking through arrays on the way. */
function valuesAt(root: unknown, path: readonly string[]): unknown[] {
  if (Array.isArray(root)) return root.flatMap((item) => valuesAt(item, path));
  if (path.length === 0) return [root];
  if (typeof root !== 'object' || root === null) return [];
  const [head, ...rest] = path as [string, ...string[]];
  if (!Object.hasOwn(root, head)) return [];
  return valuesAt((root as Record<string, unknown>)[head], rest);
}

/** The strings and numbers inside a value, as the model would repeat them. */
function leaves(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value.trim());
  else if (typeof value === 'number' && Number.isFinite(value)) into.push(String(value));
  else if (Array.isArray(value)) value.forEach((item) => leaves(item, into));
  else if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach((item) => leaves(item, into));
  }
}

function worthMatching(values: readonly string[]): string[] {
  return values.filter((value) => value.length >= MIN_VALUE_CHARS);
}

function parse(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return content;
  }
}

/**
 * The records of a result that belong to `userId`: the objects holding `ownerField` whose value
 * is exactly that id. Only these records are the principal's own, not the rest of the result.
 */
function ownRecords(root: unknown, ownerField: string, userId: string): unknown[] {
  const path = ownerField.split('.');
  const field = path.pop() as string;
  return valuesAt(root, path).filter(
    (record) =>
      typeof record === 'object' &&
      record !== null &&
      !Array.isArray(record) &&
      (record as Record<string, unknown>)[field] === userId,
  );
}

/**
 * The classified values of one tool result for one principal, following the tool's
 * `dataClasses`. A result that is not JSON is plain text: only a whole-result class applies.
 */
export function classifiedValues(
  content: string,
  classes: DataClasses,
  userId: string,
): ClassifiedResult {
  const root = parse(content);
  const own: string[] = [];
  if (classes.ownerField !== undefined) {
    ownRecords(root, classes.ownerField, userId).forEach((record) => leaves(record, own));
  }
  const owned = new Set(own);
  const values: ClassifiedValue[] = [];
  const marked: Array<[string | undefined, string]> = [
    ...(classes.result === undefined ? [] : [[undefined, classes.result] as [undefined, string]]),
    ...Object.entries(classes.fields ?? {}),
  ];
  for (const [path, label] of marked) {
    const found: string[] = [];
    (path === undefined ? [root] : valuesAt(root, path.split('.'))).forEach((value) =>
      leaves(value, found),
    );
    for (const value of worthMatching(found)) if (!owned.has(value)) values.push({ value, label });
  }
  return {
    values: values.slice(0, MAX_TRACKED_VALUES),
    own: worthMatching(own),
    overflow: values.length > MAX_TRACKED_VALUES,
  };
}

/** Replaces every value under `path` (the whole value when absent) with what `mask` returns. */
function maskAt(root: unknown, path: readonly string[], mask: () => string): unknown {
  if (Array.isArray(root)) return root.map((item) => maskAt(item, path, mask));
  if (path.length === 0) return maskLeaves(root, mask);
  if (typeof root !== 'object' || root === null) return root;
  const [head, ...rest] = path as [string, ...string[]];
  if (!Object.hasOwn(root, head)) return root;
  return {
    ...(root as Record<string, unknown>),
    [head]: maskAt((root as Record<string, unknown>)[head], rest, mask),
  };
}

function maskLeaves(value: unknown, mask: () => string): unknown {
  if (typeof value === 'string' || typeof value === 'number') return mask();
  if (Array.isArray(value)) return value.map((item) => maskLeaves(item, mask));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, maskLeaves(item, mask)]),
    );
  }
  return value;
}

/**
 * The result with the values of the given classes replaced by `[REDACTED:<class>]`: what the
 * model reads when a result holds more classified values than can be tracked one by one.
 */
export function withholdClasses(
  content: string,
  classes: DataClasses,
  hidden: (label: string) => boolean,
): string {
  const root = parse(content);
  if (classes.result !== undefined && hidden(classes.result)) {
    return typeof root === 'string'
      ? `[REDACTED:${classes.result}]`
      : JSON.stringify(maskLeaves(root, () => `[REDACTED:${classes.result}]`));
  }
  let masked = root;
  for (const [path, label] of Object.entries(classes.fields ?? {})) {
    if (hidden(label)) masked = maskAt(masked, path.split('.'), () => `[REDACTED:${label}]`);
  }
  return typeof masked === 'string' ? masked : JSON.stringify(masked);
}
