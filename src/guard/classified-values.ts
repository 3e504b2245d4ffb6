import type { DataClasses } from '../tools/index.js';

/** What a classified tool result becomes for one principal. */
export interface ScreenedClasses {
  /** The result as the model may read it: values of hidden classes replaced. */
  content: string;
  /** Values the principal may see whatever their shape: its own records, cleared classes. */
  visible: string[];
}

export interface ClassScreenOptions {
  userId: string;
  /** True for a class the principal may not see. */
  hidden(label: string): boolean;
}

/** Values shorter than this are not worth exempting: every "1" or "no" would be. */
const MIN_VALUE_CHARS = 3;
/** Visible values tracked one by one; past this, patterns apply to the rest as to anything. */
export const MAX_VISIBLE_VALUES = 1_000;

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every value at a dotted path, walking through arrays on the way. */
function valuesAt(root: Json, path: readonly string[]): Json[] {
  if (Array.isArray(root)) return root.flatMap((item) => valuesAt(item, path));
  if (path.length === 0) return [root];
  if (!isRecord(root)) return [];
  const [head, ...rest] = path as [string, ...string[]];
  return Object.hasOwn(root, head) ? valuesAt(root[head], rest) : [];
}

/**
 * The strings and numbers inside a value, as the model would repeat them. `skip` leaves out
 * nested records that belong to someone else.
 */
function leaves(value: Json, into: string[], skip: (record: Record<string, Json>) => boolean) {
  if (typeof value === 'string') into.push(value.trim());
  else if (typeof value === 'number' && Number.isFinite(value)) into.push(String(value));
  else if (Array.isArray(value)) value.forEach((item) => leaves(item, into, skip));
  else if (isRecord(value) && !skip(value)) {
    Object.values(value).forEach((item) => leaves(item, into, skip));
  }
}

function parse(content: string): Json {
  try {
    return JSON.parse(content) as Json;
  } catch {
    return content;
  }
}

/** The records holding `ownerField`, split by whether their owner is exactly `userId`. */
function owners(root: Json, ownerField: string | undefined, userId: string) {
  if (ownerField === undefined) return { own: new Set<object>(), field: undefined };
  const path = ownerField.split('.');
  const field = path.pop() as string;
  const records = valuesAt(root, path).filter(isRecord);
  return { own: new Set<object>(records.filter((record) => record[field] === userId)), field };
}

/** Replaces every value under `path` (all of it when empty), leaving own records alone. */
function maskAt(value: Json, path: readonly string[], mask: string, own: Set<object>): Json {
  if (isRecord(value) && own.has(value)) return value;
  if (Array.isArray(value)) return value.map((item) => maskAt(item, path, mask, own));
  if (path.length === 0) return maskLeaves(value, mask, own);
  if (!isRecord(value)) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (!Object.hasOwn(value, head)) return value;
  return { ...value, [head]: maskAt(value[head], rest, mask, own) };
}

function maskLeaves(value: Json, mask: string, own: Set<object>): Json {
  if (typeof value === 'string' || typeof value === 'number') return mask;
  if (isRecord(value) && own.has(value)) return value;
  if (Array.isArray(value)) return value.map((item) => maskLeaves(item, mask, own));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, maskLeaves(item, mask, own)]),
    );
  }
  return value;
}

/**
 * Applies a tool's `dataClasses` for one principal. Values of classes it may not see are
 * replaced in the result itself, before the model reads it: what the model never read it cannot
 * repeat, in an answer or in a later tool call, and no text matching can miss an escaped or
 * reformatted copy. Its own records (by `ownerField`, but not records of others nested in them)
 * and classes it is cleared for stay as they are, and are exempt from pattern redaction.
 */
export function screenClasses(
  content: string,
  classes: DataClasses,
  options: ClassScreenOptions,
): ScreenedClasses {
  const root = parse(content);
  const { own, field } = owners(root, classes.ownerField, options.userId);
  const othersRecord = (record: Record<string, Json>) =>
    field !== undefined && Object.hasOwn(record, field) && record[field] !== options.userId;
  const visible: string[] = [];
  own.forEach((record) =>
    Object.values(record).forEach((item) => leaves(item, visible, othersRecord)),
  );
  let masked = root;
  const marked: Array<[string[], string]> = [
    ...(classes.result === undefined ? [] : [[[], classes.result] as [string[], string]]),
    ...Object.entries(classes.fields ?? {}).map(([path, label]): [string[], string] => [
      path.split('.'),
      label,
    ]),
  ];
  for (const [path, label] of marked) {
    if (options.hidden(label)) masked = maskAt(masked, path, `[REDACTED:${label}]`, own);
    else valuesAt(root, path).forEach((value) => leaves(value, visible, othersRecord));
  }
  const kept = visible
    .filter((value) => value.length >= MIN_VALUE_CHARS)
    .slice(0, MAX_VISIBLE_VALUES);
  if (masked === root) return { content, visible: kept };
  return { content: typeof masked === 'string' ? masked : JSON.stringify(masked), visible: kept };
}
