import type { DataClasses } from '../tools/index.js';

/** A value from a tool result with the data class it was marked with. */
export interface ClassifiedValue {
  value: string;
  label: string;
}

/** What a classified tool result holds: its marked values and the user it belongs to. */
export interface ClassifiedResult {
  values: ClassifiedValue[];
  owner: string | undefined;
}

/** Values shorter than this are left alone: redacting every "1" or "no" would shred answers. */
const MIN_VALUE_CHARS = 3;
/** Bounds the walk of a hostile or huge result. */
const MAX_VALUES = 1_000;

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
  if (into.length >= MAX_VALUES) return;
  if (typeof value === 'string') into.push(value.trim());
  else if (typeof value === 'number' && Number.isFinite(value)) into.push(String(value));
  else if (Array.isArray(value)) value.forEach((item) => leaves(item, into));
  else if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach((item) => leaves(item, into));
  }
}

function marked(root: unknown, path: string | undefined, label: string): ClassifiedValue[] {
  const found: string[] = [];
  const roots = path === undefined ? [root] : valuesAt(root, path.split('.'));
  roots.forEach((value) => leaves(value, found));
  return found
    .filter((value) => value.length >= MIN_VALUE_CHARS)
    .map((value) => ({ value, label }));
}

function parse(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return content;
  }
}

/** Every string and number of a result (bounded): what a result the principal owns holds. */
export function resultValues(content: string): string[] {
  const found: string[] = [];
  leaves(parse(content), found);
  return found.filter((value) => value.length >= MIN_VALUE_CHARS).slice(0, MAX_VALUES);
}

/**
 * The classified values of one tool result, following the tool's `dataClasses`. A result that
 * is not JSON is plain text: only a whole-result class applies to it.
 */
export function classifiedValues(content: string, classes: DataClasses): ClassifiedResult {
  const root = parse(content);
  const values: ClassifiedValue[] = [];
  if (classes.result !== undefined) values.push(...marked(root, undefined, classes.result));
  for (const [path, label] of Object.entries(classes.fields ?? {})) {
    values.push(...marked(root, path, label));
  }
  const ownerValues = classes.ownerField ? valuesAt(root, classes.ownerField.split('.')) : [];
  const owner =
    ownerValues.length === 1 && typeof ownerValues[0] === 'string' ? ownerValues[0] : undefined;
  return { values: values.slice(0, MAX_VALUES), owner };
}
