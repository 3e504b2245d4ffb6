import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../core/index.js';
import { parseJson } from '../core/parse-json.js';
import type { DataClasses } from '../tools/index.js';

/** What a classified tool result becomes for one principal. */
export interface ScreenedClasses {
  /** The result as the model may read it: values of hidden classes replaced. */
  content: string;
  /** Values the principal may see whatever their shape: its own records, cleared classes. */
  visible: string[];
  /** The result was not JSON (nor JSON lines), so its fields could not be found. */
  unreadable: boolean;
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

// Prefixes some services put before JSON so that a browser cannot run it as a script.
const ANTI_HIJACK = /^\s*(?:\)\]\}'|while\s*\(1\);|for\s*\(;;\);)\s*/;

/**
 * The result as JSON: one document, one behind an anti-hijacking prefix, or JSON lines (one
 * document a line, read as an array of them), each also when encoded as a JSON string. Anything
 * else, a bare string and JSON nested deeper than MAX_JSON_DEPTH are `unreadable`.
 */
function parse(content: string): { root: Json; unreadable: boolean; lines: boolean } {
  const text = content.replace(ANTI_HIJACK, '');
  let root = parseJson(text);
  let lines = false;
  if (root === undefined) {
    const each = text.split('\n').filter((line) => line.trim() !== '');
    const read = each.length > 1 ? each.map(parseJson) : [];
    if (read.length > 0 && !read.includes(undefined)) {
      root = read;
      lines = true;
    }
  }
  // JSON sent as a JSON string (encoded twice, as some services do) is read through.
  for (let unwrapped = 0; typeof root === 'string' && unwrapped < MAX_UNWRAP; unwrapped++) {
    const inner = parseJson(root);
    if (inner === undefined) break;
    root = inner;
  }
  // Text holds no fields; nor can deeper JSON than requests may hold be walked without risk.
  const deep = typeof root === 'object' && root !== null && jsonDepthExceeds(root, MAX_JSON_DEPTH);
  if (root === undefined || typeof root === 'string' || deep) {
    return { root: content, unreadable: true, lines: false };
  }
  return { root, unreadable: false, lines };
}

/** How many times a result encoded as a JSON string is decoded again. */
const MAX_UNWRAP = 2;

/** The records holding `ownerField`, split by whether their owner is exactly `userId`. */
function owners(root: Json, ownerField: string | undefined, userId: string) {
  if (ownerField === undefined) return { own: new Set<object>(), field: undefined };
  const path = ownerField.split('.');
  const field = path.pop() as string;
  const records = valuesAt(root, path).filter(isRecord);
  return { own: new Set<object>(records.filter((record) => record[field] === userId)), field };
}

/** Whose records are shielded from masking: the principal's own, by `ownerField`. */
interface Owners {
  own: Set<object>;
  /** The owner field's last name, which marks a record of someone else wherever it is. */
  field: string | undefined;
  userId: string;
  /** The record of the parsed result each masked copy was made from (fields mask in turn). */
  origins: WeakMap<object, object>;
}

/** `copy`, a masked copy of `record`, remembered as made from the same parsed record. */
function copyOf(
  record: Record<string, Json>,
  copy: Record<string, Json>,
  owners: Owners,
): Record<string, Json> {
  owners.origins.set(copy, owners.origins.get(record) ?? record);
  return copy;
}

/**
 * Whether the values directly in `record` are shielded, given whether those of the record
 * around it are: an own record shields what it holds, and a record of another owner inside it
 * lifts the shield again, however deep.
 */
function shieldOf(record: Record<string, Json>, owners: Owners, shielded: boolean): boolean {
  if (owners.own.has(owners.origins.get(record) ?? record)) return true;
  return isOthers(record, owners) ? false : shielded;
}

/** Whether `record` holds the owner field with someone else as its owner. */
function isOthers(record: Record<string, Json>, owners: Owners): boolean {
  const { field } = owners;
  return field !== undefined && Object.hasOwn(record, field) && record[field] !== owners.userId;
}

/** The paths a tool's results are classified at, each with its class: `[]` is the whole result. */
function classifiedPaths(classes: DataClasses): Array<[string[], string]> {
  const fields = Object.entries(classes.fields ?? {}).map(([path, label]): [string[], string] => [
    path.split('.'),
    label,
  ]);
  return classes.result === undefined ? fields : [[[], classes.result], ...fields];
}

/** Every class a tool's results are marked with. */
export function classLabels(classes: DataClasses): string[] {
  return classifiedPaths(classes).map(([, label]) => label);
}

/** Replaces every value under `path` (all of it when empty), but those of own records. */
function maskAt(
  value: Json,
  path: readonly string[],
  mask: string,
  owners: Owners,
  shielded: boolean,
): Json {
  if (Array.isArray(value)) return value.map((item) => maskAt(item, path, mask, owners, shielded));
  if (path.length === 0) return maskLeaves(value, mask, owners, shielded);
  if (!isRecord(value)) return value;
  const inside = shieldOf(value, owners, shielded);
  const [head, ...rest] = path as [string, ...string[]];
  if (!Object.hasOwn(value, head)) return value;
  return copyOf(
    value,
    { ...value, [head]: maskAt(value[head], rest, mask, owners, inside) },
    owners,
  );
}

function maskLeaves(value: Json, mask: string, owners: Owners, shielded: boolean): Json {
  if (typeof value === 'string' || typeof value === 'number') return shielded ? value : mask;
  if (Array.isArray(value)) return value.map((item) => maskLeaves(item, mask, owners, shielded));
  if (isRecord(value)) {
    const inside = shieldOf(value, owners, shielded);
    const entries = Object.entries(value).map(([key, item]) => [
      key,
      maskLeaves(item, mask, owners, inside),
    ]);
    return copyOf(value, Object.fromEntries(entries) as Record<string, Json>, owners);
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
  const { root, unreadable, lines } = parse(content);
  const marked = classifiedPaths(classes);
  // Fields cannot be found in text that is not JSON: a class the principal may not see could
  // be anywhere in it, so all of it is withheld under that class (failing closed).
  const hiddenField = unreadable
    ? marked.find(([path, label]) => path.length > 0 && options.hidden(label))
    : undefined;
  if (hiddenField !== undefined) {
    return { content: `[REDACTED:${hiddenField[1]}]`, visible: [], unreadable: true };
  }
  const { own, field } = owners(root, classes.ownerField, options.userId);
  const shield: Owners = { own, field, userId: options.userId, origins: new WeakMap() };
  const othersRecord = (record: Record<string, Json>) => isOthers(record, shield);
  const visible: string[] = [];
  own.forEach((record) =>
    Object.values(record).forEach((item) => leaves(item, visible, othersRecord)),
  );
  let masked = root;
  for (const [path, label] of marked) {
    if (options.hidden(label)) masked = maskAt(masked, path, `[REDACTED:${label}]`, shield, false);
    else valuesAt(root, path).forEach((value) => leaves(value, visible, othersRecord));
  }
  const kept = visible
    .filter((value) => value.length >= MIN_VALUE_CHARS)
    .slice(0, MAX_VISIBLE_VALUES);
  if (masked === root) return { content, visible: kept, unreadable };
  return { content: serialise(masked, lines), visible: kept, unreadable };
}

/** The masked result as the model reads it: JSON lines stay lines; a prefix is dropped. */
function serialise(masked: Json, lines: boolean): string {
  if (typeof masked === 'string') return masked;
  if (lines && Array.isArray(masked)) return masked.map((item) => JSON.stringify(item)).join('\n');
  return JSON.stringify(masked);
}
